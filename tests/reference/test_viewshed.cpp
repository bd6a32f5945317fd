// View polygons (core/geometry/visibility.hpp) against GDAL's gdal_viewshed on a
// raster of the same buildings, 0.5 m cells, each building burnt 1000 m high
// so that it hides everything behind it as the polygons assume.
//
// Compared: the cells whose centre lies in the camera's sector, farther than
// a cell from every wall and 3 m short of the range (gdal_viewshed stops a
// few cells short of its maximum distance). What the comparison shows, and
// the test asserts: where they differ, an exact line-of-sight test written here (whether the sight
// line crosses a wall) sides with the polygon, and nearly always
// gdal_viewshed has a cell in shadow that the polygon holds (at most 1 % of
// the cells the other way round). gdal_viewshed's shadows are wider: it
// interpolates heights between a wall's cells and the ground's, which
// widens each building by part of a cell, and the error grows along the
// shadow's edge with the distance. At least 75 % of the cells agree.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/geometry/ring_measure.hpp>
#include <lantern/core/geometry/visibility.hpp>
#include <lantern/core/raster_io/grid_io.hpp>

#include "reference/reference_tools.hpp"

using namespace lantern;
using core::PlanePoint;

namespace {

constexpr double cell = 0.5;
constexpr int size = 400;  // cells: a 200 m square
constexpr double west = 200000, north = 1750200;

double segment_distance(PlanePoint p, PlanePoint a, PlanePoint b)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
    return std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

// gdal_viewshed stops short of its maximum distance by a few cells.
constexpr double range_margin = 3.0;

double cross(PlanePoint o, PlanePoint a, PlanePoint b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

// Whether the sight line a-p crosses no wall (touching one does not hide).
bool clear_sight(const std::vector<core::PlanePolygon>& buildings, PlanePoint a, PlanePoint p)
{
    for (const auto& b : buildings) {
        const auto& ring = b.exterior;
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            double d1 = cross(ring[j], ring[i], a), d2 = cross(ring[j], ring[i], p);
            double d3 = cross(a, p, ring[j]), d4 = cross(a, p, ring[i]);
            if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)))
                return false;
        }
    }
    return true;
}

double ring_distance(const core::PlaneRing& ring, PlanePoint p)
{
    double best = 1e300;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        best = std::min(best, segment_distance(p, ring[j], ring[i]));
    return best;
}

}  // namespace

TEST_CASE("view polygons agree with gdal_viewshed within the raster's resolution")
{
    REQUIRE(test::on_path("gdal_viewshed"));
    core::ensure_gdal();
    // Buildings: non-overlapping rectangles of 4 to 16 m in a 200 m square.
    std::mt19937 random(62676);
    std::uniform_real_distribution<double> along(10, 190), side(4, 16);
    std::vector<core::PlanePolygon> buildings;
    std::vector<core::Bounds> boxes;
    while (buildings.size() < 45) {
        double x = west + along(random), y = north - 200 + along(random);
        core::Bounds b{x, y, x + side(random), y + side(random)};
        bool clear = b.max_x < west + 195 && b.max_y < north - 5;
        for (const auto& o : boxes)
            clear = clear && (b.max_x + 3 < o.min_x || o.max_x + 3 < b.min_x || b.max_y + 3 < o.min_y ||
                              o.max_y + 3 < b.min_y);
        if (!clear)
            continue;
        boxes.push_back(b);
        buildings.push_back({{{b.min_x, b.min_y}, {b.max_x, b.min_y}, {b.max_x, b.max_y}, {b.min_x, b.max_y}}, {}});
    }
    core::Occluders occluders(buildings);

    core::Grid<float> surface;
    surface.frame.width = surface.frame.height = size;
    surface.frame.origin_x = west;
    surface.frame.origin_y = north;
    surface.frame.cell_x = surface.frame.cell_y = cell;
    surface.frame.crs_wkt = core::Crs::from_user("EPSG:32649").wkt();
    surface.values.assign(surface.frame.cells(), 0.0f);
    for (int row = 0; row < size; ++row)
        for (int col = 0; col < size; ++col)
            if (occluders.inside({surface.frame.centre_x(col), surface.frame.centre_y(row)}))
                surface.at(col, row) = 1000.0f;
    test::TempDir dir;
    core::write_geotiff(dir.file("surface.tif"), surface);

    std::uniform_real_distribution<double> heading(0, 360), fov(60, 120), range(30, 70);
    int cameras = 0;
    while (cameras < 8) {
        PlanePoint at{west + along(random), north - 200 + along(random)};
        bool clear = true;
        for (const auto& b : boxes)
            clear = clear && (at.x < b.min_x - 2 || at.x > b.max_x + 2 || at.y < b.min_y - 2 || at.y > b.max_y + 2);
        if (!clear)
            continue;
        ++cameras;
        core::ViewSector sector{at, heading(random), fov(random), range(random)};
        auto region = occluders.visible_region(sector);
        auto command = "gdal_viewshed -q -ox " + test::exact_number(at.x) + " -oy " + test::exact_number(at.y) +
                       " -oz 1.5 -tz 0 -md " + test::exact_number(sector.range) + " surface.tif view.tif";
        auto run = test::run_shell(dir, command);
        INFO(run.output);
        REQUIRE(run.exit_code == 0);
        // The viewshed covers the box of its maximum distance only, on the
        // surface's cells.
        auto view = core::read_float_grid(dir.file("view.tif"));
        REQUIRE(view.frame.cell_x == Approx(cell));
        auto seen_by_gdal = [&](PlanePoint p) {
            int c = view.frame.col_of(p.x), r = view.frame.row_of(p.y);
            return view.frame.contains(c, r) && view.at(c, r) > 0;
        };

        std::size_t compared = 0, agreeing = 0, only_ours = 0, only_theirs = 0, polygon_wrong = 0;
        for (int row = 0; row < size; ++row)
            for (int col = 0; col < size; ++col) {
                PlanePoint p{surface.frame.centre_x(col), surface.frame.centre_y(row)};
                if (!core::in_sector(sector, p) || std::hypot(p.x - at.x, p.y - at.y) > sector.range - range_margin)
                    continue;
                bool near_wall = false;
                for (const auto& b : buildings)
                    near_wall = near_wall || ring_distance(b.exterior, p) <= cell;
                if (near_wall || occluders.inside(p))
                    continue;
                ++compared;
                bool ours = core::ring_contains(region, p);
                bool theirs = seen_by_gdal(p);
                if (ours == theirs) {
                    ++agreeing;
                    continue;
                }
                (ours ? only_ours : only_theirs)++;
                if (ours != clear_sight(buildings, at, p))
                    ++polygon_wrong;
            }
        INFO("camera " << cameras << ": " << agreeing << " of " << compared << " cells agree; seen only here "
                       << only_ours << ", only by gdal_viewshed " << only_theirs << "; area "
                       << std::abs(core::ring_area(region)));
        REQUIRE(compared > 1000);
        CHECK(only_theirs * 100 <= compared);
        CHECK(polygon_wrong == 0);
        CHECK(static_cast<double>(agreeing) / static_cast<double>(compared) >= 0.75);
    }
}
