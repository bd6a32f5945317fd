#pragma once
// The routing table of the tile server: which path patterns exist and what
// they name. Matching is a pure function of the request target, so every
// malformed, unknown or hostile path is tested without a server.
//
//   /health                              RouteKind::health
//   /metrics                             RouteKind::metrics
//   /catalog                             RouteKind::catalog
//   /tiles/{layer[,layer...]}.json       RouteKind::tilejson
//   /tiles/{layer[,layer...]}/{z}/{x}/{y}.mvt   RouteKind::tile
//   /api/lookup                          RouteKind::lookup
//   /api/parcels/{parcel_id}             RouteKind::parcel
//   /api/search                          RouteKind::search
//   /api/openapi.json                    RouteKind::openapi
//   /api/devices/summary                 RouteKind::device_summary
//   /api/devices/{class}/{id}/status     RouteKind::device_status (device_api.hpp)
//   /api/permit-check                    RouteKind::permit_check (permit_api.hpp)
//   /ogc[/...]                           RouteKind::ogc (ogc_api.hpp)
//   /fonts                               RouteKind::fonts (glyph_api.hpp)
//   /fonts/{font[,font...]}/{start}-{end}.pbf   RouteKind::glyphs
//   /  and  /portal/{file}               RouteKind::portal (portal.hpp)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <lantern/core/tiles/tile_math.hpp>

#include <lantern/tileserver/request_target.hpp>

namespace lantern::tileserver {

enum class RouteKind {
    health, metrics, catalog, tilejson, tile, lookup, parcel, search, openapi, ogc, portal,
    device_summary, device_status, permit_check, fonts, glyphs, no_route, malformed
};

// The metrics label of a route ("tile", "tilejson", ...).
std::string_view route_label(RouteKind kind);

struct Route {
    RouteKind kind = RouteKind::no_route;
    // Why a target is malformed, for the error body.
    std::string problem;
    // tilejson and tile: the layer names in the order given.
    std::vector<std::string> layers;
    // tile: the tile, and whether it exists on the grid (z <= 24, x and y < 2^z).
    core::TileId tile;
    bool tile_exists = false;
    // parcel: the parcel id, percent-decoded.
    std::string parcel_id;
    // device_status: the device's class and id, percent-decoded.
    std::string device_class;
    std::string device_id;
    // ogc: the path's segments after "ogc", percent-decoded.
    std::vector<std::string> ogc_path;
    // glyphs: the font names of the stack, percent-decoded, in order, and
    // the first code point of the range.
    std::vector<std::string> fontstack;
    std::uint32_t glyph_range = 0;
    // portal: the file asked for; empty for "/" (the page).
    std::string portal_file;
    // The ?v= parameter: the data version the client's URL was made for.
    std::string version;
    // The target's segments and query, percent-decoded; empty when malformed.
    RequestTarget target;
};

// A layer name as the tile server accepts it: 1 to 128 characters of
// A-Z a-z 0-9 _ . - not starting with '.'. Class and result names are such.
bool is_layer_name(std::string_view name);

// Matches a raw request target against the routing table. Paths under
// /tiles/ that do not have the tile or TileJSON shape (bad numbers, bad layer
// names, extra segments, an encoded '/') are malformed, so are paths under
// /fonts/ that are no glyph range of a font stack (glyph_names.hpp), as is any target
// whose decoded path or query is not valid UTF-8; other unknown paths have
// no route. Numbers too large for the tile grid give a tile that does
// not exist rather than a malformed path.
Route match_route(std::string_view target);

}  // namespace lantern::tileserver
