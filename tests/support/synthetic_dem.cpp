// Every value comes from a hash of (seed, cell or lattice point, purpose), so
// the terrain does not depend on the order cells are computed in and rows
// can be made on several threads.
#include "support/synthetic_dem.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <queue>
#include <thread>
#include <utility>
#include <vector>

#include <ogr_spatialref.h>

namespace lantern::test {

namespace {

std::uint64_t mix(std::uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

std::uint64_t hash(std::uint64_t seed, std::int64_t a, std::int64_t b, std::uint64_t purpose)
{
    std::uint64_t h = mix(seed + 0x9e3779b97f4a7c15ULL * (purpose + 1));
    h = mix(h ^ static_cast<std::uint64_t>(a));
    return mix(h ^ (static_cast<std::uint64_t>(b) * 0xd6e8feb86659fd93ULL));
}

// Uniform in [0, 1).
double unit(std::uint64_t h)
{
    return static_cast<double>(h >> 11) * 0x1.0p-53;
}

double smoothstep(double t)
{
    return t * t * (3 - 2 * t);
}

// Value noise in [-1, 1] with a lattice spacing of `wavelength` cells.
double value_noise(std::uint64_t seed, double x, double y, double wavelength, std::uint64_t purpose)
{
    const double fx = x / wavelength, fy = y / wavelength;
    const double ix = std::floor(fx), iy = std::floor(fy);
    const double sx = smoothstep(fx - ix), sy = smoothstep(fy - iy);
    const auto i = static_cast<std::int64_t>(ix), j = static_cast<std::int64_t>(iy);
    auto at = [&](std::int64_t a, std::int64_t b) { return 2 * unit(hash(seed, a, b, purpose)) - 1; };
    const double top = at(i, j) + (at(i + 1, j) - at(i, j)) * sx;
    const double bottom = at(i, j + 1) + (at(i + 1, j + 1) - at(i, j + 1)) * sx;
    return top + (bottom - top) * sy;
}

struct Octave {
    double wavelength;  // cells
    double amplitude;   // metres
};
constexpr Octave octaves[] = {{400, 14}, {150, 6}, {50, 2.5}, {16, 1.0}, {5, 0.35}};

// Bowls: at most one per lattice square of `spacing` cells, wholly inside it,
// so a cell looks at one square per scale. Smaller bowls land inside larger
// ones by chance, which makes nested depressions.
struct BowlScale {
    int spacing;
    double probability;
    double depth;  // metres, the deepest
};
constexpr BowlScale bowl_scales[] = {{240, 0.5, 8}, {60, 0.6, 3}, {16, 0.6, 1.2}};

double bowls(std::uint64_t seed, int col, int row)
{
    double z = 0;
    std::uint64_t purpose = 20;
    for (const auto& scale : bowl_scales) {
        ++purpose;
        const int i = col / scale.spacing, j = row / scale.spacing;
        const std::uint64_t h = hash(seed, i, j, purpose);
        if (unit(h) >= scale.probability)
            continue;
        const double quarter = scale.spacing / 4.0;
        const double cx = (i + 0.5) * scale.spacing + quarter * (2 * unit(mix(h + 1)) - 1);
        const double cy = (j + 0.5) * scale.spacing + quarter * (2 * unit(mix(h + 2)) - 1);
        const double radius = quarter * (0.4 + 0.6 * unit(mix(h + 3)));
        const double depth = scale.depth * (0.3 + 0.7 * unit(mix(h + 4)));
        const double dx = col + 0.5 - cx, dy = row + 0.5 - cy;
        const double q = (dx * dx + dy * dy) / (radius * radius);
        if (q < 1)
            z -= depth * (1 - q) * (1 - q);
    }
    return z;
}

bool in_hole(std::uint64_t seed, int col, int row)
{
    constexpr int spacing = 200;
    const int i = col / spacing, j = row / spacing;
    const std::uint64_t h = hash(seed, i, j, 40);
    if (unit(h) >= 0.35)
        return false;
    const double quarter = spacing / 4.0;
    const double cx = (i + 0.5) * spacing + quarter * (2 * unit(mix(h + 1)) - 1);
    const double cy = (j + 0.5) * spacing + quarter * (2 * unit(mix(h + 2)) - 1);
    const double radius = 2 + 8 * unit(mix(h + 3));
    const double dx = col + 0.5 - cx, dy = row + 0.5 - cy;
    return dx * dx + dy * dy < radius * radius;
}

// Land elevation in metres, always above 0.
double terrain(std::uint64_t seed, int col, int row, int height)
{
    double z = 30 + 0.025 * col + 0.008 * (height - row);
    std::uint64_t purpose = 0;
    for (const auto& o : octaves)
        z += o.amplitude * value_noise(seed, col, row, o.wavelength, ++purpose);
    z += bowls(seed, col, row);
    const std::uint64_t pit = hash(seed, col, row, 50);
    if (unit(pit) < 0.003)
        z -= 0.5 + 1.5 * unit(mix(pit));
    // Low ground bends smoothly towards 0 instead of crossing it.
    return z < 1 ? std::exp(z - 1) : z;
}

// The rows the river covers in each column (first > last where it does not
// reach): consecutive columns' ranges touch, so the river is connected.
std::vector<std::pair<int, int>> river_rows(std::uint64_t seed, int width, int height)
{
    const double two_pi = 2 * std::numbers::pi;
    const double phase1 = two_pi * unit(hash(seed, 0, 0, 60)), phase2 = two_pi * unit(hash(seed, 0, 0, 61));
    auto centre = [&](double c) {
        return height * (0.5 + 0.15 * std::sin(two_pi * c / (0.5 * width) + phase1) +
                         0.03 * std::sin(two_pi * c / (0.11 * width) + phase2));
    };
    std::vector<std::pair<int, int>> rows(static_cast<std::size_t>(width), {1, 0});
    const int end = static_cast<int>(0.6 * width);
    for (int col = 0; col < end; ++col) {
        double lo = centre(col - 0.5), hi = lo;
        for (int k = 1; k <= 8; ++k) {
            const double r = centre(col - 0.5 + k / 8.0);
            lo = std::min(lo, r);
            hi = std::max(hi, r);
        }
        rows[static_cast<std::size_t>(col)] = {std::max(0, static_cast<int>(std::floor(lo)) - 1),
                                                std::min(height - 1, static_cast<int>(std::floor(hi)) + 1)};
    }
    return rows;
}

// Runs body(first_row, end_row) over bands of rows on every core.
void for_row_bands(int height, const std::function<void(int, int)>& body)
{
    const int threads = std::max(1, std::min(static_cast<int>(std::thread::hardware_concurrency()), 8));
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        const int first = static_cast<int>(static_cast<long long>(height) * t / threads);
        const int end = static_cast<int>(static_cast<long long>(height) * (t + 1) / threads);
        pool.emplace_back(body, first, end);
    }
    for (auto& thread : pool)
        thread.join();
}

}  // namespace

core::GridFrame synthetic_frame(int width, int height)
{
    core::GridFrame frame;
    frame.width = width;
    frame.height = height;
    frame.origin_x = 760000;
    frame.origin_y = 1770000;
    frame.cell_x = 10;
    frame.cell_y = 10;
    OGRSpatialReference srs;
    srs.importFromEPSG(32649);
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    frame.crs_wkt = wkt ? wkt : "";
    CPLFree(wkt);
    return frame;
}

core::FloatGrid synthetic_dem(int width, int height, const SyntheticDemOptions& options)
{
    core::FloatGrid dem(synthetic_frame(width, height), 0.0f);
    const auto river = options.water ? river_rows(options.seed, width, height)
                                     : std::vector<std::pair<int, int>>{};
    for_row_bands(height, [&](int first, int end) {
        for (int row = first; row < end; ++row)
            for (int col = 0; col < width; ++col) {
                float z = static_cast<float>(terrain(options.seed, col, row, height));
                if (options.holes && in_hole(options.seed, col, row))
                    z = core::no_data;
                if (options.water) {
                    const auto& span = river[static_cast<std::size_t>(col)];
                    if (col < 3 || (row >= span.first && row <= span.second))
                        z = synthetic_water_elevation;
                }
                dem.at(col, row) = z;
            }
    });
    return dem;
}

core::ByteGrid synthetic_open_water(const core::FloatGrid& dem)
{
    core::ByteGrid water(dem.frame, 0);
    for (std::size_t i = 0; i < dem.cells(); ++i)
        water[i] = dem[i] <= synthetic_water_elevation ? 1 : 0;
    return water;
}

core::FloatGrid synthetic_dem_without_flats(int width, int height, std::uint64_t seed)
{
    // Whole centimetres, then a priority flood from the edge that lifts each
    // cell it reaches to at least one centimetre above the cell it came from.
    const core::GridFrame frame = synthetic_frame(width, height);
    std::vector<std::int64_t> cm(frame.cells());
    for_row_bands(height, [&](int first, int end) {
        for (int row = first; row < end; ++row)
            for (int col = 0; col < width; ++col)
                cm[frame.index(col, row)] = std::llround(100 * terrain(seed, col, row, height));
    });
    auto on_edge = [&](int col, int row) { return col == 0 || row == 0 || col == width - 1 || row == height - 1; };

    using Entry = std::pair<std::int64_t, std::size_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> open;
    std::vector<std::uint8_t> reached(frame.cells(), 0);
    for (int row = 0; row < height; ++row)
        for (int col = 0; col < width; ++col)
            if (on_edge(col, row)) {
                const std::size_t i = frame.index(col, row);
                reached[i] = 1;
                open.push({cm[i], i});
            }
    while (!open.empty()) {
        const auto [z, i] = open.top();
        open.pop();
        const int col = static_cast<int>(i % static_cast<std::size_t>(width));
        const int row = static_cast<int>(i / static_cast<std::size_t>(width));
        for (int k = 0; k < core::neighbour_count; ++k) {
            const int c = col + core::neighbour_dx[k], r = row + core::neighbour_dy[k];
            if (!frame.contains(c, r))
                continue;
            const std::size_t j = frame.index(c, r);
            if (reached[j])
                continue;
            reached[j] = 1;
            cm[j] = std::max(cm[j], z + 1);
            open.push({cm[j], j});
        }
    }
    // Edge cells below their inner neighbours: water on the edge leaves the
    // grid in every tool's convention, never runs back inside.
    for (int row = 0; row < height; ++row)
        for (int col = 0; col < width; ++col) {
            if (!on_edge(col, row))
                continue;
            std::int64_t& z = cm[frame.index(col, row)];
            for (int k = 0; k < core::neighbour_count; ++k) {
                const int c = col + core::neighbour_dx[k], r = row + core::neighbour_dy[k];
                if (frame.contains(c, r) && !on_edge(c, r))
                    z = std::min(z, cm[frame.index(c, r)] - 1);
            }
        }
    // Millimetres: ten per centimetre plus a 3 x 3 pattern (0..8) that gives
    // the nine cells of every 3 x 3 window different elevations.
    core::FloatGrid dem(frame, 0.0f);
    for (int row = 0; row < height; ++row)
        for (int col = 0; col < width; ++col) {
            const std::int64_t mm = 10 * cm[frame.index(col, row)] + col % 3 + 3 * (row % 3);
            dem.at(col, row) = static_cast<float>(static_cast<double>(mm) / 1000.0);
        }
    return dem;
}

}  // namespace lantern::test
