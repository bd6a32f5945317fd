// Polylines noded into a planar graph, on cases counted by hand and on
// random segments checked for planarity.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <lantern/core/geometry/line_graph.hpp>

using namespace lantern::core;

namespace {

double length(const std::vector<PlanePoint>& line)
{
    double sum = 0;
    for (std::size_t i = 1; i < line.size(); ++i)
        sum += std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
    return sum;
}

std::vector<std::size_t> degrees(const LineGraph& g)
{
    std::vector<std::size_t> d(g.nodes.size(), 0);
    for (const auto& e : g.edges) {
        ++d[e.a];
        ++d[e.b];
    }
    return d;
}

// Whether two segments share a point other than where both end at the same node.
bool cross_inside(PlanePoint p, PlanePoint p2, PlanePoint q, PlanePoint q2)
{
    auto orient = [](PlanePoint a, PlanePoint b, PlanePoint c) {
        return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    };
    double d1 = orient(q, q2, p), d2 = orient(q, q2, p2), d3 = orient(p, p2, q), d4 = orient(p, p2, q2);
    const double eps = 1e-9;
    return ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps)) && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps));
}

}  // namespace

TEST_CASE("a grid of three by three lines becomes nine junctions and twelve edges")
{
    std::vector<std::vector<PlanePoint>> lines;
    for (double k : {0.0, 10.0, 20.0}) {
        lines.push_back({{0, k}, {20, k}});
        lines.push_back({{k, 0}, {k, 20}});
    }
    auto g = node_lines(lines);
    CHECK(g.nodes.size() == 9);
    CHECK(g.edges.size() == 12);
    auto d = degrees(g);
    std::sort(d.begin(), d.end());
    // Four corners of degree 2, four sides of 3, the centre of 4.
    CHECK(d == std::vector<std::size_t>{2, 2, 2, 2, 3, 3, 3, 3, 4});
    double total = 0;
    for (const auto& e : g.edges) {
        CHECK(length(e.points) == Approx(10.0));
        CHECK(e.points.front().x == g.nodes[e.a].x);
        CHECK(e.points.back().y == g.nodes[e.b].y);
        total += length(e.points);
    }
    CHECK(total == Approx(120.0));
    CHECK(g.incident()[0].size() == d[0]);
}

TEST_CASE("a street stopping short of another is carried on to it within the snap distance")
{
    std::vector<std::vector<PlanePoint>> lines = {{{0, 0}, {10, 0}}, {{5, 10}, {5, 1}}};
    auto apart = node_lines(lines);
    CHECK(apart.nodes.size() == 4);
    CHECK(apart.edges.size() == 2);
    LineGraphOptions options;
    options.snap = 2;
    auto joined = node_lines(lines, options);
    CHECK(joined.nodes.size() == 4);
    CHECK(joined.edges.size() == 3);
    auto d = degrees(joined);
    CHECK(std::count(d.begin(), d.end(), 3) == 1);
    // The T's foot is where the street was carried: (5, 0).
    for (std::size_t n = 0; n < joined.nodes.size(); ++n)
        if (d[n] == 3) {
            CHECK(joined.nodes[n].x == Approx(5.0));
            CHECK(joined.nodes[n].y == Approx(0.0).margin(1e-12));
        }
    // A snap shorter than the gap leaves them apart.
    options.snap = 0.5;
    CHECK(node_lines(lines, options).edges.size() == 2);
}

TEST_CASE("a line crossing itself is cut into a loop and two tails")
{
    std::vector<std::vector<PlanePoint>> lines = {{{0, 0}, {10, 0}, {10, 10}, {5, 10}, {5, -5}}};
    auto g = node_lines(lines);
    CHECK(g.nodes.size() == 3);
    REQUIRE(g.edges.size() == 3);
    auto loop = std::find_if(g.edges.begin(), g.edges.end(), [](const auto& e) { return e.a == e.b; });
    REQUIRE(loop != g.edges.end());
    CHECK(length(loop->points) == Approx(5 + 10 + 5 + 10));
    double total = 0;
    for (const auto& e : g.edges)
        total += length(e.points);
    CHECK(total == Approx(length(lines[0])));
}

TEST_CASE("random segments noded into a graph cross only at its nodes and keep their length")
{
    std::uint64_t state = 12345;
    auto next = [&] {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<double>(state >> 11) * 0x1.0p-53;
    };
    std::vector<std::vector<PlanePoint>> lines;
    for (int i = 0; i < 40; ++i) {
        std::vector<PlanePoint> line;
        PlanePoint p{next() * 300, next() * 300};
        for (int k = 0; k < 4; ++k) {
            line.push_back(p);
            p = {p.x + (next() - 0.5) * 120, p.y + (next() - 0.5) * 120};
        }
        lines.push_back(line);
    }
    auto g = node_lines(lines);
    double before = 0, after = 0;
    for (const auto& line : lines)
        before += length(line);
    for (const auto& e : g.edges)
        after += length(e.points);
    CHECK(after == Approx(before).epsilon(1e-12));
    CHECK(g.edges.size() > lines.size() * 3);  // the lines cross often
    std::size_t crossings = 0;
    for (std::size_t i = 0; i < g.edges.size(); ++i)
        for (std::size_t j = i; j < g.edges.size(); ++j) {
            const auto &a = g.edges[i].points, &b = g.edges[j].points;
            for (std::size_t s = 0; s + 1 < a.size(); ++s)
                for (std::size_t t = 0; t + 1 < b.size(); ++t) {
                    if (i == j && t <= s + 1)
                        continue;
                    if (cross_inside(a[s], a[s + 1], b[t], b[t + 1]))
                        ++crossings;
                }
        }
    CHECK(crossings == 0);
}
