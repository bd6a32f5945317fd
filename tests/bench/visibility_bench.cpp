// Visibility benchmark (core/geometry/visibility.hpp): 50 000 random buildings in a
// 5 km square, then view polygons for random cameras and lamps (range 30-80
// m; a third full circles, the others 20-180 degrees) on one thread.
//
//   lantern_visibility_bench [VIEWS] [SEED]
//
// VIEWS defaults to 10 000. Prints one RESULT line: buildings, edges, the
// seconds to build the index, views, polygons per second, mean edges whose
// boxes met the sector's box, mean edges swept, mean ring vertices and the
// views that saw nothing. Devices stand outside the buildings.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <random>
#include <vector>

#include <lantern/core/geometry/visibility.hpp>

using namespace lantern::core;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One building per plot of a square grid, a rotated rectangle that stays
// within its plot so that none overlap.
std::vector<PlanePolygon> random_buildings(std::mt19937& rng, int count, double extent)
{
    int side = static_cast<int>(std::ceil(std::sqrt(count)));
    double plot = extent / side;
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<PlanePolygon> buildings;
    buildings.reserve(static_cast<std::size_t>(count));
    for (int k = 0; k < count; ++k) {
        double cx = (k % side + 0.5) * plot;
        double cy = (k / side + 0.5) * plot;
        double half_w = (0.2 + 0.15 * unit(rng)) * plot;
        double half_h = (0.2 + 0.15 * unit(rng)) * plot;
        double angle = unit(rng) < 0.6 ? 0.0 : unit(rng) * std::numbers::pi;
        double c = std::cos(angle);
        double s = std::sin(angle);
        PlaneRing ring;
        for (auto [u, v] : {std::pair{-1, -1}, std::pair{1, -1}, std::pair{1, 1}, std::pair{-1, 1}}) {
            double x = u * half_w;
            double y = v * half_h;
            ring.push_back({cx + c * x - s * y, cy + s * x + c * y});
        }
        buildings.push_back({std::move(ring), {}});
    }
    return buildings;
}

}  // namespace

int main(int argc, char** argv)
{
    int views = argc > 1 ? std::atoi(argv[1]) : 10000;
    unsigned seed = argc > 2 ? static_cast<unsigned>(std::atoi(argv[2])) : 1;
    constexpr int building_count = 50000;
    constexpr double extent = 5000;
    std::mt19937 rng(seed);
    std::vector<PlanePolygon> buildings = random_buildings(rng, building_count, extent);

    auto start = std::chrono::steady_clock::now();
    Occluders occluders(buildings);
    double build_seconds = seconds_since(start);

    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<ViewSector> sectors;
    while (static_cast<int>(sectors.size()) < views) {
        PlanePoint at{extent * unit(rng), extent * unit(rng)};
        if (occluders.inside(at))
            continue;  // devices stand in the street or on a facade
        double fov = unit(rng) < 1.0 / 3 ? 360 : 20 + 160 * unit(rng);
        sectors.push_back({at, 360 * unit(rng), fov, 30 + 50 * unit(rng)});
    }
    double candidates = 0;
    double swept = 0;
    double vertices = 0;
    int empty = 0;
    start = std::chrono::steady_clock::now();
    for (const ViewSector& sector : sectors) {
        VisibilityStats stats;
        PlaneRing ring = occluders.visible_region(sector, {}, stats);
        candidates += static_cast<double>(stats.candidate_edges);
        swept += static_cast<double>(stats.swept_edges);
        vertices += static_cast<double>(ring.size());
        if (ring.empty())
            ++empty;
    }
    double seconds = seconds_since(start);
    double n = views > 0 ? views : 1;
    std::printf("RESULT buildings=%d edges=%zu index_seconds=%.3f views=%d seconds=%.3f "
                "polygons_per_second=%.0f mean_candidate_edges=%.1f mean_swept_edges=%.1f "
                "mean_vertices=%.1f empty=%d\n",
                building_count, occluders.edge_count(), build_seconds, views, seconds,
                views / seconds, candidates / n, swept / n, vertices / n, empty);
    return 0;
}
