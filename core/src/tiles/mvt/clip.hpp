#pragma once
// Clipping in tile coordinates to an axis-aligned box (the buffered tile).

#include <vector>

#include <lantern/core/tiles/mvt.hpp>

namespace lantern::core::mvt {

struct ClipBox {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    bool contains(const TilePoint& p) const
    {
        return p.x >= min_x && p.x <= max_x && p.y >= min_y && p.y <= max_y;
    }
};

// Whether every coordinate is a finite number. A NaN or infinite one has no
// sensible clip and no place on the grid (rounded, it becomes the int64
// minimum): the encoder leaves out a line or ring that has one.
bool all_finite(const std::vector<TilePoint>& points);

// The ring clipped by Sutherland-Hodgman, one box side at a time. A concave
// ring crossing the box can come back with zero-width bridges along the
// box's sides; the polygon repair that follows removes them.
std::vector<TilePoint> clip_ring(const std::vector<TilePoint>& ring, const ClipBox& box);

// The pieces of a line inside the box (Liang-Barsky per segment).
std::vector<std::vector<TilePoint>> clip_line(const std::vector<TilePoint>& line,
                                              const ClipBox& box);

}  // namespace lantern::core::mvt
