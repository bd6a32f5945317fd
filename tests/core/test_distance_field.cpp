// Distance fields of outlines drawn by hand, with the distances worked out
// by hand, and curves flattened against the curve itself.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include <lantern/core/glyphs/distance_field.hpp>
#include <lantern/core/glyphs/outline.hpp>

using namespace lantern;
using core::OutlineContour;

namespace {

OutlineContour rectangle(double x0, double y0, double x1, double y1)
{
    return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

OutlineContour reversed(OutlineContour contour)
{
    std::reverse(contour.begin(), contour.end());
    return contour;
}

// The value at the pixel whose centre is (x, y), in the glyph's coordinates.
int value_at(const core::GlyphBitmap& glyph, double x, double y)
{
    auto column = static_cast<long>(std::floor(x - (glyph.left - core::sdf_border)));
    auto row = static_cast<long>(std::floor(glyph.top + core::sdf_border - y));
    REQUIRE(column >= 0);
    REQUIRE(row >= 0);
    REQUIRE(column < static_cast<long>(glyph.sdf_width()));
    REQUIRE(row < static_cast<long>(glyph.sdf_height()));
    return static_cast<unsigned char>(glyph.sdf[static_cast<std::size_t>(row * glyph.sdf_width() + column)]);
}

}  // namespace

TEST_CASE("distances are encoded as node-fontnik encodes them, 192 on the outline")
{
    // 255 - 255 * (d / 8 + 0.25)
    CHECK(core::sdf_value(0) == 191);  // 191.25
    CHECK(core::sdf_value(-2) == 255);
    CHECK(core::sdf_value(-5) == 255);
    CHECK(core::sdf_value(6) == 0);
    CHECK(core::sdf_value(20) == 0);
    CHECK(core::sdf_value(0.5) == 175);   // 175.31
    CHECK(core::sdf_value(-0.5) == 207);  // 207.19
    CHECK(core::sdf_value(std::nan("")) == 0);
}

TEST_CASE("a square's field: its box, a 3-pixel border and distances worked out by hand")
{
    auto glyph = core::distance_field({rectangle(0, 0, 10, 10)});
    CHECK(glyph.left == 0);
    CHECK(glyph.top == 10);
    CHECK(glyph.width == 10);
    CHECK(glyph.height == 10);
    REQUIRE(glyph.sdf.size() == 16 * 16);

    CHECK(value_at(glyph, 0.5, 4.5) == 207);  // half a pixel inside the left edge
    CHECK(value_at(glyph, -0.5, 4.5) == 175); // half a pixel outside it
    CHECK(value_at(glyph, 5.5, 5.5) == 255);  // the middle, 4.5 pixels in
    CHECK(value_at(glyph, 4.5, 9.5) == 207);  // under the top edge
    // The top left corner pixel: (-2.5, 12.5) is 3.54 from the corner (0, 10).
    CHECK(value_at(glyph, -2.5, 12.5) == core::sdf_value(std::hypot(2.5, 2.5)));
    CHECK(core::sdf_value(std::hypot(2.5, 2.5)) == 79);
    // Every border pixel is outside.
    for (std::uint32_t i = 0; i < 16; ++i) {
        CHECK(static_cast<unsigned char>(glyph.sdf[i]) < 192);
        CHECK(static_cast<unsigned char>(glyph.sdf[15 * 16 + i]) < 192);
    }
    // Either way round, the same field.
    CHECK(core::distance_field({reversed(rectangle(0, 0, 10, 10))}).sdf == glyph.sdf);
}

TEST_CASE("a box rounds to whole pixels and a shape without area has no field")
{
    auto glyph = core::distance_field({rectangle(0.4, -0.6, 7.6, 17.2)});
    CHECK(glyph.left == 0);
    CHECK(glyph.top == 17);
    CHECK(glyph.width == 8);
    CHECK(glyph.height == 18);
    CHECK(glyph.sdf.size() == (8 + 6) * (18 + 6));

    CHECK(core::distance_field({}).sdf.empty());
    auto flat = core::distance_field({{{0, 0}, {10, 0}}});
    CHECK(flat.sdf.empty());
    CHECK(flat.width == 0);
    // Larger than any glyph: refused rather than allocated.
    CHECK(core::distance_field({rectangle(0, 0, 5000, 10)}).sdf.empty());
    CHECK(core::distance_field({rectangle(0, 0, 1e300, 10)}).sdf.empty());
}

TEST_CASE("overlapping contours give the field of their union, with no seam")
{
    auto union_field = core::distance_field({rectangle(0, 0, 15, 10)});
    auto overlapping = core::distance_field({rectangle(0, 0, 10, 10), rectangle(5, 0, 15, 10)});
    CHECK(overlapping.sdf == union_field.sdf);
    // Half a pixel from where the second square's edge runs inside the first.
    CHECK(value_at(overlapping, 5.5, 5.5) == 255);
}

TEST_CASE("the fill rule decides a hole")
{
    std::vector<OutlineContour> nested = {rectangle(0, 0, 12, 12), rectangle(4, 4, 8, 8)};
    auto nonzero = core::distance_field(nested, core::FillRule::nonzero);
    auto even_odd = core::distance_field(nested, core::FillRule::even_odd);
    // Both wound the same way: one filled square under the nonzero rule ...
    CHECK(value_at(nonzero, 6.5, 6.5) == 255);
    CHECK(nonzero.sdf == core::distance_field({rectangle(0, 0, 12, 12)}).sdf);
    // ... a hole 1.5 pixels from its edges under even-odd.
    CHECK(value_at(even_odd, 6.5, 6.5) == core::sdf_value(1.5));
    // A hole wound the other way is a hole under both.
    auto holed = core::distance_field({rectangle(0, 0, 12, 12), reversed(rectangle(4, 4, 8, 8))});
    CHECK(holed.sdf == even_odd.sdf);
}

TEST_CASE("curves are flattened within the tolerance of the curve")
{
    core::Outline outline(0.02);
    outline.move_to({0, 0});
    outline.quadratic_to({5, 10}, {10, 0});
    outline.cubic_to({12, -8}, {-2, -8}, {0, 0});
    auto contours = outline.contours();
    REQUIRE(contours.size() == 1);
    const auto& polygon = contours[0];
    CHECK(polygon.size() > 10);

    auto on_polygon = [&](double x, double y) {
        double nearest = 1e9;
        for (std::size_t i = 0; i < polygon.size(); ++i) {
            auto a = polygon[i], b = polygon[(i + 1) % polygon.size()];
            double dx = b.x - a.x, dy = b.y - a.y;
            double t = std::clamp(((x - a.x) * dx + (y - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
            nearest = std::min(nearest, std::hypot(a.x + t * dx - x, a.y + t * dy - y));
        }
        return nearest;
    };
    for (int i = 0; i <= 1000; ++i) {
        double t = i / 1000.0, s = 1 - t;
        INFO("t = " << t);
        CHECK(on_polygon(2 * s * t * 5 + t * t * 10, 2 * s * t * 10) <= 0.02);
        CHECK(on_polygon(3 * s * s * t * 12 + 3 * s * t * t * -2 + t * t * t * 0 + s * s * s * 10,
                         3 * s * s * t * -8 + 3 * s * t * t * -8) <= 0.02);
    }
    // The quadratic's peak, (5, 5), is on the polygon within the tolerance.
    CHECK(on_polygon(5, 5) <= 0.02);
}
