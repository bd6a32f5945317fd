#pragma once
// One face of a font file, opened with FreeType of its own, and its glyphs
// as signed distance fields at 24 pixels to the em (distance_field.hpp).
// A Font is used by one thread at a time; fonts opened apart share nothing.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <lantern/core/glyphs/distance_field.hpp>

namespace lantern::core {

// The em size glyph protobufs are drawn at; MapLibre scales from it.
inline constexpr int glyph_pixels_per_em = 24;

struct Glyph {
    std::uint32_t code_point = 0;
    GlyphBitmap bitmap;
    // The pen's advance, in whole pixels.
    std::uint32_t advance = 0;
    // The font's ascender at this size, in whole pixels above the baseline.
    // The glyph protobufs give a glyph's top from this line (top minus
    // ascender), as node-fontnik wrote them and MapLibre's layout expects.
    std::int32_t ascender = 0;
};

class Font {
public:
    // FileError when FreeType cannot read the face `index` of the file.
    Font(const std::string& path, long index);
    ~Font();
    Font(const Font&) = delete;
    Font& operator=(const Font&) = delete;

    bool has(std::uint32_t code_point) const;
    // None when the font has no glyph for the code point.
    std::optional<Glyph> glyph(std::uint32_t code_point) const;

private:
    struct Face;
    std::unique_ptr<Face> m_face;
};

}  // namespace lantern::core
