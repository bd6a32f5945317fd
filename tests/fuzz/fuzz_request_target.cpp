// A request target from a client, as the tile server takes it apart: the
// percent-decoding, the UTF-8 check and the routing table must neither crash
// nor hand a route a target that is not valid UTF-8.

#include <cstdint>
#include <string_view>

#include <lantern/core/base/utf8.hpp>
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
    return 0;
}
