#pragma once
// Text on a Cairo drawing, shaped by Pango (HarfBuzz) in Noto Sans, or
// DejaVu Sans where fontconfig finds no Noto: every Vietnamese letter and
// tone mark as written. Sizes come from the font's metrics without hinting,
// so a PNG and a PDF of one map place their text alike.

#include <string>
#include <string_view>

#include <cairo.h>

#include <lantern/core/render/render.hpp>

typedef struct _PangoLayout PangoLayout;

namespace lantern::core::render_detail {

struct TextLook {
    double size_px = 11;
    Rgba colour = {33, 33, 33, 255};
    Rgba halo = {0, 0, 0, 0};  // opacity 0: none
    double halo_px = 0;         // the halo's width around the letters
    bool bold = false;
    bool italic = false;
    double wrap_px = 0;  // lines broken at words to this width; 0: one line
};

struct TextSize {
    double width = 0;
    double height = 0;  // a line: ascent and descent
};

class MapText {
public:
    // Text as elements: instead of drawing the letters, keep each text for
    // svg_text(), so that an SVG carries its text as <text> elements that
    // an editor or a search can read (Cairo would write glyph outlines).
    explicit MapText(cairo_t* cr, bool text_as_elements = false);
    ~MapText();
    MapText(const MapText&) = delete;
    MapText& operator=(const MapText&) = delete;

    TextSize measure(std::string_view utf8, const TextLook& look);
    // The text with the top-left corner of its box at (x, y).
    void draw(std::string_view utf8, const TextLook& look, double x, double y);
    // The text centred on (x, y), turned clockwise by angle radians.
    void draw_turned(std::string_view utf8, const TextLook& look, double x, double y, double angle);

    // The texts kept as elements, as SVG <text> elements in the order drawn.
    const std::string& svg_text() const { return m_svg; }

private:
    void set(std::string_view utf8, const TextLook& look);
    void keep_as_element(std::string_view utf8, const TextLook& look, double left, double baseline);

    cairo_t* m_cr;
    PangoLayout* m_layout;
    bool m_as_elements;
    std::string m_svg;
};

void set_colour(cairo_t* cr, const Rgba& colour);

}  // namespace lantern::core::render_detail
