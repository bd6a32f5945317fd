// Inundation against answers worked out by hand (a pit behind a ridge, a
// triangle hydrograph) and against a direct breadth-first flood from open
// water, written here, at many stages on a random-ish grid.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <vector>

#include <lantern/core/base/error.hpp>
#include <lantern/core/hydrology/inundation.hpp>

using namespace lantern::core;

namespace {

constexpr float nan_cell = std::numeric_limits<float>::quiet_NaN();
constexpr float inf = std::numeric_limits<float>::infinity();

GridFrame frame_of(int width, int height)
{
    GridFrame frame;
    frame.width = width;
    frame.height = height;
    return frame;
}

// The cells flooded at a stage, by definition: reached from open water
// through 8-connected data cells each below the stage.
std::vector<bool> flooded_by_search(const FloatGrid& dem, const Grid<std::uint8_t>& water, double stage)
{
    const int w = dem.width(), h = dem.height();
    std::vector<bool> wet(dem.cells(), false);
    std::deque<std::pair<int, int>> queue;
    for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col)
            if (water.at(col, row))
                queue.emplace_back(col, row);
    while (!queue.empty()) {
        const auto [col, row] = queue.front();
        queue.pop_front();
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                const int x = col + dx, y = row + dy;
                if (!dem.frame.contains(x, y) || water.at(x, y))
                    continue;
                const std::size_t i = dem.frame.index(x, y);
                const float z = dem[i];
                if (wet[i] || std::isnan(z) || !(static_cast<double>(z) < stage))
                    continue;
                wet[i] = true;
                queue.emplace_back(x, y);
            }
    }
    return wet;
}

}  // namespace

TEST_CASE("a pit behind a ridge stays dry until the stage passes the ridge")
{
    // Every row alike: open water, a bank at 1 and 2, a ridge at 5, a pit at
    // 1 behind it, ground at 3 and 4, a hill at 6.
    const std::vector<float> profile = {0, 1, 2, 5, 1, 3, 4, 6};
    FloatGrid dem(frame_of(8, 4), 0);
    Grid<std::uint8_t> water(dem.frame, 0);
    for (int row = 0; row < 4; ++row) {
        for (int col = 0; col < 8; ++col)
            dem.at(col, row) = profile[static_cast<std::size_t>(col)];
        water.at(0, row) = 1;
    }
    const auto threshold = flood_threshold(dem, water);
    const std::vector<float> expected = {open_water_threshold, 1, 2, 5, 5, 5, 5, 6};
    for (int row = 0; row < 4; ++row)
        for (int col = 0; col < 8; ++col)
            CHECK(threshold.at(col, row) == expected[static_cast<std::size_t>(col)]);

    auto depth_at = [&](double stage, int col) { return stage_depth(dem, threshold, stage).at(col, 2); };
    auto pocket_at = [&](double stage, int col) { return low_lying_pockets(dem, threshold, stage).at(col, 2); };

    // Stage 3: the bank floods, the pit behind the ridge is a dry pocket.
    CHECK(depth_at(3, 1) == 2);
    CHECK(depth_at(3, 2) == 1);
    CHECK(std::isnan(depth_at(3, 0)));  // open water has no depth of its own
    CHECK(std::isnan(depth_at(3, 3)));
    CHECK(std::isnan(depth_at(3, 4)));
    CHECK(pocket_at(3, 4) == 1);
    CHECK(pocket_at(3, 5) == 0);  // at 3, not below the stage
    CHECK(pocket_at(3, 1) == 0);  // flooded, so no pocket
    CHECK(pocket_at(3, 0) == 0);

    // Stage 5: level with the ridge, which is not enough.
    CHECK(std::isnan(depth_at(5, 4)));
    CHECK(pocket_at(5, 4) == 1);
    CHECK(pocket_at(5, 5) == 1);
    CHECK(pocket_at(5, 6) == 1);

    // Stage 5.5: over the ridge, the pit and the ground behind it flood.
    CHECK(depth_at(5.5, 3) == Approx(0.5));
    CHECK(depth_at(5.5, 4) == Approx(4.5));
    CHECK(depth_at(5.5, 5) == Approx(2.5));
    CHECK(depth_at(5.5, 6) == Approx(1.5));
    CHECK(std::isnan(depth_at(5.5, 7)));
    for (int col = 0; col < 8; ++col)
        CHECK(pocket_at(5.5, col) == 0);
}

TEST_CASE("no-data blocks the flood and land it cuts off is unreachable")
{
    // A column of no-data at col 2 walls off cols 3 and 4 from the water.
    FloatGrid dem(frame_of(5, 3), 1);
    Grid<std::uint8_t> water(dem.frame, 0);
    for (int row = 0; row < 3; ++row) {
        water.at(0, row) = 1;
        dem.at(2, row) = nan_cell;
    }
    dem.at(0, 1) = nan_cell;  // open water without an elevation is still open water
    const auto threshold = flood_threshold(dem, water);
    for (int row = 0; row < 3; ++row) {
        CHECK(threshold.at(0, row) == open_water_threshold);
        CHECK(threshold.at(1, row) == 1);
        CHECK(std::isnan(threshold.at(2, row)));
        CHECK(threshold.at(3, row) == unreachable_threshold);
        CHECK(threshold.at(4, row) == unreachable_threshold);
    }
    CHECK(low_lying_pockets(dem, threshold, 2).at(4, 1) == 1);
    CHECK(std::isnan(stage_depth(dem, threshold, 100).at(4, 1)));
    CHECK(stage_depth(dem, threshold, 100).at(1, 1) == 99);
}

TEST_CASE("the threshold grid floods exactly what a search from open water reaches at every stage")
{
    const int w = 200, h = 200;
    FloatGrid dem(frame_of(w, h), 0);
    Grid<std::uint8_t> water(dem.frame, 0);
    std::uint32_t state = 12345;
    auto noise = [&] {
        state = state * 1664525u + 1013904223u;
        return static_cast<double>(state >> 8) / 16777216.0;
    };
    for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col) {
            const double hills = 4 * std::sin(col / 13.0) * std::cos(row / 17.0) + 3 * std::sin((col + row) / 29.0);
            dem.at(col, row) = static_cast<float>(hills + 0.02 * col + 1.5 * noise());
            // A river winding down the grid and a lake in the north-east.
            const double river = 60 + 25 * std::sin(row / 23.0);
            if (std::abs(col - river) < 2.5 || std::hypot(col - 160, row - 40) < 9)
                water.at(col, row) = 1;
        }
    // No-data: blocks, a ring that cuts off its inside, and a few cells in the river.
    for (int row = 120; row < 135; ++row)
        for (int col = 130; col < 150; ++col)
            dem.at(col, row) = nan_cell;
    for (int k = 0; k < 20; ++k) {
        dem.at(20 + k, 170) = nan_cell;
        dem.at(20 + k, 189) = nan_cell;
        dem.at(20, 170 + k) = nan_cell;
        dem.at(39, 170 + k) = nan_cell;
    }
    dem.at(60, 0) = nan_cell;
    dem.at(61, 1) = nan_cell;

    const auto threshold = flood_threshold(dem, water);
    CHECK(threshold.at(30, 180) == unreachable_threshold);

    for (double stage = -6; stage <= 9; stage += 1.5) {
        INFO("stage " << stage);
        const auto wet = flooded_by_search(dem, water, stage);
        const auto depth = stage_depth(dem, threshold, stage);
        const auto pockets = low_lying_pockets(dem, threshold, stage);
        std::size_t mismatches = 0, flooded = 0, pocket_cells = 0;
        for (std::size_t i = 0; i < dem.cells(); ++i) {
            if (water[i]) {
                mismatches += !std::isnan(depth[i]) || pockets[i] != 0;
                continue;
            }
            const bool land = !std::isnan(dem[i]);
            mismatches += floods(threshold[i], stage) != static_cast<bool>(wet[i]);
            mismatches += std::isnan(depth[i]) == static_cast<bool>(wet[i]);
            const bool pocket = land && static_cast<double>(dem[i]) < stage && !wet[i];
            mismatches += (pockets[i] != 0) != pocket;
            flooded += wet[i];
            pocket_cells += pocket;
        }
        CHECK(mismatches == 0);
        if (stage > 0) {
            CHECK(flooded > 0);
        }
        (void)pocket_cells;
    }
}

namespace {

struct Cell {
    float elevation;
    float threshold;
};

FloodTiming time_cells(const std::vector<Cell>& cells, const std::vector<GaugeReading>& readings)
{
    FloatGrid dem(frame_of(static_cast<int>(cells.size()), 1), 0);
    FloatGrid threshold(dem.frame, 0);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        dem[i] = cells[i].elevation;
        threshold[i] = cells[i].threshold;
    }
    return flood_timing(dem, threshold, readings);
}

void check_never(const FloodTiming& t, std::size_t i)
{
    INFO("cell " << i);
    CHECK(std::isnan(t.arrival_hours[i]));
    CHECK(std::isnan(t.duration_hours[i]));
    CHECK(std::isnan(t.max_depth[i]));
}

void check_flooded(const FloodTiming& t, std::size_t i, double arrival, double duration, double depth)
{
    INFO("cell " << i);
    CHECK(t.arrival_hours[i] == Approx(arrival).margin(1e-5));
    CHECK(t.duration_hours[i] == Approx(duration).margin(1e-5));
    CHECK(t.max_depth[i] == Approx(depth).margin(1e-5));
}

}  // namespace

TEST_CASE("a triangle hydrograph gives arrival on the rise and duration above the threshold and depth at the peak")
{
    // Up from 0 to 10 in 10 hours, down again in 10.
    const std::vector<GaugeReading> triangle = {{0, 0}, {10, 10}, {20, 0}};
    const auto t = time_cells({{3, 4},                     // above 4 from hour 4 to hour 16
                               {0, open_water_threshold},  // open water: not a land cell
                               {2, 10},                    // the level reaches 10 but never exceeds it
                               {-2, -1},                   // below the first reading: flooded throughout
                               {nan_cell, nan_cell},       // no-data
                               {1, unreachable_threshold},
                               {0, 0}},                    // level above 0 for all but the two ends
                              triangle);
    check_flooded(t, 0, 4, 12, 7);
    check_never(t, 1);
    check_never(t, 2);
    check_flooded(t, 3, 0, 20, 12);
    check_never(t, 4);
    check_never(t, 5);
    check_flooded(t, 6, 0, 20, 10);
}

TEST_CASE("hydrographs with two peaks or a plateau or a falling start")
{
    // Peaks of 10 (hours 0-20) and 8 (hours 20-40).
    const std::vector<GaugeReading> two_peaks = {{0, 0}, {10, 10}, {20, 0}, {30, 8}, {40, 0}};
    auto t = time_cells({{2, 6}, {0, 9}, {0, 8}}, two_peaks);
    check_flooded(t, 0, 6, 8 + 5, 8);  // hours 6-14, then 27.5-32.5
    check_flooded(t, 1, 9, 2, 10);     // hours 9-11
    check_flooded(t, 2, 8, 4, 10);     // hours 8-12; the second peak only touches 8

    // A plateau at the peak: level with it is not above it.
    const std::vector<GaugeReading> plateau = {{0, 0}, {10, 10}, {15, 10}, {25, 0}};
    t = time_cells({{0, 10}, {1, 5}}, plateau);
    check_never(t, 0);
    check_flooded(t, 1, 5, 15, 9);  // hours 5-20

    // Falling from the start, then rising again.
    const std::vector<GaugeReading> dip = {{0, 6}, {10, 0}, {20, 6}};
    t = time_cells({{1, 3}}, dip);
    check_flooded(t, 0, 0, 10, 5);  // hours 0-5 and 15-20
}

TEST_CASE("flood timing refuses too few readings and readings out of time order")
{
    const std::vector<Cell> one = {{0, 1}};
    CHECK_THROWS_AS(time_cells(one, {}), UsageError);
    CHECK_THROWS_AS(time_cells(one, {{0, 1}}), UsageError);
    CHECK_THROWS_AS(time_cells(one, {{0, 1}, {0, 2}}), UsageError);
    CHECK_THROWS_AS(time_cells(one, {{0, 1}, {5, 2}, {3, 1}}), UsageError);
    CHECK_NOTHROW(time_cells(one, {{0, 1}, {5, 2}}));
}

TEST_CASE("the flood threshold names its method")
{
    CHECK(std::string(flood_threshold_method).find("Priority-Flood") != std::string::npos);
}
