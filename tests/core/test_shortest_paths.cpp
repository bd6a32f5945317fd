// Shortest paths from many sources: the radix heap against a binary heap,
// a ladder of streets worked by hand, and random grids against
// Bellman-Ford on the same rules.

#include <catch2/catch.hpp>

#include <functional>
#include <queue>
#include <random>
#include <tuple>

#include <lantern/core/base/error.hpp>
#include <lantern/core/network/shortest_paths.hpp>

#include "network/radix_heap.hpp"
#include "support/street_graphs.hpp"

using namespace lantern::core;
using lantern::test::edge_between;
using lantern::test::node_at;
using lantern::test::place_between;

TEST_CASE("the radix heap pops keys in the order a binary heap does")
{
    std::mt19937_64 random(7);
    detail::RadixHeap<std::size_t> heap;
    std::priority_queue<double, std::vector<double>, std::greater<>> reference;
    std::vector<double> keys;  // each value's key
    double last = 0;
    auto push = [&](double key) {
        heap.push(key, keys.size());
        keys.push_back(key);
        reference.push(key);
    };
    push(0);
    push(0);
    std::size_t pops = 0;
    for (int step = 0; step < 20000; ++step) {
        if (random() % 3 != 0 || heap.empty()) {
            // Keys at or above the last popped: equal ones, near ones, far ones.
            double increments[] = {0.0, 1.0, 1e-300, std::uniform_real_distribution<>(0, 1)(random),
                                   std::uniform_real_distribution<>(0, 1e6)(random)};
            double key = last + increments[random() % 5];
            push(random() % 1000 == 0 ? unreached : key);
            continue;
        }
        REQUIRE(heap.size() == reference.size());
        auto [key, value] = heap.pop();
        REQUIRE(key == reference.top());
        REQUIRE(keys[value] == key);
        reference.pop();
        last = key;
        ++pops;
        if (key == unreached)
            break;  // nothing may follow infinity but infinity
    }
    while (!heap.empty()) {
        auto [key, value] = heap.pop();
        REQUIRE(key == reference.top());
        REQUIRE(keys[value] == key);
        reference.pop();
        ++pops;
    }
    CHECK(reference.empty());
    CHECK(pops > 5000);
}

namespace {

// Two parallel 300 m streets 50 m apart, rail A along y = 0 and rail B along
// y = 50, joined by rungs every 100 m. Rails are 8 m wide, rungs 6 m but
// the one at x = 200, 2.5 m. Travel at 10 m/s on rail A and the rungs and
// 5 m/s on rail B.
struct Ladder {
    StreetGraph graph = StreetGraph::from_lines(
        {{{0, 0}, {300, 0}}, {{0, 50}, {300, 50}}, {{0, 0}, {0, 50}}, {{100, 0}, {100, 50}}, {{200, 0}, {200, 50}},
         {{300, 0}, {300, 50}}},
        {8, 8, 6, 6, 2.5, 6}, {1, 1, 2, 2, 2, 2});

    // The edges at least 3 m wide: all but the narrow rung.
    std::vector<std::uint8_t> wide() const
    {
        std::vector<std::uint8_t> flags;
        for (const auto& e : graph.edges())
            flags.push_back(e.width >= 3);
        return flags;
    }
    std::vector<double> seconds() const
    {
        std::vector<double> time;
        for (const auto& e : graph.edges())
            time.push_back(e.length / (e.line == 1 ? 5.0 : 10.0));
        return time;
    }
    double distance(const ShortestPaths& paths, PlanePoint p) const { return paths.node_distance(node_at(graph, p)); }
    EdgePoint on_a(double x) const
    {
        double west = std::floor(x / 100) * 100;
        return place_between(graph, {west, 0}, {west + 100, 0}, x - west);
    }
    EdgePoint on_b(double x) const
    {
        double west = std::floor(x / 100) * 100;
        return place_between(graph, {west, 50}, {west + 100, 50}, x - west);
    }
};

}  // namespace

TEST_CASE("one source on a ladder of streets, the narrow rung closed")
{
    Ladder ladder;
    REQUIRE(ladder.graph.edge_count() == 10);
    REQUIRE(ladder.graph.node_count() == 8);
    PathOptions options;
    options.allowed = ladder.wide();
    options.edge_cost = ladder.seconds();
    ShortestPaths paths(ladder.graph, {{ladder.on_a(250), 7, 0}}, options);

    CHECK(paths.settled() == 8);
    CHECK(ladder.distance(paths, {200, 0}) == Approx(50));
    CHECK(ladder.distance(paths, {300, 0}) == Approx(50));
    CHECK(ladder.distance(paths, {100, 0}) == Approx(150));
    CHECK(ladder.distance(paths, {0, 0}) == Approx(250));
    CHECK(ladder.distance(paths, {300, 50}) == Approx(100));
    // Round by the rung at x = 300, the one at 200 being closed.
    CHECK(ladder.distance(paths, {200, 50}) == Approx(200));
    CHECK(ladder.distance(paths, {100, 50}) == Approx(200));
    CHECK(ladder.distance(paths, {0, 50}) == Approx(300));

    // Seconds along the same paths: 5 s to either end of the source's edge,
    // 10 s a block on rail A, 20 s on rail B, 5 s a rung.
    auto at = [&](PlanePoint p) { return paths.to_node(node_at(ladder.graph, p)); };
    CHECK(at({0, 0}).cost == Approx(25));
    CHECK(at({300, 50}).cost == Approx(10));
    CHECK(at({200, 50}).cost == Approx(30));
    CHECK(at({100, 50}).cost == Approx(20));
    // Two paths of 300 m: along rail A and up the rung at x = 0 (30 s), or
    // by the rung at 100 and along rail B (40 s); the quicker is kept.
    CHECK(at({0, 50}).cost == Approx(30));
    CHECK(at({0, 50}).origin == 7);

    // Part way along rail B: 30 m from its east end at 200 m.
    auto b170 = paths.to(ladder.on_b(170));
    CHECK(b170.distance == Approx(230));
    CHECK(b170.cost == Approx(36));
    CHECK(b170.origin == 7);
    // On the source's own edge, straight along it.
    auto a280 = paths.to(ladder.on_a(280));
    CHECK(a280.distance == Approx(30));
    CHECK(a280.cost == Approx(3));
    auto a210 = paths.to(ladder.on_a(210));
    CHECK(a210.distance == Approx(40));
    // On the closed rung: not reached.
    auto rung = paths.to({edge_between(ladder.graph, {200, 0}, {200, 50}), 10});
    CHECK(rung.distance == unreached);
    CHECK(rung.origin == no_index);

    SECTION("with the narrow rung open the short way round is taken")
    {
        options.allowed.clear();
        ShortestPaths open(ladder.graph, {{ladder.on_a(250), 7, 0}}, options);
        CHECK(ladder.distance(open, {200, 50}) == Approx(100));
        CHECK(open.to_node(node_at(ladder.graph, {200, 50})).cost == Approx(10));
        auto rung_open = open.to(place_between(ladder.graph, {200, 0}, {200, 50}, 10));
        CHECK(rung_open.distance == Approx(60));
    }
}

TEST_CASE("two sources on a ladder share its places out")
{
    Ladder ladder;
    PathOptions options;
    options.allowed = ladder.wide();
    auto origin = [&](const ShortestPaths& paths, PlanePoint p) { return paths.to_node(node_at(ladder.graph, p)).origin; };

    ShortestPaths paths(ladder.graph, {{ladder.on_a(250), 7, 0}, {ladder.on_b(0), 3, 0}}, options);
    CHECK(ladder.distance(paths, {0, 50}) == 0);
    CHECK(origin(paths, {0, 50}) == 3);
    CHECK(ladder.distance(paths, {0, 0}) == Approx(50));
    CHECK(origin(paths, {0, 0}) == 3);
    CHECK(origin(paths, {100, 50}) == 3);
    CHECK(origin(paths, {200, 0}) == 7);
    CHECK(origin(paths, {300, 50}) == 7);
    // 150 m from both: the lower origin.
    CHECK(ladder.distance(paths, {100, 0}) == Approx(150));
    CHECK(origin(paths, {100, 0}) == 3);
    // 200 m from both, round either end of the closed rung.
    CHECK(ladder.distance(paths, {200, 50}) == Approx(200));
    CHECK(origin(paths, {200, 50}) == 3);
    // Halfway along rail A's middle block: 100 m from 7 by its east end.
    auto a150 = paths.to(ladder.on_a(150));
    CHECK(a150.distance == Approx(100));
    CHECK(a150.origin == 7);
    // No second cost given: it stays 0.
    CHECK(a150.cost == 0);

    SECTION("a source that starts 10 m behind loses the tie")
    {
        ShortestPaths behind(ladder.graph, {{ladder.on_a(250), 7, 0}, {ladder.on_b(0), 3, 10}}, options);
        CHECK(ladder.distance(behind, {0, 50}) == Approx(10));
        CHECK(ladder.distance(behind, {100, 0}) == Approx(150));
        CHECK(origin(behind, {100, 0}) == 7);
    }
    SECTION("two sources on one edge: the nearer along it")
    {
        ShortestPaths pair(ladder.graph, {{ladder.on_a(280), 2, 0}, {ladder.on_a(220), 1, 0}}, options);
        CHECK(pair.to(ladder.on_a(260)).origin == 2);
        CHECK(pair.to(ladder.on_a(260)).distance == Approx(20));
        CHECK(pair.to(ladder.on_a(250)).distance == Approx(30));
        CHECK(pair.to(ladder.on_a(250)).origin == 1);
        CHECK(origin(pair, {200, 0}) == 1);
        CHECK(origin(pair, {300, 0}) == 2);
    }
    SECTION("a source on a closed edge is left out")
    {
        ShortestPaths closed(ladder.graph, {{{edge_between(ladder.graph, {200, 0}, {200, 50}), 25}, 1, 0}}, options);
        CHECK(closed.settled() == 0);
        CHECK(ladder.distance(closed, {200, 0}) == unreached);
    }
}

TEST_CASE("a limit on a ladder leaves farther places unreached")
{
    Ladder ladder;
    PathOptions options;
    options.allowed = ladder.wide();
    options.limit = 120;
    ShortestPaths paths(ladder.graph, {{ladder.on_a(250), 7, 0}}, options);
    CHECK(paths.settled() == 3);  // both ends of the source's edge, and (300, 50)
    CHECK(ladder.distance(paths, {300, 50}) == Approx(100));
    CHECK(ladder.distance(paths, {100, 0}) == unreached);
    CHECK(paths.to_node(node_at(ladder.graph, {100, 0})).origin == no_index);
    // 100 m by the block's east end, though its west end is out of reach.
    CHECK(paths.to(ladder.on_a(150)).distance == Approx(100));
    // 130 m: beyond.
    CHECK(paths.to(ladder.on_a(120)).distance == unreached);
    CHECK(paths.to(ladder.on_a(120)).origin == no_index);
}

TEST_CASE("the edges a vehicle reaches from its starting places through a cut ladder")
{
    Ladder ladder;
    // Rail A's middle block and the rungs at 200 and 300 closed: the
    // ladder's east end on rail A is cut off.
    auto allowed = ladder.wide();
    allowed[edge_between(ladder.graph, {100, 0}, {200, 0})] = 0;
    allowed[edge_between(ladder.graph, {300, 0}, {300, 50})] = 0;
    auto count = [](const std::vector<std::uint8_t>& flags) { return std::count(flags.begin(), flags.end(), 1); };

    auto east = reachable_edges(ladder.graph, {ladder.on_a(250)}, allowed);
    CHECK(count(east) == 1);
    CHECK(east[ladder.on_a(250).edge] == 1);
    auto west = reachable_edges(ladder.graph, {ladder.on_b(50)}, allowed);
    CHECK(count(west) == 6);  // rail B, the rungs at 0 and 100, rail A's first block
    CHECK(west[edge_between(ladder.graph, {0, 0}, {100, 0})] == 1);
    CHECK(west[ladder.on_a(250).edge] == 0);
    CHECK(count(reachable_edges(ladder.graph, {ladder.on_a(250), ladder.on_b(50)}, allowed)) == 7);
    CHECK(count(reachable_edges(ladder.graph, {ladder.on_a(250)}, {})) == 10);
    CHECK(count(reachable_edges(ladder.graph, {}, allowed)) == 0);
}

TEST_CASE("shortest paths refuse options that do not fit the graph")
{
    Ladder ladder;
    PathOptions flags;
    flags.allowed = {1, 1};
    CHECK_THROWS_AS(ShortestPaths(ladder.graph, {}, flags), UsageError);
    PathOptions costs;
    costs.edge_cost.assign(10, -1);
    CHECK_THROWS_AS(ShortestPaths(ladder.graph, {}, costs), UsageError);
    CHECK_THROWS_AS(ShortestPaths(ladder.graph, {{{10, 0}, 0, 0}}, {}), UsageError);
    CHECK_THROWS_AS(ShortestPaths(ladder.graph, {{ladder.on_a(10), 0, -1}}, {}), UsageError);
    CHECK_THROWS_AS(reachable_edges(ladder.graph, {}, {1}), UsageError);
}

namespace {

using Reach = ShortestPaths::Reach;

bool better(const Reach& a, const Reach& b)
{
    return std::tie(a.distance, a.origin, a.cost) < std::tie(b.distance, b.origin, b.cost);
}

// Bellman-Ford on the same rules: every allowed edge relaxed both ways until
// nothing changes. Its labels are where the relaxations settle, whatever
// their order.
std::vector<Reach> bellman_ford(const StreetGraph& graph, const std::vector<PathSource>& sources,
                                const PathOptions& options)
{
    auto allowed = [&](std::uint32_t e) { return options.allowed.empty() || options.allowed[e]; };
    auto cost = [&](std::uint32_t e) { return options.edge_cost.empty() ? 0.0 : options.edge_cost[e]; };
    std::vector<Reach> label(graph.node_count());
    auto offer = [&](std::uint32_t n, const Reach& way) {
        if (way.distance <= options.limit && better(way, label[n])) {
            label[n] = way;
            return true;
        }
        return false;
    };
    for (const auto& s : sources) {
        if (!allowed(s.at.edge))
            continue;
        const StreetEdge& e = graph.edge(s.at.edge);
        double t = s.at.offset, rest = e.length - t;
        offer(e.a, {s.start + t, cost(s.at.edge) * (t / e.length), s.origin});
        offer(e.b, {s.start + rest, cost(s.at.edge) * (rest / e.length), s.origin});
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (std::uint32_t i = 0; i < graph.edge_count(); ++i) {
            if (!allowed(i))
                continue;
            const StreetEdge& e = graph.edge(i);
            for (auto [from, to] : {std::pair{e.a, e.b}, std::pair{e.b, e.a}})
                if (label[from].distance != unreached)
                    changed |= offer(to, {label[from].distance + e.length, label[from].cost + cost(i), label[from].origin});
        }
    }
    return label;
}

// A grid of n x n junctions with streets between neighbours, a few missing.
// Whole-metre spacings give many paths of exactly equal length (ties);
// jittered junctions give none.
StreetGraph random_grid(std::mt19937_64& random, int n, bool jitter)
{
    std::vector<double> xs{0}, ys{0};
    for (int i = 1; i < n; ++i) {
        xs.push_back(xs.back() + static_cast<double>(50 + random() % 100));
        ys.push_back(ys.back() + static_cast<double>(50 + random() % 100));
    }
    std::uniform_real_distribution<> shift(-15, 15);
    std::vector<PlanePoint> junctions;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i)
            junctions.push_back({xs[i] + (jitter ? shift(random) : 0), ys[j] + (jitter ? shift(random) : 0)});
    std::vector<std::vector<PlanePoint>> lines;
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            if (i + 1 < n && random() % 8 != 0)
                lines.push_back({junctions[j * n + i], junctions[j * n + i + 1]});
            if (j + 1 < n && random() % 8 != 0)
                lines.push_back({junctions[j * n + i], junctions[(j + 1) * n + i]});
        }
    return StreetGraph::from_lines(lines, {}, {});
}

}  // namespace

TEST_CASE("shortest paths on random grids agree with Bellman-Ford")
{
    std::mt19937_64 random(20261206);
    for (int round = 0; round < 40; ++round) {
        bool jitter = round % 2 == 1;
        auto graph = random_grid(random, 4 + round % 7, jitter);
        INFO("round " << round << ", " << graph.edge_count() << " edges");
        PathOptions options;
        if (round % 4 != 0)
            for (std::size_t e = 0; e < graph.edge_count(); ++e)
                options.allowed.push_back(random() % 5 != 0);
        if (round % 3 != 0)
            for (std::size_t e = 0; e < graph.edge_count(); ++e)
                options.edge_cost.push_back(jitter ? std::uniform_real_distribution<>(0, 30)(random)
                                                   : static_cast<double>(random() % 20));
        if (round % 5 == 2)
            options.limit = 300;
        std::vector<PathSource> sources;
        for (int s = 0; s < 1 + round % 4; ++s) {
            auto e = static_cast<std::uint32_t>(random() % graph.edge_count());
            double length = graph.edge(e).length;
            double offset = jitter ? std::uniform_real_distribution<>(0, length)(random)
                                   : static_cast<double>(random() % static_cast<std::uint64_t>(length + 1));
            sources.push_back({{e, offset}, static_cast<std::uint32_t>(random() % 3), static_cast<double>(random() % 30)});
        }
        ShortestPaths paths(graph, sources, options);
        auto expected = bellman_ford(graph, sources, options);
        std::size_t reached = 0;
        for (std::uint32_t n = 0; n < graph.node_count(); ++n) {
            INFO("node " << n);
            auto got = paths.to_node(n);
            REQUIRE(got.distance == expected[n].distance);
            REQUIRE(got.origin == expected[n].origin);
            if (expected[n].distance != unreached) {
                CHECK(got.cost == Approx(expected[n].cost));
                ++reached;
            }
        }
        CHECK(paths.settled() == reached);
        // Places along edges: the nearer end's label carried along, or a source on the edge.
        for (int k = 0; k < 20; ++k) {
            auto e = static_cast<std::uint32_t>(random() % graph.edge_count());
            double t = std::uniform_real_distribution<>(0, graph.edge(e).length)(random);
            auto got = paths.to({e, t});
            if (!options.allowed.empty() && !options.allowed[e]) {
                CHECK(got.distance == unreached);
                continue;
            }
            const StreetEdge& edge = graph.edge(e);
            double best = std::min(expected[edge.a].distance + t, expected[edge.b].distance + (edge.length - t));
            for (const auto& s : sources)
                if (s.at.edge == e)
                    best = std::min(best, s.start + std::abs(s.at.offset - t));
            CHECK(got.distance == (best <= options.limit ? best : unreached));
        }
    }
}
