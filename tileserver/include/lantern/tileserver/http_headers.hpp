#pragma once
// Reading and writing the request and response headers the tile server
// cares about: content negotiation, validators, the Host it was reached by
// and the fields that say where a request ends.

#include <optional>
#include <string>
#include <string_view>

#include <lantern/tileserver/http.hpp>

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

// The scheme a reverse proxy says its client used, from X-Forwarded-Proto:
// "https" or "http" (the first of a list, any case); none for anything
// else. Like Host it only shapes the URLs in the client's own answer.
std::optional<std::string> forwarded_scheme(std::string_view x_forwarded_proto);

// The token of an Authorization value "Bearer TOKEN" (RFC 6750 2.1; the
// scheme in any case, spaces around the token dropped); empty for any other.
std::string_view bearer_token(std::string_view authorization);

// The token characters allowed in a header list such as
// Access-Control-Request-Headers ("content-type, x-requested-with").
bool is_header_list(std::string_view value);

// True when a Content-Type value is JSON: "application/json" in any case,
// with or without parameters ("application/json; charset=utf-8").
bool is_json_media_type(std::string_view content_type);

// Why a request cannot be answered whatever its target, and how.
struct HeaderProblem {
    http::status status;
    std::string_view message;
};

// The header rules that keep the server and a proxy in front of it agreeing
// on where a request ends and whom it is for: an HTTP/1.1 request has
// exactly one Host and any request at most one (RFC 9112 3.2); a body is
// framed by Content-Length or by Transfer-Encoding "chunked" alone, never
// both, and Transfer-Encoding is neither repeated nor in HTTP/1.0 (400);
// any other transfer coding is not understood (501). None when the header
// keeps the rules.
std::optional<HeaderProblem> header_problem(const http::request_header<>& header);

}  // namespace lantern::tileserver
