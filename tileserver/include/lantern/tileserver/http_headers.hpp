#pragma once
// Reading and writing the request and response headers the tile server
// cares about: content negotiation, validators and the Host it was reached by.

#include <optional>
#include <string>
#include <string_view>

namespace lantern::tileserver {

// True when an Accept-Encoding value allows gzip (RFC 9110 12.5.3): "gzip",
// "x-gzip" or "*" with a q-value above 0, unless gzip itself has q=0.
bool accepts_gzip(std::string_view accept_encoding);

// A strong entity tag for content: the quoted 16 hex digits of its 64-bit
// FNV-1a hash ("\"9f3c0d5e1a2b4c6d\"").
std::string entity_tag(std::string_view content);

// True when an If-None-Match value lists the tag or is "*". Tags compare
// weakly there (RFC 9110 13.1.2): a W/ prefix is ignored.
bool if_none_match_matches(std::string_view if_none_match, std::string_view tag);

// The Host header when it is a plain host name, IPv4 or bracketed IPv6
// address with an optional port, nothing else; none otherwise. URLs built
// from it cannot carry a path, a user or markup.
std::optional<std::string> valid_host(std::string_view host);

// The token characters allowed in a header list such as
// Access-Control-Request-Headers ("content-type, x-requested-with").
bool is_header_list(std::string_view value);

}  // namespace lantern::tileserver
