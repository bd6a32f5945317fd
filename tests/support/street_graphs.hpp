#pragma once
// Finding a street graph's nodes, edges and places by their coordinates, so
// that the network tests speak of places drawn by hand rather than of the
// numbers the noding happened to give them.

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <lantern/core/network/street_graph.hpp>

namespace lantern::test {

// The node at (x, y), within a millimetre.
inline std::uint32_t node_at(const core::StreetGraph& graph, core::PlanePoint p)
{
    for (std::uint32_t n = 0; n < graph.node_count(); ++n)
        if (std::hypot(graph.node(n).x - p.x, graph.node(n).y - p.y) < 1e-3)
            return n;
    throw std::runtime_error("no node at " + std::to_string(p.x) + " " + std::to_string(p.y));
}

// The edge from the node at p to the node at q (either way round).
inline std::uint32_t edge_between(const core::StreetGraph& graph, core::PlanePoint p, core::PlanePoint q)
{
    std::uint32_t from = node_at(graph, p), to = node_at(graph, q);
    for (std::uint32_t e : graph.arcs(from))
        if (graph.other_end(e, from) == to)
            return e;
    throw std::runtime_error("no edge from " + std::to_string(p.x) + " " + std::to_string(p.y) + " to " +
                             std::to_string(q.x) + " " + std::to_string(q.y));
}

// The place `along` metres from p towards q on the edge between them.
inline core::EdgePoint place_between(const core::StreetGraph& graph, core::PlanePoint p, core::PlanePoint q,
                                     double along)
{
    std::uint32_t e = edge_between(graph, p, q);
    bool forward = graph.edge(e).a == node_at(graph, p);
    return {e, forward ? along : graph.edge(e).length - along};
}

}  // namespace lantern::test
