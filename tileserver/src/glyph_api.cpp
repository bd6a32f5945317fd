#include <lantern/tileserver/glyph_api.hpp>

#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/glyphs/glyph_range.hpp>
#include <lantern/tileserver/http_headers.hpp>
#include <lantern/tileserver/service.hpp>
#include <lantern/tileserver/tile_response.hpp>

namespace lantern::tileserver {

GlyphApi::GlyphApi(TileCache& ranges) : GlyphApi(ranges, core::FontCatalog::from_fontconfig()) {}

GlyphApi::GlyphApi(TileCache& ranges, core::FontCatalog fonts)
    : m_ranges(ranges), m_fonts(std::move(fonts)), m_names(nlohmann::json::array())
{
    for (const auto& face : m_fonts.faces())
        m_names.push_back(face.name);
}

std::optional<Response> GlyphApi::range(const Request& request, const Route& route, const Answer& answer)
{
    std::vector<core::FontFace> stack;
    try {
        stack = m_fonts.stack(route.fontstack);
    } catch (const core::UsageError& e) {
        return error_response(http::status::not_found, std::string(e.what()) + " (see /fonts)");
    }
    std::string key;
    for (const auto& face : stack)
        key += face.name + ',';
    key += core::glyph_range_name(route.glyph_range);

    bool gzip = accepts_gzip(text(request[http::field::accept_encoding]));
    std::string if_none_match(request[http::field::if_none_match]);
    std::string what = std::string(request.method_string()) + ' ' + std::string(request.target());
    m_ranges.fetch(
        key,
        [stack, start = route.glyph_range] { return CachedTile::from_bytes(core::glyph_range_pbf(stack, start)); },
        [gzip, if_none_match, answer, what](TileCache::Tile range, std::exception_ptr error) {
            try {
                if (!range)
                    std::rethrow_exception(
                        error ? error : std::make_exception_ptr(std::runtime_error("no glyphs")));
                auto response = compressed_response(*range, gzip, if_none_match, "application/x-protobuf");
                response.set(http::field::cache_control, glyph_cache_control);
                answer(std::move(response));
            } catch (const std::exception& e) {
                std::cerr << ("lantern serve: " + what + " failed: " + e.what() + '\n') << std::flush;
                answer(error_response(http::status::internal_server_error, "the glyphs could not be made"));
            }
        });
    return std::nullopt;
}

}  // namespace lantern::tileserver
