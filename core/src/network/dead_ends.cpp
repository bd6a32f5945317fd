#include <lantern/core/network/dead_ends.hpp>

#include <string>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

// Allowed edge ends at each node (a loop counts twice, so a loop's node is
// never a dead end nor a node to pass through).
std::vector<std::uint32_t> allowed_degrees(const StreetGraph& graph, const std::vector<std::uint8_t>& allowed)
{
    std::vector<std::uint32_t> degree(graph.node_count(), 0);
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e)
        if (allowed.empty() || allowed[e]) {
            ++degree[graph.edge(e).a];
            ++degree[graph.edge(e).b];
        }
    return degree;
}

// The allowed edge at node n other than `from` (any allowed edge when `from`
// is no_index).
std::uint32_t next_edge(const StreetGraph& graph, const std::vector<std::uint8_t>& allowed, std::uint32_t n,
                        std::uint32_t from)
{
    for (std::uint32_t e : graph.arcs(n))
        if ((allowed.empty() || allowed[e]) && e != from)
            return e;
    return no_index;
}

}  // namespace

std::vector<DeadEnd> dead_ends(const StreetGraph& graph, const std::vector<std::uint8_t>& allowed)
{
    if (!allowed.empty() && allowed.size() != graph.edge_count())
        throw UsageError("dead ends: " + std::to_string(allowed.size()) + " edge flags for " +
                         std::to_string(graph.edge_count()) + " edges");
    auto degree = allowed_degrees(graph, allowed);
    std::vector<DeadEnd> found;
    for (std::uint32_t end = 0; end < graph.node_count(); ++end) {
        if (degree[end] != 1)
            continue;
        DeadEnd chain;
        chain.end = end;
        std::uint32_t node = end, edge = no_index;
        // Along nodes of two edges, which cannot lead back: each of them is
        // entered by one of its edges and left by the other.
        do {
            edge = next_edge(graph, allowed, node, edge);
            chain.edges.push_back(edge);
            chain.length += graph.edge(edge).length;
            node = graph.other_end(edge, node);
        } while (degree[node] == 2);
        chain.junction = node;
        // A lone chain is found from both its ends; it is kept from the lower.
        if (degree[node] == 1 && node < end)
            continue;
        found.push_back(std::move(chain));
    }
    return found;
}

}  // namespace lantern::core
