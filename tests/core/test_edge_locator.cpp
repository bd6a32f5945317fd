// The nearest place on a street graph to a point or a footprint: cases
// drawn by hand, and random streets against a search of every segment,
// from several threads at once.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include <lantern/core/base/error.hpp>
#include <lantern/core/network/edge_locator.hpp>

#include "support/street_graphs.hpp"

using namespace lantern::core;
using lantern::test::edge_between;

namespace {

PlanePolygon square(double x, double y, double side)
{
    return {{{x, y}, {x + side, y}, {x + side, y + side}, {x, y + side}}, {}};
}

}  // namespace

TEST_CASE("the nearest place on a street to a point and to a footprint")
{
    // A street 100 m east from the origin, and another far off.
    auto graph = StreetGraph::from_lines({{{0, 0}, {100, 0}}, {{200, -50}, {200, 50}}}, {}, {});
    std::uint32_t street = edge_between(graph, {0, 0}, {100, 0});
    REQUIRE(graph.node(graph.edge(street).a).x == 0);
    EdgeLocator locator(graph);

    auto point = locator.nearest(PlanePoint{30, 7});
    REQUIRE(point);
    CHECK(point->at.edge == street);
    CHECK(point->gap == Approx(7));
    CHECK(point->at.offset == Approx(30));
    CHECK(point->point.x == Approx(30));
    CHECK(point->point.y == Approx(0).margin(1e-12));

    // Past the street's end: its end.
    auto beyond = locator.nearest(PlanePoint{-30, 40});
    REQUIRE(beyond);
    CHECK(beyond->gap == Approx(50));
    CHECK(beyond->at.offset == 0);

    // A 10 m square footprint 5 m north of it: its whole south side is 5 m
    // away; the place is the lowest offset, under its south-west corner.
    auto footprint = locator.nearest(square(40, 5, 10));
    REQUIRE(footprint);
    CHECK(footprint->at.edge == street);
    CHECK(footprint->gap == Approx(5));
    CHECK(footprint->at.offset == Approx(40));
    CHECK(footprint->point.x == Approx(40));

    // A footprint across the street: where the street enters it.
    auto across = locator.nearest(square(60, -5, 10));
    REQUIRE(across);
    CHECK(across->gap == 0);
    CHECK(across->at.offset == Approx(60));
    // One whose side lies along the street touches it.
    auto touching = locator.nearest(square(80, 0, 10));
    REQUIRE(touching);
    CHECK(touching->gap == 0);
    CHECK(touching->at.offset == Approx(80));
    // The far street, 5 m from a footprint beside it.
    auto far = locator.nearest(square(205, 0, 10));
    REQUIRE(far);
    CHECK(far->at.edge != street);
    CHECK(far->gap == Approx(5));
    CHECK(far->at.offset == Approx(50));
}

TEST_CASE("offsets count from the edge's node a, along the whole shape")
{
    // Drawn west from x = 100: node a is the east end.
    auto reversed = StreetGraph::from_lines({{{100, 0}, {0, 0}}}, {}, {});
    auto footprint = EdgeLocator(reversed).nearest(square(40, 5, 10));
    REQUIRE(footprint);
    // The square's south side is 5 m from x = 40 to 50: lowest offset, 50.
    CHECK(footprint->at.offset == Approx(50));
    CHECK(footprint->point.x == Approx(50));

    // An L: 100 m east, then north.
    auto bent = StreetGraph::from_lines({{{0, 0}, {100, 0}, {100, 100}}}, {}, {});
    auto point = EdgeLocator(bent).nearest(PlanePoint{110, 50});
    REQUIRE(point);
    CHECK(point->gap == Approx(10));
    CHECK(point->at.offset == Approx(150));
}

TEST_CASE("equal distances go to the lower edge, and the mask leaves edges out")
{
    for (bool swapped : {false, true}) {
        INFO("swapped " << swapped);
        std::vector<std::vector<PlanePoint>> lines = {{{0, 0}, {100, 0}}, {{0, 10}, {100, 10}}};
        if (swapped)
            std::swap(lines[0], lines[1]);
        auto graph = StreetGraph::from_lines(lines, {}, {});
        EdgeLocator locator(graph);
        auto middle = locator.nearest(PlanePoint{50, 5});
        REQUIRE(middle);
        CHECK(middle->gap == Approx(5));
        CHECK(middle->at.edge == 0);
        CHECK(middle->point.y == (swapped ? 10 : 0));
        // A footprint between the two streets, 2 m from each.
        auto between = locator.nearest(square(20, 2, 6));
        REQUIRE(between);
        CHECK(between->gap == Approx(2));
        CHECK(between->at.edge == 0);
    }

    // Four short streets round a point, 5 m from it each, drawn in four orders.
    std::vector<std::vector<PlanePoint>> round = {
        {{-2, 5}, {2, 5}}, {{5, 2}, {5, -2}}, {{2, -5}, {-2, -5}}, {{-5, -2}, {-5, 2}}};
    for (std::size_t first = 0; first < round.size(); ++first) {
        INFO("first " << first);
        auto graph = StreetGraph::from_lines(round, {}, {});
        EdgeLocator locator(graph);
        // The first drawn: from the point 5 m away at its middle, from a 2 m
        // square about the point 4 m away under the square's first corner.
        auto point = locator.nearest(PlanePoint{0, 0});
        REQUIRE(point);
        CHECK(point->gap == Approx(5));
        CHECK(point->at.edge == 0);
        CHECK(point->at.offset == Approx(2));
        auto footprint = locator.nearest(square(-1, -1, 2));
        REQUIRE(footprint);
        CHECK(footprint->gap == Approx(4));
        CHECK(footprint->at.edge == 0);
        CHECK(footprint->at.offset == Approx(1));
        std::rotate(round.begin(), round.begin() + 1, round.end());
    }
    // A slanting street 5 m from the point (along 3x + 4y = 25), whose box
    // comes nearer than it does, found before the lower edge equally far.
    auto slant = StreetGraph::from_lines({{{-2, -5}, {2, -5}}, {{7, 1}, {-1, 7}}}, {}, {});
    auto tie = EdgeLocator(slant).nearest(PlanePoint{0, 0});
    REQUIRE(tie);
    CHECK(tie->gap == 5);
    CHECK(tie->at.edge == 0);
    CHECK(tie->at.offset == Approx(2));

    auto graph = StreetGraph::from_lines({{{0, 0}, {100, 0}}, {{0, 10}, {100, 10}}}, {}, {});
    std::uint32_t south = edge_between(graph, {0, 0}, {100, 0});
    auto near_south = EdgeLocator(graph).nearest(PlanePoint{50, 3});
    REQUIRE(near_south);
    CHECK(near_south->at.edge == south);
    CHECK(near_south->gap == Approx(3));
    std::vector<std::uint8_t> allowed(graph.edge_count(), 1);
    allowed[south] = 0;
    EdgeLocator without_south(graph, allowed);
    auto north = without_south.nearest(PlanePoint{50, 3});
    REQUIRE(north);
    CHECK(north->at.edge != south);
    CHECK(north->gap == Approx(7));
    CHECK(without_south.nearest(square(40, -8, 5))->gap == Approx(13));

    EdgeLocator none(graph, std::vector<std::uint8_t>(graph.edge_count(), 0));
    CHECK_FALSE(none.nearest(PlanePoint{0, 0}));
    CHECK_FALSE(none.nearest(square(0, 0, 1)));
    CHECK_THROWS_AS(EdgeLocator(graph, {1}), UsageError);
    CHECK_THROWS_AS(EdgeLocator(graph).nearest(PlanePolygon{{{0, 0}, {1, 1}}, {}}), UsageError);
}

TEST_CASE("a street inside a footprint's hole is as far as the hole's side")
{
    PlanePolygon courtyard = square(0, 0, 100);
    courtyard.holes.push_back({{30, 30}, {70, 30}, {70, 70}, {30, 70}});

    auto in_hole = StreetGraph::from_lines({{{40, 50}, {60, 50}}}, {}, {});
    auto hole = EdgeLocator(in_hole).nearest(courtyard);
    REQUIRE(hole);
    // 10 m from the hole's west side at its start and its east side at its end.
    CHECK(hole->gap == Approx(10));
    CHECK(hole->at.offset == 0);

    auto in_solid = StreetGraph::from_lines({{{10, 50}, {20, 50}}}, {}, {});
    auto solid = EdgeLocator(in_solid).nearest(courtyard);
    REQUIRE(solid);
    CHECK(solid->gap == 0);
    CHECK(solid->at.offset == 0);

    auto through = StreetGraph::from_lines({{{-50, 50}, {150, 50}}}, {}, {});
    auto crossing = EdgeLocator(through).nearest(courtyard);
    REQUIRE(crossing);
    CHECK(crossing->gap == 0);
    CHECK(crossing->at.offset == Approx(50));
}

namespace {

double segment_gap(PlanePoint p, PlanePoint a, PlanePoint b)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
    return std::hypot(p.x - (a.x + dx * t), p.y - (a.y + dy * t));
}

}  // namespace

TEST_CASE("the nearest edge among random streets, from four threads, matches a search of every segment")
{
    std::mt19937_64 random(5);
    std::uniform_real_distribution<> coordinate(0, 2000), step(-80, 80);
    std::vector<std::vector<PlanePoint>> lines;
    for (int l = 0; l < 300; ++l) {
        std::vector<PlanePoint> line{{coordinate(random), coordinate(random)}};
        for (int v = 0; v < 4; ++v)
            line.push_back({line.back().x + step(random), line.back().y + step(random)});
        lines.push_back(line);
    }
    auto graph = StreetGraph::from_lines(lines, {}, {});
    std::vector<std::uint8_t> allowed;
    for (std::size_t e = 0; e < graph.edge_count(); ++e)
        allowed.push_back(random() % 4 != 0);
    EdgeLocator locator(graph, allowed);

    std::vector<PlanePoint> points;
    std::vector<double> expected;
    for (int k = 0; k < 400; ++k) {
        PlanePoint p{coordinate(random), coordinate(random)};
        double best = std::numeric_limits<double>::infinity();
        for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
            if (!allowed[e])
                continue;
            auto shape = graph.shape(e);
            for (std::size_t i = 0; i + 1 < shape.size(); ++i)
                best = std::min(best, segment_gap(p, shape[i], shape[i + 1]));
        }
        points.push_back(p);
        expected.push_back(best);
    }

    std::vector<std::optional<NearestEdgePoint>> found(points.size());
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (std::size_t k = t; k < points.size(); k += 4)
                found[k] = locator.nearest(points[k]);
        });
    for (auto& thread : threads)
        thread.join();
    for (std::size_t k = 0; k < points.size(); ++k) {
        INFO("point " << k);
        REQUIRE(found[k]);
        CHECK(found[k]->gap == Approx(expected[k]).margin(1e-9));
        CHECK(allowed[found[k]->at.edge]);
        // The place reported is where it says, on its edge, at its gap.
        PlanePoint on_edge = graph.point_along(found[k]->at.edge, found[k]->at.offset);
        CHECK(on_edge.x == Approx(found[k]->point.x).margin(1e-6));
        CHECK(on_edge.y == Approx(found[k]->point.y).margin(1e-6));
        CHECK(std::hypot(points[k].x - on_edge.x, points[k].y - on_edge.y) == Approx(expected[k]).margin(1e-6));
    }
}
