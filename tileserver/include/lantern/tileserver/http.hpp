#pragma once
// The HTTP message types the tile server speaks: Boost.Beast requests and
// responses with their bodies in strings. Handlers take and return these as
// plain values, so they are tested without sockets.

#include <string_view>

#include <boost/beast/http.hpp>

namespace lantern::tileserver {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// Beast's header values and targets as std::string_view.
inline std::string_view text(boost::beast::string_view value)
{
    return {value.data(), value.size()};
}

}  // namespace lantern::tileserver
