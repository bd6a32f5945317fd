#pragma once
// Areas of overlapping polygons without an overlay engine, for the many
// small cases where GEOS's set-up costs more than the work: the part of a
// footprint inside a parcel, the area several footprints cover there.
//
// - clip_to_convex: Sutherland-Hodgman, O(n m). The subject may be concave;
//   where it leaves the convex polygon and comes back, the result runs along
//   the convex polygon's edge and back (a bridge of zero width), which
//   leaves its area exact.
// - convex_fans: a polygon star-shaped from a point (a visibility polygon
//   from its viewpoint) cut into convex parts.
// - fan_window: the few triangles of a fan that can meet a small polygon.
// - convex_union_area: inclusion and exclusion over convex parts, each
//   intersection one clip.

#include <cstddef>
#include <optional>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>
#include <lantern/core/geometry/plane.hpp>

namespace lantern::core {

// Whether the ring is a convex polygon: every turn the same way (straight
// vertices, turns within rounding of straight and repeated points allowed)
// and its boundary winds once.
bool is_convex(const PlaneRing& ring);

// The part of `subject` inside `convex` (either orientation), in the
// subject's orientation; empty when they do not overlap. The subject is
// taken by value: a temporary one is clipped in place.
PlaneRing clip_to_convex(PlaneRing subject, const PlaneRing& convex);

// The ring cut into convex fans: polygons made of `centre` and a run of the
// ring's vertices, with disjoint interiors and the ring as their union.
// The ring must be star-shaped from `centre` (every point of it seen from
// there, as a visibility polygon is from its viewpoint); nothing when it is
// not, nor for a ring of no area.
std::vector<PlaneRing> convex_fans(const PlaneRing& ring, PlanePoint centre);

// The part of a fan from convex_fans (its centre first, then its run) that
// can meet a box: the centre and the shortest run of the fan's triangles
// whose boxes meet it. Its part inside the box is the whole fan's, with
// fewer vertices to clip; empty when no triangle meets the box.
PlaneRing fan_window(const PlaneRing& fan, const Bounds& box);

// A convex polygon and its group: polygons of one group do not overlap (the
// fans of one ring), so no intersection of two of them is looked for.
struct ConvexPart {
    PlaneRing ring;
    std::size_t group = 0;
};

// The area of the union of convex polygons, by inclusion and exclusion over
// their intersections (each convex again, so each one clip), skipping every
// set with two polygons apart or of one group. Nothing when that takes more
// than max_clips clips: overlaps so many that GEOS is the better tool.
std::optional<double> convex_union_area(const std::vector<ConvexPart>& parts, std::size_t max_clips = 4096);

}  // namespace lantern::core
