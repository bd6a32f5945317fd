// Terrain hydrology against answers worked out by hand on small grids, and
// against brute force written here on random-ish grids: filling as the
// minimax of paths to an outlet found by plain relaxation, accumulation as a
// count of the paths through each cell.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <lantern/core/base/error.hpp>
#include <lantern/core/hydrology/hydrology.hpp>

using namespace lantern::core;

namespace {

constexpr float nan_cell = std::numeric_limits<float>::quiet_NaN();

GridFrame frame_of(int width, int height, double cell_x = 1, double cell_y = 1)
{
    GridFrame frame;
    frame.width = width;
    frame.height = height;
    frame.cell_x = cell_x;
    frame.cell_y = cell_y;
    return frame;
}

FloatGrid dem_of(int width, int height, std::vector<float> values, double cell_x = 1, double cell_y = 1)
{
    FloatGrid dem;
    dem.frame = frame_of(width, height, cell_x, cell_y);
    dem.values = std::move(values);
    REQUIRE(dem.values.size() == dem.frame.cells());
    return dem;
}

// ESRI D8 codes, written out here rather than taken from the library.
constexpr std::uint8_t E = 1, SE = 2, S = 4, SW = 8, W = 16, NW = 32, N = 64, NE = 128;

bool decode(std::uint8_t code, int& dx, int& dy)
{
    switch (code) {
    case E: dx = 1, dy = 0; return true;
    case SE: dx = 1, dy = 1; return true;
    case S: dx = 0, dy = 1; return true;
    case SW: dx = -1, dy = 1; return true;
    case W: dx = -1, dy = 0; return true;
    case NW: dx = -1, dy = -1; return true;
    case N: dx = 0, dy = -1; return true;
    case NE: dx = 1, dy = -1; return true;
    default: return false;
    }
}

// The next cell on a flow path, or false when the water leaves the grid or
// enters a cell without a direction.
bool step_down(const FlowGrid& dirs, int& col, int& row)
{
    int dx = 0, dy = 0;
    if (!decode(dirs.at(col, row), dx, dy))
        return false;
    const int x = col + dx, y = row + dy;
    if (!dirs.frame.contains(x, y) || dirs.at(x, y) == 0)
        return false;
    col = x;
    row = y;
    return true;
}

// Deterministic noise in [0, 1).
struct Noise {
    std::uint32_t state;
    float next()
    {
        state = state * 1664525u + 1013904223u;
        return static_cast<float>(state >> 8) / 16777216.0f;
    }
};

// A rough surface with pits, flats (values rounded to steps) and no-data holes.
FloatGrid random_dem(int width, int height, std::uint32_t seed, float step)
{
    Noise noise{seed};
    FloatGrid dem(frame_of(width, height), 0);
    for (int row = 0; row < height; ++row)
        for (int col = 0; col < width; ++col) {
            const double smooth = 6 * std::sin(col / 5.0) * std::cos(row / 4.0) + 0.2 * (col + row);
            const double raw = smooth + 4 * noise.next();
            dem.at(col, row) = static_cast<float>(step > 0 ? std::round(raw / step) * step : raw);
        }
    for (int row = 8; row < 11; ++row)
        for (int col = 10; col < 13; ++col)
            dem.at(col, row) = nan_cell;
    dem.at(width - 5, height - 4) = nan_cell;
    dem.at(0, height / 2) = nan_cell;
    return dem;
}

bool is_outlet(const FloatGrid& dem, int col, int row)
{
    for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx) {
            const int x = col + dx, y = row + dy;
            if (!dem.frame.contains(x, y) || std::isnan(dem.at(x, y)))
                return true;
        }
    return false;
}

// The filled DEM by definition: each cell at the least, over paths to an
// outlet, of the highest elevation on the path; found by relaxing until
// nothing changes.
FloatGrid filled_by_relaxation(const FloatGrid& dem)
{
    FloatGrid level = dem;
    const int w = dem.width(), h = dem.height();
    for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col)
            if (!std::isnan(dem.at(col, row)) && !is_outlet(dem, col, row))
                level.at(col, row) = std::numeric_limits<float>::infinity();
    for (bool changed = true; changed;) {
        changed = false;
        for (int row = 0; row < h; ++row)
            for (int col = 0; col < w; ++col) {
                if (std::isnan(dem.at(col, row)) || is_outlet(dem, col, row))
                    continue;
                float lowest = std::numeric_limits<float>::infinity();
                for (int dy = -1; dy <= 1; ++dy)
                    for (int dx = -1; dx <= 1; ++dx)
                        if ((dx || dy) && !std::isnan(dem.at(col + dx, row + dy)))
                            lowest = std::min(lowest, level.at(col + dx, row + dy));
                const float v = std::max(dem.at(col, row), lowest);
                if (v < level.at(col, row)) {
                    level.at(col, row) = v;
                    changed = true;
                }
            }
    }
    return level;
}

// Every data cell has a direction, every path ends by leaving the grid or
// entering no-data within as many steps as there are cells, and no step goes
// uphill.
void require_draining(const FloatGrid& dem, const FlowGrid& dirs)
{
    const int w = dem.width(), h = dem.height();
    for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col) {
            INFO("cell " << col << "," << row);
            if (std::isnan(dem.at(col, row))) {
                REQUIRE(dirs.at(col, row) == 0);
                continue;
            }
            int dx = 0, dy = 0;
            REQUIRE(decode(dirs.at(col, row), dx, dy));
            int x = col, y = row;
            std::size_t steps = 0;
            for (;;) {
                const float here = dem.at(x, y);
                if (!step_down(dirs, x, y))
                    break;
                REQUIRE(dem.at(x, y) <= here);
                REQUIRE(++steps <= dem.cells());
            }
            // The path's last cell sends its water off the grid or into no-data.
            REQUIRE(decode(dirs.at(x, y), dx, dy));
            const bool leaves = !dem.frame.contains(x + dx, y + dy) || std::isnan(dem.at(x + dx, y + dy));
            REQUIRE(leaves);
        }
}

}  // namespace

TEST_CASE("direction codes are the ESRI D8 codes clockwise from east")
{
    const std::uint8_t codes[] = {E, SE, S, SW, W, NW, N, NE};
    for (int k = 0; k < 8; ++k) {
        CHECK(direction_code(k) == codes[k]);
        CHECK(direction_index(codes[k]) == k);
    }
    CHECK(direction_index(0) == -1);
    CHECK(direction_index(3) == -1);
    CHECK(direction_index(255) == -1);
}

TEST_CASE("every algorithm names its paper")
{
    auto cites = [](const char* method, const char* author) {
        const std::string text(method);
        return text.find(author) != std::string::npos && text.find("(20") != std::string::npos;
    };
    CHECK(cites(fill_method, "Zhou, Sun and Fu"));
    CHECK(cites(fill_epsilon_method, "Barnes, Lehman and Mulla"));
    CHECK(cites(flow_directions_method, "Barnes, Lehman and Mulla"));
    CHECK(std::string(flow_accumulation_method).find("Kahn (1962)") != std::string::npos);
    CHECK(cites(hand_method, "Renno"));
    CHECK(std::string(watershed_method).find("O'Callaghan and Mark (1984)") != std::string::npos);
}

TEST_CASE("a bowl fills to the lowest point of its rim")
{
    // The rim is 9 but for one cell at 7 on the west edge; the cell at 8
    // stands above the water.
    auto dem = dem_of(5, 5, {
        9, 9, 9, 9, 9,
        9, 1, 2, 3, 9,
        7, 2, 0, 4, 9,
        9, 3, 8, 5, 9,
        9, 9, 9, 9, 9,
    });
    const auto original = dem;
    const auto stats = fill_depressions(dem);
    const std::vector<float> expected = {
        9, 9, 9, 9, 9,
        9, 7, 7, 7, 9,
        7, 7, 7, 7, 9,
        9, 7, 8, 7, 9,
        9, 9, 9, 9, 9,
    };
    CHECK(dem.values == expected);
    CHECK(stats.cells_raised == 8);
    CHECK(stats.volume_cells == Approx(6 + 5 + 4 + 5 + 7 + 3 + 4 + 2));

    SECTION("with epsilon the filled bowl drains through its rim's low point")
    {
        auto eps = original;
        const auto eps_stats = fill_depressions(eps, {true});
        CHECK(eps_stats.cells_raised == 8);
        for (std::size_t i = 0; i < eps.cells(); ++i) {
            CHECK(eps[i] >= expected[i]);
            CHECK(eps[i] <= expected[i] + 1e-4f);
        }
        const auto dirs = flow_directions(eps);
        require_draining(eps, dirs);
        // Every raised cell drains to a strictly lower cell.
        for (int row = 1; row < 4; ++row)
            for (int col = 1; col < 4; ++col) {
                int x = col, y = row;
                REQUIRE(step_down(dirs, x, y));
                CHECK(eps.at(x, y) < eps.at(col, row));
            }
    }
}

TEST_CASE("pits in a plane fill to their lowest neighbour and nothing else moves")
{
    // z = col + 2 row; the plane drains to its north-west corner.
    FloatGrid dem(frame_of(8, 6), 0);
    for (int row = 0; row < 6; ++row)
        for (int col = 0; col < 8; ++col)
            dem.at(col, row) = static_cast<float>(col + 2 * row);
    auto expected = dem;
    dem.at(3, 2) = 0;  // lowest neighbour (2,1) at 4
    dem.at(5, 4) = 1;  // lowest neighbour (4,3) at 10
    const auto stats = fill_depressions(dem);
    expected.at(3, 2) = 4;
    expected.at(5, 4) = 10;
    CHECK(dem.values == expected.values);
    CHECK(stats.cells_raised == 2);
    CHECK(stats.volume_cells == Approx(4 + 9));
}

TEST_CASE("nested depressions fill to the outer spill level")
{
    // Two basins (floors 0 and 1) split by a ridge at 3 lie inside an outer
    // basin whose rim spills at 6 on the west edge; an island at 8 stays dry.
    auto dem = dem_of(9, 7, {
        9, 9, 9, 9, 9, 9, 9, 9, 9,
        9, 5, 5, 5, 5, 5, 5, 5, 9,
        9, 5, 1, 1, 3, 2, 2, 5, 9,
        6, 5, 1, 0, 3, 8, 1, 5, 9,
        9, 5, 1, 1, 3, 2, 2, 5, 9,
        9, 5, 5, 5, 5, 5, 5, 5, 9,
        9, 9, 9, 9, 9, 9, 9, 9, 9,
    });
    fill_depressions(dem);
    for (int row = 0; row < 7; ++row)
        for (int col = 0; col < 9; ++col) {
            INFO("cell " << col << "," << row);
            const bool rim = row == 0 || row == 6 || col == 0 || col == 8;
            if (rim)
                CHECK(dem.at(col, row) == (col == 0 && row == 3 ? 6 : 9));
            else if (col == 5 && row == 3)
                CHECK(dem.at(col, row) == 8);
            else
                CHECK(dem.at(col, row) == 6);
        }
}

TEST_CASE("filling equals the minimax of paths to an outlet on a rough grid with holes")
{
    for (float step : {0.0f, 0.5f}) {
        auto dem = random_dem(31, 23, 7u + static_cast<std::uint32_t>(step * 10), step);
        const auto expected = filled_by_relaxation(dem);
        auto filled = dem;
        fill_depressions(filled);
        for (std::size_t i = 0; i < dem.cells(); ++i) {
            INFO("cell " << i);
            if (std::isnan(dem[i]))
                CHECK(std::isnan(filled[i]));
            else
                CHECK(filled[i] == expected[i]);
        }
        require_draining(filled, flow_directions(filled));

        auto eps = dem;
        fill_depressions(eps, {true});
        const auto dirs = flow_directions(eps);
        require_draining(eps, dirs);
        for (int row = 0; row < dem.height(); ++row)
            for (int col = 0; col < dem.width(); ++col) {
                if (std::isnan(dem.at(col, row)))
                    continue;
                INFO("cell " << col << "," << row);
                CHECK(eps.at(col, row) >= expected.at(col, row));
                CHECK(eps.at(col, row) <= expected.at(col, row) + 1e-3f);
                // With epsilon no cell is flat: each drains strictly down or out.
                int x = col, y = row;
                if (step_down(dirs, x, y))
                    CHECK(eps.at(x, y) < eps.at(col, row));
                else
                    CHECK(is_outlet(dem, col, row));
            }
    }
}

TEST_CASE("D8 takes the steepest drop over distance with diagonals sqrt(2) cells away")
{
    // z = 3 col + row: west drops 3 per cell, north-west 4 over 1.41 = 2.83.
    FloatGrid dem(frame_of(5, 5), 0);
    for (int row = 0; row < 5; ++row)
        for (int col = 0; col < 5; ++col)
            dem.at(col, row) = static_cast<float>(3 * col + row);
    auto dirs = flow_directions(dem);
    for (int row = 0; row < 5; ++row)
        for (int col = 1; col < 5; ++col)
            CHECK(dirs.at(col, row) == W);

    // Cells twice as wide: west drops 1.5 per unit, north 1, north-west 4 / sqrt(5) = 1.79.
    dem.frame.cell_x = 2;
    dirs = flow_directions(dem);
    for (int row = 1; row < 5; ++row)
        for (int col = 1; col < 5; ++col)
            CHECK(dirs.at(col, row) == NW);
}

TEST_CASE("a flat drains through its outlet without cycles")
{
    // A 5 x 5 flat at 1 walled in at 9, with one edge cell at 1 as its outlet.
    FloatGrid dem(frame_of(7, 7), 9);
    for (int row = 1; row < 6; ++row)
        for (int col = 1; col < 6; ++col)
            dem.at(col, row) = 1;
    dem.at(0, 3) = 1;
    const auto stats = fill_depressions(dem);
    CHECK(stats.cells_raised == 0);
    const auto dirs = flow_directions(dem);
    require_draining(dem, dirs);
    CHECK(dirs.at(0, 3) == W);  // the outlet drains straight off its edge
    CHECK(dirs.at(1, 2) == SW);
    CHECK(dirs.at(1, 3) == W);
    CHECK(dirs.at(1, 4) == NW);
    // Every flat cell's path leaves through the outlet.
    for (int row = 1; row < 6; ++row)
        for (int col = 1; col < 6; ++col) {
            int x = col, y = row;
            while (step_down(dirs, x, y)) {
            }
            CHECK((x == 0 && y == 3));
        }
    // The whole flat and the walls around it drain through the outlet.
    CHECK(flow_accumulation(dirs).at(0, 3) == 7 * 7);
}

TEST_CASE("cells of a flat drain towards its outlet and away from higher ground")
{
    // A corridor three cells wide, walled at 9, leaves west through (0,2).
    // Steps to the outlet grow with the column alike in every row; steps from
    // the walls are 1 beside them and 2 in the middle row, so the wall-side
    // cells lean diagonally into the middle row rather than running along
    // the wall (2 x towards - away is least there).
    FloatGrid dem(frame_of(7, 5), 9);
    for (int row = 1; row < 4; ++row)
        for (int col = 1; col < 6; ++col)
            dem.at(col, row) = 1;
    dem.at(0, 2) = 1;
    const auto dirs = flow_directions(dem);
    require_draining(dem, dirs);
    CHECK(dirs.at(1, 1) == SW);
    CHECK(dirs.at(1, 2) == W);
    CHECK(dirs.at(1, 3) == NW);
    for (int col = 3; col < 6; ++col) {
        INFO("column " << col);
        CHECK(dirs.at(col, 1) == SW);
        CHECK(dirs.at(col, 2) == W);
        CHECK(dirs.at(col, 3) == NW);
    }
}

TEST_CASE("edge cells with no lower neighbour drain straight off the grid")
{
    const auto dem = dem_of(3, 3, {5, 5, 5, 5, 5, 5, 5, 5, 5});
    const auto dirs = flow_directions(dem);
    CHECK(dirs.at(0, 0) == W);
    CHECK(dirs.at(1, 0) == N);
    CHECK(dirs.at(2, 0) == E);
    CHECK(dirs.at(0, 1) == W);
    CHECK(dirs.at(2, 1) == E);
    CHECK(dirs.at(0, 2) == S);
    CHECK(dirs.at(1, 2) == S);
    CHECK(dirs.at(2, 2) == E);
    // The centre is a flat cell: it drains into an edge cell, which drains out.
    int x = 1, y = 1;
    REQUIRE(step_down(dirs, x, y));
    CHECK((x != 1 || y != 1));
    CHECK(!step_down(dirs, x, y));
    require_draining(dem, dirs);
}

TEST_CASE("cells next to a no-data hole are outlets")
{
    auto dem = dem_of(5, 5, {
        9, 9, 9,        9, 9,
        9, 5, 5,        5, 9,
        9, 5, nan_cell, 5, 9,
        9, 5, 5,        5, 9,
        9, 9, 9,        9, 9,
    });
    const auto stats = fill_depressions(dem);
    CHECK(stats.cells_raised == 0);
    const auto dirs = flow_directions(dem);
    require_draining(dem, dirs);
    // The ring drains into the hole; the rim drains to the ring, straight
    // where it can (a drop of 4 over 1 beats 4 over 1.41).
    const std::vector<std::uint8_t> expected = {
        SE, S, S,  S, SW,
        E,  SE, S, SW, W,
        E,  E,  0, W, W,
        E,  NE, N, NW, W,
        NE, N,  N, N, NW,
    };
    CHECK(dirs.values == expected);

    const auto acc = flow_accumulation(dirs);
    const std::vector<std::uint32_t> expected_acc = {
        1, 1, 1, 1, 1,
        1, 4, 2, 4, 1,
        1, 2, 0, 2, 1,
        1, 4, 2, 4, 1,
        1, 1, 1, 1, 1,
    };
    CHECK(acc.values == expected_acc);

    // Each ring cell is an outlet; basins are numbered in row-major order.
    const auto basins = watersheds(dirs);
    const std::vector<std::int32_t> expected_basins = {
        1, 1, 2, 3, 3,
        1, 1, 2, 3, 3,
        4, 4, 0, 5, 5,
        6, 6, 7, 8, 8,
        6, 6, 7, 8, 8,
    };
    CHECK(basins.values == expected_basins);
}

TEST_CASE("accumulation counts the cells whose path passes through each cell")
{
    auto dem = random_dem(37, 29, 2024u, 0.5f);
    fill_depressions(dem);
    const auto dirs = flow_directions(dem);
    require_draining(dem, dirs);
    const auto acc = flow_accumulation(dirs);

    std::vector<std::uint32_t> brute(dem.cells(), 0);
    for (int row = 0; row < dem.height(); ++row)
        for (int col = 0; col < dem.width(); ++col) {
            if (std::isnan(dem.at(col, row)))
                continue;
            int x = col, y = row;
            do
                ++brute[dem.frame.index(x, y)];
            while (step_down(dirs, x, y));
        }
    CHECK(acc.values == brute);

    // Every data cell ends in exactly one basin's outlet.
    const auto basins = watersheds(dirs);
    for (int row = 0; row < dem.height(); ++row)
        for (int col = 0; col < dem.width(); ++col) {
            if (std::isnan(dem.at(col, row))) {
                CHECK(basins.at(col, row) == 0);
                continue;
            }
            int x = col, y = row;
            while (step_down(dirs, x, y)) {
            }
            CHECK(basins.at(col, row) == basins.at(x, y));
            CHECK(basins.at(col, row) > 0);
        }
}

namespace {

// Column 0 is a stream running south off the grid; the other cells run west
// to it. (3,2) runs east off the grid and (3,0) has no direction.
FlowGrid hand_directions()
{
    FlowGrid dirs(frame_of(4, 3), 0);
    dirs.values = {
        S, W, W, 0,
        S, W, W, W,
        S, W, W, E,
    };
    return dirs;
}

}  // namespace

TEST_CASE("HAND is the height above the stream cell a cell drains to")
{
    const auto dem = dem_of(4, 3, {
        5, 6, 7, 8,
        3, 4, 6, 9,
        1, 2, 5, 7,
    });
    const auto dirs = hand_directions();
    Grid<std::uint8_t> streams(dirs.frame, 0);
    streams.values = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};
    const auto hand = height_above_drainage(dem, dirs, streams);
    const std::vector<float> expected = {
        0, 1, 2, nan_cell,
        0, 1, 3, 6,
        0, 1, 4, nan_cell,
    };
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("cell " << i);
        if (std::isnan(expected[i]))
            CHECK(std::isnan(hand[i]));
        else
            CHECK(hand[i] == expected[i]);
    }

    SECTION("streams from accumulation: HAND is zero on them and never negative on a filled DEM")
    {
        auto rough = random_dem(37, 29, 99u, 0.0f);
        fill_depressions(rough);
        const auto d = flow_directions(rough);
        const auto s = stream_cells(flow_accumulation(d), 12);
        const auto h = height_above_drainage(rough, d, s);
        std::size_t stream_count = 0;
        for (std::size_t i = 0; i < h.cells(); ++i) {
            if (s[i]) {
                ++stream_count;
                CHECK(h[i] == 0);
            } else if (!std::isnan(h[i])) {
                CHECK(h[i] >= 0);
            }
        }
        CHECK(stream_count > 10);
    }
}

TEST_CASE("each cell takes the label of the first seed on its flow path")
{
    auto dirs = hand_directions();
    dirs.at(3, 0) = W;
    dirs.at(3, 2) = W;
    LabelGrid seeds(dirs.frame, 0);
    seeds.at(0, 1) = 7;
    seeds.at(2, 2) = 4;
    seeds.at(3, 0) = 9;
    const auto labels = label_upstream(dirs, seeds);
    const std::vector<std::int32_t> expected = {
        7, 7, 7, 9,
        7, 7, 7, 7,
        0, 0, 4, 4,
    };
    CHECK(labels.values == expected);
}

TEST_CASE("watersheds number the outlets in row-major order")
{
    const auto dirs = hand_directions();  // outlets: (0,2) south, (3,2) east
    const auto basins = watersheds(dirs);
    const std::vector<std::int32_t> expected = {
        1, 1, 1, 0,
        1, 1, 1, 1,
        1, 1, 1, 2,
    };
    CHECK(basins.values == expected);
}

TEST_CASE("flow directions that run in a circle are reported and not followed forever")
{
    FlowGrid dirs(frame_of(3, 3), 0);
    dirs.values = {
        E, S, 0,
        N, W, 0,
        0, 0, 0,
    };
    CHECK_THROWS_AS(flow_accumulation(dirs), DataError);
    CHECK_THROWS_AS(watersheds(dirs), DataError);
}
