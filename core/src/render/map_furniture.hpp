#pragma once
// What a map carries beside the map itself: the legend, the scale bar and the
// north arrow, each in a box in a corner of the image. Each returns its box
// in image pixels (y down), which labels keep clear of.

#include <cairo.h>

#include <lantern/core/render/render.hpp>

#include "map_text.hpp"

namespace lantern::core::render_detail {

struct Page {
    double width = 0;
    double height = 0;
    double scale = 1;  // text and furniture size
};

// A rectangle filled and framed on the inside with a line of that width;
// opacity 0 or a width of 0: none.
void draw_rectangle(cairo_t* cr, double x, double y, double w, double h, const Rgba& fill, const Rgba& stroke,
                    double line);

Bounds draw_legend(cairo_t* cr, MapText& text, const Page& page, const Legend& legend, Corner corner);
// The legend with its top-left corner at (x, y), as a print layout places it.
Bounds draw_legend_at(cairo_t* cr, MapText& text, double scale, const Legend& legend, double x, double y);

// A bar of four segments, dark and white, a round length of about a fifth of
// the map's width, labelled 0 and its length. Returns the length in metres,
// 0 when the map is too small for one.
double draw_scale_bar(cairo_t* cr, MapText& text, const Page& page, double metres_per_pixel, Corner corner,
                      Bounds& box);

// An N over an arrowhead pointing up (grid north: the map is drawn north up
// in the city CRS), its left half dark, its right half white with a dark edge.
Bounds draw_north_arrow(cairo_t* cr, MapText& text, const Page& page, Corner corner);

}  // namespace lantern::core::render_detail
