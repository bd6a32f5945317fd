#include <lantern/tileserver/http_headers.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include <lantern/core/base/checksum.hpp>

namespace lantern::tileserver {

namespace {

std::string_view trim(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool iequals(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// The q-value of one Accept-Encoding element ("gzip;q=0.5"); 1 without one,
// 0 when it cannot be read.
double q_value(std::string_view parameters)
{
    while (!parameters.empty()) {
        auto semicolon = parameters.find(';');
        auto parameter = trim(parameters.substr(0, semicolon));
        parameters = semicolon == std::string_view::npos ? std::string_view{}
                                                         : parameters.substr(semicolon + 1);
        if (parameter.size() >= 2 && (parameter[0] == 'q' || parameter[0] == 'Q') &&
            parameter[1] == '=') {
            auto number = parameter.substr(2);
            // q-values are 0, 1 or 0.xxx (RFC 9110 12.4.2); parsed by hand so
            // the locale plays no part.
            if (number.empty() || (number[0] != '0' && number[0] != '1'))
                return 0;
            if (number[0] == '1')
                return 1;
            double value = 0, scale = 0.1;
            for (char c : number.substr(std::min<std::size_t>(2, number.size()))) {
                if (c < '0' || c > '9')
                    return 0;
                value += (c - '0') * scale;
                scale /= 10;
            }
            return value;
        }
    }
    return 1;
}

bool is_host_name_char(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
}

}  // namespace

bool accepts_gzip(std::string_view accept_encoding)
{
    std::optional<double> gzip, any;
    while (!accept_encoding.empty()) {
        auto comma = accept_encoding.find(',');
        auto element = trim(accept_encoding.substr(0, comma));
        accept_encoding = comma == std::string_view::npos ? std::string_view{}
                                                          : accept_encoding.substr(comma + 1);
        auto semicolon = element.find(';');
        auto coding = trim(element.substr(0, semicolon));
        double q = semicolon == std::string_view::npos ? 1 : q_value(element.substr(semicolon + 1));
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip"))
            gzip = std::max(gzip.value_or(0), q);
        else if (coding == "*")
            any = q;
    }
    if (gzip)
        return *gzip > 0;
    return any && *any > 0;
}

std::string entity_tag(std::string_view content)
{
    core::ContentHash hash;
    hash.add(content);
    return '"' + hash.hex() + '"';
}

bool if_none_match_matches(std::string_view if_none_match, std::string_view tag)
{
    while (!if_none_match.empty()) {
        auto comma = if_none_match.find(',');
        auto element = trim(if_none_match.substr(0, comma));
        if_none_match =
            comma == std::string_view::npos ? std::string_view{} : if_none_match.substr(comma + 1);
        if (element == "*")
            return true;
        if (element.substr(0, 2) == "W/")
            element.remove_prefix(2);
        if (element == tag)
            return true;
    }
    return false;
}

std::optional<std::string> valid_host(std::string_view host)
{
    if (host.empty() || host.size() > 255)
        return std::nullopt;
    std::string_view name = host, port;
    if (host.front() == '[') {
        auto close = host.find(']');
        if (close == std::string_view::npos || close < 2)
            return std::nullopt;
        auto address = host.substr(1, close - 1);
        if (!std::all_of(address.begin(), address.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
            }))
            return std::nullopt;
        auto rest = host.substr(close + 1);
        if (!rest.empty() && rest.front() != ':')
            return std::nullopt;
        port = rest.empty() ? rest : rest.substr(1);
        if (!rest.empty() && port.empty())
            return std::nullopt;
    } else {
        auto colon = host.find(':');
        name = host.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = host.substr(colon + 1);
            if (port.empty())
                return std::nullopt;
        }
        if (name.empty() || name.front() == '.' || name.front() == '-' ||
            !std::all_of(name.begin(), name.end(), is_host_name_char))
            return std::nullopt;
    }
    if (!port.empty()) {
        unsigned value = 0;
        auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (error != std::errc{} || end != port.data() + port.size() || port.size() > 5 ||
            value > 65535)
            return std::nullopt;
    }
    return std::string(host);
}

std::optional<std::string> forwarded_scheme(std::string_view x_forwarded_proto)
{
    auto first = trim(x_forwarded_proto.substr(0, x_forwarded_proto.find(',')));
    for (const char* scheme : {"https", "http"})
        if (iequals(first, scheme))
            return scheme;
    return std::nullopt;
}

std::string_view bearer_token(std::string_view authorization)
{
    constexpr std::string_view scheme = "bearer";
    if (authorization.size() <= scheme.size() + 1 || !iequals(authorization.substr(0, scheme.size()), scheme) ||
        authorization[scheme.size()] != ' ')
        return {};
    return trim(authorization.substr(scheme.size() + 1));
}

bool is_header_list(std::string_view value)
{
    if (value.size() > 1024)
        return false;
    return std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ',' ||
               c == ' ';
    });
}

bool is_json_media_type(std::string_view content_type)
{
    return iequals(trim(content_type.substr(0, content_type.find(';'))), "application/json");
}

std::optional<HeaderProblem> header_problem(const http::request_header<>& header)
{
    auto codings = header.count(http::field::transfer_encoding);
    if (codings > 1)
        return HeaderProblem{http::status::bad_request, "Transfer-Encoding is repeated"};
    if (codings == 1) {
        if (header.count(http::field::content_length) > 0)
            return HeaderProblem{http::status::bad_request,
                                 "Transfer-Encoding and Content-Length together"};
        if (header.version() < 11)
            return HeaderProblem{http::status::bad_request, "Transfer-Encoding in HTTP/1.0"};
        // Anything but chunked alone leaves the body's end unknown: were it
        // ignored, the body would be read as the next request.
        if (!iequals(trim(text(header[http::field::transfer_encoding])), "chunked"))
            return HeaderProblem{http::status::not_implemented,
                                 "the only transfer coding understood is chunked"};
    }
    auto hosts = header.count(http::field::host);
    if (hosts > 1)
        return HeaderProblem{http::status::bad_request, "Host is repeated"};
    if (hosts == 0 && header.version() >= 11)
        return HeaderProblem{http::status::bad_request, "an HTTP/1.1 request needs a Host header"};
    return std::nullopt;
}

}  // namespace lantern::tileserver
