// Visibility from a point within a sector: known answers computed by hand
// (inscribed arcs, triangles in front of walls, courtyards), GEOS validity of
// every region, and a brute-force line-of-sight reference on random cities.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include <geos_c.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/geometry/visibility.hpp>

using namespace lantern::core;

namespace {

constexpr double pi = std::numbers::pi;

double radians(double degrees)
{
    return degrees * pi / 180;
}

PlanePolygon rectangle(double x0, double y0, double x1, double y1)
{
    return {{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, {}};
}

double signed_area(const PlaneRing& ring)
{
    double sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const PlanePoint& a = ring[i];
        const PlanePoint& b = ring[(i + 1) % n];
        sum += a.x * b.y - b.x * a.y;
    }
    return sum / 2;
}

// Area of a sector whose arc is split into the fewest equal chords at most
// step degrees apart, vertices on the circle.
double inscribed_sector_area(double range, double span_deg, double step_deg = 1)
{
    double n = std::ceil(span_deg / step_deg - 1e-9);
    return n * range * range / 2 * std::sin(radians(span_deg / n));
}

double segment_distance(PlanePoint p, PlanePoint a, PlanePoint b)
{
    double dx = b.x - a.x;
    double dy = b.y - a.y;
    double length2 = dx * dx + dy * dy;
    double t = length2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0.0, 1.0)
                           : 0.0;
    return std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
}

bool ring_contains(const PlaneRing& ring, PlanePoint p)
{
    bool odd = false;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const PlanePoint& a = ring[i];
        const PlanePoint& b = ring[(i + 1) % n];
        if ((a.y > p.y) != (b.y > p.y) && p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
            odd = !odd;
    }
    return odd;
}

double ring_distance(const PlaneRing& ring, PlanePoint p)
{
    double best = std::numeric_limits<double>::infinity();
    for (std::size_t i = 0, n = ring.size(); i < n; ++i)
        best = std::min(best, segment_distance(p, ring[i], ring[(i + 1) % n]));
    return best;
}

// GEOS's reason when the ring is not a valid polygon, empty when it is.
std::string geos_problem(const PlaneRing& ring)
{
    if (ring.size() < 3)
        return "fewer than three vertices";
    GEOSContextHandle_t ctx = GEOS_init_r();
    auto size = static_cast<unsigned>(ring.size());
    GEOSCoordSequence* sequence = GEOSCoordSeq_create_r(ctx, size + 1, 2);
    for (unsigned i = 0; i <= size; ++i)
        GEOSCoordSeq_setXY_r(ctx, sequence, i, ring[i % size].x, ring[i % size].y);
    GEOSGeometry* shell = GEOSGeom_createLinearRing_r(ctx, sequence);
    GEOSGeometry* polygon = GEOSGeom_createPolygon_r(ctx, shell, nullptr, 0);
    std::string problem;
    if (GEOSisValid_r(ctx, polygon) != 1) {
        char* reason = GEOSisValidReason_r(ctx, polygon);
        problem = reason ? reason : "invalid";
        GEOSFree_r(ctx, reason);
    }
    GEOSGeom_destroy_r(ctx, polygon);
    GEOS_finish_r(ctx);
    return problem;
}

// The brute-force reference: every building edge, tested one by one.
class Reference {
public:
    explicit Reference(const std::vector<PlanePolygon>& buildings) : m_buildings(buildings)
    {
        for (const PlanePolygon& b : buildings) {
            add_ring(b.exterior);
            for (const PlaneRing& hole : b.holes)
                add_ring(hole);
        }
    }

    // Keeps the edges within reach of a sector only (the others cannot hide
    // anything in it).
    Reference near(PlanePoint o, double range) const
    {
        Reference r(std::vector<PlanePolygon>{});
        r.m_buildings = m_buildings;
        for (const Segment& s : m_edges)
            if (segment_distance(o, s.a, s.b) <= range + 1)
                r.m_edges.push_back(s);
        return r;
    }

    bool inside_building(PlanePoint p) const
    {
        for (const PlanePolygon& b : m_buildings) {
            bool odd = ring_contains(b.exterior, p);
            for (const PlaneRing& hole : b.holes)
                odd = odd != ring_contains(hole, p);
            if (odd)
                return true;
        }
        return false;
    }

    // Whether the open segment o-p properly crosses no edge, with the
    // orientations in long double, relative to o.
    bool clear(PlanePoint o, PlanePoint p) const
    {
        if (inside_building(p))
            return false;
        using L = long double;
        auto orient = [](L ax, L ay, L bx, L by, L cx, L cy) {
            return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
        };
        L px = L(p.x) - L(o.x);
        L py = L(p.y) - L(o.y);
        for (const Segment& s : m_edges) {
            L ax = L(s.a.x) - L(o.x);
            L ay = L(s.a.y) - L(o.y);
            L bx = L(s.b.x) - L(o.x);
            L by = L(s.b.y) - L(o.y);
            L o1 = orient(0, 0, px, py, ax, ay);
            L o2 = orient(0, 0, px, py, bx, by);
            L o3 = orient(ax, ay, bx, by, 0, 0);
            L o4 = orient(ax, ay, bx, by, px, py);
            if (((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)))
                return false;
        }
        return true;
    }

    // Distance from o along the ray at math angle theta to the first edge,
    // capped at range.
    double ray(PlanePoint o, double theta, double range) const
    {
        double ux = std::cos(theta);
        double uy = std::sin(theta);
        double best = range;
        for (const Segment& s : m_edges) {
            double ax = s.a.x - o.x;
            double ay = s.a.y - o.y;
            double wx = s.b.x - s.a.x;
            double wy = s.b.y - s.a.y;
            double den = ux * wy - uy * wx;
            if (den == 0)
                continue;
            double t = (ax * wy - ay * wx) / den;      // along the ray
            double lambda = (ax * uy - ay * ux) / den;  // along the edge
            if (t > 0 && lambda >= 0 && lambda <= 1)
                best = std::min(best, t);
        }
        return best;
    }

    double edge_distance(PlanePoint p) const
    {
        double best = std::numeric_limits<double>::infinity();
        for (const Segment& s : m_edges)
            best = std::min(best, segment_distance(p, s.a, s.b));
        return best;
    }

private:
    struct Segment {
        PlanePoint a;
        PlanePoint b;
    };

    void add_ring(const PlaneRing& ring)
    {
        for (std::size_t i = 0; i < ring.size(); ++i)
            m_edges.push_back({ring[i], ring[(i + 1) % ring.size()]});
    }

    std::vector<PlanePolygon> m_buildings;
    std::vector<Segment> m_edges;
};

// The shape every region must have: a valid polygon, counter-clockwise,
// starting at the viewpoint when the fov is below 360.
void check_shape(const PlaneRing& ring, const ViewSector& sector, PlanePoint viewpoint)
{
    INFO("device at " << std::setprecision(12) << sector.origin.x << " " << sector.origin.y << " heading "
                      << sector.heading_deg << " fov " << sector.fov_deg << " range "
                      << sector.range);
    REQUIRE(ring.size() >= 3);
    CHECK(geos_problem(ring).empty());
    CHECK(signed_area(ring) > 0);
    if (sector.fov_deg < 360) {
        CHECK(ring.front().x == Approx(viewpoint.x).margin(1e-12));
        CHECK(ring.front().y == Approx(viewpoint.y).margin(1e-12));
    }
}

// Random points in the sector's box against the reference: a point well
// inside the region has a clear line of sight and lies in the sector; a
// point in the sector with a clear line of sight, away from walls and from
// the range circle (the chords of its arcs included), is in the region.
// Then the area against the integral of r^2/2 over dense rays.
void compare_with_reference(const Reference& city, const ViewSector& sector, const PlaneRing& ring,
                            std::mt19937& rng, double arc_step_deg = 1)
{
    INFO("device at " << std::setprecision(12) << sector.origin.x << " " << sector.origin.y << " heading "
                      << sector.heading_deg << " fov " << sector.fov_deg << " range "
                      << sector.range);
    PlanePoint o = sector.origin;
    Reference near = city.near(o, sector.range);
    double lo_x = o.x;
    double hi_x = o.x;
    double lo_y = o.y;
    double hi_y = o.y;
    double start = radians(90 - sector.heading_deg - sector.fov_deg / 2);
    for (int k = 0; k <= 720; ++k) {
        double theta = start + radians(sector.fov_deg) * k / 720;
        double x = o.x + sector.range * std::cos(theta);
        double y = o.y + sector.range * std::sin(theta);
        lo_x = std::min(lo_x, x);
        hi_x = std::max(hi_x, x);
        lo_y = std::min(lo_y, y);
        hi_y = std::max(hi_y, y);
    }
    std::uniform_real_distribution<double> ux(lo_x, hi_x);
    std::uniform_real_distribution<double> uy(lo_y, hi_y);
    double sagitta = sector.range * (1 - std::cos(radians(arc_step_deg) / 2));
    int wrongly_visible = 0;
    int wrongly_hidden = 0;
    int visible = 0;
    for (int i = 0; i < 20000; ++i) {
        PlanePoint p{ux(rng), uy(rng)};
        bool in_region = ring_contains(ring, p);
        double boundary = ring_distance(ring, p);
        bool in = in_sector(sector, p);
        bool clear = near.clear(o, p);
        if (in_region && boundary > 1e-6) {
            ++visible;
            if (!in || !clear) {
                if (++wrongly_visible <= 3)
                    UNSCOPED_INFO("visible but hidden or outside the sector: " << std::setprecision(12) << p.x << " " << p.y
                                  << (in ? "" : " (outside)"));
            }
        }
        double r = std::hypot(p.x - o.x, p.y - o.y);
        if (in && clear && sector.range - r > 1e-3 + sagitta && near.edge_distance(p) > 1e-3 &&
            !in_region && boundary > 1e-6) {
            if (++wrongly_hidden <= 3)
                UNSCOPED_INFO("in sight but outside the region: " << std::setprecision(12) << p.x << " " << p.y);
        }
    }
    CHECK(wrongly_visible == 0);
    CHECK(wrongly_hidden == 0);
    // The samples reached the region, unless it is a sliver.
    double expected_visible = 20000 * signed_area(ring) / ((hi_x - lo_x) * (hi_y - lo_y));
    CHECK((visible > 0 || expected_visible < 20));

    int rays = 20000;
    double span = radians(sector.fov_deg);
    double step = span / rays;
    double integral = 0;
    for (int k = 0; k < rays; ++k) {
        double r = near.ray(o, start + (k + 0.5) * step, sector.range);
        integral += r * r / 2 * step;
    }
    CHECK(signed_area(ring) == Approx(integral).epsilon(0.005));
}

// A random city: a grid of plots, some built, each building a rectangle or a
// rotated quadrilateral within its plot, some reaching the plot's edges and
// so touching their neighbours (shared walls, corners on walls).
std::vector<PlanePolygon> random_city(std::mt19937& rng, PlanePoint corner, int side, double plot)
{
    std::vector<int> plots(static_cast<std::size_t>(side * side));
    for (std::size_t i = 0; i < plots.size(); ++i)
        plots[i] = static_cast<int>(i);
    std::shuffle(plots.begin(), plots.end(), rng);
    int count = std::uniform_int_distribution<int>(30, std::min(200, side * side))(rng);
    std::uniform_real_distribution<double> unit(0, 1);
    auto margin = [&]() { return unit(rng) < 0.35 ? 0.0 : 1 + 3 * unit(rng); };
    std::vector<PlanePolygon> buildings;
    for (int k = 0; k < count; ++k) {
        int i = plots[static_cast<std::size_t>(k)] % side;
        int j = plots[static_cast<std::size_t>(k)] / side;
        double x0 = corner.x + i * plot + margin();
        double x1 = corner.x + (i + 1) * plot - margin();
        double y0 = corner.y + j * plot + margin();
        double y1 = corner.y + (j + 1) * plot - margin();
        if (unit(rng) < 0.7) {
            buildings.push_back(rectangle(x0, y0, x1, y1));
        } else {
            double w = x1 - x0;
            double h = y1 - y0;
            buildings.push_back({{{x0 + w * (0.1 + 0.8 * unit(rng)), y0},
                                  {x1, y0 + h * (0.1 + 0.8 * unit(rng))},
                                  {x0 + w * (0.1 + 0.8 * unit(rng)), y1},
                                  {x0, y0 + h * (0.1 + 0.8 * unit(rng))}},
                                 {}});
        }
    }
    return buildings;
}

}  // namespace

TEST_CASE("An open field shows the whole sector with its arc inscribed", "[visibility]")
{
    Occluders none({});
    CHECK(none.edge_count() == 0);
    std::mt19937 rng(7);
    for (double fov : {360.0, 90.0, 1.0}) {
        INFO("fov " << fov);
        ViewSector sector{{123.4, -56.7}, 30, fov, 25};
        PlaneRing ring = none.visible_region(sector);
        check_shape(ring, sector, sector.origin);
        CHECK(signed_area(ring) == Approx(inscribed_sector_area(25, fov)).epsilon(1e-12));
        CHECK(signed_area(ring) == Approx(fov / 360 * pi * 25 * 25).epsilon(1e-4));
        CHECK(ring.size() == (fov < 360 ? 2 : 0) + static_cast<std::size_t>(std::ceil(fov)));
        std::size_t on_circle = 0;
        for (const PlanePoint& v : ring)
            if (std::abs(std::hypot(v.x - 123.4, v.y + 56.7) - 25) < 1e-9)
                ++on_circle;
        CHECK(on_circle == ring.size() - (fov < 360 ? 1 : 0));
        // in_sector agrees with the region away from its boundary.
        std::uniform_real_distribution<double> u(-26, 26);
        double sagitta = 25 * (1 - std::cos(radians(0.5)));
        int disagreements = 0;
        for (int i = 0; i < 20000; ++i) {
            PlanePoint p{123.4 + u(rng), -56.7 + u(rng)};
            if (ring_distance(ring, p) < 1e-6 ||
                std::abs(std::hypot(p.x - 123.4, p.y + 56.7) - 25) < sagitta + 1e-6)
                continue;
            if (ring_contains(ring, p) != in_sector(sector, p))
                ++disagreements;
        }
        CHECK(disagreements == 0);
    }
    // A finer arc step gives more vertices and comes closer to the circle.
    ViewSector sector{{0, 0}, 0, 90, 10};
    PlaneRing fine = none.visible_region(sector, {0.1, 0.05});
    CHECK(fine.size() == 902);
    CHECK(signed_area(fine) == Approx(inscribed_sector_area(10, 90, 0.1)).epsilon(1e-12));
    // The coarsest arc step is 90 degrees: a full circle is at least a square.
    PlaneRing square = none.visible_region({{0, 0}, 0, 360, 10}, {360, 0.05});
    CHECK(square.size() == 4);
    CHECK(signed_area(square) == Approx(200).epsilon(1e-12));
}

TEST_CASE("A long wall across the view cuts the sector at its face", "[visibility]")
{
    // A wall 0.5 m thick, 5 m north of the device, longer than the range.
    Occluders wall({rectangle(-100, 5, 100, 5.5)});
    CHECK(wall.edge_count() == 4);
    ViewSector narrow{{0, 0}, 0, 90, 20};
    PlaneRing ring = wall.visible_region(narrow);
    check_shape(ring, narrow, narrow.origin);
    // The triangle from the device to the wall between bearings -45 and 45.
    CHECK(signed_area(ring) == Approx(25).epsilon(1e-12));
    CHECK(ring.size() == 3);

    // Half a disc of radius 10: the triangle under the wall between the
    // points where it meets the circle (at 30 and 150 degrees), and two arcs
    // of 30 degrees in 30 chords.
    ViewSector wide{{0, 0}, 0, 180, 10};
    ring = wall.visible_region(wide);
    check_shape(ring, wide, wide.origin);
    CHECK(signed_area(ring) == Approx(5 * std::sqrt(75.0) + 3000 * std::sin(radians(1))).epsilon(1e-12));
    for (const PlanePoint& v : ring)
        CHECK(v.y <= 5 + 1e-12);

    // Facing away from it: the plain sector.
    ViewSector away{{0, 0}, 180, 180, 10};
    CHECK(signed_area(wall.visible_region(away)) == Approx(inscribed_sector_area(10, 180)).epsilon(1e-12));
}

TEST_CASE("A device in a courtyard sees the courtyard only", "[visibility]")
{
    PlanePolygon block = rectangle(-20, -20, 20, 20);
    block.holes.push_back({{-5, -5}, {-5, 5}, {5, 5}, {5, -5}});
    // Four buildings sharing walls, and four in a pinwheel whose corners lie
    // on each other's walls, both around the square [-5, 5]^2.
    std::vector<PlanePolygon> shared = {rectangle(-10, 5, 10, 10), rectangle(-10, -10, 10, -5),
                                        rectangle(-10, -5, -5, 5), rectangle(5, -5, 10, 5)};
    std::vector<PlanePolygon> pinwheel = {rectangle(-5, 5, 10, 10), rectangle(5, -10, 10, 5),
                                          rectangle(-10, -10, 5, -5), rectangle(-10, -5, -5, 10)};
    for (const auto& buildings : {std::vector<PlanePolygon>{block}, shared, pinwheel}) {
        Occluders city(buildings);
        CHECK_FALSE(city.inside({0, 0}));
        for (PlanePoint device : {PlanePoint{0, 0}, PlanePoint{1.5, -2.25}, PlanePoint{-4.5, 4.5}}) {
            ViewSector sector{device, 0, 360, 30};
            PlaneRing ring = city.visible_region(sector);
            check_shape(ring, sector, device);
            CHECK(signed_area(ring) == Approx(100).epsilon(1e-12));
        }
        // A quarter view from the centre: the triangle to the north wall.
        ViewSector quarter{{0, 0}, 0, 90, 30};
        PlaneRing ring = city.visible_region(quarter);
        check_shape(ring, quarter, quarter.origin);
        CHECK(signed_area(ring) == Approx(25).epsilon(1e-12));
        CHECK(ring.size() == 3);
    }
}

TEST_CASE("A device on a facade sees from just outside the wall", "[visibility]")
{
    Occluders building({rectangle(-20, 0, 30, 10)});
    // On the wall, just inside it and just outside it: all see from
    // 0.05 m outside.
    for (PlanePoint device : {PlanePoint{5, 0}, PlanePoint{5, 0.03}, PlanePoint{5, -0.02}}) {
        INFO("device at " << device.x << " " << device.y);
        ViewSector out{device, 180, 180, 10};
        PlaneRing ring = building.visible_region(out);
        check_shape(ring, out, {5, -0.05});
        CHECK(signed_area(ring) == Approx(inscribed_sector_area(10, 180)).epsilon(1e-12));

        // Into the building: the strip 0.05 m deep in front of the wall,
        // with one chord on each side.
        ViewSector in{device, 0, 180, 10};
        ring = building.visible_region(in);
        check_shape(ring, in, {5, -0.05});
        CHECK(signed_area(ring) == Approx(0.5 + 0.05 * std::sqrt(100 - 0.0025)).epsilon(1e-9));
        for (const PlanePoint& v : ring) {
            CHECK(v.y <= 1e-9);
            CHECK_FALSE(building.inside(v));
        }
    }
    // A corner: seen from along the bisector, outside both walls.
    ViewSector corner{{30, 10}, 45, 90, 10};
    PlaneRing ring = building.visible_region(corner);
    double offset = 0.05 / std::sqrt(2.0);
    check_shape(ring, corner, {30 + offset, 10 + offset});
    CHECK(signed_area(ring) == Approx(inscribed_sector_area(10, 90)).epsilon(1e-12));
    // A larger tolerance moves the viewpoint further out.
    ViewSector out{{5, 0}, 180, 90, 10};
    ring = building.visible_region(out, {1.0, 0.5});
    CHECK(ring.front().y == Approx(-0.5));
}

TEST_CASE("Sectors across north wrap the bearing", "[visibility]")
{
    ViewSector sector{{10, 20}, 350, 40, 10};
    auto at = [&](double bearing, double distance) {
        return PlanePoint{10 + distance * std::sin(radians(bearing)),
                          20 + distance * std::cos(radians(bearing))};
    };
    CHECK(in_sector(sector, at(5, 5)));
    CHECK(in_sector(sector, at(340, 5)));
    CHECK(in_sector(sector, at(331, 9.99)));
    CHECK(in_sector(sector, at(10, 10)));  // on the arc and on the edge ray
    CHECK_FALSE(in_sector(sector, at(20, 5)));
    CHECK_FALSE(in_sector(sector, at(329, 5)));
    CHECK_FALSE(in_sector(sector, at(5, 10.001)));
    CHECK(in_sector(sector, {10, 20}));
    CHECK(in_sector({{0, 0}, 10, 40, 5}, {std::sin(radians(-5)), std::cos(radians(-5))}));

    Occluders none({});
    PlaneRing ring = none.visible_region(sector);
    check_shape(ring, sector, sector.origin);
    CHECK(signed_area(ring) == Approx(inscribed_sector_area(10, 40)).epsilon(1e-12));
    CHECK(ring_contains(ring, at(5, 5)));
    CHECK(ring_contains(ring, at(340, 5)));
    CHECK_FALSE(ring_contains(ring, at(20, 5)));
}

TEST_CASE("Buildings beyond the range leave the plain sector", "[visibility]")
{
    Occluders far({rectangle(100, 100, 110, 110), rectangle(-80, -10, -60, 10),
                   rectangle(30, -50.5, 60, -40)});
    Occluders none({});
    for (double fov : {360.0, 120.0}) {
        ViewSector sector{{0, 0}, 100, fov, 50};
        VisibilityStats stats;
        PlaneRing ring = far.visible_region(sector, {}, stats);
        PlaneRing plain = none.visible_region(sector);
        REQUIRE(ring.size() == plain.size());
        for (std::size_t i = 0; i < ring.size(); ++i) {
            CHECK(ring[i].x == plain[i].x);
            CHECK(ring[i].y == plain[i].y);
        }
        CHECK(stats.swept_edges == 0);
    }
}

TEST_CASE("A device inside a building sees nothing", "[visibility]")
{
    Occluders building({rectangle(0, 0, 10, 10)});
    CHECK(building.inside({5, 5}));
    CHECK(building.inside({0.2, 5}));
    CHECK_FALSE(building.inside({0, 5}));  // on the wall
    CHECK_FALSE(building.inside({-1, 5}));
    CHECK(building.visible_region({{5, 5}, 0, 360, 50}).empty());
    CHECK(building.visible_region({{0.2, 5}, 270, 90, 50}).empty());
    CHECK(building.visible_region({{-3, 5}, 270, 90, 0}).empty());
    CHECK(building.visible_region({{-3, 5}, 270, 90, -1}).empty());
    CHECK_THROWS_AS(building.visible_region({{-3, 5}, 270, 0, 10}), UsageError);
    CHECK_THROWS_AS(building.visible_region({{-3, 5}, 270, 361, 10}), UsageError);
    CHECK_THROWS_AS(building.visible_region({{-3, 5}, 270, 90, 10}, {0, 0.05}), UsageError);
    // A wall shared by two touching buildings is inside their union.
    Occluders pair({rectangle(0, 0, 10, 10), rectangle(10, 0, 20, 10)});
    CHECK(pair.visible_region({{10, 5}, 0, 360, 50}).empty());
}

TEST_CASE("Rows of touching buildings along a street give valid regions", "[visibility]")
{
    // Two rows of buildings sharing walls, with setbacks, a cross street at
    // x in [20, 26], a duplicated building and corners at (+-5, 5), on the
    // edge rays of a 90 degree sector from the origin.
    std::vector<PlanePolygon> buildings;
    std::vector<double> north = {-60, -52, -47, -40, -33, -25, -18, -12, -5, 5, 9, 14, 20};
    for (std::size_t i = 0; i + 1 < north.size(); ++i)
        buildings.push_back(rectangle(north[i], i % 3 == 1 ? 6 : 5, north[i + 1], 15));
    buildings.push_back(rectangle(26, 5, 33, 15));
    buildings.push_back(rectangle(33, 5, 45, 12));
    buildings.push_back(rectangle(33, 12, 45, 15));
    std::vector<double> south = {-58, -50, -43, -38, -30, -21, -16, -8, 0, 7, 13, 20};
    for (std::size_t i = 0; i + 1 < south.size(); ++i)
        buildings.push_back(rectangle(south[i], -15, south[i + 1], i % 4 == 2 ? -6 : -5));
    buildings.push_back(rectangle(26, -15, 40, -5));
    buildings.push_back(rectangle(26, -15, 40, -5));  // duplicated
    buildings.push_back({{{40, -5}, {48, -5}, {48, -15}, {40, -15}, {40, -5}}, {}});  // closed, clockwise
    Occluders city(buildings);
    Reference reference(buildings);
    std::mt19937 rng(11);
    std::vector<ViewSector> devices = {
        {{0, 0}, 0, 90, 30},     // edge rays through the corners (-5, 5) and (5, 5)
        {{0, 0}, 180, 90, 30},   //
        {{20, 0}, 0, 60, 40},    // along the side wall x = 20 of the cross street
        {{26, -2}, 0, 360, 60},  // on the line of the walls x = 26
        {{-5, 0}, 90, 360, 70},  // on the line of a shared wall
        {{23, 3}, 45, 200, 25},  //
        {{1, 2.5}, 270, 30, 80}, // along the street
        {{-40, -4.5}, 93, 340, 50},
    };
    for (const ViewSector& sector : devices) {
        PlaneRing ring = city.visible_region(sector);
        check_shape(ring, sector, sector.origin);
        for (const PlanePoint& v : ring)
            CHECK_FALSE(city.inside(v));
        compare_with_reference(reference, sector, ring, rng);
    }
    // The exact answer for the first: the triangle to the wall y = 5.
    CHECK(signed_area(city.visible_region(devices[0])) == Approx(25).epsilon(1e-12));
}

TEST_CASE("Overlapping and degenerate buildings give valid regions", "[visibility]")
{
    std::vector<PlanePolygon> buildings = {
        rectangle(5, -5, 15, 5),
        rectangle(10, -8, 20, 2),                        // overlaps the first
        {{{-10, 10}, {-5, 20}, {-10, 20}, {-4, 10}}, {}},  // a bow tie
        {{{0, -10}, {0, -10}, {3, -10}, {3, -12}}, {}},   // a repeated vertex
        {{{-20, 0}, {-15, 0}, {-10, 0}}, {}},             // no area: dropped
        rectangle(-8, -8, -4, -4),
        rectangle(-8, -8, -4, -4),
    };
    Occluders city(buildings);
    std::mt19937 rng(5);
    for (double heading : {0.0, 77.0, 135.0, 300.0}) {
        ViewSector sector{{0.5, 0.25}, heading, heading == 0 ? 360.0 : 150.0, 30};
        PlaneRing ring = city.visible_region(sector);
        check_shape(ring, sector, sector.origin);
        for (const PlanePoint& v : ring)
            CHECK_FALSE(city.inside(v));
    }
    // Without the bow tie and the flat ring the brute force applies.
    buildings.erase(buildings.begin() + 4);
    buildings.erase(buildings.begin() + 2);
    Occluders simple(buildings);
    Reference reference(buildings);
    ViewSector sector{{0.5, 0.25}, 20, 360, 30};
    PlaneRing ring = simple.visible_region(sector);
    check_shape(ring, sector, sector.origin);
    compare_with_reference(reference, sector, ring, rng);
}

TEST_CASE("Random cities agree with a brute-force line of sight", "[visibility]")
{
    std::mt19937 rng(20240611);
    std::uniform_real_distribution<double> unit(0, 1);
    for (int c = 0; c < 5; ++c) {
        int side = std::uniform_int_distribution<int>(8, 15)(rng);
        double plot = 14;
        PlanePoint corner = c % 2 == 0 ? PlanePoint{500000, 1700000} : PlanePoint{-30, -40};
        std::vector<PlanePolygon> buildings = random_city(rng, corner, side, plot);
        Occluders city(buildings);
        Reference reference(buildings);
        INFO("city " << c << " with " << buildings.size() << " buildings");
        int devices = 0;
        while (devices < 4) {
            PlanePoint o{corner.x + side * plot * unit(rng), corner.y + side * plot * unit(rng)};
            if (reference.inside_building(o) || reference.edge_distance(o) < 0.2)
                continue;
            ++devices;
            double fov = unit(rng) < 0.3 ? 360 : 1 + 358 * unit(rng);
            ViewSector sector{o, 360 * unit(rng), fov, 10 + 70 * unit(rng)};
            PlaneRing ring = city.visible_region(sector);
            check_shape(ring, sector, o);
            compare_with_reference(reference, sector, ring, rng);
        }
    }
}
