#include <lantern/core/network/shortest_paths.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>

#include <lantern/core/base/error.hpp>

#include "radix_heap.hpp"

namespace lantern::core {

namespace {

// Which of two ways to a place wins: the shorter, then (on an exact tie) the
// lower origin, then the lower second cost. Every node so gets the least
// origin among its nearest sources whatever order the search ran in.
bool better(const ShortestPaths::Reach& a, const ShortestPaths::Reach& b)
{
    return std::tie(a.distance, a.origin, a.cost) < std::tie(b.distance, b.origin, b.cost);
}

void check_per_edge(std::size_t size, std::size_t edge_count, const char* what)
{
    if (size != 0 && size != edge_count)
        throw UsageError(std::string("shortest paths: ") + std::to_string(size) + " " + what + " for " +
                         std::to_string(edge_count) + " edges");
}

void check_edge(std::uint32_t e, std::size_t edge_count, const char* what)
{
    if (e >= edge_count)
        throw UsageError(std::string("shortest paths: ") + what + " on edge " + std::to_string(e) + " of " +
                         std::to_string(edge_count));
}

void check_options(const StreetGraph& graph, const PathOptions& options)
{
    check_per_edge(options.allowed.size(), graph.edge_count(), "edge flags");
    check_per_edge(options.edge_cost.size(), graph.edge_count(), "edge costs");
    for (std::size_t e = 0; e < options.edge_cost.size(); ++e)
        if (!std::isfinite(options.edge_cost[e]) || options.edge_cost[e] < 0)
            throw UsageError("shortest paths: edge " + std::to_string(e) + " costs " +
                             std::to_string(options.edge_cost[e]) + "; costs must be finite and non-negative");
    if (!(options.limit >= 0))
        throw UsageError("shortest paths: a limit of " + std::to_string(options.limit) +
                         "; it must be 0 or more");
}

// Sources ordered by edge, for the sources on one edge.
struct EdgeOrder {
    bool operator()(const PathSource& s, std::uint32_t e) const { return s.at.edge < e; }
    bool operator()(std::uint32_t e, const PathSource& s) const { return e < s.at.edge; }
};

double clamped_offset(const StreetGraph& graph, const EdgePoint& p)
{
    if (std::isnan(p.offset))
        throw UsageError("shortest paths: a place on edge " + std::to_string(p.edge) + " without an offset");
    return std::clamp(p.offset, 0.0, graph.edge(p.edge).length);
}

}  // namespace

ShortestPaths::ShortestPaths(const StreetGraph& graph, std::vector<PathSource> sources, PathOptions options)
    : m_graph(&graph), m_options(std::move(options)), m_distance(graph.node_count(), unreached),
      m_cost(graph.node_count(), unreached), m_origin(graph.node_count(), no_index)
{
    check_options(graph, m_options);
    for (auto& source : sources) {
        check_edge(source.at.edge, graph.edge_count(), "a source");
        if (!std::isfinite(source.start) || source.start < 0)
            throw UsageError("shortest paths: a source starts at " + std::to_string(source.start) +
                             "; starts must be finite and non-negative");
        source.at.offset = clamped_offset(graph, source.at);
        if (allowed(source.at.edge))
            m_sources.push_back(source);
    }
    std::sort(m_sources.begin(), m_sources.end(), [](const PathSource& a, const PathSource& b) {
        return std::tie(a.at.edge, a.at.offset, a.origin, a.start) < std::tie(b.at.edge, b.at.offset, b.origin, b.start);
    });

    detail::RadixHeap<std::uint32_t> heap;
    // Offers node n a way; a better one within the limit is kept and queued.
    auto offer = [&](std::uint32_t n, const Reach& way) {
        if (way.distance > m_options.limit || !better(way, to_node(n)))
            return;
        m_distance[n] = way.distance;
        m_origin[n] = way.origin;
        m_cost[n] = way.cost;
        heap.push(way.distance, n);
    };
    for (const auto& source : m_sources) {
        const StreetEdge& edge = graph.edge(source.at.edge);
        double t = source.at.offset, rest = edge.length - t;
        offer(edge.a, {source.start + t, share(source.at.edge, t), source.origin});
        offer(edge.b, {source.start + rest, share(source.at.edge, rest), source.origin});
    }

    std::vector<std::uint8_t> settled(graph.node_count(), 0);
    while (!heap.empty()) {
        auto [distance, n] = heap.pop();
        if (settled[n] || distance != m_distance[n])
            continue;  // a way since bettered
        settled[n] = 1;
        ++m_settled;
        for (std::uint32_t e : graph.arcs(n)) {
            if (!allowed(e))
                continue;
            std::uint32_t next = graph.other_end(e, n);
            if (!settled[next])
                offer(next, {distance + graph.edge(e).length, m_cost[n] + edge_cost(e), m_origin[n]});
        }
    }
}

double ShortestPaths::share(std::uint32_t e, double along) const
{
    double length = m_graph->edge(e).length;
    return length > 0 ? edge_cost(e) * (along / length) : 0.0;
}

ShortestPaths::Reach ShortestPaths::to_node(std::uint32_t n) const
{
    return {m_distance[n], m_cost[n], m_origin[n]};
}

ShortestPaths::Reach ShortestPaths::to(EdgePoint p) const
{
    check_edge(p.edge, m_graph->edge_count(), "a place");
    if (!allowed(p.edge))
        return {};
    const StreetEdge& edge = m_graph->edge(p.edge);
    double t = clamped_offset(*m_graph, p), rest = edge.length - t;
    Reach best;
    auto consider = [&](const Reach& way) {
        if (better(way, best))
            best = way;
    };
    if (m_distance[edge.a] != unreached)
        consider({m_distance[edge.a] + t, m_cost[edge.a] + share(p.edge, t), m_origin[edge.a]});
    if (m_distance[edge.b] != unreached)
        consider({m_distance[edge.b] + rest, m_cost[edge.b] + share(p.edge, rest), m_origin[edge.b]});
    // Straight along the edge from a source on it.
    auto on_edge = std::equal_range(m_sources.begin(), m_sources.end(), p.edge, EdgeOrder{});
    for (auto s = on_edge.first; s != on_edge.second; ++s) {
        double along = std::abs(t - s->at.offset);
        consider({s->start + along, share(p.edge, along), s->origin});
    }
    return best.distance > m_options.limit ? Reach{} : best;
}

std::vector<std::uint8_t> reachable_edges(const StreetGraph& graph, const std::vector<EdgePoint>& sources,
                                          const std::vector<std::uint8_t>& allowed)
{
    check_per_edge(allowed.size(), graph.edge_count(), "edge flags");
    auto may_use = [&](std::uint32_t e) { return allowed.empty() || allowed[e]; };
    std::vector<std::uint8_t> reached(graph.edge_count(), 0);
    std::vector<std::uint8_t> visited(graph.node_count(), 0);
    std::vector<std::uint32_t> queue;
    auto enter = [&](std::uint32_t e) {
        reached[e] = 1;
        for (std::uint32_t n : {graph.edge(e).a, graph.edge(e).b})
            if (!visited[n]) {
                visited[n] = 1;
                queue.push_back(n);
            }
    };
    for (const auto& source : sources) {
        check_edge(source.edge, graph.edge_count(), "a source");
        if (may_use(source.edge) && !reached[source.edge])
            enter(source.edge);
    }
    // Breadth first: the queue grows at its end as nodes are found.
    for (std::size_t next = 0; next < queue.size(); ++next)
        for (std::uint32_t e : graph.arcs(queue[next]))
            if (may_use(e) && !reached[e])
                enter(e);
    return reached;
}

}  // namespace lantern::core
