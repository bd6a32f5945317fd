#pragma once
// Writing JSON text by appending to a string, for answers made many times a
// second from parts serialised once (a nlohmann::json tree costs an
// allocation per value).

#include <string>
#include <string_view>

namespace lantern::core {

// The shortest text that reads back as the same double, in nlohmann::json's
// form: plain decimals from 1e-4 to 1e15 with ".0" on whole numbers ("2.0",
// "0.35", "100000.0"), an exponent outside ("1e-05"); null for NaN and
// infinities.
void append_json_number(std::string& out, double value);

void append_json_bool(std::string& out, bool value);

// A JSON object's text with one more member written before its closing
// brace: ({"a":1}, "b", "2") gives {"a":1,"b":2}. The key is plain ASCII.
void append_json_with_member(std::string& out, std::string_view object, std::string_view key,
                             std::string_view value_text);

}  // namespace lantern::core
