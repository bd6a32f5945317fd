#pragma once
// Generalisation for small-scale tiles: simplification, size measures and
// the space-filling-curve order that thins dense layers evenly.

#include <cstdint>
#include <vector>

#include <lantern/core/tiles/mvt.hpp>

namespace lantern::core {

// Douglas-Peucker: the line with every vertex dropped that lies within the
// tolerance of the simplified line. The ends are kept; a closed ring stays
// closed (first == last) when given closed.
std::vector<TilePoint> simplify_line(const std::vector<TilePoint>& line, double tolerance);

// Length of a line and absolute area of a ring (closed or not).
double line_length(const std::vector<TilePoint>& line);
double ring_area(const std::vector<TilePoint>& ring);

// Position along the Hilbert curve of order 16 that fills the unit square:
// x and y in [0, 1] (clamped). Near positions on the curve are near in the
// plane, so taking every k-th feature in this order thins evenly.
std::uint32_t hilbert_index(double x, double y);

// Whether the feature at this rank along the curve is kept when one in
// 2^level is: nested, so a feature kept at some level is kept at every
// lower level.
inline bool kept_at_level(std::uint64_t rank, int level)
{
    return level <= 0 || (rank & ((std::uint64_t{1} << level) - 1)) == 0;
}

}  // namespace lantern::core
