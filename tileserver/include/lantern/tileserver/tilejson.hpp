#pragma once
// The documents that describe tile layers to map clients: TileJSON 3.0.0
// (github.com/mapbox/tilejson-spec/tree/master/3.0.0) for one layer or a
// composite, and the server's catalog of every layer.

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/layers/tiles.hpp>

namespace lantern::tileserver {

// "roads,buildings": the layer list as it appears in tile and TileJSON paths.
std::string layer_list(const std::vector<std::string>& names);

struct TileJsonInput {
    std::string city_name;
    std::vector<layers::TileLayerInfo> layers;  // in the order requested
    std::string base_url;      // "http://127.0.0.1:8080", no trailing slash
    std::string data_version;  // TileSet::data_version of the layers
    std::string attribution;   // HTML-safe text naming the data sources
};

// tilejson, name, description, attribution, tiles (absolute, with ?v=),
// scheme, bounds and center in WGS 84, minzoom, maxzoom, vector_layers.
nlohmann::json tilejson(const TileJsonInput& input);

// The zoom at which the bounds (WGS 84) fill about a 1024-pixel-wide view
// of 512-pixel tiles, within [min_zoom, max_zoom].
int fitting_zoom(const core::Bounds& bounds, int min_zoom, int max_zoom);

// Every layer with its kind, description, geometry, feature count, zoom range,
// bounds, version, source (from `sources` by name: attribution.hpp) and
// TileJSON URL; the land-use codes with their Vietnamese and English names,
// as "land_uses"; and the results that cannot be read now
// (result_availability.hpp), as "unavailable".
nlohmann::json catalog_json(const std::string& city_name,
                            const std::vector<layers::TileLayerInfo>& layers,
                            const std::map<std::string, std::string>& sources,
                            const std::string& base_url, const nlohmann::json& unavailable);

}  // namespace lantern::tileserver
