#pragma once
// How each class goes into tiles: zoom range, the zoom from which every
// feature is kept, and the fields tiles carry (docs/tiles.md).

#include <optional>
#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>

namespace lantern::layers::tiles {

struct TileLayerConfig {
    int min_zoom = 12;
    int max_zoom = 17;
    // Below this zoom the layer is thinned evenly: one feature in 2 kept per
    // zoom level below it, in Hilbert-curve order. 0: never thinned.
    int full_zoom = 0;
    // Fields that go into tiles; empty means every field but "source".
    std::vector<std::string> fields;
};

// The documented defaults for a feature class; nothing for an unknown one.
std::optional<TileLayerConfig> class_tile_config(const std::string& class_name);

// Defaults for a feature result by its geometry: every field, zooms 10-17
// for areas and 12-17 for lines and points.
TileLayerConfig result_tile_config(core::GeometryKind geometry);

// Below the layer's max zoom, geometry is simplified by this many tile
// pixels (1/256 of a tile) and smaller lines and areas are left out.
constexpr double simplify_tolerance_px = 0.5;
constexpr double min_line_length_px = 1.0;
constexpr double min_polygon_area_px2 = 2.0;

}  // namespace lantern::layers::tiles
