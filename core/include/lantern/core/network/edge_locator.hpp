#pragma once
// The nearest place on a street graph's edges to a point or a polygon (a
// building's footprint), among the edges a mask allows: an R-tree of the
// edges' segment boxes, searched nearest box first and stopped once a box
// lies farther than the best segment found.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <lantern/core/network/street_graph.hpp>

namespace lantern::core {

struct NearestEdgePoint {
    EdgePoint at;
    double gap = 0;        // straight distance from the point or polygon to it, metres
    PlanePoint point;      // where it is
};

class EdgeLocator {
public:
    // Over the edges whose flag is set (all when `allowed` is empty).
    EdgeLocator(const StreetGraph& graph, const std::vector<std::uint8_t>& allowed = {});
    ~EdgeLocator();
    EdgeLocator(EdgeLocator&&) noexcept;
    EdgeLocator& operator=(EdgeLocator&&) noexcept;

    // None when no edge is allowed. Equal distances go to the lower edge,
    // then to the lower offset. Safe from many threads.
    std::optional<NearestEdgePoint> nearest(PlanePoint p) const;
    // To a polygon: 0 where an edge crosses it (at the first such place
    // along the lowest such edge).
    std::optional<NearestEdgePoint> nearest(const PlanePolygon& polygon) const;

private:
    struct Index;
    std::unique_ptr<Index> m_index;
};

}  // namespace lantern::core
