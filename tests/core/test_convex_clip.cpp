// Clipping rings by convex polygons, with areas worked by hand.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <lantern/core/geometry/convex_clip.hpp>
#include <lantern/core/geometry/ring_measure.hpp>

using namespace lantern::core;

namespace {

const PlaneRing square = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};

PlaneRing reversed(PlaneRing ring)
{
    std::reverse(ring.begin(), ring.end());
    return ring;
}

}  // namespace

TEST_CASE("convex rings are told from concave and self-crossing ones")
{
    CHECK(is_convex(square));
    CHECK(is_convex(reversed(square)));
    // A straight vertex on an edge and a repeated point keep it convex.
    CHECK(is_convex({{0, 0}, {5, 0}, {10, 0}, {10, 10}, {10, 10}, {0, 10}, {0, 0}}));
    CHECK_FALSE(is_convex({{0, 0}, {10, 0}, {5, 2}, {10, 10}, {0, 10}}));  // a notch
    CHECK_FALSE(is_convex({{0, 0}, {10, 10}, {10, 0}, {0, 10}}));           // a bow tie
    // A pentagram turns the same way at every point but winds twice.
    PlaneRing star;
    for (int k = 0; k < 5; ++k) {
        double a = 2 * std::numbers::pi * (2 * k) / 5;
        star.push_back({std::cos(a), std::sin(a)});
    }
    CHECK_FALSE(is_convex(star));
    CHECK_FALSE(is_convex({{0, 0}, {1, 1}, {2, 2}}));  // no area
}

TEST_CASE("a square clipped by an overlapping square keeps the overlap")
{
    PlaneRing shifted = {{5, 5}, {15, 5}, {15, 15}, {5, 15}};
    CHECK(ring_area(clip_to_convex(shifted, square)) == Approx(25.0));
    CHECK(ring_area(clip_to_convex(shifted, reversed(square))) == Approx(25.0));
    // The subject's orientation is kept.
    CHECK(ring_area(clip_to_convex(reversed(shifted), square)) == Approx(-25.0));
    // Inside wholly, around wholly, apart, touching along an edge.
    PlaneRing small = {{2, 2}, {4, 2}, {4, 4}, {2, 4}};
    CHECK(ring_area(clip_to_convex(small, square)) == Approx(4.0));
    PlaneRing large = {{-5, -5}, {20, -5}, {20, 20}, {-5, 20}};
    CHECK(ring_area(clip_to_convex(large, square)) == Approx(100.0));
    CHECK(clip_to_convex({{20, 20}, {30, 20}, {30, 30}, {20, 30}}, square).empty());
    CHECK(std::abs(ring_area(clip_to_convex({{10, 0}, {20, 0}, {20, 10}, {10, 10}}, square))) < 1e-9);
}

TEST_CASE("a concave ring leaving the clip and coming back keeps its exact area")
{
    // A U open to the north, x 0..30, y 0..20, notch x 10..20 from y 10 up,
    // clipped to the band y 5..15: two arms joined below the notch.
    PlaneRing u_shape = {{0, 0}, {30, 0}, {30, 20}, {20, 20}, {20, 10}, {10, 10}, {10, 20}, {0, 20}};
    PlaneRing band = {{-1, 5}, {31, 5}, {31, 15}, {-1, 15}};
    // Inside the band: 30 x 5 below the notch, two 10 x 5 arms above.
    CHECK(ring_area(clip_to_convex(u_shape, band)) == Approx(150.0 + 100.0));
    // A band above the notch's floor holds two separate arms.
    PlaneRing upper = {{-1, 12}, {31, 12}, {31, 18}, {-1, 18}};
    CHECK(ring_area(clip_to_convex(u_shape, upper)) == Approx(2 * 10 * 6.0));
}

TEST_CASE("a disc clipped by a square through its centre keeps a quarter")
{
    PlaneRing disc;
    const int n = 360;
    for (int k = 0; k < n; ++k) {
        double a = 2 * std::numbers::pi * k / n;
        disc.push_back({10 * std::cos(a), 10 * std::sin(a)});
    }
    PlaneRing quadrant = {{0, 0}, {20, 0}, {20, 20}, {0, 20}};
    CHECK(ring_area(clip_to_convex(disc, quadrant)) == Approx(ring_area(disc) / 4).epsilon(1e-9));
}

TEST_CASE("the union of convex polygons counts each overlap once")
{
    PlaneRing a = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
    PlaneRing b = {{5, 5}, {15, 5}, {15, 15}, {5, 15}};
    PlaneRing c = {{5, -5}, {15, -5}, {15, 7}, {5, 7}};
    PlaneRing apart = {{100, 100}, {101, 100}, {101, 101}, {100, 101}};
    auto area = [](std::vector<PlaneRing> rings) {
        std::vector<ConvexPart> parts;
        for (std::size_t i = 0; i < rings.size(); ++i)
            parts.push_back({rings[i], i});
        return convex_union_area(parts);
    };
    CHECK(*area({a}) == Approx(100.0));
    CHECK(*area({a, b}) == Approx(175.0));
    CHECK(*area({a, reversed(b), apart}) == Approx(176.0));
    // Three squares: by hand, |a|+|b|+|c| - |ab| - |ac| - |bc| + |abc|
    // = 100 + 100 + 120 - 25 - 35 - 20 + 10.
    CHECK(*area({a, b, c}) == Approx(250.0));
    CHECK(*area({a, a, a}) == Approx(100.0));
    // Parts of one group are taken not to overlap: the halves of a split
    // square, with a square across the split.
    PlaneRing left = {{0, 0}, {5, 0}, {5, 10}, {0, 10}};
    PlaneRing right = {{5, 0}, {10, 0}, {10, 10}, {5, 10}};
    CHECK(*convex_union_area({{left, 0}, {right, 0}, {b, 1}}) == Approx(175.0));
    // Too many overlaps for the budget: nothing.
    CHECK_FALSE(convex_union_area({{a, 0}, {b, 1}, {c, 2}}, 2).has_value());
}

TEST_CASE("a polygon star-shaped from a point is cut into convex fans")
{
    auto total = [](const std::vector<PlaneRing>& fans) {
        double sum = 0;
        for (const auto& fan : fans) {
            CHECK(is_convex(fan));
            sum += std::abs(ring_area(fan));
        }
        return sum;
    };
    // A square seen from its centre: more than half a turn, so two fans or more.
    auto square_fans = convex_fans(square, {5, 5});
    CHECK(square_fans.size() >= 2);
    CHECK(total(square_fans) == Approx(100.0));
    // A disc of 180 vertices: a few fans, not 180 triangles.
    PlaneRing disc;
    for (int k = 0; k < 180; ++k) {
        double a = 2 * std::numbers::pi * k / 180;
        disc.push_back({3 + 10 * std::cos(a), 4 + 10 * std::sin(a)});
    }
    auto disc_fans = convex_fans(disc, {3, 4});
    CHECK(disc_fans.size() <= 4);
    CHECK(total(disc_fans) == Approx(std::abs(ring_area(disc))).epsilon(1e-12));
    // A wedge with its apex on the ring: one fan, the wedge itself.
    PlaneRing wedge = {{0, 0}, {10, 0}, {10, 5}, {5, 10}};
    auto wedge_fans = convex_fans(wedge, {0, 0});
    REQUIRE(wedge_fans.size() == 1);
    CHECK(total(wedge_fans) == Approx(std::abs(ring_area(wedge))));
    // A view with a shadow: a wall from (-2, 5) to (2, 5) hides a trapezoid
    // out to y = 10 between the radial edges through its ends.
    PlaneRing shadowed = {{-10, -10}, {10, -10}, {10, 10}, {4, 10}, {2, 5}, {-2, 5}, {-4, 10}, {-10, 10}};
    auto shadowed_fans = convex_fans(shadowed, {0, 0});
    CHECK(total(shadowed_fans) == Approx(400.0 - (4 + 8) / 2.0 * 5));
    // Not star-shaped from the point: the U's arm is hidden from it.
    PlaneRing u_shape = {{0, 0}, {30, 0}, {30, 20}, {20, 20}, {20, 10}, {10, 10}, {10, 20}, {0, 20}};
    CHECK(convex_fans(u_shape, {25, 15}).empty());
}

TEST_CASE("a fan's window onto a small box clips to what the whole fan does")
{
    // A quarter disc of 90 vertices around the origin, radius 10.
    PlaneRing quarter = {{0, 0}};
    for (int k = 0; k <= 90; ++k) {
        double a = std::numbers::pi / 2 * k / 90;
        quarter.push_back({10 * std::cos(a), 10 * std::sin(a)});
    }
    // A parcel straddling the arc at 45 degrees, and one wholly inside.
    PlaneRing on_arc = {{6, 6}, {8, 6}, {8, 8}, {6, 8}};
    PlaneRing inside = {{4, 4}, {5, 4}, {5, 5}, {4, 5}};
    for (const auto& parcel : {on_arc, inside}) {
        auto box = ring_bounds(parcel);
        auto window = fan_window(quarter, box);
        CHECK(window.size() < quarter.size() / 2);
        CHECK(window.front().x == 0);
        CHECK(is_convex(window));
        CHECK(ring_area(clip_to_convex(window, parcel)) ==
              Approx(ring_area(clip_to_convex(quarter, parcel))).epsilon(1e-12));
    }
    // The part of the on-arc square inside the circle, by hand: the square
    // less the corner outside x^2 + y^2 = 100 (integrated numerically).
    double outside = 0;
    const int steps = 20000;
    for (int i = 0; i < steps; ++i) {
        double x = 6 + 2.0 * (i + 0.5) / steps;
        double edge = std::sqrt(100 - x * x);
        outside += std::clamp(8 - std::max(edge, 6.0), 0.0, 2.0) * 2.0 / steps;
    }
    CHECK(ring_area(clip_to_convex(fan_window(quarter, ring_bounds(on_arc)), on_arc)) ==
          Approx(4 - outside).epsilon(1e-3));
    // A box the fan does not reach, though within its box: nothing.
    CHECK(fan_window(quarter, Bounds{8, 8, 9, 9}).empty());
    // A box around the centre takes in the triangles that touch it.
    CHECK(fan_window(quarter, Bounds{-1, -1, 1, 1}).size() == quarter.size());
}
