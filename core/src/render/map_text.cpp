#include "map_text.hpp"

#include <string>

#include <pango/pangocairo.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/base/utf8.hpp>

namespace lantern::core::render_detail {

namespace {

constexpr const char* font_families = "Noto Sans,DejaVu Sans,sans-serif";

// Pango and XML take valid UTF-8 only; names come from the city's data.
std::string valid_text(std::string_view utf8)
{
    std::string text(utf8);
    if (!is_valid_utf8(text)) {
        gchar* valid = g_utf8_make_valid(text.data(), static_cast<gssize>(text.size()));
        text = valid;
        g_free(valid);
    }
    return text;
}

}  // namespace

void set_colour(cairo_t* cr, const Rgba& colour)
{
    cairo_set_source_rgba(cr, colour[0] / 255.0, colour[1] / 255.0, colour[2] / 255.0, colour[3] / 255.0);
}

MapText::MapText(cairo_t* cr, bool text_as_elements)
    : m_cr(cr), m_layout(pango_cairo_create_layout(cr)), m_as_elements(text_as_elements)
{
    if (!m_layout)
        throw Error("Pango cannot lay out text");
    // Outlines as designed, neither hinted nor rounded to whole pixels: the
    // same sizes on a PNG and a PDF.
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY);
    PangoContext* context = pango_layout_get_context(m_layout);
    pango_cairo_context_set_font_options(context, options);
    cairo_font_options_destroy(options);
    pango_layout_context_changed(m_layout);
}

MapText::~MapText()
{
    g_object_unref(m_layout);
}

void MapText::set(std::string_view utf8, const TextLook& look)
{
    std::string text = valid_text(utf8);
    PangoFontDescription* font = pango_font_description_from_string(font_families);
    pango_font_description_set_absolute_size(font, look.size_px * PANGO_SCALE);
    pango_font_description_set_weight(font, look.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(font, look.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(m_layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(m_layout, look.wrap_px > 0 ? static_cast<int>(look.wrap_px * PANGO_SCALE) : -1);
    pango_layout_set_wrap(m_layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_text(m_layout, text.data(), static_cast<int>(text.size()));
}

TextSize MapText::measure(std::string_view utf8, const TextLook& look)
{
    set(utf8, look);
    PangoRectangle logical;
    pango_layout_get_extents(m_layout, nullptr, &logical);
    return {static_cast<double>(logical.width) / PANGO_SCALE, static_cast<double>(logical.height) / PANGO_SCALE};
}

void MapText::draw(std::string_view utf8, const TextLook& look, double x, double y)
{
    set(utf8, look);
    PangoRectangle logical;
    pango_layout_get_extents(m_layout, nullptr, &logical);
    double left = x - static_cast<double>(logical.x) / PANGO_SCALE, top = y - static_cast<double>(logical.y) / PANGO_SCALE;
    if (m_as_elements) {
        // One element per line, at the line's baseline.
        const char* all = pango_layout_get_text(m_layout);
        PangoLayoutIter* line = pango_layout_get_iter(m_layout);
        do {
            PangoLayoutLine* l = pango_layout_iter_get_line_readonly(line);
            std::string_view part(all + l->start_index, static_cast<std::size_t>(l->length));
            keep_as_element(part, look, left,
                            top + static_cast<double>(pango_layout_iter_get_baseline(line)) / PANGO_SCALE);
        } while (pango_layout_iter_next_line(line));
        pango_layout_iter_free(line);
        return;
    }
    if (look.halo[3] > 0 && look.halo_px > 0) {
        cairo_save(m_cr);
        cairo_move_to(m_cr, left, top);
        pango_cairo_layout_path(m_cr, m_layout);
        set_colour(m_cr, look.halo);
        cairo_set_line_width(m_cr, 2 * look.halo_px);
        cairo_set_line_join(m_cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(m_cr);
        cairo_restore(m_cr);
    }
    // Shown as text, not as outlines: a PDF keeps it searchable.
    cairo_move_to(m_cr, left, top);
    set_colour(m_cr, look.colour);
    pango_cairo_show_layout(m_cr, m_layout);
    cairo_new_path(m_cr);
}

namespace {

std::string xml_escaped(std::string_view text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string svg_colour(const Rgba& c)
{
    return "rgb(" + std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2]) + ")";
}

std::string svg_number(double v)
{
    return general_text(v, 9);
}

}  // namespace

void MapText::keep_as_element(std::string_view utf8, const TextLook& look, double left, double baseline)
{
    // Where the text stands in the document: the drawing's current transform.
    cairo_matrix_t m;
    cairo_get_matrix(m_cr, &m);
    std::string text = valid_text(utf8);
    m_svg += "<text transform=\"matrix(" + svg_number(m.xx) + " " + svg_number(m.yx) + " " + svg_number(m.xy) +
             " " + svg_number(m.yy) + " " + svg_number(m.x0) + " " + svg_number(m.y0) + ")\" x=\"" +
             svg_number(left) + "\" y=\"" + svg_number(baseline) +
             "\" font-family=\"Noto Sans, DejaVu Sans, sans-serif\" font-size=\"" + svg_number(look.size_px) +
             "\"" + (look.bold ? " font-weight=\"bold\"" : "") + (look.italic ? " font-style=\"italic\"" : "") +
             " fill=\"" + svg_colour(look.colour) + "\"" +
             (look.colour[3] < 255 ? " fill-opacity=\"" + svg_number(look.colour[3] / 255.0) + "\"" : "");
    if (look.halo[3] > 0 && look.halo_px > 0)
        m_svg += " stroke=\"" + svg_colour(look.halo) + "\" stroke-opacity=\"" + svg_number(look.halo[3] / 255.0) +
                 "\" stroke-width=\"" + svg_number(2 * look.halo_px) + "\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
    m_svg += ">" + xml_escaped(text) + "</text>\n";
}

void MapText::draw_turned(std::string_view utf8, const TextLook& look, double x, double y, double angle)
{
    TextSize size = measure(utf8, look);
    cairo_save(m_cr);
    cairo_translate(m_cr, x, y);
    cairo_rotate(m_cr, angle);
    draw(utf8, look, -size.width / 2, -size.height / 2);
    cairo_restore(m_cr);
}

}  // namespace lantern::core::render_detail
