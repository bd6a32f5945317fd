#pragma once
// How classes and results go into tiles: zoom range, the zoom from which
// every feature is kept, and the fields tiles carry (docs/tiles.md). A class's
// come from its description (class_description.hpp).

#include <optional>
#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>
#include <lantern/layers/class_description.hpp>

namespace lantern::layers::tiles {

using TileLayerConfig = TileSpec;

// A built-in class's tiles as its description gives them; nothing for an
// unknown one (a city's own classes: city_classes).
std::optional<TileLayerConfig> class_tile_config(const std::string& class_name);

// A feature result's tiles: zooms 10-17 for areas and 12-17 for lines and
// points; every field, but for the results whose rows are wide (the fire
// access results), which carry what maps draw.
TileLayerConfig result_tile_config(const std::string& name, core::GeometryKind geometry);

// Below the layer's max zoom, geometry is simplified by this many tile
// pixels (1/256 of a tile) and smaller lines and areas are left out.
constexpr double simplify_tolerance_px = 0.5;
constexpr double min_line_length_px = 1.0;
constexpr double min_polygon_area_px2 = 2.0;

}  // namespace lantern::layers::tiles
