// Segments and points against rings, with answers worked by hand, and the
// strips' point test against Boost.Geometry.

#include <cmath>
#include <random>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <catch2/catch.hpp>

#include <lantern/core/geometry/ring_measure.hpp>

using namespace lantern::core;

namespace {

// A U open to the north: x 0..30, y 0..20, the notch x 10..20 from y 10 up.
const PlaneRing u_shape = {{0, 0}, {30, 0}, {30, 20}, {20, 20}, {20, 10},
                           {10, 10}, {10, 20}, {0, 20}};

}  // namespace

TEST_CASE("a segment across a square is inside between the walls")
{
    PlaneRing square = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    auto inside = segment_inside(square, {-5, 5}, {15, 5});
    REQUIRE(inside.size() == 1);
    CHECK(inside[0].first == Approx(0.25));
    CHECK(inside[0].second == Approx(0.75));
    // Along an edge counts as inside; wholly outside is nothing.
    auto along = segment_inside(square, {-5, 0}, {15, 0});
    REQUIRE(along.size() == 1);
    CHECK(along[0].first == Approx(0.25));
    CHECK(along[0].second == Approx(0.75));
    CHECK(segment_inside(square, {-5, 11}, {15, 11}).empty());
    // Through a corner only: a single point.
    auto corner = segment_inside(square, {-5, 5}, {5, 15});
    CHECK((corner.empty() || corner[0].second - corner[0].first < 1e-9));
    CHECK(ring_area(square) == Approx(100.0));
    CHECK(ring_area({{0, 0}, {0, 10}, {10, 10}, {10, 0}}) == Approx(-100.0));
}

TEST_CASE("a segment across the arms of a U is inside twice")
{
    auto inside = segment_inside(u_shape, {-10, 15}, {40, 15});
    REQUIRE(inside.size() == 2);
    CHECK(inside[0].first == Approx(0.2));   // x 0
    CHECK(inside[0].second == Approx(0.4));  // x 10
    CHECK(inside[1].first == Approx(0.6));   // x 20
    CHECK(inside[1].second == Approx(0.8));  // x 30
    // Along the notch's floor, y 10, x 0..30: all of it (boundary counts).
    auto floor = segment_inside(u_shape, {0, 10}, {30, 10});
    REQUIRE(floor.size() == 1);
    CHECK(floor[0].first == Approx(0.0));
    CHECK(floor[0].second == Approx(1.0));
    CHECK(ring_contains(u_shape, {5, 15}));
    CHECK_FALSE(ring_contains(u_shape, {15, 15}));
    CHECK(ring_contains(u_shape, {15, 10}));
    CHECK(ring_area(u_shape) == Approx(600 - 100));
}

TEST_CASE("intervals merge when they overlap or touch")
{
    auto merged = merge_intervals({{0.5, 0.7}, {0.0, 0.2}, {0.2, 0.3}, {0.6, 0.9}});
    REQUIRE(merged.size() == 2);
    CHECK(merged[0] == SegmentInterval{0.0, 0.3});
    CHECK(merged[1] == SegmentInterval{0.5, 0.9});
}

namespace {

namespace bg = boost::geometry;
using BoostPoint = bg::model::d2::point_xy<double>;
using BoostPolygon = bg::model::polygon<BoostPoint>;
using BoostMultiPolygon = bg::model::multi_polygon<BoostPolygon>;

// A star of `points` spikes around (cx, cy): a ring of many edges, most of
// them long and slanted, like a ward's boundary.
PlaneRing star(double cx, double cy, double inner, double outer, int points)
{
    PlaneRing ring;
    for (int i = 0; i < 2 * points; ++i) {
        double angle = M_PI * i / points, r = i % 2 ? inner : outer;
        ring.push_back({cx + r * std::cos(angle), cy + r * std::sin(angle)});
    }
    return ring;
}

BoostPolygon::ring_type boost_ring(const PlaneRing& ring)
{
    BoostPolygon::ring_type out;
    for (auto p : ring)
        out.push_back({p.x, p.y});
    return out;
}

}  // namespace

TEST_CASE("strips answer point in polygon as Boost.Geometry's covered_by does")
{
    // Two parts: a star with a square hole, and the U beside it.
    std::vector<PlanePolygon> parts = {
        {star(0, 0, 40, 100, 300), {{{-10, -10}, {10, -10}, {10, 10}, {-10, 10}}}},
        {PlaneRing(), {}}};
    for (auto p : u_shape)
        parts[1].exterior.push_back({p.x + 150, p.y});
    BoostMultiPolygon reference;
    for (const auto& part : parts) {
        BoostPolygon polygon;
        polygon.outer() = boost_ring(part.exterior);
        for (const auto& hole : part.holes)
            polygon.inners().push_back(boost_ring(hole));
        bg::correct(polygon);
        reference.push_back(polygon);
    }
    PolygonStrips strips(parts);

    std::mt19937_64 random(7);
    std::uniform_real_distribution<double> x(-110, 190), y(-110, 110);
    std::size_t inside = 0;
    for (int i = 0; i < 100000; ++i) {
        PlanePoint p{x(random), y(random)};
        bool expected = bg::covered_by(BoostPoint(p.x, p.y), reference);
        REQUIRE(strips.covers(p) == expected);
        inside += expected;
    }
    CHECK(inside > 10000);

    // The boundary is inside: vertices, points along edges, the hole's
    // edge, the U's notch; the hole's middle and the notch's inside are not.
    for (const auto& part : parts)
        for (const auto& ring : {part.exterior, part.holes.empty() ? part.exterior : part.holes[0]})
            for (std::size_t i = 0; i < ring.size(); ++i) {
                auto a = ring[i], b = ring[(i + 1) % ring.size()];
                CHECK(strips.covers(a));
                CHECK(strips.covers({(a.x + b.x) / 2, (a.y + b.y) / 2}));
            }
    CHECK_FALSE(strips.covers({0, 0}));
    CHECK_FALSE(strips.covers({165, 15}));
    CHECK(strips.covers({165, 10}));
    CHECK_FALSE(strips.covers({1000, 0}));
    CHECK_FALSE(PolygonStrips({}).covers({0, 0}));
}
