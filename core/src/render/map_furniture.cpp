#include "map_furniture.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include <lantern/core/base/numbers.hpp>

namespace lantern::core::render_detail {

void draw_rectangle(cairo_t* cr, double x, double y, double w, double h, const Rgba& fill, const Rgba& stroke,
               double line)
{
    if (fill[3] > 0) {
        cairo_rectangle(cr, x, y, w, h);
        set_colour(cr, fill);
        cairo_fill(cr);
    }
    if (stroke[3] > 0 && line > 0) {
        cairo_rectangle(cr, x + line / 2, y + line / 2, w - line, h - line);
        set_colour(cr, stroke);
        cairo_set_line_width(cr, line);
        cairo_stroke(cr);
    }
}

namespace {

constexpr Rgba ink = {33, 33, 33, 255};
constexpr Rgba paper = {255, 255, 255, 230};
constexpr Rgba white = {255, 255, 255, 255};
constexpr Rgba frame_colour = {110, 110, 110, 255};

TextLook body_text(double s)
{
    TextLook look;
    look.size_px = 11 * s;
    look.colour = ink;
    return look;
}

// The top-left corner of a w x h box in a corner of the page, margin in.
std::pair<double, double> place(const Page& page, Corner corner, double w, double h)
{
    double margin = 8 * page.scale;
    bool left = corner == Corner::top_left || corner == Corner::bottom_left;
    bool top = corner == Corner::top_left || corner == Corner::top_right;
    return {std::round(left ? margin : page.width - margin - w), std::round(top ? margin : page.height - margin - h)};
}

Bounds draw_box(cairo_t* cr, double x, double y, double w, double h)
{
    draw_rectangle(cr, x, y, w, h, paper, frame_colour, 1);
    return {x, y, x + w, y + h};
}

}  // namespace

namespace {

// The legend's rows, measured: title, lines, then swatches with labels.
struct LegendRows {
    struct Row {
        const std::string* text;
        TextLook look;
        const LegendEntry* swatch;
        double y;
        double height;
    };
    std::vector<Row> rows;
    double width = 0, height = 0;
    double pad = 0, swatch_w = 0, swatch_h = 0, gap = 0;
};

LegendRows lay_out_legend(MapText& text, double s, const Legend& legend)
{
    LegendRows out;
    // Boxes on whole pixels, so that a PNG's swatches and frames are crisp.
    out.pad = std::round(8 * s);
    out.swatch_w = std::round(20 * s);
    out.swatch_h = std::round(11 * s);
    out.gap = 3 * s;
    TextLook title = body_text(s), body = body_text(s);
    title.size_px = 13 * s;
    title.bold = true;
    double y = out.pad, right = 0;
    auto add = [&](const std::string& t, const TextLook& look, const LegendEntry* swatch) {
        TextSize size = text.measure(t, look);
        double x = out.pad + (swatch ? out.swatch_w + 6 * s : 0);
        out.rows.push_back({&t, look, swatch, y, size.height});
        right = std::max(right, x + size.width);
        y += size.height + (swatch ? out.gap : 0);
    };
    if (!legend.title.empty()) {
        add(legend.title, title, nullptr);
        y += out.gap;
    }
    for (const auto& line : legend.lines)
        add(line, body, nullptr);
    if (!legend.entries.empty() && y > out.pad)
        y += out.gap;
    for (const auto& entry : legend.entries)
        add(entry.label, body, &entry);
    if (!out.rows.empty()) {
        out.width = std::ceil(right + out.pad);
        out.height = std::ceil(y + out.pad - (legend.entries.empty() ? 0 : out.gap));
    }
    return out;
}

Bounds draw_rows(cairo_t* cr, MapText& text, double s, const LegendRows& layout, double x0, double y0)
{
    Bounds box = draw_box(cr, x0, y0, layout.width, layout.height);
    for (const auto& row : layout.rows) {
        double x = x0 + layout.pad;
        if (row.swatch) {
            double sy = std::round(y0 + row.y + (row.height - layout.swatch_h) / 2);
            draw_rectangle(cr, x, sy, layout.swatch_w, layout.swatch_h, row.swatch->fill, row.swatch->stroke, 1.5 * s);
            x += layout.swatch_w + 6 * s;
        }
        text.draw(*row.text, row.look, x, y0 + row.y);
    }
    return box;
}

}  // namespace

Bounds draw_legend(cairo_t* cr, MapText& text, const Page& page, const Legend& legend, Corner corner)
{
    auto layout = lay_out_legend(text, page.scale, legend);
    if (layout.rows.empty())
        return {};
    auto [x0, y0] = place(page, corner, layout.width, layout.height);
    return draw_rows(cr, text, page.scale, layout, x0, y0);
}

Bounds draw_legend_at(cairo_t* cr, MapText& text, double scale, const Legend& legend, double x, double y)
{
    auto layout = lay_out_legend(text, scale, legend);
    if (layout.rows.empty())
        return {x, y, x, y};
    return draw_rows(cr, text, scale, layout, std::round(x), std::round(y));
}

namespace {

// The longest of 1, 2 or 5 times a power of ten that is at most `most`.
double round_length(double most)
{
    double power = std::pow(10.0, std::floor(std::log10(most)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * power <= most)
            return m * power;
    return power;
}

std::string length_label(double metres)
{
    return metres >= 1000 ? general_text(metres / 1000) + " km" : general_text(metres) + " m";
}

}  // namespace

double draw_scale_bar(cairo_t* cr, MapText& text, const Page& page, double metres_per_pixel, Corner corner,
                      Bounds& box)
{
    const double s = page.scale;
    double metres = round_length(0.2 * page.width * metres_per_pixel);
    double length = std::round(metres / metres_per_pixel);
    if (length < 8)
        return 0;
    std::string label = length_label(metres);
    TextLook look = body_text(s);
    TextSize zero = text.measure("0", look), end = text.measure(label, look);
    const double pad = std::round(6 * s), bar_h = std::round(5 * s);
    // The labels are centred on the bar's ends; the bar on whole pixels.
    double bar_x = std::round(pad + zero.width / 2), bar_y = std::round(pad + zero.height + 2 * s);
    double w = std::ceil(bar_x + length + end.width / 2 + pad), h = std::ceil(bar_y + bar_h + pad);
    auto [x0, y0] = place(page, corner, w, h);
    box = draw_box(cr, x0, y0, w, h);
    text.draw("0", look, x0 + bar_x - zero.width / 2, y0 + pad);
    text.draw(label, look, x0 + bar_x + length - end.width / 2, y0 + pad);
    for (int i = 0; i < 4; ++i) {
        double a = std::round(length * i / 4), b = std::round(length * (i + 1) / 4);
        draw_rectangle(cr, x0 + bar_x + a, y0 + bar_y, b - a, bar_h, i % 2 ? white : ink, {}, 0);
    }
    draw_rectangle(cr, x0 + bar_x, y0 + bar_y, length, bar_h, {}, ink, std::max(1.0, std::round(s / 2)));
    return metres;
}

Bounds draw_north_arrow(cairo_t* cr, MapText& text, const Page& page, Corner corner)
{
    const double s = page.scale, pad = 6 * s, half = 6 * s, arrow_h = 18 * s;
    TextLook look = body_text(s);
    look.bold = true;
    TextSize n = text.measure("N", look);
    double w = std::ceil(std::max(2 * half, n.width) + 2 * pad);
    double arrow_y = pad + n.height + 2 * s, h = std::ceil(arrow_y + arrow_h + pad);
    auto [x0, y0] = place(page, corner, w, h);
    Bounds box = draw_box(cr, x0, y0, w, h);
    double cx = x0 + w / 2, top = y0 + arrow_y, base = top + arrow_h, notch = top + 0.72 * arrow_h;
    text.draw("N", look, cx - n.width / 2, y0 + pad);
    // The head: tip, the two outer corners, and the notch up the middle of its base.
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx - half, base);
    cairo_line_to(cr, cx, notch);
    cairo_close_path(cr);
    set_colour(cr, ink);
    cairo_fill(cr);
    cairo_move_to(cr, cx, top);
    cairo_line_to(cr, cx + half, base);
    cairo_line_to(cr, cx, notch);
    cairo_close_path(cr);
    set_colour(cr, white);
    cairo_fill_preserve(cr);
    set_colour(cr, ink);
    cairo_set_line_width(cr, std::max(1.0, s / 2));
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_stroke(cr);
    return box;
}

}  // namespace lantern::core::render_detail
