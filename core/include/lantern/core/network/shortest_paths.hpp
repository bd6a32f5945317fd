#pragma once
// Shortest paths along a street graph from many sources at once (one search
// gives every place its nearest source), over the edges a mask allows, with
// a second cost (travel time) carried along each shortest path.
//
// Dijkstra's algorithm with a radix heap (Ahuja, Mehlhorn, Orlin and Tarjan
// 1990): keys are the distances' IEEE-754 bit patterns, which order as the
// non-negative doubles do, so the heap is exact on real lengths and each
// key moves down its 65 buckets at most once per bucket. Keys popped never
// decrease, which Dijkstra guarantees.
//
// Sources and targets may lie part way along an edge (EdgePoint): a source
// reaches its edge's two ends, and a target is reached from its edge's two
// ends or directly from a source on the same edge.

#include <cstdint>
#include <limits>
#include <vector>

#include <lantern/core/network/street_graph.hpp>

namespace lantern::core {

inline constexpr double unreached = std::numeric_limits<double>::infinity();

struct PathSource {
    EdgePoint at;
    std::uint32_t origin = 0;  // the caller's number for it (a station's index)
    double start = 0;          // distance it starts with, >= 0
};

struct PathOptions {
    // Edges a path may use: one flag per edge, or empty for every edge.
    // A source on an edge the mask forbids is left out.
    std::vector<std::uint8_t> allowed;
    // Second cost of each whole edge (seconds), carried along the shortest
    // paths by length and shared out in proportion along an edge; empty: none.
    std::vector<double> edge_cost;
    // Nodes farther than this are not settled.
    double limit = unreached;
};

class ShortestPaths {
public:
    ShortestPaths(const StreetGraph& graph, std::vector<PathSource> sources, PathOptions options);

    // Distance from the nearest source to node n; unreached when none within the limit.
    double node_distance(std::uint32_t n) const { return m_distance[n]; }

    struct Reach {
        double distance = unreached;
        double cost = unreached;            // the second cost along the same path
        std::uint32_t origin = no_index;    // the source's origin
    };
    // The nearest source of a place on an edge the mask allows, within the limit.
    Reach to(EdgePoint p) const;
    Reach to_node(std::uint32_t n) const;

    // Nodes settled (for reports and tests).
    std::size_t settled() const { return m_settled; }

private:
    const StreetGraph* m_graph;
    PathOptions m_options;
    std::vector<double> m_distance, m_cost;
    std::vector<std::uint32_t> m_origin;
    std::vector<PathSource> m_sources;           // sorted by edge
    std::size_t m_settled = 0;
    bool allowed(std::uint32_t e) const { return m_options.allowed.empty() || m_options.allowed[e]; }
    double edge_cost(std::uint32_t e) const { return m_options.edge_cost.empty() ? 0 : m_options.edge_cost[e]; }
    // Edge e's second cost over `along` metres of it.
    double share(std::uint32_t e, double along) const;
};

// The edges reachable from the sources through allowed edges (their flags),
// for "where can the vehicle get to".
std::vector<std::uint8_t> reachable_edges(const StreetGraph& graph, const std::vector<EdgePoint>& sources,
                                          const std::vector<std::uint8_t>& allowed);

}  // namespace lantern::core
