// The street graph from noded lines: its nodes, edges and arcs, and places
// along an edge's shape, on cases drawn by hand.

#include <catch2/catch.hpp>

#include <algorithm>

#include <lantern/core/base/error.hpp>
#include <lantern/core/network/street_graph.hpp>

#include "support/street_graphs.hpp"

using namespace lantern::core;
using lantern::test::edge_between;
using lantern::test::node_at;

namespace {

bool same(PlanePoint a, PlanePoint b)
{
    return a.x == Approx(b.x).margin(1e-9) && a.y == Approx(b.y).margin(1e-9);
}

}  // namespace

TEST_CASE("two streets crossing without a shared vertex meet at a junction of four edges")
{
    auto graph = StreetGraph::from_lines({{{-100, 0}, {100, 0}}, {{0, -100}, {0, 100}}}, {8, 4}, {1, 2});
    REQUIRE(graph.node_count() == 5);
    REQUIRE(graph.edge_count() == 4);
    std::uint32_t centre = node_at(graph, {0, 0});
    CHECK(graph.arcs(centre).size() == 4);
    for (PlanePoint end : {PlanePoint{-100, 0}, PlanePoint{100, 0}, PlanePoint{0, -100}, PlanePoint{0, 100}}) {
        INFO(end.x << " " << end.y);
        std::uint32_t n = node_at(graph, end);
        REQUIRE(graph.arcs(n).size() == 1);
        const StreetEdge& edge = graph.edge(*graph.arcs(n).begin());
        CHECK(edge.length == Approx(100));
        CHECK(graph.other_end(*graph.arcs(n).begin(), n) == centre);
        // Width, kind and line are the line's: the east-west street is line 0.
        bool east_west = end.y == 0;
        CHECK(edge.line == (east_west ? 0u : 1u));
        CHECK(edge.width == (east_west ? 8.0 : 4.0));
        CHECK(edge.kind == (east_west ? 1 : 2));
    }
}

TEST_CASE("places along an edge follow its shape from node a")
{
    // An L: 100 m east, then 100 m north.
    auto graph = StreetGraph::from_lines({{{0, 0}, {100, 0}, {100, 100}}}, {}, {});
    REQUIRE(graph.edge_count() == 1);
    const StreetEdge& edge = graph.edge(0);
    CHECK(edge.length == Approx(200));
    CHECK(edge.width == 0);
    CHECK(edge.kind == 0);
    REQUIRE(same(graph.node(edge.a), {0, 0}));
    CHECK(graph.shape(0).size() == 3);
    CHECK(same(graph.point_along(0, 0), {0, 0}));
    CHECK(same(graph.point_along(0, 40), {40, 0}));
    CHECK(same(graph.point_along(0, 100), {100, 0}));
    CHECK(same(graph.point_along(0, 150), {100, 50}));
    // Clamped to the edge.
    CHECK(same(graph.point_along(0, -5), {0, 0}));
    CHECK(same(graph.point_along(0, 250), {100, 100}));

    auto across = graph.part(0, 50, 150);
    REQUIRE(across.size() == 3);
    CHECK(same(across[0], {50, 0}));
    CHECK(same(across[1], {100, 0}));
    CHECK(same(across[2], {100, 50}));
    auto back = graph.part(0, 150, 50);
    REQUIRE(back.size() == 3);
    CHECK(same(back[0], {100, 50}));
    CHECK(same(back[2], {50, 0}));
    auto within = graph.part(0, 110, 130);
    REQUIRE(within.size() == 2);
    CHECK(same(within[0], {100, 10}));
    CHECK(same(within[1], {100, 30}));

    // Nodes, edges, shape points and arcs at the least.
    CHECK(graph.memory_bytes() >= 2 * sizeof(PlanePoint) + sizeof(StreetEdge) + 3 * sizeof(PlanePoint));
}

TEST_CASE("a street that comes back to where it started is one edge looping at one node")
{
    auto graph = StreetGraph::from_lines({{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{0, 0}, {-20, 0}}}, {}, {});
    REQUIRE(graph.edge_count() == 2);
    std::uint32_t corner = node_at(graph, {0, 0});
    std::uint32_t loop = graph.edge(0).line == 0 ? 0 : 1;
    CHECK(graph.edge(loop).a == corner);
    CHECK(graph.edge(loop).b == corner);
    CHECK(graph.edge(loop).length == Approx(40));
    // Its two ends both at the corner, with the other street's.
    auto arcs = graph.arcs(corner);
    CHECK(arcs.size() == 3);
    CHECK(std::count(arcs.begin(), arcs.end(), loop) == 2);
    CHECK(graph.other_end(loop, corner) == corner);
    CHECK(graph.edge(edge_between(graph, {0, 0}, {-20, 0})).length == Approx(20));
}

TEST_CASE("widths and kinds are one per line")
{
    std::vector<std::vector<PlanePoint>> lines = {{{0, 0}, {10, 0}}, {{0, 5}, {10, 5}}};
    CHECK_THROWS_AS(StreetGraph::from_lines(lines, {3}, {}), UsageError);
    CHECK_THROWS_AS(StreetGraph::from_lines(lines, {}, {1, 2, 3}), UsageError);
    CHECK(StreetGraph::from_lines(lines, {3, 4}, {1, 2}).edge_count() == 2);
    CHECK(StreetGraph::from_lines({}, {}, {}).node_count() == 0);
}
