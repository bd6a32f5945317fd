#pragma once
// Dead ends of a street graph: from each node where a single allowed edge
// ends, the chain of allowed edges back through nodes of two allowed edges to
// the first junction (three or more) or to another dead end. A chain that
// ends at nodes of one edge at both ends (a lone street) is one dead end.

#include <cstdint>
#include <vector>

#include <lantern/core/network/street_graph.hpp>

namespace lantern::core {

struct DeadEnd {
    std::uint32_t end = 0;               // the node where the street stops
    std::uint32_t junction = 0;          // where the chain meets the rest (or its other end)
    std::vector<std::uint32_t> edges;    // from the end to the junction
    double length = 0;                   // metres
};

// Over the edges whose flag is set (all when `allowed` is empty).
std::vector<DeadEnd> dead_ends(const StreetGraph& graph, const std::vector<std::uint8_t>& allowed = {});

}  // namespace lantern::core
