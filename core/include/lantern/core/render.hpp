#pragma once
// An overview map of a city database as a PNG: the DEM as shaded relief under
// the feature classes, each drawn with a style the caller passes in (core
// knows no class by name). Everything is drawn in the city CRS, north up.

#include <array>
#include <optional>
#include <string>
#include <vector>

#include <lantern/core/schema.hpp>
#include <lantern/core/storage.hpp>

namespace lantern::core {

// Red, green, blue, opacity (0 = not drawn, 255 = opaque; in between is
// blended over what is already drawn).
using Rgba = std::array<unsigned char, 4>;

// How one class is drawn. Polygons are filled and outlined, lines stroked,
// points drawn as dots (filled, outlined). The same class may appear more than
// once in a style table, e.g. a wide grey road casing under a narrower white line.
struct LayerStyle {
    std::string class_name;
    Rgba fill{};            // polygon and dot fill
    Rgba stroke{};          // lines, polygon outlines, dot outlines
    double stroke_px = 1;   // line width in pixels
    double point_px = 6;    // dot diameter in pixels
};

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
};

struct RenderResult {
    int width = 0;
    int height = 0;
    Bounds extent;                     // of the image, in the city CRS
    std::vector<std::string> classes;  // the classes drawn, in drawing order
    bool dem = false;                  // whether the DEM was drawn
};

// Draws the classes in the order of styles (first = bottom) over the DEM and
// writes options.path. Classes the database does not hold, or holds no features
// of, are skipped. The map extent is the union of the drawn classes' extents
// (the DEM's when only it is drawn) plus a margin of 2 % of its longer side.
// Throws UsageError for a requested class without a style or schema or a width
// out of range, DataError when there is nothing to draw, FileError when the PNG
// cannot be written.
RenderResult render_overview(const Storage& storage, const std::vector<ClassSchema>& schemas,
                             const std::vector<LayerStyle>& styles, const RenderOptions& options);

}  // namespace lantern::core
