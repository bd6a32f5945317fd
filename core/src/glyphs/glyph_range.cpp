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
