#include <lantern/tileserver/tilejson.hpp>

#include <algorithm>
#include <cmath>

#include <lantern/layers/catalogue.hpp>

namespace lantern::tileserver {

namespace {

// The Web Mercator square's latitude limit, where a world without data is drawn.
constexpr double mercator_max_latitude = 85.0511287798066;

std::string joined_descriptions(const std::vector<layers::TileLayerInfo>& layers)
{
    std::string text;
    for (const auto& layer : layers) {
        if (!text.empty())
            text += "; ";
        text += layer.name + ": " + layer.description;
    }
    return text;
}

}  // namespace

std::string layer_list(const std::vector<std::string>& names)
{
    std::string list;
    for (const auto& name : names)
        list += (list.empty() ? "" : ",") + name;
    return list;
}

int fitting_zoom(const core::Bounds& bounds, int min_zoom, int max_zoom)
{
    double span = std::max(bounds.max_x - bounds.min_x, bounds.max_y - bounds.min_y);
    // The world is 512 * 2^z pixels wide for 360 degrees; 1024 pixels hold
    // the span when 2^z <= 720 / span.
    int zoom = span > 0 ? static_cast<int>(std::floor(std::log2(720.0 / span))) : max_zoom;
    return std::clamp(zoom, min_zoom, std::max(min_zoom, max_zoom));
}

nlohmann::json tilejson(const TileJsonInput& input)
{
    std::vector<std::string> names;
    int min_zoom = core::max_tile_zoom, max_zoom = 0;
    std::optional<core::Bounds> bounds;
    for (const auto& layer : input.layers) {
        names.push_back(layer.name);
        min_zoom = std::min(min_zoom, layer.min_zoom);
        max_zoom = std::max(max_zoom, layer.max_zoom);
        if (layer.bounds) {
            if (bounds)
                bounds->expand(*layer.bounds);
            else
                bounds = layer.bounds;
        }
    }
    if (input.layers.empty())
        min_zoom = 0;
    auto box = bounds.value_or(
        core::Bounds{-180, -mercator_max_latitude, 180, mercator_max_latitude});
    auto list = layer_list(names);
    double center_lon = (box.min_x + box.max_x) / 2, center_lat = (box.min_y + box.max_y) / 2;

    return {
        {"tilejson", "3.0.0"},
        {"name", input.city_name + ": " + list},
        {"description", joined_descriptions(input.layers)},
        {"attribution", input.attribution},
        {"tiles", {input.base_url + "/tiles/" + list + "/{z}/{x}/{y}.mvt?v=" + input.data_version}},
        {"scheme", "xyz"},
        {"minzoom", min_zoom},
        {"maxzoom", max_zoom},
        {"bounds", {box.min_x, box.min_y, box.max_x, box.max_y}},
        {"center", {center_lon, center_lat, fitting_zoom(box, min_zoom, max_zoom)}},
        {"vector_layers", layers::vector_layers_json(input.layers)},
    };
}

nlohmann::json catalog_json(const std::string& city_name,
                            const std::vector<layers::TileLayerInfo>& layers,
                            const std::map<std::string, std::string>& sources,
                            const std::string& base_url, const nlohmann::json& unavailable)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& layer : layers) {
        nlohmann::json bounds = nullptr;
        if (layer.bounds)
            bounds = {layer.bounds->min_x, layer.bounds->min_y, layer.bounds->max_x,
                      layer.bounds->max_y};
        list.push_back({{"name", layer.name},
                        {"kind", layer.kind},
                        {"description", layer.description},
                        {"geometry", core::to_string(layer.geometry)},
                        {"feature_count", layer.feature_count},
                        {"minzoom", layer.min_zoom},
                        {"maxzoom", layer.max_zoom},
                        {"bounds", bounds},
                        {"version", layer.version},
                        {"updated", layer.updated},
                        {"source", sources.count(layer.name) ? sources.at(layer.name) : ""},
                        {"tilejson", base_url + "/tiles/" + layer.name + ".json"}});
        if (layer.kind == "class") {
            // How the class is drawn and labelled, from its description, so
            // that a map client (the portal) draws a class the city added
            // without code.
            list.back()["style"] = layers::style_json(layer.style);
            list.back()["labels"] = layers::labels_json(layer.labels);
            list.back()["draw_order"] = layer.draw_order;
            list.back()["theme"] = layer.theme;
            list.back()["added"] = layer.added;
        }
    }
    // The land-use codes parcels carry and a proposal names, with their
    // names, for a client's choice of use (the portal's permit check).
    nlohmann::json uses = nlohmann::json::array();
    for (const auto& use : layers::land_uses())
        uses.push_back({{"code", use.code}, {"name", {{"vi", use.name_vi}, {"en", use.name_en}}}});
    return {{"name", city_name}, {"layers", list}, {"land_uses", uses}, {"unavailable", unavailable}};
}

}  // namespace lantern::tileserver
