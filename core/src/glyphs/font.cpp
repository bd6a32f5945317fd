#include <lantern/core/glyphs/font.hpp>

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

OutlinePoint point(const FT_Vector* v)
{
    return {static_cast<double>(v->x) / 64, static_cast<double>(v->y) / 64};
}

Outline& outline_of(void* user)
{
    return *static_cast<Outline*>(user);
}

int move_to(const FT_Vector* to, void* user)
{
    outline_of(user).move_to(point(to));
    return 0;
}

int line_to(const FT_Vector* to, void* user)
{
    outline_of(user).line_to(point(to));
    return 0;
}

int conic_to(const FT_Vector* control, const FT_Vector* to, void* user)
{
    outline_of(user).quadratic_to(point(control), point(to));
    return 0;
}

int cubic_to(const FT_Vector* control1, const FT_Vector* control2, const FT_Vector* to, void* user)
{
    outline_of(user).cubic_to(point(control1), point(control2), point(to));
    return 0;
}

}  // namespace

struct Font::Face {
    FT_Library library = nullptr;
    FT_Face face = nullptr;

    ~Face()
    {
        if (face)
            FT_Done_Face(face);
        if (library)
            FT_Done_FreeType(library);
    }
};

Font::Font(const std::string& path, long index) : m_face(std::make_unique<Face>())
{
    if (FT_Init_FreeType(&m_face->library) != 0)
        throw FileError("FreeType could not start to read " + path);
    if (FT_New_Face(m_face->library, path.c_str(), index, &m_face->face) != 0)
        throw FileError(path + ": not a font FreeType reads (face " + std::to_string(index) + ")");
    if (!FT_IS_SCALABLE(m_face->face) ||
        FT_Set_Char_Size(m_face->face, 0, FT_F26Dot6{glyph_pixels_per_em} * 64, 72, 72) != 0)
        throw FileError(path + ": a font without outlines, which cannot be drawn at any size");
}

Font::~Font() = default;

bool Font::has(std::uint32_t code_point) const
{
    return FT_Get_Char_Index(m_face->face, code_point) != 0;
}

std::optional<Glyph> Font::glyph(std::uint32_t code_point) const
{
    FT_Face face = m_face->face;
    FT_UInt index = FT_Get_Char_Index(face, code_point);
    // Unhinted, as node-fontnik draws them: the field is scaled on screen,
    // so outlines snapped to this size's pixels would only distort it.
    if (index == 0 || FT_Load_Glyph(face, index, FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0)
        return std::nullopt;
    Glyph glyph;
    glyph.code_point = code_point;
    // Rounded where node-fontnik truncates: a line of text then drifts by
    // less than half a pixel per letter instead of up to one.
    auto advance = (face->glyph->metrics.horiAdvance + 32) / 64;
    glyph.advance = advance > 0 ? static_cast<std::uint32_t>(advance) : 0;
    glyph.ascender = static_cast<std::int32_t>(face->size->metrics.ascender / 64);
    if (face->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
        return glyph;

    Outline outline;
    FT_Outline_Funcs funcs{};
    funcs.move_to = move_to;
    funcs.line_to = line_to;
    funcs.conic_to = conic_to;
    funcs.cubic_to = cubic_to;
    if (FT_Outline_Decompose(&face->glyph->outline, &funcs, &outline) != 0)
        return glyph;
    auto rule = (face->glyph->outline.flags & FT_OUTLINE_EVEN_ODD_FILL) ? FillRule::even_odd : FillRule::nonzero;
    glyph.bitmap = distance_field(outline.contours(), rule);
    return glyph;
}

}  // namespace lantern::core
