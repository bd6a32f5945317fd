#pragma once
// The parts of a printed page around the map: where the map, the panel and
// the locator go on the paper, the title and subtitle over them, the notes,
// and pages of tables.

#include <cairo.h>

#include <lantern/core/render/render.hpp>

#include "map_text.hpp"

namespace lantern::core::render_detail {

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
};

// Where things go on a page of `layout` at `dpi`, all in pixels.
struct PagePlan {
    double width = 0, height = 0;  // the paper
    double mm = 1;                 // pixels per millimetre
    double scale = 1;              // text scale
    bool landscape = true;
    Rect header;   // title and subtitle
    Rect map;      // the map's frame
    Rect legend;   // the panel's part for the legend
    Rect notes;    // and for the notes
    Rect locator;  // and for the locator map
};

PagePlan plan_page(const PrintLayout& layout, double dpi, double text_scale);

// The title, bold, and the subtitle under it, in the header.
void draw_header(cairo_t* cr, MapText& text, const PagePlan& page, const PrintLayout& layout);

// Lines of small text from the top of the box, each wrapped to its width.
void draw_notes(cairo_t* cr, MapText& text, const PagePlan& page, const std::vector<std::string>& notes);

// The table on as many pages as its rows need; each page is shown (ended).
// Returns the number of pages.
int draw_table_pages(cairo_t* cr, MapText& text, const PagePlan& page, const TablePage& table);

}  // namespace lantern::core::render_detail
