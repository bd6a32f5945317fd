#include "tile_layers.hpp"

#include <map>

#include <lantern/layers/class_registry.hpp>

namespace lantern::layers::tiles {

std::optional<TileLayerConfig> class_tile_config(const std::string& class_name)
{
    for (const auto& c : builtin_classes())
        if (c.name() == class_name)
            return c.tiles;
    return std::nullopt;
}

TileLayerConfig result_tile_config(const std::string& name, core::GeometryKind geometry)
{
    // Results whose rows say more than a map shows carry only what the
    // portal draws and names: a building's fire access row with its ward's and
    // station's names and its places on the street graph would take a tile of
    // the Ancient Town over its cap, and thin it.
    static const std::map<std::string, std::vector<std::string>> map_fields = {
        {"fire_access",
         {"building_id", "heritage", "station_id", "route_m", "time_s", "hose_m", "hydrant_id", "hydrant_m",
          "beyond_target", "beyond_hose", "no_hydrant", "unreachable", "extra_s", "lost_access"}},
        {"fire_streets", {"edge_id", "road_id", "class", "width_m", "usable", "closed", "reachable", "flood_depth_m",
                          "dead_end"}},
    };
    TileLayerConfig config;
    config.min_zoom = geometry == core::GeometryKind::polygon ? 10 : 12;
    if (auto it = map_fields.find(name); it != map_fields.end())
        config.fields = it->second;
    return config;
}

}  // namespace lantern::layers::tiles
