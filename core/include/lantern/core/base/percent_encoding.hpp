#pragma once
// %XX escapes, as URIs carry them: the tile server's request targets and a
// PostgreSQL city's URI.

#include <optional>
#include <string>
#include <string_view>

namespace lantern::core {

// Decodes %XX escapes; none for a malformed escape. '+' stays '+'.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace lantern::core
