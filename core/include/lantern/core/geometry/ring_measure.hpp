#pragma once
// Measuring lines and points against simple polygons given as rings (a view
// polygon, a lit footprint): which parts of a segment lie inside, whether a
// point does. Exact up to a tolerance of 1e-9 map units; the boundary counts
// as inside, so a street that runs along a footprint's edge is covered.
//
// PolygonStrips answers the point question many times over for polygons of
// thousands of edges (a ward's boundary): it files the edges into horizontal
// strips once, so that a point tests only the few edges at its height.

#include <utility>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>
#include <lantern/core/geometry/plane.hpp>

namespace lantern::core {

// A closed interval of a segment's parameter, 0 at its start and 1 at its end.
using SegmentInterval = std::pair<double, double>;

// Whether the point lies inside the ring or on its boundary (even-odd rule).
bool ring_contains(const PlaneRing& ring, PlanePoint p);

// The parts of the segment a-b inside the ring, as sorted, disjoint
// intervals of its parameter. A segment of zero length gives [0, 0] when its
// point is inside.
std::vector<SegmentInterval> segment_inside(const PlaneRing& ring, PlanePoint a, PlanePoint b);

// Sorts and merges overlapping or touching intervals.
std::vector<SegmentInterval> merge_intervals(std::vector<SegmentInterval> intervals);

// Signed area by the shoelace formula: positive counter-clockwise.
double ring_area(const PlaneRing& ring);

Bounds ring_bounds(const PlaneRing& ring);

// A multipolygon (parts with holes, parts apart, holes inside their part)
// prepared for point tests in O(edges at the point's height).
class PolygonStrips {
public:
    explicit PolygonStrips(const std::vector<PlanePolygon>& parts);

    // Whether the point lies inside or on the boundary, as ring_contains
    // over the exterior and holes (even-odd over all rings).
    bool covers(PlanePoint p) const;

    const Bounds& bounds() const { return m_bounds; }

private:
    struct Edge {
        PlanePoint a, b;
    };
    Bounds m_bounds;
    double m_strip_height = 1;
    std::vector<std::size_t> m_first;  // strip k's edges are m_edges[m_first[k], m_first[k + 1])
    std::vector<Edge> m_edges;
};

}  // namespace lantern::core
