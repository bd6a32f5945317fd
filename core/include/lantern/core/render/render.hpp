#pragma once
// An overview map of a city database as a PNG: the DEM as shaded relief under
// the feature classes, each drawn with a style the caller passes in (core
// knows no class by name). Everything is drawn in the city CRS, north up.
// A thematic map (a flood map) adds rasters coloured by value ranges between
// the relief and the classes, and a legend, a scale bar and a north arrow on top.

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <lantern/core/schema/schema.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

// Red, green, blue, opacity (0 = not drawn, 255 = opaque; in between is
// blended over what is already drawn).
using Rgba = std::array<unsigned char, 4>;

// How one class is drawn. Polygons are filled and outlined, lines stroked,
// points drawn as dots (filled, outlined). The same class may appear more than
// once in a style table, e.g. a wide grey road casing under a narrower white line.
struct LayerStyle {
    LayerStyle() = default;
    LayerStyle(std::string class_name_, Rgba fill_, Rgba stroke_, double stroke_px_ = 1, double point_px_ = 6,
               std::string only_field_ = {}, std::string only_value_ = {})
        : class_name(std::move(class_name_)), fill(fill_), stroke(stroke_), stroke_px(stroke_px_),
          point_px(point_px_), only_field(std::move(only_field_)), only_value(std::move(only_value_))
    {
    }

    std::string class_name;
    Rgba fill{};            // polygon and dot fill
    Rgba stroke{};          // lines, polygon outlines, dot outlines
    double stroke_px = 1;   // line width in pixels
    // A line's width on the ground, metres: drawn at whichever is wider at
    // the map's scale, this or stroke_px. 0: none.
    double stroke_m = 0;
    double point_px = 6;    // dot diameter in pixels
    // Draws only the features whose text field `only_field` holds
    // `only_value`, e.g. zones of one type; empty = every feature.
    std::string only_field;
    std::string only_value;
};

// A value range [from, to) of an overlay raster and the colour it is drawn in.
struct ColourBand {
    double from = 0;
    double to = 0;
    Rgba colour{};
};

// A single-band raster drawn over the relief, e.g. flood depths: one the city
// holds (a result, by name) or a file of the caller's. It must be in the city
// CRS, north up, of any size and cell size; it is resampled to the image grid
// by nearest neighbour (each pixel takes the cell under its centre). No-data
// cells and values outside every band are not drawn; the first band holding a
// value gives its colour, blended by the colour's opacity times `opacity` / 255.
struct RasterOverlay {
    std::string path;  // a raster file of the caller's, when raster is empty
    std::vector<ColourBand> bands;
    int opacity = 255;  // 0-255
    std::string raster;  // the name of a raster the city holds (Storage::open_raster)
};

// One legend row: a swatch filled and outlined like the map symbol, and a label.
// A boundary, say, has no fill and a stroke.
struct LegendEntry {
    std::string label;
    Rgba fill{};
    Rgba stroke{};
};

// A box of text and swatches on a white, nearly opaque ground with a thin
// frame. Text is UTF-8; letters with diacritics are drawn as their base
// letters (the bitmap font has ASCII only).
struct Legend {
    std::string title;               // drawn bold; empty = none
    std::vector<std::string> lines;  // e.g. the stage and the time of the run
    std::vector<LegendEntry> entries;
};

enum class Corner { top_left, top_right, bottom_left, bottom_right };

struct RenderOptions {
    std::string path;  // the PNG to write; replaced when it exists
    int width = 1600;  // pixels; the height follows from the extent
    // Classes to draw, in style order whatever the order here; empty = every
    // styled class the database holds. May name the DEM raster.
    std::vector<std::string> classes;
    // The registered raster drawn as shaded relief under everything, when the
    // city has it (and classes is empty or names it); empty = none.
    std::string dem_raster = "dem";
    // The area to draw, in the city CRS; default: the extent of what is drawn.
    std::optional<Bounds> bounds;
    Rgba background = {246, 244, 238, 255};
    // Rasters drawn over the relief and under the classes, first = bottom.
    std::vector<RasterOverlay> overlays;
    // Draw the relief greyer and lighter, so that overlay colours stand out;
    // default: when there are overlays.
    std::optional<bool> muted_relief;
    std::optional<Legend> legend;
    Corner legend_corner = Corner::bottom_right;
    // A scale bar (bottom) and a north arrow (top), in the corners on the other
    // side from the legend. The scale bar needs a projected city CRS.
    bool scale_bar = false;
    bool north_arrow = false;
    // Text size: the font's 5 x 7 pixel letters times this; 0 = from the width
    // (1 below 1000 pixels, 2 below 2600, 3 from there).
    int text_scale = 0;
};

struct RenderResult {
    int width = 0;
    int height = 0;
    Bounds extent;                     // of the image, in the city CRS
    std::vector<std::string> classes;  // the classes drawn, in drawing order
    bool dem = false;                  // whether the DEM was drawn
    double scale_bar_metres = 0;       // the length the scale bar shows; 0 = none drawn
};

// Draws the classes in the order of styles (first = bottom) over the DEM and
// the overlays, then the legend, scale bar and north arrow, and writes
// options.path. Classes the database does not hold, or holds no features of,
// are skipped. The map extent is the union of the drawn classes' extents (else
// the DEM's, else the overlays') plus a margin of 2 % of its longer side.
// Throws UsageError for a requested class without a style or schema, a width,
// text scale, opacity or colour band out of range; DataError when there is
// nothing to draw or an overlay is not a north-up raster in the city CRS;
// FileError when an overlay's file is missing or the PNG cannot be written.
RenderResult render_overview(const Storage& storage, const std::vector<ClassSchema>& schemas,
                             const std::vector<LayerStyle>& styles, const RenderOptions& options);

}  // namespace lantern::core
