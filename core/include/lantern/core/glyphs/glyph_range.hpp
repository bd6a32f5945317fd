#pragma once
// Glyph protobufs for MapLibre: the glyphs of 256 code points for a font
// stack, in the format MapLibre reads from a style's "glyphs" URL
// (node-fontnik's glyphs.proto):
//
//   message glyphs    { repeated fontstack stacks = 1; }
//   message fontstack { string name = 1; string range = 2; repeated glyph glyphs = 3; }
//   message glyph     { uint32 id = 1; bytes bitmap = 2; uint32 width = 3; uint32 height = 4;
//                       sint32 left = 5; sint32 top = 6; uint32 advance = 7; }
//
// top is the glyph box's top edge less the font's ascender (font.hpp); the
// bitmap is the distance field with its border (distance_field.hpp), left
// out for a glyph with no box.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lantern/core/glyphs/font_catalog.hpp>

namespace lantern::core {

inline constexpr std::uint32_t glyph_range_size = 256;
inline constexpr std::uint32_t max_glyph_range_start = 65536 - glyph_range_size;
// A stack longer than any style writes bounds the fonts one request opens.
inline constexpr std::size_t max_fontstack_fonts = 8;
inline constexpr std::size_t max_font_name_bytes = 256;

// "0-255" -> 0, "7680-7935" -> 7680: the start a multiple of 256 up to
// 65280, the end 255 after it, both in plain decimal. None otherwise.
std::optional<std::uint32_t> parse_glyph_range(std::string_view text);

// 0 -> "0-255"
std::string glyph_range_name(std::uint32_t start);

// "Noto Sans Regular,DejaVu Sans Book" -> its font names in order, blanks
// around each trimmed. None for an empty name, a name repeated, or more
// than max_fontstack_fonts names or longer than max_font_name_bytes.
std::optional<std::vector<std::string>> parse_fontstack(std::string_view text);

// The protobuf of the range from `start`: each code point's glyph from the
// first face of the stack that has it; code points none has are left out.
// FileError when a face cannot be read.
std::string glyph_range_pbf(const std::vector<FontFace>& stack, std::uint32_t start);

}  // namespace lantern::core
