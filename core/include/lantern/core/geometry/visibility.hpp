#pragma once
// Exact 2D visibility from a point within a view sector (a camera's view, a
// lamp's reach), occluded by building footprints: the region a device sees.
//
// What is visible:
// - Buildings hide everything behind them whatever their height. A point is
//   visible when the open segment from the viewpoint to it crosses no
//   occluder interior: grazing along a wall or touching a corner does not
//   hide. Points inside an occluder are never visible.
// - The sector holds the points within `range` (inclusive) whose compass
//   bearing from the origin is within half the field of view of the heading;
//   it may cross north (heading 350, fov 40). A fov of 360 is the full circle.
// - A device on a facade, within facade_tolerance of an occluder boundary
//   (inside or outside), sees from the nearest point facade_tolerance outside
//   that boundary: the viewpoint moves there and the sector is taken from it.
//   A device deeper inside an occluder, or on a wall shared by two touching
//   buildings, sees nothing. A device in a courtyard (a hole, or a space
//   enclosed by touching buildings) sees the courtyard only.
//
// The region is a simple polygon, star-shaped around the viewpoint: one ring,
// counter-clockwise, without a repeated closing point. For a fov below 360
// its first vertex is the viewpoint; for 360 the ring goes round it. Arcs of
// the range circle are polygonal, with vertices on the circle.
//
// Algorithm: the rotational sweep of Asano (1985), "An efficient algorithm
// for finding the visibility polygon for a polygonal region with holes",
// over the walls that face the viewpoint within range: walls split where
// they cross the sector's rays, the range circle and each other, endpoint
// events sorted by angle, the active walls in a balanced tree ordered by
// which one is in front, the nearest one emitted between events.
// O(n log n) in the walls in range. Coincidence tests use 1e-9 m and
// 1e-12 rad (events closer in angle are one event), which suits coordinates
// in metres and ranges up to tens of kilometres.

#include <cstddef>
#include <memory>
#include <vector>

#include <lantern/core/geometry/plane.hpp>

namespace lantern::core {

struct ViewSector {
    PlanePoint origin;
    double heading_deg = 0;  // compass bearing of the axis, degrees clockwise from north (+y)
    double fov_deg = 360;    // full opening angle, (0, 360]
    double range = 0;        // metres; points at exactly this distance are inside
};

struct VisibilityOptions {
    // Vertices on the arcs of the range circle at most this far apart
    // (steps above 90 degrees count as 90).
    double max_arc_step_deg = 1.0;
    // Metres; a device this close to a wall sees from this far outside it.
    // Values below 1e-6 m count as 1e-6 m so that no viewpoint is on a wall.
    double facade_tolerance = 0.05;
};

// What one query worked on, for benchmarks.
struct VisibilityStats {
    std::size_t candidate_edges = 0;  // edges whose boxes meet the sector's box
    std::size_t swept_edges = 0;      // facing parts within the sector and range
};

// Opaque polygons (building footprints) behind a packed R-tree of their
// edges. Rings may come in either orientation; repeated closing points,
// duplicate vertices and rings with fewer than three distinct vertices are
// dropped. Queries are const and may run concurrently.
class Occluders {
public:
    explicit Occluders(const std::vector<PlanePolygon>& polygons);
    ~Occluders();
    Occluders(Occluders&&) noexcept;
    Occluders& operator=(Occluders&&) noexcept;
    Occluders(const Occluders&) = delete;
    Occluders& operator=(const Occluders&) = delete;

    std::size_t edge_count() const;

    // Whether the point lies in the interior of an occluder: not on its
    // boundary, not in a hole (a courtyard is open).
    bool inside(PlanePoint p) const;

    // The region visible from the sector's origin within the sector; empty
    // when nothing is visible (the device inside an occluder, range <= 0).
    // Throws UsageError for a fov outside (0, 360] or a non-positive arc step.
    PlaneRing visible_region(const ViewSector& sector,
                             const VisibilityOptions& options = {}) const;
    PlaneRing visible_region(const ViewSector& sector, const VisibilityOptions& options,
                             VisibilityStats& stats) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Whether p is within the sector: within range (inclusive) of the origin and
// its bearing within fov/2 of the heading (wrapping across north). The
// origin itself is within every sector of non-negative range.
bool in_sector(const ViewSector& sector, PlanePoint p);

}  // namespace lantern::core
