#pragma once
// Glyphs for MapLibre's text, as a style's "glyphs" URL asks for them:
//
//   /fonts                               the fonts this machine has: a JSON
//                                        array of their names, as Martin lists them
//   /fonts/{font[,font...]}/{range}.pbf  the glyph protobuf of 256 code
//                                        points, each from the first font of
//                                        the stack that has it
//
// Fonts are found through fontconfig once, when the server starts (core's
// glyphs module). A range is made on the render pool and kept in a cache of
// its own (TileCache: compressed once, bounded in bytes, made once for
// concurrent requests), so that a range asked for again is served from memory.

#include <functional>
#include <optional>

#include <nlohmann/json.hpp>

#include <lantern/core/glyphs/font_catalog.hpp>
#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/routes.hpp>
#include <lantern/tileserver/tile_cache.hpp>

namespace lantern::tileserver {

// Fonts do not change while the server runs: clients keep a range a day and
// then revalidate it by its ETag.
inline constexpr const char* glyph_cache_control = "public, max-age=86400";

class GlyphApi {
public:
    using Answer = std::function<void(Response)>;

    // Lists the fonts through fontconfig, now.
    explicit GlyphApi(TileCache& ranges);
    // With the fonts given (tests).
    GlyphApi(TileCache& ranges, core::FontCatalog fonts);

    // The names of the fonts, sorted.
    const nlohmann::json& font_names() const { return m_names; }

    // The glyph range of a glyphs route, answered when it is made; an answer
    // that needs none (a font not installed: 404) is returned instead.
    std::optional<Response> range(const Request& request, const Route& route, const Answer& answer);

private:
    TileCache& m_ranges;
    core::FontCatalog m_fonts;
    nlohmann::json m_names;
};

}  // namespace lantern::tileserver
