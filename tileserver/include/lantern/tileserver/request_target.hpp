#pragma once
// A request target ("/tiles/roads/14/13100/7625.mvt?v=ab12") split into
// percent-decoded path segments and query parameters. Nothing here touches
// the file system: segments are only ever compared with route names and
// layer names, so "../" in any spelling is just text that matches no route.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lantern::tileserver {

struct RequestTarget {
    // "/tiles/roads.json" -> {"tiles", "roads.json"}; "/" -> {""}.
    std::vector<std::string> segments;
    std::vector<std::pair<std::string, std::string>> query;

    // The first value of a query parameter, if given.
    std::optional<std::string> query_value(std::string_view key) const;
};

// None when the target is not a path starting with "/" (absolute URLs and
// "*" included), has a malformed percent escape, or decodes to a control
// character (NUL, CR, LF ...).
std::optional<RequestTarget> parse_request_target(std::string_view target);

// Decodes %XX escapes; none for a malformed escape. '+' stays '+'.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace lantern::tileserver
