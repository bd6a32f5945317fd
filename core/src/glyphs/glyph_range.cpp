#include <lantern/core/glyphs/glyph_range.hpp>

#include <algorithm>
#include <memory>

#include <protozero/pbf_writer.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/core/glyphs/font.hpp>

namespace lantern::core {

namespace {

namespace tag {
constexpr protozero::pbf_tag_type stacks = 1;
constexpr protozero::pbf_tag_type stack_name = 1;
constexpr protozero::pbf_tag_type stack_range = 2;
constexpr protozero::pbf_tag_type stack_glyphs = 3;
constexpr protozero::pbf_tag_type id = 1;
constexpr protozero::pbf_tag_type bitmap = 2;
constexpr protozero::pbf_tag_type width = 3;
constexpr protozero::pbf_tag_type height = 4;
constexpr protozero::pbf_tag_type left = 5;
constexpr protozero::pbf_tag_type top = 6;
constexpr protozero::pbf_tag_type advance = 7;
}  // namespace tag

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

void write_glyph(protozero::pbf_writer& stack, const Glyph& glyph)
{
    protozero::pbf_writer out(stack, tag::stack_glyphs);
    out.add_uint32(tag::id, glyph.code_point);
    if (!glyph.bitmap.sdf.empty())
        out.add_bytes(tag::bitmap, glyph.bitmap.sdf);
    out.add_uint32(tag::width, glyph.bitmap.width);
    out.add_uint32(tag::height, glyph.bitmap.height);
    out.add_sint32(tag::left, glyph.bitmap.left);
    out.add_sint32(tag::top, glyph.bitmap.top - glyph.ascender);
    out.add_uint32(tag::advance, glyph.advance);
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

std::string glyph_range_pbf(const std::vector<FontFace>& stack, std::uint32_t start)
{
    if (start % glyph_range_size != 0 || start > max_glyph_range_start)
        throw UsageError("glyph ranges start at a multiple of 256 up to 65280, not at " +
                         std::to_string(start));
    std::vector<std::unique_ptr<Font>> fonts;
    std::string name;
    for (const auto& face : stack) {
        fonts.push_back(std::make_unique<Font>(face.path, face.index));
        name += (name.empty() ? "" : ",") + face.name;
    }
    std::string data;
    protozero::pbf_writer glyphs(data);
    {
        protozero::pbf_writer out(glyphs, tag::stacks);
        out.add_string(tag::stack_name, name);
        out.add_string(tag::stack_range, glyph_range_name(start));
        for (std::uint32_t code_point = start; code_point < start + glyph_range_size; ++code_point) {
            auto font = std::find_if(fonts.begin(), fonts.end(),
                                     [&](const auto& f) { return f->has(code_point); });
            if (font == fonts.end())
                continue;
            if (auto glyph = (*font)->glyph(code_point))
                write_glyph(out, *glyph);
        }
    }
    return data;
}

}  // namespace lantern::core
