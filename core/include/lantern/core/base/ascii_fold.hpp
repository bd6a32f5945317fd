#pragma once
// Text as the ASCII characters it reads as, for the map's bitmap font.

#include <string>
#include <string_view>

namespace lantern::core {

// The ASCII character a code point reads as: printable ASCII as itself,
// letters with diacritics as their base letters (ộ as o, Đ as D), a few
// punctuation marks as their ASCII look-alikes, '\0' for combining marks
// (nothing, so decomposed text reads like precomposed text) and '?' for
// everything else.
char ascii_fold(char32_t code_point);

// UTF-8 text as the ASCII characters it reads as; bytes that are not valid
// UTF-8 read as '?'.
std::string ascii_folded(std::string_view utf8);

}  // namespace lantern::core
