#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace lantern::core {

// True when text is well-formed UTF-8 (no overlongs, no surrogates).
bool is_valid_utf8(std::string_view text);

// Text safe to print in a one-line message: control bytes and bytes that are
// not valid UTF-8 become \xNN, and long text is cut at a character boundary.
std::string printable(std::string_view text, std::size_t max_chars = 60);

// The words of a text for accent-insensitive search, folded through ICU:
// letters without their marks (and đ as d) in lower case, digits, split at
// everything else ("Chùa Cầu, P-12" -> {"chua", "cau", "p", "12"}; "Hội An
// Đông" -> {"hoi", "an", "dong"}). Letters of other scripts stay as they are
// (會館 is one word).
std::vector<std::string> search_words(std::string_view utf8);

}  // namespace lantern::core
