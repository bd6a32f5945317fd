// Glyphs from Debian's fonts (fonts-noto-core, fonts-dejavu-core) found
// through fontconfig: known answers about letters that anyone can check by
// looking at them, and the glyph protobuf read back with protozero's reader.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include <protozero/pbf_reader.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/core/glyphs/font.hpp>
#include <lantern/core/glyphs/font_catalog.hpp>
#include <lantern/core/glyphs/glyph_range.hpp>

using namespace lantern;

namespace {

const core::FontCatalog& catalog()
{
    static const auto fonts = core::FontCatalog::from_fontconfig();
    return fonts;
}

core::Font open(const std::string& name)
{
    const auto* face = catalog().find(name);
    if (!face)
        FAIL(name << " is not installed (.ci/install-deps installs fonts-noto-core and fonts-dejavu-core)");
    return core::Font(face->path, face->index);
}

core::Glyph glyph_of(const core::Font& font, char32_t code_point)
{
    auto glyph = font.glyph(static_cast<std::uint32_t>(code_point));
    REQUIRE(glyph);
    return *glyph;
}

int value(const core::GlyphBitmap& b, std::uint32_t column, std::uint32_t row)
{
    return static_cast<unsigned char>(b.sdf[row * b.sdf_width() + column]);
}

struct DecodedGlyph {
    std::uint32_t id = 0;
    std::string bitmap;
    std::uint32_t width = 0, height = 0, advance = 0;
    std::int32_t left = 0, top = 0;
};

struct DecodedStack {
    std::string name, range;
    std::vector<DecodedGlyph> glyphs;
};

// The protobuf read field by field, every field checked for its wire type.
DecodedStack decode(const std::string& data)
{
    DecodedStack out;
    protozero::pbf_reader glyphs(data);
    int stacks = 0;
    while (glyphs.next()) {
        REQUIRE(glyphs.tag() == 1);
        ++stacks;
        auto stack = glyphs.get_message();
        while (stack.next()) {
            switch (stack.tag()) {
            case 1:
                out.name = stack.get_string();
                break;
            case 2:
                out.range = stack.get_string();
                break;
            case 3: {
                DecodedGlyph g;
                auto glyph = stack.get_message();
                while (glyph.next()) {
                    switch (glyph.tag()) {
                    case 1: g.id = glyph.get_uint32(); break;
                    case 2: g.bitmap = glyph.get_bytes(); break;
                    case 3: g.width = glyph.get_uint32(); break;
                    case 4: g.height = glyph.get_uint32(); break;
                    case 5: g.left = glyph.get_sint32(); break;
                    case 6: g.top = glyph.get_sint32(); break;
                    case 7: g.advance = glyph.get_uint32(); break;
                    default: FAIL("glyph field " << glyph.tag());
                    }
                }
                out.glyphs.push_back(g);
                break;
            }
            default:
                FAIL("fontstack field " << stack.tag());
            }
        }
    }
    REQUIRE(stacks == 1);
    return out;
}

}  // namespace

TEST_CASE("fontconfig finds Noto Sans and DejaVu Sans by family and style")
{
    for (const char* name : {"Noto Sans Regular", "Noto Sans Bold", "Noto Sans Italic", "DejaVu Sans Book",
                             "DejaVu Sans Bold"}) {
        INFO(name);
        const auto* face = catalog().find(name);
        REQUIRE(face);
        CHECK(face->name == name);
        CHECK_FALSE(face->path.empty());
    }
    CHECK_FALSE(catalog().find("Noto Sans"));
    CHECK_FALSE(catalog().find("noto sans regular"));
    CHECK_FALSE(catalog().find("Comic Sans MS Regular"));
    const auto& faces = catalog().faces();
    CHECK(std::is_sorted(faces.begin(), faces.end(),
                         [](const auto& a, const auto& b) { return a.name < b.name; }));
    CHECK(std::adjacent_find(faces.begin(), faces.end(),
                             [](const auto& a, const auto& b) { return a.name == b.name; }) == faces.end());
}

TEST_CASE("a catalog keeps one face per name and refuses a stack naming a font it lacks")
{
    core::FontCatalog fonts({{"B Regular", "/b2.ttf", 0}, {"A Bold", "/a.ttf", 1}, {"B Regular", "/b1.ttf", 0}});
    REQUIRE(fonts.faces().size() == 2);
    CHECK(fonts.faces()[0].name == "A Bold");
    CHECK(fonts.find("B Regular")->path == "/b1.ttf");
    auto stack = fonts.stack({"B Regular", "A Bold"});
    REQUIRE(stack.size() == 2);
    CHECK(stack[1].index == 1);
    CHECK_THROWS_AS(fonts.stack({"A Bold", "C Italic"}), core::UsageError);
    CHECK_THROWS_WITH(fonts.stack({"C Italic"}), Catch::Contains("\"C Italic\""));
    CHECK_THROWS_AS(catalog().stack({"Noto Sans Regular", "Unknown Font Regular"}), core::UsageError);
}

TEST_CASE("a space has an advance and no bitmap, and l is taller than o")
{
    auto font = open("Noto Sans Regular");
    auto space = glyph_of(font, U' ');
    CHECK(space.bitmap.sdf.empty());
    CHECK(space.bitmap.width == 0);
    // Noto Sans's space is 260 units of 1000: 6.24 pixels.
    CHECK(space.advance == 6);

    auto l = glyph_of(font, U'l');
    auto o = glyph_of(font, U'o');
    CHECK(l.bitmap.height > o.bitmap.height);
    CHECK(o.bitmap.width > l.bitmap.width);
    // Ascender 1069 of 1000 units at 24 pixels, rounded up by FreeType: 26.
    CHECK(l.ascender == 26);
    // l stands on the baseline and reaches 760 units: 18.2 pixels up.
    CHECK(l.bitmap.top == 18);
    CHECK(l.bitmap.top - l.bitmap.height == 0);
    // o dips below the baseline by its overshoot, at most a pixel.
    CHECK(o.bitmap.top - static_cast<std::int32_t>(o.bitmap.height) >= -1);
    for (const auto* g : {&l, &o}) {
        CHECK(g->bitmap.sdf.size() == (g->bitmap.width + 6) * (g->bitmap.height + 6));
        CHECK(g->advance > g->bitmap.width);
    }
}

TEST_CASE("the field is above 192 inside a stroke and below it on the border")
{
    auto font = open("Noto Sans Regular");
    for (char32_t c : {U'l', U'I', U'o', U'W', U'ộ', U'ơ', U'ư'}) {
        INFO("U+" << std::hex << static_cast<std::uint32_t>(c));
        auto g = glyph_of(font, c).bitmap;
        REQUIRE(g.sdf.size() == g.sdf_width() * g.sdf_height());
        // The border is at least 2 pixels from the outline: 127 or less.
        for (std::uint32_t x = 0; x < g.sdf_width(); ++x) {
            CHECK(value(g, x, 0) < 192);
            CHECK(value(g, x, g.sdf_height() - 1) < 192);
        }
        for (std::uint32_t y = 0; y < g.sdf_height(); ++y) {
            CHECK(value(g, 0, y) < 192);
            CHECK(value(g, g.sdf_width() - 1, y) < 192);
        }
        CHECK(*std::max_element(g.sdf.begin(), g.sdf.end(),
                                [](char a, char b) { return static_cast<unsigned char>(a) < static_cast<unsigned char>(b); }) !=
              0);
    }
    // The middle of l's stem and of I's: inside, more than 192.
    for (char32_t c : {U'l', U'I'}) {
        auto g = glyph_of(font, c).bitmap;
        CHECK(value(g, g.sdf_width() / 2, g.sdf_height() / 2) > 192);
    }
    // The middle of o is its counter: outside, less than 192.
    auto o = glyph_of(font, U'o').bitmap;
    CHECK(value(o, o.sdf_width() / 2, o.sdf_height() / 2) < 192);
}

TEST_CASE("Vietnamese letters exist in Noto Sans with their marks")
{
    auto font = open("Noto Sans Regular");
    auto o = glyph_of(font, U'o');
    // ộ: o with a circumflex above and a dot below.
    auto o_circumflex_dot = glyph_of(font, U'ộ');
    CHECK(o_circumflex_dot.bitmap.sdf != o.bitmap.sdf);
    CHECK(o_circumflex_dot.bitmap.top > o.bitmap.top + 3);
    CHECK(o_circumflex_dot.bitmap.top - static_cast<std::int32_t>(o_circumflex_dot.bitmap.height) <
          o.bitmap.top - static_cast<std::int32_t>(o.bitmap.height) - 2);
    CHECK(o_circumflex_dot.advance == o.advance);
    // ơ: o with a horn to the right, wider.
    CHECK(glyph_of(font, U'ơ').bitmap.width > o.bitmap.width);
    for (char32_t c : U"ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĐ")
        if (c)
            CHECK(font.has(static_cast<std::uint32_t>(c)));
    CHECK_FALSE(font.has(0x4E2D));  // 中: not in Noto Sans
}

TEST_CASE("glyph ranges are 256 code points from a multiple of 256")
{
    CHECK(core::parse_glyph_range("0-255") == 0u);
    CHECK(core::parse_glyph_range("7680-7935") == 7680u);
    CHECK(core::parse_glyph_range("65280-65535") == 65280u);
    for (const char* bad : {"", "-", "0", "0-", "-255", "0-256", "1-256", "256-255", "00-255", "0-0255",
                            "+0-255", "0 -255", "65536-65791", "99999999999-99999999999", "0-255-511",
                            "0x0-255", "0-25\xff", "256-511 "}) {
        INFO(bad);
        CHECK_FALSE(core::parse_glyph_range(bad));
    }
    CHECK(core::glyph_range_name(7680) == "7680-7935");
}

TEST_CASE("font stacks are names separated by commas")
{
    CHECK(core::parse_fontstack("Noto Sans Regular") == std::vector<std::string>{"Noto Sans Regular"});
    CHECK(core::parse_fontstack("Noto Sans Regular, DejaVu Sans Book") ==
          std::vector<std::string>{"Noto Sans Regular", "DejaVu Sans Book"});
    std::string long_name(257, 'a');
    for (const std::string& bad : std::vector<std::string>{"", ",", "a,", ",a", "a,,b", "a, ,b", "a,a", " ",
                                                          "a,b,c,d,e,f,g,h,i", long_name}) {
        INFO(bad);
        CHECK_FALSE(core::parse_fontstack(bad));
    }
    CHECK(core::parse_fontstack("a,b,c,d,e,f,g,h"));
}

TEST_CASE("a range's protobuf holds each code point's glyph from the first font of the stack that has it")
{
    auto noto = catalog().stack({"Noto Sans Regular"});
    auto latin = decode(core::glyph_range_pbf(noto, 0));
    CHECK(latin.name == "Noto Sans Regular");
    CHECK(latin.range == "0-255");
    std::map<std::uint32_t, DecodedGlyph> by_id;
    for (const auto& g : latin.glyphs) {
        CHECK(by_id.count(g.id) == 0);
        by_id[g.id] = g;
        CHECK(g.id < 256);
        if (g.width > 0)
            CHECK(g.bitmap.size() == (g.width + 6) * (g.height + 6));
        else
            CHECK(g.bitmap.empty());
    }
    REQUIRE(by_id.count('l'));
    REQUIRE(by_id.count(' '));
    CHECK(by_id['l'].top == 18 - 26);
    CHECK(by_id[' '].bitmap.empty());
    CHECK(by_id[' '].advance == 6);
    CHECK(by_id['A'].bitmap == glyph_of(open("Noto Sans Regular"), U'A').bitmap.sdf);
    CHECK(by_id.size() > 180);

    auto vietnamese = decode(core::glyph_range_pbf(noto, 7680));
    CHECK(vietnamese.range == "7680-7935");
    auto has = [&](char32_t c) {
        return std::any_of(vietnamese.glyphs.begin(), vietnamese.glyphs.end(),
                           [&](const auto& g) { return g.id == static_cast<std::uint32_t>(c); });
    };
    CHECK(has(U'ộ'));
    CHECK(has(U'ợ'));
    CHECK(has(U'ễ'));

    // Box drawing: the stack takes each from Noto Sans where it has it, else
    // from DejaVu Sans.
    auto dejavu_font = open("DejaVu Sans Book");
    auto noto_font = open("Noto Sans Regular");
    auto stack = decode(core::glyph_range_pbf(catalog().stack({"Noto Sans Regular", "DejaVu Sans Book"}), 0x2500));
    CHECK(stack.name == "Noto Sans Regular,DejaVu Sans Book");
    std::size_t from_dejavu = 0, expected = 0;
    for (std::uint32_t c = 0x2500; c < 0x2600; ++c)
        expected += noto_font.has(c) || dejavu_font.has(c);
    CHECK(stack.glyphs.size() == expected);
    for (const auto& g : stack.glyphs) {
        INFO("U+" << std::hex << g.id);
        const auto& font = noto_font.has(g.id) ? noto_font : dejavu_font;
        from_dejavu += !noto_font.has(g.id);
        CHECK(g.bitmap == glyph_of(font, g.id).bitmap.sdf);
    }
    CHECK(from_dejavu > 50);

    // A range no font of the stack has a letter in: the stack, no glyphs.
    auto empty = decode(core::glyph_range_pbf(noto, 0xD800));
    CHECK(empty.range == "55296-55551");
    CHECK(empty.glyphs.empty());
    CHECK_THROWS_AS(core::glyph_range_pbf(noto, 100), core::UsageError);
    CHECK_THROWS_AS(core::glyph_range_pbf(noto, 65536), core::UsageError);
}
