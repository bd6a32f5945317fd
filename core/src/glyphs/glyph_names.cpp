#include <lantern/core/glyphs/glyph_names.hpp>

#include <algorithm>

namespace lantern::core {

namespace {

// Plain decimal of at most five digits, no sign and no leading zero.
std::optional<std::uint32_t> parse_number(std::string_view text)
{
    if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0'))
        return std::nullopt;
    std::uint32_t value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + static_cast<std::uint32_t>(c - '0');
    }
    return value;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

}  // namespace

std::optional<std::uint32_t> parse_glyph_range(std::string_view text)
{
    auto dash = text.find('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    auto start = parse_number(text.substr(0, dash));
    auto end = parse_number(text.substr(dash + 1));
    if (!start || !end || *start % glyph_range_size != 0 || *start > max_glyph_range_start ||
        *end != *start + glyph_range_size - 1)
        return std::nullopt;
    return start;
}

std::string glyph_range_name(std::uint32_t start)
{
    return std::to_string(start) + "-" + std::to_string(start + glyph_range_size - 1);
}

std::optional<std::vector<std::string>> parse_fontstack(std::string_view text)
{
    std::vector<std::string> names;
    while (true) {
        auto comma = text.find(',');
        auto name = trimmed(text.substr(0, comma));
        if (name.empty() || name.size() > max_font_name_bytes || names.size() == max_fontstack_fonts ||
            std::find(names.begin(), names.end(), name) != names.end())
            return std::nullopt;
        names.emplace_back(name);
        if (comma == std::string_view::npos)
            return names;
        text.remove_prefix(comma + 1);
    }
}

}  // namespace lantern::core
