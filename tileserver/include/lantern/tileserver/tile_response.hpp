#pragma once
// The HTTP answer for a tile the cache holds: 204 for an empty tile, 304
// when the client's copy is current, else 200 with the MVT bytes gzipped or
// inflated as the client accepts.

#include <string>
#include <string_view>

#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/tile_cache.hpp>

namespace lantern::tileserver {

// Cache-Control of a tile whose URL names the current data version: the URL
// changes with the data, so its content never does.
inline constexpr const char* immutable_cache_control = "public, max-age=31536000, immutable";
// Cache-Control of a tile requested without the current version: it may
// change at the next import, so clients look again after a minute.
inline constexpr const char* short_cache_control = "public, max-age=60";

struct TileRequest {
    bool accepts_gzip = false;
    std::string if_none_match;  // the header's value, empty when absent
    bool current_version = false;  // the URL's ?v= is the layers' data version
};

// 304 when the client's copy (If-None-Match) is current, else 200 with the
// bytes gzipped or inflated as the client accepts, with their ETag and Vary;
// for tiles and other bytes kept as tiles are (glyph ranges).
Response compressed_response(const CachedTile& bytes, bool accepts_gzip, std::string_view if_none_match,
                             const char* content_type);

// Status, body and the tile headers (Content-Type, Content-Encoding, ETag,
// Vary, Cache-Control); the caller adds what every response carries.
Response tile_response(const CachedTile& tile, const TileRequest& request);

}  // namespace lantern::tileserver
