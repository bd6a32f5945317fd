#include <lantern/core/base/json_text.hpp>

#include <charconv>
#include <cmath>

namespace lantern::core {

void append_json_number(std::string& out, double value)
{
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    // Plain decimals from 1e-4 to 1e15, an exponent outside, as nlohmann::json.
    double size = std::abs(value);
    auto format = value == 0 || (size >= 1e-4 && size < 1e15) ? std::chars_format::fixed
                                                               : std::chars_format::scientific;
    char text[400];
    auto end = std::to_chars(text, text + sizeof text, value, format).ptr;
    std::string_view written(text, static_cast<std::size_t>(end - text));
    out += written;
    if (written.find_first_of(".e") == std::string_view::npos)
        out += ".0";
}

void append_json_bool(std::string& out, bool value)
{
    out += value ? "true" : "false";
}

void append_json_with_member(std::string& out, std::string_view object, std::string_view key,
                             std::string_view value_text)
{
    auto body = object.substr(0, object.size() - 1);  // without the closing brace
    out += body;
    if (body.size() > 1)
        out += ',';
    out += '"';
    out += key;
    out += "\":";
    out += value_text;
    out += '}';
}

}  // namespace lantern::core
