// lantern render: an overview map as a PNG, read back with GDAL and checked
// pixel by pixel at places computed here from the features' coordinates.

#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>

#include "support/png_image.hpp"
#include "support/backend.hpp"
#include "support/support.hpp"

using lantern::test::run_lantern;
using lantern::test::TempDir;
using lantern::test::write_file;

namespace {

using lantern::test::Image;
using lantern::test::read_png;
using lantern::test::Rgb;

// Colours of the default style table (cli/command_render.cpp) and the
// background and DEM sea colour (core/src/render/render.cpp).
constexpr Rgb background = {246, 244, 238};
constexpr Rgb water = {166, 206, 227};
constexpr Rgb lamp = {255, 210, 0};
constexpr Rgb dem_sea = {176, 204, 224};

// The map frame the command promises: the features' extent in UTM 49N plus a
// margin of 2 % of its longer side, north up, square pixels, the given width.
struct Frame {
    double x0 = 0, y0 = 0, pixel = 0;
    int width = 0, height = 0;

    static std::pair<double, double> utm(double lon, double lat)
    {
        lantern::core::Transform(lantern::core::Crs::wgs84(),
                                 lantern::core::Crs::from_user("EPSG:32649"))
            .apply(lon, lat);
        return {lon, lat};
    }

    Frame(const std::vector<std::pair<double, double>>& lonlat, int image_width)
    {
        double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
        for (auto [lon, lat] : lonlat) {
            auto [x, y] = utm(lon, lat);
            min_x = std::min(min_x, x);
            max_x = std::max(max_x, x);
            min_y = std::min(min_y, y);
            max_y = std::max(max_y, y);
        }
        double margin = 0.02 * std::max(max_x - min_x, max_y - min_y);
        width = image_width;
        pixel = (max_x - min_x + 2 * margin) / width;
        height = static_cast<int>(std::lround((max_y - min_y + 2 * margin) / pixel));
        x0 = (min_x + max_x) / 2 - width * pixel / 2;
        y0 = (min_y + max_y) / 2 + height * pixel / 2;
    }

    // The pixel (column, row) a place falls in.
    std::pair<int, int> at(double lon, double lat) const
    {
        auto [x, y] = utm(lon, lat);
        return {static_cast<int>(std::floor((x - x0) / pixel)),
                static_cast<int>(std::floor((y0 - y) / pixel))};
    }
};

// The corners of a square of side `size` degrees with its south-west corner at lon, lat.
std::vector<std::pair<double, double>> corners(double lon, double lat, double size)
{
    return {{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}};
}

// A city with a river square (108.30-108.31 E, 15.86-15.87 N) in the south-west
// and two lamps to the north-east of it.
struct City {
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite");
    std::string png = dir.file("map.png");
    static constexpr double lamp1_lon = 108.33, lamp1_lat = 15.88;
    static constexpr double lamp2_lon = 108.335, lamp2_lat = 15.885;

    City()
    {
        REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds",
                             lantern::test::hoian_bounds})
                    .exit_code == 0);
        write_file(dir.file("water.geojson"),
                   lantern::test::feature_collection({lantern::test::square_feature(
                       108.30, 15.86, 0.01, R"({"name":"test river","kind":"river"})")}));
        write_file(dir.file("lamps.geojson"),
                   lantern::test::feature_collection(
                       {lantern::test::point_feature(lamp1_lon, lamp1_lat, R"({"lamp_id":"L-1"})"),
                        lantern::test::point_feature(lamp2_lon, lamp2_lat, R"({"lamp_id":"L-2"})")}));
        auto w = run_lantern({"import", db, "water", dir.file("water.geojson")});
        INFO(w.err);
        REQUIRE(w.exit_code == 0);
        auto l = run_lantern({"import", db, "lamps", dir.file("lamps.geojson")});
        INFO(l.err);
        REQUIRE(l.exit_code == 0);
    }

    std::vector<std::pair<double, double>> all_places() const
    {
        auto places = corners(108.30, 15.86, 0.01);
        places.emplace_back(lamp1_lon, lamp1_lat);
        places.emplace_back(lamp2_lon, lamp2_lat);
        return places;
    }
};

// A 175 x 175 cell GeoTIFF in WGS 84 over 108.295-108.33 E, 15.855-15.89 N:
// land rising 0.02 m per column from 2 m, except sea (-1 m) in the south-east
// quarter east of 108.318 E and south of 15.875 N, and a hole of no-data
// (-9999) over 108.318-108.324 E, 15.879-15.884 N.
void write_dem(const std::string& path)
{
    lantern::core::ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 175, 175, 1, GDT_Float32, nullptr));
    double transform[6] = {108.295, 0.0002, 0, 15.89, 0, -0.0002};
    ds->SetGeoTransform(transform);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    ds->SetSpatialRef(&wgs84);
    std::vector<float> cells(175 * 175);
    for (int row = 0; row < 175; ++row)
        for (int col = 0; col < 175; ++col)
            cells[static_cast<std::size_t>(row * 175 + col)] =
                (col >= 115 && row >= 75) ? -1.0f : 2.0f + 0.02f * static_cast<float>(col);
    for (int row = 30; row < 55; ++row)
        for (int col = 115; col < 145; ++col)
            cells[static_cast<std::size_t>(row * 175 + col)] = -9999.0f;
    ds->GetRasterBand(1)->SetNoDataValue(-9999);
    REQUIRE(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 175, 175, cells.data(), 175, 175,
                                           GDT_Float32, 0, 0, nullptr) == CE_None);
}

}  // namespace

TEST_CASE("render draws water and lamps where they are on a map sized from their extent")
{
    City city;
    auto r = run_lantern({"render", city.db, city.png, "--width", "400", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["ok"] == true);
    CHECK(j["out"] == city.png);
    CHECK(j["classes"] == nlohmann::json::array({"water", "lamps"}));
    CHECK(j["dem"] == false);

    Frame frame(city.all_places(), 400);
    // 3786 m by 2734 m in UTM 49N (gdaltransform), plus 76 m all round: 400 x 293 pixels.
    CHECK(frame.height == 293);
    auto image = read_png(city.png);
    CHECK(image.width == 400);
    CHECK(image.height == frame.height);
    CHECK(j["width"] == image.width);
    CHECK(j["height"] == image.height);
    CHECK(j["extent"][0].get<double>() == Approx(frame.x0).margin(0.01));
    CHECK(j["extent"][3].get<double>() == Approx(frame.y0).margin(0.01));
    // Nothing beside the PNG (no GDAL .aux.xml, no temporary file).
    for (const auto& entry : std::filesystem::directory_iterator(city.dir.path())) {
        auto name = entry.path().filename().string();
        CHECK((name.rfind("map.png", 0) != 0 || name == "map.png"));
    }

    // The river square, a quarter in (its name is written at its centre).
    auto [wc, wr] = frame.at(108.3025, 15.8625);
    CHECK(image.at(wc, wr) == water);
    REQUIRE(j["labels"].size() == 1);
    CHECK(j["labels"][0] == nlohmann::json({{"text", "test river"}, {"class", "water"}}));
    auto [l1c, l1r] = frame.at(City::lamp1_lon, City::lamp1_lat);
    CHECK(image.at(l1c, l1r) == lamp);
    auto [l2c, l2r] = frame.at(City::lamp2_lon, City::lamp2_lat);
    CHECK(image.at(l2c, l2r) == lamp);
    // A place 1.6 km from the river and from the lamps, and the north-west corner.
    auto [bc, br] = frame.at(108.325, 15.865);
    CHECK(image.at(bc, br) == background);
    CHECK(image.at(2, 2) == background);
    // Just outside the river's west edge (in the margin) is background, just inside is water.
    auto [ec, er] = frame.at(108.30, 15.865);
    CHECK(image.at(ec - 3, er) == background);
    CHECK(image.at(ec + 3, er) == water);

    auto text = run_lantern({"render", city.db, city.png, "--width", "400"});
    CHECK(text.exit_code == 0);
    CHECK(text.out == "wrote " + city.png + " (400 x " + std::to_string(frame.height) + " pixels)\n");
}

TEST_CASE("render --classes draws only the classes asked for")
{
    City city;
    auto r = run_lantern({"render", city.db, city.png, "--width", "300", "--classes", "lamps",
                          "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["classes"] == nlohmann::json::array({"lamps"}));
    // The map spans the two lamps only: 543 m by 547 m, plus 11 m all round.
    Frame frame({{City::lamp1_lon, City::lamp1_lat}, {City::lamp2_lon, City::lamp2_lat}}, 300);
    auto image = read_png(city.png);
    CHECK(image.width == 300);
    CHECK(image.height == frame.height);
    CHECK(image.height == 302);
    auto [l1c, l1r] = frame.at(City::lamp1_lon, City::lamp1_lat);
    CHECK(image.at(l1c, l1r) == lamp);
    CHECK(image.at(image.width / 2, image.height / 2) == background);
    CHECK(image.at(1, image.height - 2) == background);
}

TEST_CASE("render tints planning zones by their type")
{
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite"), png = dir.file("map.png");
    REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds",
                         lantern::test::hoian_bounds})
                .exit_code == 0);
    // Three squares side by side: residential, green and water (water zones
    // are left to the water class).
    write_file(dir.file("zones.geojson"),
               lantern::test::feature_collection(
                   {lantern::test::square_feature(108.30, 15.86, 0.01, R"({"zone_id":"Z-1","zone_type":"residential"})"),
                    lantern::test::square_feature(108.31, 15.86, 0.01, R"({"zone_id":"Z-2","zone_type":"green"})"),
                    lantern::test::square_feature(108.32, 15.86, 0.01, R"({"zone_id":"Z-3","zone_type":"water"})")}));
    auto imported = run_lantern({"import", db, "zones", dir.file("zones.geojson")});
    INFO(imported.err);
    REQUIRE(imported.exit_code == 0);
    REQUIRE(run_lantern({"render", db, png, "--width", "300"}).exit_code == 0);
    auto places = corners(108.30, 15.86, 0.01);
    for (auto corner : corners(108.32, 15.86, 0.01))
        places.push_back(corner);
    Frame frame(places, 300);
    auto image = read_png(png);
    // The fills of layers/src/map_styles.cpp, blended over the background.
    auto blend = [](Rgb fill, int alpha) {
        Rgb out{};
        for (std::size_t i = 0; i < 3; ++i)
            out[i] = (fill[i] * alpha + background[i] * (255 - alpha)) / 255;
        return out;
    };
    auto near = [](Rgb a, Rgb b) {
        for (std::size_t i = 0; i < 3; ++i)
            if (std::abs(a[i] - b[i]) > 2)
                return false;
        return true;
    };
    auto [rc, rr] = frame.at(108.305, 15.865);
    auto [gc, gr] = frame.at(108.315, 15.865);
    auto [wc, wr] = frame.at(108.325, 15.865);
    INFO("residential " << image.at(rc, rr)[0] << "," << image.at(rc, rr)[1] << "," << image.at(rc, rr)[2]);
    CHECK(near(image.at(rc, rr), blend({245, 200, 110}, 110)));
    INFO("green " << image.at(gc, gr)[0] << "," << image.at(gc, gr)[1] << "," << image.at(gc, gr)[2]);
    CHECK(near(image.at(gc, gr), blend({100, 175, 80}, 120)));
    CHECK(image.at(wc, wr) == background);
}

TEST_CASE("render draws crowded points as fine dots and a few points as full dots")
{
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite"), png = dir.file("map.png");
    REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds",
                         lantern::test::hoian_bounds})
                .exit_code == 0);
    // 30 x 10 lamps 0.0002 degrees (about 21 m) apart in a 0.02 degree wide map:
    // about 2 pixels apart at 200 pixels wide.
    std::vector<std::string> lamps;
    for (int i = 0; i < 30; ++i)
        for (int k = 0; k < 10; ++k)
            lamps.push_back(lantern::test::point_feature(
                108.32 + 0.0002 * i, 15.87 + 0.0002 * k,
                R"({"lamp_id":"L-)" + std::to_string(i * 10 + k) + R"("})"));
    lamps.push_back(lantern::test::point_feature(108.34, 15.88, R"({"lamp_id":"L-far"})"));
    write_file(dir.file("lamps.geojson"), lantern::test::feature_collection(lamps));
    REQUIRE(run_lantern({"import", db, "lamps", dir.file("lamps.geojson")}).exit_code == 0);
    REQUIRE(run_lantern({"render", db, png, "--width", "200"}).exit_code == 0);
    auto image = read_png(png);
    int lamp_pixels = 0;
    for (int row = 0; row < image.height; ++row)
        for (int col = 0; col < image.width; ++col)
            lamp_pixels += image.at(col, row) == lamp;
    // One pixel per lamp (some share one), not 7-pixel dots merged into a carpet.
    CHECK(lamp_pixels <= 301);
    CHECK(lamp_pixels >= 250);

    // Three lamps far apart keep their full dots.
    write_file(dir.file("three.geojson"), lantern::test::three_lamps_geojson());
    REQUIRE(run_lantern({"import", db, "lamps", dir.file("three.geojson"), "--replace"}).exit_code == 0);
    REQUIRE(run_lantern({"render", db, png, "--width", "200"}).exit_code == 0);
    auto three = read_png(png);
    lamp_pixels = 0;
    for (int row = 0; row < three.height; ++row)
        for (int col = 0; col < three.width; ++col)
            lamp_pixels += three.at(col, row) == lamp;
    CHECK(lamp_pixels >= 3 * 10);  // the inside of a 6-pixel dot with its outline
}

TEST_CASE("render draws the DEM as shaded relief under the features")
{
    City city;
    write_dem(city.dir.file("terrain.tif"));
    auto dem = run_lantern({"import", city.db, "dem", city.dir.file("terrain.tif"), "--resolution", "10"});
    INFO(dem.err);
    REQUIRE(dem.exit_code == 0);
    auto r = run_lantern({"render", city.db, city.png, "--width", "400", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(nlohmann::json::parse(r.out)["dem"] == true);

    Frame frame(city.all_places(), 400);  // the DEM does not widen the map
    auto image = read_png(city.png);
    CHECK(image.height == frame.height);
    // Features are drawn over the DEM.
    auto [wc, wr] = frame.at(108.3025, 15.8625);
    CHECK(image.at(wc, wr) == water);
    auto [lc, lr] = frame.at(City::lamp1_lon, City::lamp1_lat);
    CHECK(image.at(lc, lr) == lamp);
    // Land with no feature on it: green-tinted, not background.
    auto [gc, gr] = frame.at(108.305, 15.885);
    auto land = image.at(gc, gr);
    CHECK(land != background);
    CHECK(land[1] > land[0]);
    CHECK(land[1] > land[2]);
    // Heights below 0 are sea.
    auto [sc, sr] = frame.at(108.325, 15.865);
    CHECK(image.at(sc, sr) == dem_sea);
    // Where the DEM has no data the background shows, not water.
    auto [nc, nr] = frame.at(108.321, 15.8815);
    CHECK(image.at(nc, nr) == background);
    // East of the DEM's edge (108.33 E) the background shows.
    auto [oc, orow] = frame.at(108.334, 15.865);
    CHECK(image.at(oc, orow) == background);

    // Without dem in --classes the DEM is left out.
    auto no_dem = run_lantern({"render", city.db, city.png, "--width", "400", "--classes",
                               "water,lamps", "--json"});
    REQUIRE(no_dem.exit_code == 0);
    CHECK(nlohmann::json::parse(no_dem.out)["dem"] == false);
    CHECK(read_png(city.png).at(gc, gr) == background);
}

TEST_CASE("render of a read-only city database works and leaves it unchanged", "[spatialite]")
{
    City city;
    auto before = run_lantern({"info", city.db, "--json"}).out;
    REQUIRE(::chmod(city.db.c_str(), 0444) == 0);
    auto r = run_lantern({"render", city.db, city.png, "--width", "200"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(std::filesystem::exists(city.png));
    CHECK(run_lantern({"info", city.db, "--json"}).out == before);
    ::chmod(city.db.c_str(), 0644);
}

TEST_CASE("render refuses unknown classes and cities with nothing to draw")
{
    auto help = run_lantern({"render", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("Usage:") && Catch::Contains("--classes") &&
                             Catch::Contains("--width"));

    City city;
    auto unknown = run_lantern({"render", city.db, city.png, "--classes", "water,lampposts"});
    CHECK(unknown.exit_code == 2);
    CHECK_THAT(unknown.err, Catch::StartsWith("lantern: error: ") &&
                                Catch::Contains("unknown feature class 'lampposts'"));
    auto narrow = run_lantern({"render", city.db, city.png, "--width", "5"});
    CHECK(narrow.exit_code == 2);
    auto absent = run_lantern({"render", city.db, city.png, "--classes", "cameras"});
    CHECK(absent.exit_code == 1);
    CHECK_THAT(absent.err, Catch::Contains("nothing to draw"));
    auto no_folder = run_lantern({"render", city.db, city.dir.file("no/such/map.png")});
    CHECK(no_folder.exit_code == 3);
    CHECK_FALSE(std::filesystem::exists(city.png));

    std::string empty = lantern::test::city_location(city.dir, "empty.sqlite");
    REQUIRE(run_lantern({"init", empty, "--name", "Empty", "--crs", "EPSG:32649"}).exit_code == 0);
    auto nothing = run_lantern({"render", empty, city.png, "--json"});
    CHECK(nothing.exit_code == 1);
    CHECK(nlohmann::json::parse(nothing.out)["ok"] == false);
    CHECK_THAT(nothing.err, Catch::Contains("nothing to draw"));
    CHECK_FALSE(std::filesystem::exists(city.png));
}
