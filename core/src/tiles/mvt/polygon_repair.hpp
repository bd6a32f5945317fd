#pragma once
// Polygons on the tile's integer grid. Rounding every vertex to the grid can
// make a valid polygon invalid (a thin part collapses, two edges cross or
// touch), and PostGIS and several tile servers ship such polygons. Here a
// small single-ring polygon that is still simple after rounding is kept as
// it is (the common case, checked exactly in integers); everything else is
// clipped and snap-rounded by GEOS (OverlayNG with a precision model of one
// tile unit), whose output is valid by construction.

#include <cstdint>
#include <vector>

#include "clip.hpp"

namespace lantern::core::mvt {

struct GridPoint {
    std::int64_t x = 0;
    std::int64_t y = 0;
    friend bool operator==(const GridPoint&, const GridPoint&) = default;
};

// A ring without its closing point.
using GridRing = std::vector<GridPoint>;
// Exterior ring (positive area in tile coordinates, y down) then its holes
// (negative area).
using GridPolygon = std::vector<GridRing>;

// Twice the ring's signed area by the surveyor's formula, in tile units.
std::int64_t twice_area(const GridRing& ring);

// True when the ring has at least three points, a non-zero area, no two
// edges that cross or touch other than neighbours at their shared vertex,
// and no edge that folds back over the previous one.
bool is_simple_ring(const GridRing& ring);

// The polygons of one feature (each: exterior first, then holes, any
// orientation, unclipped) clipped to the box, simplified by Douglas-Peucker
// with the tolerance (0: not at all), rounded to the integer grid and made
// valid together: zero or more polygons that form a valid multipolygon,
// oriented as the MVT specification says. A ring with a coordinate that is
// not finite (all_finite) is left out, and an exterior with its polygon.
std::vector<GridPolygon> clip_and_snap_polygons(
    const std::vector<std::vector<std::vector<TilePoint>>>& polygons, const ClipBox& box,
    double tolerance);

}  // namespace lantern::core::mvt
