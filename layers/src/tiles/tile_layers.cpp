#include "tile_layers.hpp"

#include <lantern/layers/class_registry.hpp>

namespace lantern::layers::tiles {

std::optional<TileLayerConfig> class_tile_config(const std::string& class_name)
{
    for (const auto& c : builtin_classes())
        if (c.name() == class_name)
            return c.tiles;
    return std::nullopt;
}

TileLayerConfig result_tile_config(core::GeometryKind geometry)
{
    TileLayerConfig config;
    config.min_zoom = geometry == core::GeometryKind::polygon ? 10 : 12;
    return config;
}

}  // namespace lantern::layers::tiles
