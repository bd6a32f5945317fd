// A request header from a client: Beast's parser and the tile server's rules
// on Host and framing and its reading of Content-Type (http_headers.hpp)
// must never crash, whatever the bytes.

#include <cstdint>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <lantern/tileserver/http_headers.hpp>

namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    http::request_parser<http::empty_body> parser;
    parser.header_limit(16 * 1024);
    parser.eager(false);
    boost::beast::error_code ec;
    parser.put(boost::asio::buffer(data, size), ec);
    if (parser.is_header_done()) {
        lantern::tileserver::header_problem(parser.get().base());
        auto content_type = parser.get()[http::field::content_type];
        lantern::tileserver::is_json_media_type({content_type.data(), content_type.size()});
    }
    return 0;
}
