#pragma once
// Signed distance fields of glyph outlines, in the encoding of MapLibre's
// glyph protobufs as node-fontnik makes them: a 3-pixel border around the
// glyph's box, distances up to 8 pixels, the outline at value 192:
//
//   value = 255 - 255 * (d / 8 + 0.25), rounded and clamped to 0..255,
//
// d the signed distance from a pixel's centre to the outline, in pixels,
// positive outside. So 255 is 2 pixels or more inside, 0 is 6 pixels or
// more outside.
//
// The distances are measured here from the outline itself, not taken from
// FreeType's SDF renderer (FT_RENDER_MODE_SDF): that one stores them in 8
// bits over +-spread, which at the 6 pixels this encoding needs outside is
// half the precision of the encoding, and its header says it handles
// overlapping contours poorly, which composite Vietnamese letters have (the
// horn of ơ and ư drawn over o and u). Inside is decided by the fill rule,
// and a piece of outline with fill on both sides (inside another contour)
// is no edge, so overlaps leave no seam.

#include <cstdint>
#include <string>
#include <vector>

#include <lantern/core/glyphs/outline.hpp>

namespace lantern::core {

inline constexpr int sdf_border = 3;          // pixels around the glyph's box
inline constexpr double sdf_radius = 8;       // pixels of distance the values span
inline constexpr double sdf_cutoff = 0.25;    // the share of the span inside

// The encoded value of a signed distance in pixels (positive outside).
std::uint8_t sdf_value(double signed_distance);

enum class FillRule { nonzero, even_odd };

struct GlyphBitmap {
    // The glyph's box in whole pixels: its width and height, its left edge
    // from the origin and its top edge above the baseline.
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    std::int32_t left = 0;
    std::int32_t top = 0;
    // (width + 6) x (height + 6) values, the top row first; empty when the
    // box is (a space).
    std::string sdf;

    std::uint32_t sdf_width() const { return width + 2 * sdf_border; }
    std::uint32_t sdf_height() const { return height + 2 * sdf_border; }
};

// The box is the contours' bounds with each edge rounded to the nearest
// pixel, as node-fontnik rounds it; a box of no width or no height has no
// field. Coordinates are pixels, y up, the origin on the baseline.
GlyphBitmap distance_field(const std::vector<OutlineContour>& contours,
                           FillRule rule = FillRule::nonzero);

}  // namespace lantern::core
