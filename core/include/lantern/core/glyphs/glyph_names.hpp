#pragma once
// The names in glyph URLs (/fonts/{fontstack}/{range}.pbf): ranges of 256
// code points ("0-255") and font stacks ("Noto Sans Regular,DejaVu Sans
// Book"), read strictly, so that one range or stack has one spelling.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lantern::core {

inline constexpr std::uint32_t glyph_range_size = 256;
inline constexpr std::uint32_t max_glyph_range_start = 65536 - glyph_range_size;
// A stack longer than any style writes bounds the fonts one request opens.
inline constexpr std::size_t max_fontstack_fonts = 8;
inline constexpr std::size_t max_font_name_bytes = 256;

// "0-255" -> 0, "7680-7935" -> 7680: the start a multiple of 256 up to
// 65280, the end 255 after it, both in plain decimal. None otherwise.
std::optional<std::uint32_t> parse_glyph_range(std::string_view text);

// 0 -> "0-255"
std::string glyph_range_name(std::uint32_t start);

// "Noto Sans Regular,DejaVu Sans Book" -> its font names in order, blanks
// around each trimmed. None for an empty name, a name repeated, or more
// than max_fontstack_fonts names or longer than max_font_name_bytes.
std::optional<std::vector<std::string>> parse_fontstack(std::string_view text);

}  // namespace lantern::core
