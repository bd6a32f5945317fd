#include "print_page.hpp"

#include <algorithm>
#include <cmath>

#include "map_furniture.hpp"

namespace lantern::core::render_detail {

namespace {

constexpr Rgba ink = {33, 33, 33, 255};
constexpr Rgba grey_ink = {90, 90, 90, 255};

// Text sizes on paper, in points (1/72 inch), as pixels at the page's dpi.
TextLook look_in_points(const PagePlan& page, double points, bool bold = false)
{
    TextLook look;
    look.size_px = points * page.mm * 25.4 / 72;
    look.colour = ink;
    look.bold = bold;
    return look;
}

}  // namespace

PagePlan plan_page(const PrintLayout& layout, double dpi, double text_scale)
{
    PagePlan p;
    p.mm = dpi / 25.4;
    p.width = std::round(layout.width_mm * p.mm);
    p.height = std::round(layout.height_mm * p.mm);
    p.scale = text_scale > 0 ? text_scale : dpi / 96;
    p.landscape = layout.width_mm >= layout.height_mm;
    const double margin = 10 * p.mm, gap = 5 * p.mm;
    p.header = {margin, margin, p.width - 2 * margin, 16 * p.mm};
    double top = p.header.y + p.header.h + 2 * p.mm, bottom = p.height - margin;
    if (p.landscape) {
        // The panel down the right side: legend, notes, then the locator at its foot.
        double panel_w = std::min(75 * p.mm, 0.3 * p.width);
        double panel_x = p.width - margin - panel_w;
        p.map = {margin, top, panel_x - gap - margin, bottom - top};
        double locator_h = layout.locator ? panel_w * 0.75 : 0;
        p.locator = {panel_x, bottom - locator_h, panel_w, locator_h};
        double notes_h = 35 * p.mm;
        p.notes = {panel_x, p.locator.y - (layout.locator ? gap : 0) - notes_h, panel_w, notes_h};
        p.legend = {panel_x, top, panel_w, p.notes.y - gap - top};
    } else {
        // The panel across the foot: legend, notes, locator side by side.
        double panel_h = std::min(70 * p.mm, 0.3 * p.height);
        double panel_y = bottom - panel_h;
        p.map = {margin, top, p.width - 2 * margin, panel_y - gap - top};
        double inner = p.width - 2 * margin;
        double locator_w = layout.locator ? std::min(panel_h * 4 / 3, 0.3 * inner) : 0;
        double legend_w = 0.45 * inner;
        p.legend = {margin, panel_y, legend_w, panel_h};
        p.locator = {p.width - margin - locator_w, panel_y, locator_w, panel_h};
        double notes_x = margin + legend_w + gap;
        p.notes = {notes_x, panel_y, p.locator.x - (layout.locator ? gap : 0) - notes_x, panel_h};
    }
    return p;
}

void draw_header(cairo_t* cr, MapText& text, const PagePlan& page, const PrintLayout& layout)
{
    double y = page.header.y;
    if (!layout.title.empty()) {
        TextLook title = look_in_points(page, 16, true);
        title.wrap_px = page.header.w;
        text.draw(layout.title, title, page.header.x, y);
        y += text.measure(layout.title, title).height;
    }
    if (!layout.subtitle.empty()) {
        TextLook subtitle = look_in_points(page, 10.5);
        subtitle.colour = grey_ink;
        subtitle.wrap_px = page.header.w;
        text.draw(layout.subtitle, subtitle, page.header.x, y);
    }
    // A rule under the header.
    draw_rectangle(cr, page.header.x, page.header.y + page.header.h, page.header.w, std::max(1.0, 0.3 * page.mm),
                   grey_ink, {}, 0);
}

void draw_notes(cairo_t*, MapText& text, const PagePlan& page, const std::vector<std::string>& notes)
{
    TextLook small = look_in_points(page, 7.5);
    small.colour = grey_ink;
    small.wrap_px = page.notes.w;
    double y = page.notes.y;
    for (const auto& note : notes) {
        double h = text.measure(note, small).height;
        if (y + h > page.notes.y + page.notes.h)
            break;  // what does not fit is left out rather than drawn over the locator
        text.draw(note, small, page.notes.x, y);
        y += h + 0.8 * page.mm;
    }
}

int draw_table_pages(cairo_t* cr, MapText& text, const PagePlan& page, const TablePage& table)
{
    const double margin = 10 * page.mm, pad = 2 * page.mm;
    TextLook head = look_in_points(page, 9, true), cell = look_in_points(page, 9);
    TextLook title = look_in_points(page, 16, true);
    // Columns as wide as their widest text; the first (names) takes what is left.
    std::size_t columns = table.header.size();
    for (const auto& row : table.rows)
        columns = std::max(columns, row.size());
    std::vector<double> widths(columns, 0);
    const double indent = 4 * page.mm;
    auto listed = [](const std::vector<std::size_t>& rows, std::size_t row) {
        return std::find(rows.begin(), rows.end(), row) != rows.end();
    };
    auto widen = [&](const std::vector<std::string>& row, const TextLook& look, double first_indent) {
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], text.measure(row[c], look).width + 2 * pad + (c == 0 ? first_indent : 0));
    };
    widen(table.header, head, 0);
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        widen(table.rows[r], listed(table.bold_rows, r) ? head : cell, listed(table.indented_rows, r) ? indent : 0);
    double row_h = text.measure("Ấy", cell).height + 1.5 * pad;
    double usable = page.width - 2 * margin, total = 0;
    for (double w : widths)
        total += w;
    double squeeze = total > usable ? usable / total : 1;  // a table wider than the page is drawn narrower
    auto draw_row = [&](const std::vector<std::string>& row, const TextLook& look, double y, bool shaded,
                        double first_indent) {
        if (shaded)
            draw_rectangle(cr, margin, y, usable, row_h, {240, 240, 236, 255}, {}, 0);
        double x = margin;
        for (std::size_t c = 0; c < row.size(); ++c) {
            TextLook fitted = look;
            fitted.size_px *= squeeze;
            double w = text.measure(row[c], fitted).width;
            // Names to the left, numbers to the right of their column.
            double tx = c == 0 ? x + (pad + first_indent) * squeeze : x + widths[c] * squeeze - pad * squeeze - w;
            text.draw(row[c], fitted, tx, y + 0.75 * pad);
            x += widths[c] * squeeze;
        }
    };
    std::size_t next = 0;
    int pages = 0;
    do {
        double y = margin;
        text.draw(table.title, title, margin, y);
        y += text.measure(table.title, title).height + 4 * page.mm;
        draw_row(table.header, head, y, false, 0);
        y += row_h;
        draw_rectangle(cr, margin, y, usable, std::max(1.0, 0.3 * page.mm), ink, {}, 0);
        double notes_h = static_cast<double>(table.notes.size()) * text.measure("Ấy", cell).height * 1.4 + 4 * page.mm;
        bool shaded = false;
        std::size_t first = next;
        // At least one row a page, so that a page too small for any still ends.
        while (next < table.rows.size() && (next == first || y + row_h <= page.height - margin - notes_h)) {
            bool bold = listed(table.bold_rows, next), indented = listed(table.indented_rows, next);
            draw_row(table.rows[next], bold ? head : cell, y, shaded, indented ? indent : 0);
            ++next;
            shaded = !shaded;
            y += row_h;
        }
        y += 3 * page.mm;
        TextLook small = look_in_points(page, 7.5);
        small.colour = grey_ink;
        small.wrap_px = usable;
        for (const auto& note : table.notes) {
            text.draw(note, small, margin, y);
            y += text.measure(note, small).height + 0.8 * page.mm;
        }
        cairo_show_page(cr);
        ++pages;
    } while (next < table.rows.size());
    return pages;
}

}  // namespace lantern::core::render_detail
