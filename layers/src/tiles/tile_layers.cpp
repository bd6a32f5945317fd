#include "tile_layers.hpp"

#include <map>

namespace lantern::layers::tiles {

std::optional<TileLayerConfig> class_tile_config(const std::string& class_name)
{
    // Wide areas from the city's overview zoom; dense small features from
    // the zoom where they can be told apart, thinned a zoom or two earlier.
    static const std::map<std::string, TileLayerConfig> configs = {
        {"wards", {8, 17, 0, {"ward_code", "name", "kind"}}},
        {"water", {8, 17, 0, {"name", "kind"}}},
        {"zones",
         {11, 17, 0,
          {"zone_id", "zone_type", "max_height_m", "max_floors", "max_coverage_pct", "max_far",
           "plan_ref"}}},
        {"heritage_zones", {10, 17, 0, {"zone_id", "protection", "name"}}},
        {"heritage_sites", {10, 17, 0, {"site_id", "name", "name_en", "rank", "kind"}}},
        {"roads", {10, 17, 0, {"road_id", "name", "class", "width_m"}}},
        {"parcels", {14, 17, 15, {"parcel_id", "land_use", "area_m2", "ward", "address"}}},
        {"buildings", {13, 17, 15, {"building_id", "height_m", "levels", "use", "name"}}},
        {"lamps", {14, 17, 16, {"lamp_id", "lamp_type", "power_w", "height_m", "status"}}},
        {"cameras",
         {13, 17, 15, {"camera_id", "purpose", "heading_deg", "fov_deg", "range_m", "status"}}},
        {"drainage_pipes", {13, 17, 15, {"pipe_id", "diameter_mm", "material"}}},
        {"drainage_nodes", {14, 17, 16, {"node_id", "kind", "ground_m", "invert_m"}}},
    };
    auto it = configs.find(class_name);
    if (it == configs.end())
        return std::nullopt;
    return it->second;
}

TileLayerConfig result_tile_config(core::GeometryKind geometry)
{
    TileLayerConfig config;
    config.min_zoom = geometry == core::GeometryKind::polygon ? 10 : 12;
    return config;
}

}  // namespace lantern::layers::tiles
