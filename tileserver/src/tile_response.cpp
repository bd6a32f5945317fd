#include <lantern/tileserver/tile_response.hpp>

#include <lantern/core/base/gzip.hpp>
#include <lantern/tileserver/http_headers.hpp>

namespace lantern::tileserver {

Response tile_response(const CachedTile& tile, const TileRequest& request)
{
    Response response;
    response.set(http::field::cache_control,
                 request.current_version ? immutable_cache_control : short_cache_control);
    if (tile.empty()) {
        // MapLibre and OpenLayers draw a 204 as an empty tile without an
        // error; a 404 would say the tile does not exist.
        response.result(http::status::no_content);
        return response;
    }
    const auto& etag = request.accepts_gzip ? tile.gzip_etag : tile.identity_etag;
    response.set(http::field::etag, etag);
    // The same URL answers gzip or identity depending on Accept-Encoding.
    response.set(http::field::vary, "Accept-Encoding");
    if (!request.if_none_match.empty() && if_none_match_matches(request.if_none_match, etag)) {
        response.result(http::status::not_modified);
        return response;
    }
    response.result(http::status::ok);
    response.set(http::field::content_type, "application/vnd.mapbox-vector-tile");
    if (request.accepts_gzip) {
        response.set(http::field::content_encoding, "gzip");
        response.body() = tile.gzip;
    } else {
        response.body() = core::gzip_decompress(tile.gzip);
    }
    return response;
}

}  // namespace lantern::tileserver
