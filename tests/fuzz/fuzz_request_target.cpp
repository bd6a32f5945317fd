// A request target from a client, as the tile server takes it apart: the
// percent-decoding, the UTF-8 check and the routing table must neither crash
// nor hand a route a target that is not valid UTF-8; a glyph route names 1
// to 8 fonts of bounded length and a range the glyph code can make.

#include <cstdint>
#include <string_view>

#include <lantern/core/base/utf8.hpp>
#include <lantern/core/glyphs/glyph_names.hpp>
#include <lantern/tileserver/routes.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    auto route = lantern::tileserver::match_route(raw);
    if (route.kind == lantern::tileserver::RouteKind::malformed)
        return 0;
    for (const auto& segment : route.target.segments)
        if (!lantern::core::is_valid_utf8(segment))
            __builtin_trap();
    for (const auto& [key, value] : route.target.query)
        if (!lantern::core::is_valid_utf8(key) || !lantern::core::is_valid_utf8(value))
            __builtin_trap();
    if (route.kind == lantern::tileserver::RouteKind::glyphs) {
        if (route.fontstack.empty() || route.fontstack.size() > lantern::core::max_fontstack_fonts ||
            route.glyph_range % lantern::core::glyph_range_size != 0 ||
            route.glyph_range > lantern::core::max_glyph_range_start)
            __builtin_trap();
        for (const auto& name : route.fontstack)
            if (name.empty() || name.size() > lantern::core::max_font_name_bytes || !lantern::core::is_valid_utf8(name))
                __builtin_trap();
    }
    return 0;
}
