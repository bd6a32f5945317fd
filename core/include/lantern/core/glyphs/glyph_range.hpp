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
#include <string>
#include <vector>

#include <lantern/core/glyphs/font_catalog.hpp>
#include <lantern/core/glyphs/glyph_names.hpp>

namespace lantern::core {

// The protobuf of the range from `start`: each code point's glyph from the
// first face of the stack that has it; code points none has are left out.
// FileError when a face cannot be read.
std::string glyph_range_pbf(const std::vector<FontFace>& stack, std::uint32_t start);

}  // namespace lantern::core
