#pragma once
// A small bitmap font for map legends, scale bars and labels: GDAL draws no
// text and the stack has no font library. One fixed-width 5 x 9 pixel glyph per
// printable ASCII character (7 rows above the baseline, 2 below for g, j, p,
// q, y), drawn at an integer scale. Letters with diacritics (Vietnamese and
// the Latin-1 ones) are drawn as their base letters.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <lantern/core/base/ascii_fold.hpp>

namespace lantern::core::font {

inline constexpr int glyph_width = 5;   // pixels at scale 1
inline constexpr int glyph_height = 9;  // cap height plus the rows below the baseline
inline constexpr int cap_height = 7;
inline constexpr int advance = 6;  // glyph width plus one column between letters

// Rows of a glyph, top first; bit 4 (0x10) is the leftmost column.
using Glyph = std::array<std::uint8_t, glyph_height>;

// The ASCII character a code point is drawn as, and UTF-8 text as the
// characters drawn for it (see ascii_fold).
inline char drawn_as(char32_t code_point)
{
    return ascii_fold(code_point);
}
inline std::string drawn_text(std::string_view utf8)
{
    return ascii_folded(utf8);
}

// The glyph of a printable ASCII character; '?' for any other.
const Glyph& glyph(char c);

// Size in pixels of UTF-8 text drawn on one line at scale (the width without
// the gap after the last letter; the height is glyph_height * scale).
int text_width(std::string_view utf8, int scale);

// The pixels set by drawing UTF-8 text at scale, as (x, y) offsets from the
// top-left corner of the first glyph, row by row within each glyph.
std::vector<std::pair<int, int>> text_pixels(std::string_view utf8, int scale);

}  // namespace lantern::core::font
