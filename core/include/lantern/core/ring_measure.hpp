#pragma once
// Measuring lines and points against simple polygons given as rings (a view
// polygon, a lit footprint): which parts of a segment lie inside, whether a
// point does. Exact up to a tolerance of 1e-9 map units; the boundary counts
// as inside, so a street that runs along a footprint's edge is covered.

#include <utility>
#include <vector>

#include <lantern/core/crs.hpp>
#include <lantern/core/visibility.hpp>

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

}  // namespace lantern::core
