// Segments and points against rings, with answers worked by hand.

#include <catch2/catch.hpp>

#include <lantern/core/ring_measure.hpp>

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
