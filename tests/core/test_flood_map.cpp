// The drawing machinery of a flood map: raster overlays coloured by value
// bands between the relief and the classes, text with its marks, the legend,
// the scale bar and the north arrow, the output formats. Maps are read back with GDAL and checked at
// places computed here from the map coordinates.

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <limits>

#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/io/raster_import.hpp>
#include <lantern/core/io/vector_import.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/render/render.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/png_image.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::new_city;
using lantern::test::TempDir;

namespace {

using lantern::test::Image;
using lantern::test::read_png;
using lantern::test::Rgb;

constexpr Rgb background = {246, 244, 238};  // RenderOptions' default
constexpr core::Rgba depth_colour = {30, 80, 200, 255};
constexpr core::Rgba water_fill = {166, 206, 227, 255};
constexpr core::Rgba ward_stroke = {90, 90, 90, 255};
constexpr Rgb ink = {33, 33, 33};  // text, scale bar and north arrow (core/src/render/render.cpp)

// What blending colour at opacity alpha over under gives, rounded as a
// compositor rounds: (under * (255 - a) + colour * a) / 255 to the nearest.
Rgb blend(const Rgb& under, const core::Rgba& colour, int alpha)
{
    Rgb out{};
    for (std::size_t k = 0; k < 3; ++k)
        out[k] = (under[k] * (255 - alpha) + colour[k] * alpha + 127) / 255;
    return out;
}

Rgb rgb(const core::Rgba& c)
{
    return {c[0], c[1], c[2]};
}

// The pixel a map point falls in, from the extent the render reports.
struct Frame {
    core::RenderResult result;
    double pixel() const { return (result.extent.max_x - result.extent.min_x) / result.width; }
    std::pair<int, int> at(double x, double y) const
    {
        return {static_cast<int>(std::floor((x - result.extent.min_x) / pixel())),
                static_cast<int>(std::floor((result.extent.max_y - y) / pixel()))};
    }
};

// A city in UTM 49N with a flood-depth overlay of 100 x 60 cells of 20 m:
// 0.5 m over its western half, no data over its eastern half. A river square
// of 200 m lies in the western half and a ward outlines the whole overlay.
struct FloodCity {
    TempDir dir;
    std::unique_ptr<core::Storage> storage = new_city(dir);
    std::string depth = dir.file("depth.tif");
    std::string png = dir.file("flood.png");
    core::GridFrame frame;
    std::vector<core::ClassSchema> schemas = {layers::feature_class("water"),
                                              layers::feature_class("wards")};
    std::vector<core::LayerStyle> styles = {
        {"water", water_fill, {0, 0, 0, 0}, 1, 6},
        {"wards", {0, 0, 0, 0}, ward_stroke, 3, 6},
    };

    FloodCity()
    {
        double x = 108.30, y = 15.87;
        core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
        frame.width = 100;
        frame.height = 60;
        frame.origin_x = std::round(x / 10) * 10;
        frame.origin_y = std::round(y / 10) * 10;
        frame.cell_x = frame.cell_y = 20;
        frame.crs_wkt = core::Crs::from_user("EPSG:32649").wkt();
        core::FloatGrid grid(frame, core::no_data);
        for (int row = 0; row < frame.height; ++row)
            for (int col = 0; col < frame.width / 2; ++col)
                grid.at(col, row) = 0.5f;
        core::write_geotiff(depth, grid);

        // The river: 200 m square, 300 m in from the overlay's south-west corner.
        auto e = frame.extent();
        import("water", polygon(e.min_x + 300, e.min_y + 300, e.min_x + 500, e.min_y + 500),
               R"("name": "test river", "kind": "river")");
        import("wards", polygon(e.min_x, e.min_y, e.max_x, e.max_y),
               R"("ward_code": "20500", "name": "Minh An")");
    }

    static std::string polygon(double x0, double y0, double x1, double y1)
    {
        auto p = [](double x, double y) {
            return "[" + std::to_string(x) + ", " + std::to_string(y) + "]";
        };
        return "[[" + p(x0, y0) + ", " + p(x1, y0) + ", " + p(x1, y1) + ", " + p(x0, y1) + ", " +
               p(x0, y0) + "]]";
    }

    void import(const std::string& cls, const std::string& coordinates, const std::string& properties)
    {
        std::string file = dir.file(cls + ".geojson");
        test::write_file(file, R"({"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32649"}},
            "features": [{"type": "Feature", "properties": {)" + properties +
                                   R"(}, "geometry": {"type": "Polygon", "coordinates": )" +
                                   coordinates + "}}]}");
        core::ImportOptions options;
        options.source.path = file;
        REQUIRE(core::import_vector(*storage, layers::feature_class(cls), options).imported == 1);
    }

    core::RasterOverlay overlay(std::vector<core::ColourBand> bands, int opacity = 255) const
    {
        return {depth, std::move(bands), opacity, {}};
    }

    core::RenderOptions options(int width) const
    {
        core::RenderOptions o;
        o.path = png;
        o.width = width;
        o.bounds = frame.extent();
        return o;
    }

    Frame render(const core::RenderOptions& o) const
    {
        return {core::render_overview(*storage, schemas, styles, o)};
    }
};

// The largest 1, 2 or 5 times a power of ten not over a fifth of the width.
double expected_scale_bar(double map_width)
{
    double best = 0;
    for (double power = 1; power < 1e7; power *= 10)
        for (double m : {1.0, 2.0, 5.0})
            if (m * power <= map_width / 5)
                best = m * power;
    return best;
}

}  // namespace

TEST_CASE("render draws an overlay in its band colour where it has data, under the classes")
{
    FloodCity city;
    auto options = city.options(400);
    options.overlays = {city.overlay({{0.1, 1.0, depth_colour}, {1.0, 2.0, {200, 0, 0, 255}}}, 160)};
    auto map = city.render(options);
    auto image = read_png(city.png);
    REQUIRE(image.width == 400);
    REQUIRE(image.height == map.result.height);

    auto e = city.frame.extent();
    double mid_y = (e.min_y + e.max_y) / 2;
    Rgb flooded = blend(background, depth_colour, 160);
    // Western half, away from the river and the ward's outline: the band colour
    // at 160/255 over the background; eastern half (no data): background.
    for (double x : {e.min_x + 100, e.min_x + 700, e.min_x + 950}) {
        auto [col, row] = map.at(x, mid_y + 200);
        CHECK(image.at(col, row) == flooded);
    }
    for (double x : {e.min_x + 1050, e.min_x + 1500, e.max_x - 100}) {
        auto [col, row] = map.at(x, mid_y + 200);
        CHECK(image.at(col, row) == background);
    }
    // The class is drawn over the overlay; the ward's outline too.
    auto [rc, rr] = map.at(e.min_x + 400, e.min_y + 400);
    CHECK(image.at(rc, rr) == rgb(water_fill));
    auto [wc, wr] = map.at(e.min_x + 2, mid_y);
    CHECK(image.at(wc, wr) == rgb(ward_stroke));

    // Values outside every band are not drawn.
    options.overlays = {city.overlay({{1.0, 2.0, depth_colour}})};
    map = city.render(options);
    image = read_png(city.png);
    auto [fc, fr] = map.at(e.min_x + 700, mid_y + 200);
    CHECK(image.at(fc, fr) == background);

    // An overlay alone is something to draw: the map spans it.
    core::RenderOptions alone;
    alone.path = city.png;
    alone.width = 200;
    alone.classes = {"lamps"};  // the city holds none
    city.styles.push_back({"lamps", {255, 210, 0, 255}, {0, 0, 0, 0}, 1, 6});
    city.schemas.push_back(layers::feature_class("lamps"));
    alone.overlays = {city.overlay({{0.1, 1.0, depth_colour}})};
    auto only = city.render(alone);
    CHECK(only.result.classes.empty());
    CHECK(only.result.extent.min_x < e.min_x);
    CHECK(only.result.extent.max_x > e.max_x);
    CHECK(only.result.extent.max_x - only.result.extent.min_x ==
          Approx((e.max_x - e.min_x) * 1.04));
}

TEST_CASE("render draws the relief greyer and lighter under overlays")
{
    FloodCity city;
    // A DEM over the overlay and beyond: land rising 0.5 m per 20 m to the east,
    // with ridges every 200 m for the hillshade.
    core::GridFrame dem_frame = city.frame;
    dem_frame.origin_x -= 400;
    dem_frame.origin_y += 400;
    dem_frame.width += 40;
    dem_frame.height += 40;
    core::FloatGrid dem(dem_frame, 0);
    for (int row = 0; row < dem_frame.height; ++row)
        for (int col = 0; col < dem_frame.width; ++col)
            dem.at(col, row) = 2.0f + 0.5f * static_cast<float>(col) + 3.0f * static_cast<float>(col % 10 < 5);
    core::write_geotiff(city.dir.file("dem_source.tif"), dem);
    core::RasterImportOptions dem_options;
    dem_options.path = city.dir.file("dem_source.tif");
    core::import_raster(*city.storage, dem_options);

    auto options = city.options(400);
    auto plain_map = city.render(options);
    CHECK(plain_map.result.dem);
    auto plain = read_png(city.png);
    options.overlays = {city.overlay({{0.1, 1.0, depth_colour}})};
    city.render(options);
    auto muted = read_png(city.png);
    options.muted_relief = false;
    city.render(options);
    auto unmuted = read_png(city.png);

    auto e = city.frame.extent();
    int greyer = 0, places = 0;
    for (double x = e.min_x + 1050; x < e.max_x - 50; x += 30) {  // the overlay's no-data half
        auto [col, row] = plain_map.at(x, (e.min_y + e.max_y) / 2 + 170);
        auto p = plain.at(col, row), m = muted.at(col, row);
        CHECK(unmuted.at(col, row) == p);
        auto [p_lo, p_hi] = std::minmax({p[0], p[1], p[2]});
        auto [m_lo, m_hi] = std::minmax({m[0], m[1], m[2]});
        CHECK(m_lo > p_lo);                    // lighter
        greyer += m_hi - m_lo < p_hi - p_lo;  // less colourful
        ++places;
    }
    CHECK(greyer == places);
}

TEST_CASE("render draws a legend with swatches and text, a scale bar and a north arrow")
{
    FloodCity city;
    auto options = city.options(1200);
    const core::Rgba shallow = {189, 215, 238, 255}, deep = {8, 48, 107, 255};
    options.overlays = {city.overlay({{0.1, 1.0, shallow}, {1.0, 99, deep}}, 200)};
    options.legend = core::Legend{
        "Ngập lụt Hội An",
        {"Stage 2.00 m (alarm III) at the Hoi An gauge", "Run 2026-11-27 10:55 UTC"},
        {{"0.1 - 1 m", shallow, {}},
         {"over 1 m", deep, {}},
         {"boundary", {0, 0, 0, 0}, ward_stroke}}};
    options.scale_bar = true;
    options.north_arrow = true;
    auto map = city.render(options);
    auto image = read_png(city.png);

    // The legend box is in the bottom-right quarter: both swatches whole (20 x
    // 11 pixels at text scale 1, on whole pixels), the boundary swatch's
    // frame, dark text.
    CHECK(image.count_in_quarter(rgb(shallow), true, true) >= 20 * 11);
    CHECK(image.count_in_quarter(rgb(deep), true, true) >= 20 * 11);
    CHECK(image.count_in_quarter(rgb(ward_stroke), true, true) >= 2 * (20 + 11) - 4);
    CHECK(image.count_in_quarter(ink, true, true) > 100);
    // The swatches' opaque colours are nowhere else (the overlay is blended).
    CHECK(image.count_in_quarter(rgb(shallow), false, true) == 0);
    CHECK(image.count_in_quarter(rgb(deep), false, false) == 0);
    // Nothing is dark ink in the top-right quarter: the furniture is on the left.
    CHECK(image.count_in_quarter(ink, true, false) == 0);
    // The north arrow, top left: dark and white halves.
    CHECK(image.count_in_quarter(ink, false, false) > 30);
    CHECK(image.count_in_quarter({255, 255, 255}, false, false) > 5);

    // The scale bar, bottom left: a round length of at most a fifth of the map,
    // its frame a dark run of that many pixels.
    double map_width = map.result.extent.max_x - map.result.extent.min_x;
    CHECK(map.result.scale_bar_metres == expected_scale_bar(map_width));
    CHECK(map.result.scale_bar_metres == 200);
    int longest = 0;
    for (int row = image.height / 2; row < image.height; ++row) {
        int run = 0;
        for (int col = 0; col < image.width / 2; ++col) {
            run = image.at(col, row) == ink ? run + 1 : 0;
            longest = std::max(longest, run);
        }
    }
    CHECK(longest == Approx(200 / map.pixel()).margin(1.5));

    // The legend in the top-left corner moves the furniture to the right.
    options.legend_corner = core::Corner::top_left;
    city.render(options);
    auto moved = read_png(city.png);
    CHECK(moved.count_in_quarter(rgb(deep), false, false) >= 20 * 11);
    CHECK(moved.count_in_quarter(rgb(deep), true, true) == 0);
    CHECK(moved.count_in_quarter(ink, true, true) > 50);   // the scale bar
    CHECK(moved.count_in_quarter(ink, true, false) > 30);  // the north arrow
    CHECK(moved.count_in_quarter(ink, false, true) == 0);

    // Without furniture nothing is drawn on top of the map.
    core::RenderOptions bare = city.options(1200);
    bare.overlays = options.overlays;
    auto bare_map = city.render(bare);
    CHECK(bare_map.result.scale_bar_metres == 0);
    auto plain = read_png(city.png);
    CHECK(plain.count_in_quarter(ink, false, false) + plain.count_in_quarter(ink, true, true) == 0);
}

TEST_CASE("render refuses overlays and text scales out of range")
{
    FloodCity city;
    auto options = city.options(300);
    options.overlays = {city.overlay({{0.1, 1.0, depth_colour}}, 300)};
    CHECK_THROWS_AS(city.render(options), core::UsageError);
    options.overlays = {city.overlay({{1.0, 1.0, depth_colour}})};
    CHECK_THROWS_AS(city.render(options), core::UsageError);
    options.overlays = {city.overlay({{0.1, 1.0, depth_colour}})};
    options.text_scale = 9;
    CHECK_THROWS_AS(city.render(options), core::UsageError);
    options.text_scale = 0;
    options.overlays[0].path = city.dir.file("missing.tif");
    CHECK_THROWS_AS(city.render(options), core::FileError);

    // An overlay in WGS 84 is not in the city CRS.
    core::GridFrame lonlat;
    lonlat.width = lonlat.height = 10;
    lonlat.origin_x = 108.30;
    lonlat.origin_y = 15.88;
    lonlat.cell_x = lonlat.cell_y = 0.001;
    lonlat.crs_wkt = core::Crs::wgs84().wkt();
    core::write_geotiff(city.dir.file("lonlat.tif"), core::FloatGrid(lonlat, 0.5f));
    options.overlays[0].path = city.dir.file("lonlat.tif");
    CHECK_THROWS_AS(city.render(options), core::DataError);
    CHECK_FALSE(std::filesystem::exists(city.png));
}

TEST_CASE("render writes Vietnamese with its marks: Hội An is not drawn as Hoi An")
{
    FloodCity city;
    auto options = city.options(600);
    auto legend_pixels = [&](const std::string& title) {
        options.legend = core::Legend{title, {}, {}};
        city.render(options);
        return read_png(city.png);
    };
    auto marked = legend_pixels("Hội An");
    auto plain = legend_pixels("Hoi An");
    auto decomposed = legend_pixels("Ho\u0323\u0302i An");  // o, dot below, circumflex
    // Pixels that differ, and those of them outside the bottom-right quarter
    // (the legend's corner).
    auto differing = [](const Image& a, const Image& b) {
        std::pair<int, int> n{0, 0};
        for (int row = 0; row < a.height; ++row)
            for (int col = 0; col < a.width; ++col)
                if (a.at(col, row) != b.at(col, row)) {
                    ++n.first;
                    n.second += col < a.width / 2 || row < a.height / 2;
                }
        return n;
    };
    // The circumflex and the dot below are drawn: the titles differ, in the
    // legend's corner only; decomposed text is shaped as precomposed.
    auto [marks, elsewhere] = differing(marked, plain);
    CHECK(marks > 10);
    CHECK(elsewhere == 0);
    CHECK(differing(marked, decomposed).first == 0);
}

TEST_CASE("render writes a PDF or an SVG by the file's extension, and refuses other extensions")
{
    FloodCity city;
    auto options = city.options(400);
    options.legend = core::Legend{"Ngập lụt", {}, {{"0.1 - 1 m", depth_colour, {}}}};
    for (const char* name : {"map.pdf", "map.svg", "MAP.PDF"}) {
        INFO(name);
        options.path = city.dir.file(name);
        city.render(options);
        std::string head = test::read_file(options.path).substr(0, 5);
        CHECK(head == (std::string(name).find("svg") != std::string::npos ? "<?xml" : "%PDF-"));
    }
    options.path = city.dir.file("map.jpg");
    CHECK_THROWS_AS(city.render(options), core::UsageError);
    CHECK_FALSE(std::filesystem::exists(options.path));
}

TEST_CASE("a print layout puts the map on paper: its size at the dpi, labels and furniture inside")
{
    CHECK(core::paper_layout("a4-portrait").width_mm == 210);
    CHECK(core::paper_layout("a4-portrait").height_mm == 297);
    CHECK(core::paper_layout("a3-landscape").width_mm == 420);
    CHECK(core::paper_layout("a3-landscape").height_mm == 297);
    CHECK_THROWS_AS(core::paper_layout("letter"), core::UsageError);

    FloodCity city;
    for (const char* paper : {"a4-portrait", "a4-landscape"}) {
        INFO(paper);
        auto options = city.options(400);
        options.layout = core::paper_layout(paper);
        options.layout->title = "Ngập lụt Hội An";
        options.layout->notes = {"Data: test"};
        options.dpi = 100;
        options.overlays = {city.overlay({{0.1, 1.0, depth_colour}})};
        options.legend = core::Legend{"Legend", {}, {{"0.1 - 1 m", depth_colour, {}}}};
        options.scale_bar = true;
        options.north_arrow = true;
        options.labels = {core::LabelStyle{}};
        options.labels[0].class_name = "water";
        options.labels[0].field = "name";
        auto map = city.render(options);
        // The paper at 100 dpi: 210 x 297 mm is 827 x 1169 pixels.
        bool portrait = std::string(paper) == "a4-portrait";
        CHECK(map.result.width == (portrait ? 827 : 1169));
        CHECK(map.result.height == (portrait ? 1169 : 827));
        auto image = read_png(city.png);
        CHECK(image.width == map.result.width);
        // The river is named, on the page; the legend, scale bar and north
        // arrow are there, the legend beside (landscape) or under (portrait) the map.
        REQUIRE(map.result.labels.size() == 1);
        for (const auto& c : map.result.labels[0].corners) {
            CHECK(c.x > 0);
            CHECK(c.x < map.result.width);
            CHECK(c.y > 0);
            CHECK(c.y < map.result.height);
        }
        REQUIRE(map.result.furniture.size() == 3);
        const auto& legend = map.result.furniture.back();
        if (portrait)
            CHECK(legend.min_y > map.result.height / 2.0);
        else
            CHECK(legend.min_x > map.result.width / 2.0);
        CHECK(map.result.scale_bar_metres > 0);
    }
}

TEST_CASE("an atlas is one PDF of map pages and tables, a long table continued on further pages")
{
    FloodCity city;
    std::string path = city.dir.file("atlas.pdf");
    CHECK_THROWS_AS(core::MapBook(city.dir.file("atlas.png"), core::paper_layout("a4-landscape"), 72),
                    core::UsageError);
    {
        core::MapBook book(path, core::paper_layout("a4-landscape"), 72);
        auto options = city.options(400);
        options.overlays = {city.overlay({{0.1, 1.0, depth_colour}})};
        book.add_map(*city.storage, city.schemas, city.styles, options);
        options.overlays = {city.overlay({{1.0, 2.0, depth_colour}})};
        book.add_map(*city.storage, city.schemas, city.styles, options);
        core::TablePage table{"Wards", {"Ward", "ha"}, {}, {"A note."}};
        for (int i = 0; i < 100; ++i)
            table.rows.push_back({"Phường " + std::to_string(i), std::to_string(i)});
        book.add_table(table);
        CHECK(book.pages() >= 4);  // 100 rows do not fit on one A4 page
        CHECK_FALSE(std::filesystem::exists(path));  // nothing written before finish
        book.finish();
        std::string pdf = test::read_file(path);
        CHECK(pdf.substr(0, 5) == "%PDF-");
        CHECK(pdf.find("/Count " + std::to_string(book.pages())) != std::string::npos);
    }
}
