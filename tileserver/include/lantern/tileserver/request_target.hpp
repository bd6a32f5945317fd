#pragma once
// A request target ("/tiles/roads/14/13100/7625.mvt?v=ab12") split into
// percent-decoded path segments and query parameters. Nothing here touches
// the file system: segments are only ever compared with route names and
// layer names, so "../" in any spelling is just text that matches no route.

#include <optional>
#include <string>
#include <string_view>

#include <lantern/core/base/percent_encoding.hpp>
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

// Why the decoded target cannot go to a handler: "q: not valid UTF-8" for
// a query value (names the parameter), or the same said of the path or of a
// parameter's name. Empty when every segment, name and value is valid
// UTF-8 (no overlong forms, no surrogates): the handlers, and the JSON they
// write, only ever see text.
std::string utf8_problem(const RequestTarget& target);

using core::percent_decode;

}  // namespace lantern::tileserver
