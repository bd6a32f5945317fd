#pragma once
// A routable street network: the noded lines (node_lines, line_graph.hpp)
// as compact arrays, with each edge's length, width and kind, and the arcs at
// each node in one array (compressed sparse rows), so that a search touches
// memory in order. Edges are two-way. Kinds are the caller's numbers (a road
// class's index, say); the graph knows no class by name.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <lantern/core/geometry/line_graph.hpp>
#include <lantern/core/geometry/plane.hpp>

namespace lantern::core {

inline constexpr std::uint32_t no_index = std::numeric_limits<std::uint32_t>::max();

struct StreetEdge {
    std::uint32_t a = 0, b = 0;  // nodes at its ends
    double length = 0;           // along its shape, metres
    double width = 0;            // of its line; 0 where the line gave none
    std::uint16_t kind = 0;      // of its line
    std::uint32_t line = 0;      // the input line it is part of
};

class StreetGraph {
public:
    // The lines noded where they meet (options as node_lines'); widths and
    // kinds are one per line, or empty for 0. Throws UsageError when a
    // non-empty widths or kinds has another size than lines.
    static StreetGraph from_lines(const std::vector<std::vector<PlanePoint>>& lines,
                                  const std::vector<double>& widths, const std::vector<std::uint16_t>& kinds,
                                  const LineGraphOptions& options = {});

    std::size_t node_count() const { return m_nodes.size(); }
    std::size_t edge_count() const { return m_edges.size(); }
    const PlanePoint& node(std::uint32_t n) const { return m_nodes[n]; }
    const StreetEdge& edge(std::uint32_t e) const { return m_edges[e]; }
    const std::vector<StreetEdge>& edges() const { return m_edges; }

    // The edge's shape, from node a to node b.
    std::vector<PlanePoint> shape(std::uint32_t e) const;
    // The point `offset` metres along the edge from node a (clamped to the edge).
    PlanePoint point_along(std::uint32_t e, double offset) const;
    // The part of the edge between two offsets from node a, in that order.
    std::vector<PlanePoint> part(std::uint32_t e, double from, double to) const;

    // The edges at node n (an edge that loops appears twice).
    struct Arcs {
        const std::uint32_t* first;
        const std::uint32_t* last;
        const std::uint32_t* begin() const { return first; }
        const std::uint32_t* end() const { return last; }
        std::size_t size() const { return static_cast<std::size_t>(last - first); }
    };
    Arcs arcs(std::uint32_t n) const
    {
        return {m_arc_edges.data() + m_first_arc[n], m_arc_edges.data() + m_first_arc[n + 1]};
    }
    std::uint32_t other_end(std::uint32_t e, std::uint32_t n) const
    {
        return m_edges[e].a == n ? m_edges[e].b : m_edges[e].a;
    }

    // Bytes held, for reports.
    std::size_t memory_bytes() const;

private:
    std::vector<PlanePoint> m_nodes;
    std::vector<StreetEdge> m_edges;
    std::vector<std::uint32_t> m_first_point;  // edge e's shape: points [first[e], first[e + 1])
    std::vector<PlanePoint> m_points;
    std::vector<std::uint32_t> m_first_arc;    // node n's arcs: [first[n], first[n + 1])
    std::vector<std::uint32_t> m_arc_edges;
};

// A place on an edge: `offset` metres along it from its node a.
struct EdgePoint {
    std::uint32_t edge = no_index;
    double offset = 0;
};

}  // namespace lantern::core
