#include <lantern/tileserver/routes.hpp>

#include <algorithm>
#include <limits>

#include <lantern/core/glyphs/glyph_names.hpp>
#include <lantern/tileserver/request_target.hpp>

namespace lantern::tileserver {

namespace {

// More layers than any city has; bounds the work one request can ask for.
constexpr std::size_t max_layers_per_request = 64;

Route malformed(std::string problem)
{
    Route route;
    route.kind = RouteKind::malformed;
    route.problem = std::move(problem);
    return route;
}

bool ends_with(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// "roads" or "roads,buildings"; false when a name is invalid or repeated.
bool parse_layer_list(std::string_view text, std::vector<std::string>& layers)
{
    std::size_t start = 0;
    while (true) {
        auto comma = text.find(',', start);
        auto name = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (!is_layer_name(name) || layers.size() == max_layers_per_request ||
            std::find(layers.begin(), layers.end(), name) != layers.end())
            return false;
        layers.emplace_back(name);
        if (comma == std::string_view::npos)
            return true;
        start = comma + 1;
    }
}

// Decimal digits only; values beyond the 64-bit range saturate (such a tile
// does not exist, which is a 404, not a malformed path).
bool parse_tile_number(std::string_view text, std::uint64_t& value)
{
    if (text.empty() || text.size() > 40)
        return false;
    value = 0;
    constexpr auto max = std::numeric_limits<std::uint64_t>::max();
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        auto digit = static_cast<std::uint64_t>(c - '0');
        value = value > (max - digit) / 10 ? max : value * 10 + digit;
    }
    return true;
}

// /fonts/FONT[,FONT...]/START-END.pbf
Route glyph_route(Route route)
{
    const auto& segments = route.target.segments;
    const char* shape = "glyph paths are /fonts/FONT[,FONT...]/START-END.pbf: up to 8 font names as /fonts "
                        "lists them, START a multiple of 256 up to 65280 and END 255 more";
    if (segments.size() != 3 || !ends_with(segments[2], ".pbf"))
        return malformed(shape);
    auto stack = core::parse_fontstack(segments[1]);
    auto start = core::parse_glyph_range(std::string_view(segments[2]).substr(0, segments[2].size() - 4));
    if (!stack || !start)
        return malformed(shape);
    route.kind = RouteKind::glyphs;
    route.fontstack = std::move(*stack);
    route.glyph_range = *start;
    return route;
}

}  // namespace

std::string_view route_label(RouteKind kind)
{
    switch (kind) {
    case RouteKind::health:
        return "health";
    case RouteKind::metrics:
        return "metrics";
    case RouteKind::catalog:
        return "catalog";
    case RouteKind::tilejson:
        return "tilejson";
    case RouteKind::tile:
        return "tile";
    case RouteKind::lookup:
        return "lookup";
    case RouteKind::parcel:
        return "parcel";
    case RouteKind::search:
        return "search";
    case RouteKind::openapi:
        return "openapi";
    case RouteKind::ogc:
        return "ogc";
    case RouteKind::portal:
        return "portal";
    case RouteKind::device_summary:
        return "device_summary";
    case RouteKind::device_status:
        return "device_status";
    case RouteKind::permit_check:
        return "permit_check";
    case RouteKind::fonts:
        return "fonts";
    case RouteKind::glyphs:
        return "glyphs";
    case RouteKind::no_route:
        return "no_route";
    case RouteKind::malformed:
        return "malformed";
    }
    return "no_route";
}

bool is_layer_name(std::string_view name)
{
    if (name.empty() || name.size() > 128 || name.front() == '.')
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '.' || c == '-';
    });
}

Route match_route(std::string_view raw_target)
{
    auto target = parse_request_target(raw_target);
    if (!target)
        return malformed("the request target is not a path or has a bad percent escape");
    if (auto problem = utf8_problem(*target); !problem.empty())
        return malformed(std::move(problem));
    Route route;
    route.target = std::move(*target);
    const auto& segments = route.target.segments;

    if (segments.size() == 1 && segments[0].empty())
        route.kind = RouteKind::portal;
    else if (segments.size() == 2 && segments[0] == "portal" && !segments[1].empty()) {
        route.kind = RouteKind::portal;
        route.portal_file = segments[1];
    }
    else if (segments.size() == 1 && segments[0] == "health")
        route.kind = RouteKind::health;
    else if (segments.size() == 1 && segments[0] == "metrics")
        route.kind = RouteKind::metrics;
    else if (segments.size() == 1 && segments[0] == "catalog")
        route.kind = RouteKind::catalog;
    else if (segments.size() == 1 && segments[0] == "fonts")
        route.kind = RouteKind::fonts;
    else if (segments.size() == 2 && segments[0] == "api" && segments[1] == "lookup")
        route.kind = RouteKind::lookup;
    else if (segments.size() == 2 && segments[0] == "api" && segments[1] == "search")
        route.kind = RouteKind::search;
    else if (segments.size() == 2 && segments[0] == "api" && segments[1] == "openapi.json")
        route.kind = RouteKind::openapi;
    else if (segments.size() == 2 && segments[0] == "api" && segments[1] == "permit-check")
        route.kind = RouteKind::permit_check;
    else if (segments[0] == "ogc") {
        route.kind = RouteKind::ogc;
        route.ogc_path.assign(segments.begin() + 1, segments.end());
    }
    else if (segments.size() == 3 && segments[0] == "api" && segments[1] == "parcels" && !segments[2].empty()) {
        route.kind = RouteKind::parcel;
        route.parcel_id = segments[2];
    }
    else if (segments.size() == 3 && segments[0] == "api" && segments[1] == "devices" && segments[2] == "summary")
        route.kind = RouteKind::device_summary;
    else if (segments.size() == 5 && segments[0] == "api" && segments[1] == "devices" && !segments[2].empty() &&
             !segments[3].empty() && segments[4] == "status") {
        route.kind = RouteKind::device_status;
        route.device_class = segments[2];
        route.device_id = segments[3];
    }
    if (route.kind == RouteKind::no_route && segments[0] == "fonts")
        return glyph_route(std::move(route));
    if (route.kind != RouteKind::no_route || segments[0] != "tiles")
        return route;

    const char* shape = "tile paths are /tiles/LAYER[,LAYER...]/Z/X/Y.mvt and TileJSON paths "
                        "/tiles/LAYER[,LAYER...].json; layer names are letters, digits, _ . -";
    if (segments.size() == 2 && ends_with(segments[1], ".json")) {
        auto list = std::string_view(segments[1]).substr(0, segments[1].size() - 5);
        if (!parse_layer_list(list, route.layers))
            return malformed(shape);
        route.kind = RouteKind::tilejson;
    } else if (segments.size() == 5 && ends_with(segments[4], ".mvt")) {
        std::uint64_t z = 0, x = 0, y = 0;
        auto y_text = std::string_view(segments[4]).substr(0, segments[4].size() - 4);
        if (!parse_layer_list(segments[1], route.layers) || !parse_tile_number(segments[2], z) ||
            !parse_tile_number(segments[3], x) || !parse_tile_number(y_text, y))
            return malformed(shape);
        route.kind = RouteKind::tile;
        route.tile_exists = z <= static_cast<std::uint64_t>(core::max_tile_zoom) &&
                            x < (std::uint64_t{1} << z) && y < (std::uint64_t{1} << z);
        if (route.tile_exists)
            route.tile = core::TileId{static_cast<int>(z), static_cast<std::uint32_t>(x),
                                      static_cast<std::uint32_t>(y)};
    } else {
        return malformed(shape);
    }
    route.version = route.target.query_value("v").value_or("");
    return route;
}

}  // namespace lantern::tileserver
