// Dead ends of a street graph, on streets drawn by hand, with and without
// a mask.

#include <catch2/catch.hpp>

#include <algorithm>

#include <lantern/core/base/error.hpp>
#include <lantern/core/network/dead_ends.hpp>

#include "support/street_graphs.hpp"

using namespace lantern::core;
using lantern::test::edge_between;
using lantern::test::node_at;

namespace {

// The dead end that stops at p; fails the test when there is none.
const DeadEnd& ending_at(const StreetGraph& graph, const std::vector<DeadEnd>& found, PlanePoint p)
{
    std::uint32_t n = node_at(graph, p);
    auto it = std::find_if(found.begin(), found.end(), [&](const DeadEnd& d) { return d.end == n; });
    REQUIRE(it != found.end());
    return *it;
}

}  // namespace

TEST_CASE("a street with two side streets has a dead end at each street's end")
{
    // A 400 m street; a 200 m side street north at x = 100 drawn in two
    // pieces, a 50 m one south at x = 300.
    auto graph = StreetGraph::from_lines({{{0, 0}, {400, 0}},
                                          {{100, 0}, {100, 120}},
                                          {{100, 120}, {100, 200}},
                                          {{300, 0}, {300, -50}}},
                                         {}, {});
    auto found = dead_ends(graph);
    REQUIRE(found.size() == 4);

    const DeadEnd& north = ending_at(graph, found, {100, 200});
    CHECK(north.junction == node_at(graph, {100, 0}));
    CHECK(north.length == Approx(200));
    REQUIRE(north.edges.size() == 2);
    CHECK(north.edges[0] == edge_between(graph, {100, 200}, {100, 120}));
    CHECK(north.edges[1] == edge_between(graph, {100, 120}, {100, 0}));

    const DeadEnd& south = ending_at(graph, found, {300, -50});
    CHECK(south.junction == node_at(graph, {300, 0}));
    CHECK(south.length == Approx(50));
    CHECK(south.edges.size() == 1);

    CHECK(ending_at(graph, found, {0, 0}).length == Approx(100));
    CHECK(ending_at(graph, found, {400, 0}).junction == node_at(graph, {300, 0}));

    SECTION("the short side street closed: the street's east end runs on to the long one")
    {
        std::vector<std::uint8_t> allowed(graph.edge_count(), 1);
        allowed[edge_between(graph, {300, 0}, {300, -50})] = 0;
        auto masked = dead_ends(graph, allowed);
        REQUIRE(masked.size() == 3);
        const DeadEnd& east = ending_at(graph, masked, {400, 0});
        CHECK(east.junction == node_at(graph, {100, 0}));
        CHECK(east.length == Approx(300));
        CHECK(east.edges.size() == 2);
    }
}

TEST_CASE("a lone street is one dead end, from its lower end")
{
    auto graph = StreetGraph::from_lines({{{0, 0}, {50, 0}}, {{50, 0}, {120, 0}}}, {}, {});
    auto found = dead_ends(graph);
    REQUIRE(found.size() == 1);
    std::uint32_t west = node_at(graph, {0, 0}), east = node_at(graph, {120, 0});
    CHECK(found[0].end == std::min(west, east));
    CHECK(found[0].junction == std::max(west, east));
    CHECK(found[0].length == Approx(120));
    CHECK(found[0].edges.size() == 2);

    auto single = StreetGraph::from_lines({{{0, 0}, {30, 40}}}, {}, {});
    auto one = dead_ends(single);
    REQUIRE(one.size() == 1);
    CHECK(one[0].length == Approx(50));
}

TEST_CASE("a loop has no dead end until the mask cuts it")
{
    std::vector<std::vector<PlanePoint>> ring = {
        {{0, 0}, {100, 0}}, {{100, 0}, {100, 100}}, {{100, 100}, {0, 100}}, {{0, 100}, {0, 0}}};
    auto loop = StreetGraph::from_lines(ring, {}, {});
    CHECK(dead_ends(loop).empty());
    // One street drawn round and back to its start: a loop at one node.
    CHECK(dead_ends(StreetGraph::from_lines({{{0, 0}, {10, 0}, {10, 10}, {0, 0}}}, {}, {})).empty());

    auto lines = ring;
    lines.push_back({{100, 100}, {150, 150}});
    auto with_spur = StreetGraph::from_lines(lines, {}, {});
    auto found = dead_ends(with_spur);
    REQUIRE(found.size() == 1);
    CHECK(found[0].end == node_at(with_spur, {150, 150}));
    CHECK(found[0].junction == node_at(with_spur, {100, 100}));
    CHECK(found[0].length == Approx(std::hypot(50, 50)));

    // The ring's south side closed: both its ends now lead to the spur's junction.
    std::vector<std::uint8_t> allowed(with_spur.edge_count(), 1);
    allowed[edge_between(with_spur, {0, 0}, {100, 0})] = 0;
    auto cut = dead_ends(with_spur, allowed);
    REQUIRE(cut.size() == 3);
    CHECK(ending_at(with_spur, cut, {0, 0}).length == Approx(200));
    CHECK(ending_at(with_spur, cut, {0, 0}).junction == node_at(with_spur, {100, 100}));
    CHECK(ending_at(with_spur, cut, {100, 0}).length == Approx(100));
    CHECK(ending_at(with_spur, cut, {150, 150}).junction == node_at(with_spur, {100, 100}));

    CHECK(dead_ends(with_spur, std::vector<std::uint8_t>(with_spur.edge_count(), 0)).empty());
    CHECK_THROWS_AS(dead_ends(with_spur, {1, 0}), UsageError);
}
