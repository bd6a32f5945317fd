// Maps of the flooded sample city (fixture "sample_flood"): the labels of a
// map of the Ancient Town, read from the renderer, and the map's PNG, PDF
// and SVG read back by independent tools: poppler's pdftotext and pdftoppm,
// librsvg's rsvg-convert (.ci/install-references installs them; the tests
// fail without them in CI and warn elsewhere).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/render/render.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>

#include "reference/reference_tools.hpp"
#include "support/png_image.hpp"
#include "support/quads.hpp"
#include "support/support.hpp"

using namespace lantern;

namespace {

const std::string city_path = std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite";

// The Ancient Town's streets along the river (the sample's old-town streets).
const std::set<std::string> main_streets = {"Bạch Đằng", "Nguyễn Thái Học", "Trần Phú", "Phan Châu Trinh",
                                            "Lê Lợi"};

bool have_tool(const std::string& program)
{
    if (test::on_path(program))
        return true;
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
        FAIL(program << " is not installed (bash .ci/install-references)");
    WARN(program << " is not installed (bash .ci/install-references): map check skipped");
    return false;
}

// The extent of heritage zone I: the Ancient Town's core.
core::Bounds ancient_town(const core::Storage& storage)
{
    const auto& zones = layers::feature_class("heritage_zones");
    std::size_t protection = 0;
    while (zones.fields[protection].name != "protection")
        ++protection;
    std::optional<core::Bounds> b;
    storage.scan(zones, [&](const core::StoredFeature& f) {
        if (std::get<std::string>(f.values[protection]) != "I")
            return;
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &g, f.wkb.size());
        OGREnvelope e;
        g->getEnvelope(&e);
        OGRGeometryFactory::destroyGeometry(g);
        core::Bounds fb{e.MinX, e.MinY, e.MaxX, e.MaxY};
        if (b)
            b->expand(fb);
        else
            b = fb;
    });
    REQUIRE(b);
    return *b;
}

core::RenderResult render_ancient_town(const core::Storage& storage, const std::string& path, int width = 1600)
{
    auto registry = layers::city_classes(storage);
    core::RenderOptions options;
    options.path = path;
    options.width = width;
    options.bounds = ancient_town(storage);
    options.classes = {"dem", "water", "wards", "roads", "buildings", "heritage_sites"};
    options.labels = registry.map_labels();
    options.scale_bar = true;
    options.north_arrow = true;
    options.legend = core::Legend{"Phố cổ Hội An", {"Bản đồ thử"}, {}};
    return core::render_overview(storage, registry.schemas(), registry.map_styles(), options);
}

bool boxes_overlap(const core::Bounds& a, const std::array<core::PlanePoint, 4>& quad)
{
    std::array<core::PlanePoint, 4> box = {core::PlanePoint{a.min_x, a.min_y}, {a.max_x, a.min_y}, {a.max_x, a.max_y},
                                           {a.min_x, a.max_y}};
    return test::quads_overlap(box, quad);
}

// The text of a PDF as pdftotext reads it in the order it was written (-raw:
// a turned street name stays whole), its white space made single spaces.
std::string pdf_text(const test::TempDir& dir, const std::string& pdf)
{
    auto run = test::run_shell(dir, "pdftotext -raw -enc UTF-8 '" + pdf + "' out.txt");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    return std::regex_replace(test::read_file(dir.file("out.txt")), std::regex("\\s+"), " ");
}

}  // namespace

TEST_CASE("a map of the Ancient Town names its main streets, with no label over another or off the page")
{
    core::ensure_gdal();
    auto storage = core::open_city(city_path, core::Access::read_only);
    test::TempDir dir;
    auto map = render_ancient_town(*storage, dir.file("ancient-town.png"));
    REQUIRE_FALSE(map.labels.empty());

    std::set<std::string> streets, sites;
    for (std::size_t i = 0; i < map.labels.size(); ++i) {
        const auto& label = map.labels[i];
        INFO(label.text);
        for (const auto& c : label.corners) {
            CHECK(c.x >= 0);
            CHECK(c.y >= 0);
            CHECK(c.x <= map.width);
            CHECK(c.y <= map.height);
        }
        for (std::size_t j = 0; j < i; ++j)
            CHECK_FALSE(test::quads_overlap(label.corners, map.labels[j].corners));
        for (const auto& box : map.furniture)
            CHECK_FALSE(boxes_overlap(box, label.corners));
        if (label.class_name == "roads")
            streets.insert(label.text);
        if (label.class_name == "heritage_sites")
            sites.insert(label.text);
    }
    for (const auto& street : main_streets) {
        INFO(street);
        CHECK(streets.count(street) == 1);
    }
    // Heritage sites are named first: Chùa Cầu among them.
    CHECK(sites.count("Chùa Cầu") == 1);
    CHECK(map.furniture.size() == 3);  // legend, scale bar, north arrow
}

TEST_CASE("a PDF flood map carries its text as written: Hội An with its marks, the legend and the street names")
{
    if (!have_tool("pdftotext"))
        return;
    test::TempDir dir;
    auto city = test::copy_city(city_path, dir);
    // The Ancient Town's extent in WGS 84, from the map the renderer draws of it.
    core::Bounds lonlat;
    std::set<std::string> placed;
    {
        core::ensure_gdal();
        auto storage = core::open_city(city, core::Access::read_only);
        auto b = ancient_town(*storage);
        lonlat = core::Transform(core::Crs::from_user(storage->city().crs), core::Crs::wgs84()).apply(b);
    }
    std::string bounds = std::to_string(lonlat.min_x) + "," + std::to_string(lonlat.min_y) + "," +
                         std::to_string(lonlat.max_x) + "," + std::to_string(lonlat.max_y);
    auto run = test::run_lantern({"flood", city, "--stage", "alarm-3", "--map", dir.file("flood.pdf"), "--bounds",
                                  bounds, "-q"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    std::string text = pdf_text(dir, dir.file("flood.pdf"));
    INFO(text);
    CHECK(text.find("Hội An: flood depth at 2.00 m") != std::string::npos);
    for (const char* entry : {"open water", "ward boundary", "heritage site"})
        CHECK(text.find(entry) != std::string::npos);
    for (const auto& street : main_streets) {
        INFO(street);
        CHECK(text.find(street) != std::string::npos);
    }
}

TEST_CASE("PNG, PDF and SVG of one map agree, and the SVG's text is text")
{
    if (!have_tool("pdftoppm") || !have_tool("rsvg-convert"))
        return;
    core::ensure_gdal();
    auto storage = core::open_city(city_path, core::Access::read_only);
    test::TempDir dir;
    auto png = render_ancient_town(*storage, dir.file("map.png"), 1000);
    auto pdf = render_ancient_town(*storage, dir.file("map.pdf"), 1000);
    auto svg = render_ancient_town(*storage, dir.file("map.svg"), 1000);
    // One placement for every format: the text is measured alike.
    REQUIRE(pdf.labels.size() == png.labels.size());
    REQUIRE(svg.labels.size() == png.labels.size());
    for (std::size_t i = 0; i < png.labels.size(); ++i) {
        CHECK(pdf.labels[i].text == png.labels[i].text);
        CHECK(pdf.labels[i].centre.x == Approx(png.labels[i].centre.x));
        CHECK(svg.labels[i].centre.y == Approx(png.labels[i].centre.y));
    }

    // The SVG holds every label as a <text> element.
    std::string svg_text = test::read_file(dir.file("map.svg"));
    for (const auto& label : png.labels) {
        INFO(label.text);
        CHECK(svg_text.find(">" + label.text + "</text>") != std::string::npos);
    }

    // The PDF rasterised by poppler and the SVG by librsvg at the PNG's size,
    // pixel against pixel: edges are smoothed a little differently by each
    // rasteriser, so a pixel counts as differing where a channel differs by
    // more than 64 of 255, and few may.
    auto run = test::run_shell(dir, "pdftoppm -png -r 96 -singlefile map.pdf from-pdf && "
                                    "rsvg-convert -w " + std::to_string(png.width) + " map.svg -o from-svg.png");
    INFO(run.output);
    REQUIRE(run.exit_code == 0);
    auto original = test::read_png(dir.file("map.png"));
    for (const char* copy : {"from-pdf.png", "from-svg.png"}) {
        INFO(copy);
        auto image = test::read_png(dir.file(copy));
        REQUIRE(image.width == original.width);
        REQUIRE(image.height == original.height);
        std::size_t differing = 0;
        for (int row = 0; row < image.height; ++row)
            for (int col = 0; col < image.width; ++col) {
                auto a = image.at(col, row), b = original.at(col, row);
                for (std::size_t k = 0; k < 3; ++k)
                    if (std::abs(a[k] - b[k]) > 64) {
                        ++differing;
                        break;
                    }
            }
        double share = static_cast<double>(differing) / (static_cast<double>(image.width) * image.height);
        INFO("differing share " << share);
        CHECK(share < 0.03);
    }
}

TEST_CASE("the flood atlas: a page per scenario and the totals by ward, its text searchable")
{
    if (!have_tool("pdftotext") || !have_tool("pdfinfo"))
        return;
    test::TempDir dir;
    auto city = test::copy_city(city_path, dir);
    auto run = test::run_lantern({"flood", city, "--stage", "alarm-3", "--stage", "record-1964", "--hydrograph",
                                  test::hoian_data("hydrograph_synthetic_3day.csv"), "--atlas",
                                  dir.file("atlas.pdf"), "--layout", "a4-portrait", "--json", "-q"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto summary = nlohmann::json::parse(run.out);
    CHECK(summary["atlas"]["pages"] == 4);  // two stages, the hydrograph's arrival, the wards
    auto info = test::run_shell(dir, "pdfinfo atlas.pdf");
    INFO(info.output);
    CHECK(std::regex_search(info.output, std::regex("Pages: +4\n")));
    CHECK(info.output.find("A4") != std::string::npos);
    std::string text = pdf_text(dir, dir.file("atlas.pdf"));
    INFO(text);
    for (const char* title : {"Hội An: flood depth at 2.00 m (alarm III)", "Hội An: flood depth at 3.40 m",
                              "Hội An: when the flood arrives", "Hội An: flooded land and buildings by ward",
                              "Phường Minh An", "Coordinate reference system"})
        CHECK(text.find(title) != std::string::npos);
    // The table (the maps name the wards too): the wards under the units
    // they form now (data/hoian/wards_2025.csv), each unit's line, with its
    // total, before its former wards'.
    auto table = text.substr(std::min(text.size(), text.find("flooded land and buildings by ward")));
    std::smatch unit_line;
    REQUIRE(std::regex_search(table, unit_line, std::regex("Phường Hội An [0-9]")));
    auto unit_at = static_cast<std::size_t>(unit_line.position(0));
    CHECK(unit_at < table.find("Phường Minh An"));
    CHECK(unit_at < table.find("Xã Cẩm Kim"));
    CHECK(table.find("Phường Hội An Tây") < table.find("Xã Cẩm Hà"));
    CHECK(table.find("Phường Hội An Đông") < table.find("Xã Cẩm Thanh"));
    CHECK(table.find("In bold, the administrative units in force now") != std::string::npos);

    // A wrong paper or an atlas that is no PDF is refused before the run.
    auto wrong = test::run_lantern({"flood", city, "--stage", "alarm-3", "--atlas", dir.file("atlas.png"), "-q"});
    CHECK(wrong.exit_code == 2);
    auto paper = test::run_lantern({"flood", city, "--stage", "alarm-3", "--layout", "letter", "--map",
                                    dir.file("m.pdf"), "-q"});
    CHECK(paper.exit_code == 2);
    CHECK(paper.err.find("a4-portrait") != std::string::npos);
}
