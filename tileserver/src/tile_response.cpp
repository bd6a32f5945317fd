#include <lantern/tileserver/tile_response.hpp>

#include <lantern/core/base/gzip.hpp>
#include <lantern/tileserver/http_headers.hpp>

namespace lantern::tileserver {

Response compressed_response(const CachedTile& bytes, bool accepts_gzip, std::string_view if_none_match,
                             const char* content_type)
{
    Response response;
    const auto& etag = accepts_gzip ? bytes.gzip_etag : bytes.identity_etag;
    response.set(http::field::etag, etag);
    // The same URL answers gzip or identity depending on Accept-Encoding.
    response.set(http::field::vary, "Accept-Encoding");
    if (!if_none_match.empty() && if_none_match_matches(if_none_match, etag)) {
        response.result(http::status::not_modified);
        return response;
    }
    response.result(http::status::ok);
    response.set(http::field::content_type, content_type);
    if (accepts_gzip) {
        response.set(http::field::content_encoding, "gzip");
        response.body() = bytes.gzip;
    } else {
        response.body() = core::gzip_decompress(bytes.gzip);
    }
    return response;
}

Response tile_response(const CachedTile& tile, const TileRequest& request)
{
    if (tile.empty()) {
        // MapLibre and OpenLayers draw a 204 as an empty tile without an
        // error; a 404 would say the tile does not exist.
        Response response{http::status::no_content, 11};
        response.set(http::field::cache_control,
                     request.current_version ? immutable_cache_control : short_cache_control);
        return response;
    }
    auto response = compressed_response(tile, request.accepts_gzip, request.if_none_match,
                                        "application/vnd.mapbox-vector-tile");
    response.set(http::field::cache_control,
                 request.current_version ? immutable_cache_control : short_cache_control);
    return response;
}

}  // namespace lantern::tileserver
