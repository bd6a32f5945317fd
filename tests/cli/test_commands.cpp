// The lantern command end to end: help of every command, init / import /
// info / validate / export on the bundled Hoi An data.

#include <catch2/catch.hpp>

#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"

using lantern::test::run_lantern;
using lantern::test::TempDir;

TEST_CASE("every command has --help")
{
    for (const char* command :
         {"init", "import", "validate", "info", "export", "classes", "render", "sample-city"}) {
        INFO(command);
        auto r = run_lantern({command, "--help"});
        CHECK(r.exit_code == 0);
        CHECK_THAT(r.out, Catch::Contains("Usage:"));
    }
    auto r = run_lantern({});
    CHECK(r.exit_code == 2);
    auto bad = run_lantern({"info", "--no-such-flag", "x"});
    CHECK(bad.exit_code == 2);
}

TEST_CASE("An unknown command is named and the commands are listed")
{
    auto r = run_lantern({"--json", "frobnicate", "city.sqlite"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("unknown command 'frobnicate'"));
    CHECK_THAT(r.err, Catch::Contains("import"));
    CHECK_THAT(r.err, Catch::Contains("flood"));
    auto none = run_lantern({});
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.err, Catch::Contains("a command is required"));
    CHECK_THAT(none.err, Catch::Contains("validate"));
}

TEST_CASE("The version ends its line")
{
    auto r = run_lantern({"--version"});
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::StartsWith("lantern "));
    REQUIRE_FALSE(r.out.empty());
    CHECK(r.out.back() == '\n');
}

TEST_CASE("init then import the bundled heritage landmarks then info and validate and export")
{
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite");
    auto init = run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649",
                             "--bounds-from", lantern::test::hoian_data("city_boundary.geojson")});
    REQUIRE(init.exit_code == 0);
    auto import = run_lantern({"import", db, "heritage_sites",
                               lantern::test::hoian_data("heritage_landmarks.csv"), "--s-srs",
                               "EPSG:4326", "--map", "name=name_vi", "--json"});
    INFO(import.err);
    REQUIRE(import.exit_code == 0);
    auto imported = nlohmann::json::parse(import.out);
    CHECK(imported["imported"] == 12);
    CHECK(imported["ignored_fields"].empty());

    auto info = nlohmann::json::parse(run_lantern({"info", db, "--json"}).out);
    CHECK(info["name"] == "Hoi An");
    CHECK(info["crs_name"] == "WGS 84 / UTM zone 49N");
    REQUIRE(info["classes"].size() == 1);
    auto sites = info["classes"][0];
    CHECK(sites["feature_count"] == 12);
    // The landmarks span 108.3030 E (Thanh Ha) to 108.5189 E (Cham Islands).
    CHECK(sites["extent_wgs84"][0].get<double>() == Approx(108.3030).margin(1e-6));
    CHECK(sites["extent_wgs84"][2].get<double>() == Approx(108.5189).margin(1e-6));
    // The city boundary file spans 108.2875 E to 108.7001 E.
    CHECK(info["bounds_wgs84"][0].get<double>() == Approx(108.2875).margin(1e-3));
    CHECK(info["bounds_wgs84"][2].get<double>() == Approx(108.7001).margin(1e-3));

    auto text = run_lantern({"info", db});
    CHECK_THAT(text.out, Catch::Contains("heritage_sites") && Catch::Contains("heritage_landmarks.csv"));

    auto valid = run_lantern({"validate", db, "--json"});
    CHECK(valid.exit_code == 0);
    CHECK(nlohmann::json::parse(valid.out)["errors"] == 0);

    auto exported = run_lantern({"export", db, "heritage_sites", dir.file("sites.gpkg"), "--t-srs",
                                 "VN2000:TM3:107.75"});
    CHECK(exported.exit_code == 0);
    CHECK_THAT(exported.out, Catch::Contains("wrote 12 heritage_sites features"));
    auto again = run_lantern({"export", db, "heritage_sites", dir.file("sites.gpkg")});
    CHECK(again.exit_code == 3);
}

namespace {

// A 120 x 100 cell GeoTIFF in WGS 84 over the Ancient Town whose height is
// 0.5 m plus 0.01 m per column from the west: easy to check after warping.
void write_test_dem(const std::string& path, bool with_crs)
{
    lantern::core::ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 120, 100, 1, GDT_Float32, nullptr));
    double transform[6] = {108.31, 0.0002, 0, 15.89, 0, -0.0002};
    ds->SetGeoTransform(transform);
    if (with_crs) {
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        ds->SetSpatialRef(&wgs84);
    }
    std::vector<float> cells(120 * 100);
    for (int row = 0; row < 100; ++row)
        for (int col = 0; col < 120; ++col)
            cells[static_cast<std::size_t>(row * 120 + col)] = 0.5f + 0.01f * static_cast<float>(col);
    CHECK(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 120, 100, cells.data(), 120, 100,
                                         GDT_Float32, 0, 0, nullptr) == CE_None);
}

}  // namespace

TEST_CASE("a DEM is warped into the city CRS and registered with its size and checksum", "[spatialite]")
{
    TempDir dir;
    std::string db = dir.file("hoian.sqlite");
    REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds",
                         lantern::test::hoian_bounds})
                .exit_code == 0);
    write_test_dem(dir.file("terrain.tif"), true);
    write_test_dem(dir.file("nocrs.tif"), false);

    auto no_crs = run_lantern({"import", db, "dem", dir.file("nocrs.tif")});
    CHECK(no_crs.exit_code == 1);
    CHECK_THAT(no_crs.err, Catch::Contains("the raster has no CRS"));

    auto r = run_lantern({"import", db, "dem", dir.file("terrain.tif"), "--resolution", "10", "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["pixel_size"][0] == 10.0);
    // 120 cells of 0.0002 degrees is 2.57 km at 15.88 N: 257 cells of 10 m, plus about 3
    // because the lon/lat box is tilted by the 0.74 degree grid convergence in UTM 49N.
    CHECK(j["width"].get<int>() == Approx(260).margin(3));
    CHECK(j["height"].get<int>() == Approx(222).margin(3));
    std::string tif = dir.file(j["path"].get<std::string>());

    // Sample the warped DEM at the Japanese Covered Bridge (108.3261 E): column
    // (108.3261 - 108.31) / 0.0002 = 80.5 of the source, so 0.5 + 0.01 * 80.0 = 1.30 m
    // at the centre of the cell it falls in.
    double x = 108.3261, y = 15.8772;
    lantern::core::Transform(lantern::core::Crs::wgs84(), lantern::core::Crs::from_user("EPSG:32649"))
        .apply(x, y);
    GDALDatasetUniquePtr warped(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER));
    REQUIRE(warped);
    double gt[6];
    warped->GetGeoTransform(gt);
    int col = static_cast<int>((x - gt[0]) / gt[1]);
    int row = static_cast<int>((y - gt[3]) / gt[5]);
    float height = 0;
    REQUIRE(warped->GetRasterBand(1)->RasterIO(GF_Read, col, row, 1, 1, &height, 1, 1, GDT_Float32,
                                               0, 0, nullptr) == CE_None);
    CHECK(height == Approx(1.305).margin(0.01));
    warped.reset();

    auto info = nlohmann::json::parse(run_lantern({"info", db, "--json"}).out);
    REQUIRE(info["rasters"].size() == 1);
    CHECK(info["rasters"][0]["name"] == "dem");
    CHECK(info["rasters"][0]["extent_wgs84"][0].get<double>() == Approx(108.31).margin(0.001));
    CHECK(run_lantern({"validate", db}).exit_code == 0);

    // A DEM changed behind lantern's back is caught by validate.
    {
        GDALDatasetUniquePtr edit(GDALDataset::Open(tif.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
        float sea = -1.0f;
        REQUIRE(edit->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 1, 1, &sea, 1, 1, GDT_Float32, 0, 0,
                                                 nullptr) == CE_None);
    }
    auto changed = run_lantern({"validate", db});
    CHECK(changed.exit_code == 1);
    CHECK_THAT(changed.err, Catch::Contains("hoian.sqlite: dem: raster file") && Catch::Contains("changed since import"));

    // Importing again replaces the registered file and removes the old one.
    REQUIRE(run_lantern({"import", db, "dem", dir.file("terrain.tif"), "--resolution", "20"}).exit_code == 0);
    CHECK_FALSE(std::filesystem::exists(tif));
    CHECK(run_lantern({"validate", db}).exit_code == 0);
}

TEST_CASE("a progress bar is drawn on a terminal and never into a pipe or file")
{
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite");
    REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649"}).exit_code == 0);
    lantern::test::write_file(dir.file("lamps.geojson"), lantern::test::three_lamps_geojson());

    // Into a file: no progress, not even a carriage return.
    auto quiet = run_lantern({"import", db, "lamps", dir.file("lamps.geojson")});
    REQUIRE(quiet.exit_code == 0);
    CHECK(quiet.err.empty());

    // On a terminal (a pseudo-terminal standing in for one): the bar shows.
    int master = -1;
    pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
    REQUIRE(pid >= 0);
    if (pid == 0) {
        execl(LANTERN_BINARY, LANTERN_BINARY, "import", db.c_str(), "lamps",
              dir.file("lamps.geojson").c_str(), "--replace", static_cast<char*>(nullptr));
        _exit(127);
    }
    std::string screen;
    char buffer[4096];
    for (ssize_t n; (n = read(master, buffer, sizeof buffer)) > 0;)
        screen.append(buffer, static_cast<std::size_t>(n));
    int status = 0;
    waitpid(pid, &status, 0);
    close(master);
    CHECK(WEXITSTATUS(status) == 0);
    CHECK_THAT(screen, Catch::Contains("import lamps [") && Catch::Contains("%"));
    CHECK_THAT(screen, Catch::Contains("imported 3 of 3 features"));
}

TEST_CASE("a failed export leaves no partial output behind")
{
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite");
    REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649"}).exit_code == 0);
    // A heritage site as a point and one as an outline: a Shapefile holds one geometry type.
    lantern::test::write_file(
        dir.file("sites.geojson"),
        lantern::test::feature_collection(
            {lantern::test::point_feature(108.3261, 15.8772, R"({"site_id":"HA-1","name":"Chùa Cầu","rank":"national"})"),
             lantern::test::square_feature(108.3300, 15.8770, 0.0005,
                                           R"({"site_id":"HA-2","name":"Hội quán","rank":"national"})")}));
    REQUIRE(run_lantern({"import", db, "heritage_sites", dir.file("sites.geojson")}).exit_code == 0);
    auto r = run_lantern({"export", db, "heritage_sites", dir.file("sites.shp")});
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Catch::Contains("sites.shp: cannot write feature 2"));
    for (const char* ext : {".shp", ".shx", ".dbf", ".prj"})
        CHECK_FALSE(std::filesystem::exists(dir.file(std::string("sites") + ext)));
    // The same class exports fine where mixed geometry types are allowed.
    CHECK(run_lantern({"export", db, "heritage_sites", dir.file("sites.gpkg")}).exit_code == 0);
}

TEST_CASE("import takes GDAL open options and a layer of a multi-layer source")
{
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite");
    REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649"}).exit_code == 0);

    // A spreadsheet with Vietnamese column names for the coordinates.
    lantern::test::write_file(dir.file("den.csv"), "lamp_id,kinh_do,vi_do\nL-1,108.3261,15.8772\nL-2,108.3277,15.8766\n");
    auto plain = run_lantern({"import", db, "lamps", dir.file("den.csv"), "--s-srs", "EPSG:4326"});
    CHECK(plain.exit_code == 1);
    CHECK_THAT(plain.err, Catch::Contains("no geometry"));
    auto with_oo = run_lantern({"import", db, "lamps", dir.file("den.csv"), "--s-srs", "EPSG:4326",
                                "--oo", "X_POSSIBLE_NAMES=kinh_do", "--oo", "Y_POSSIBLE_NAMES=vi_do"});
    INFO(with_oo.err);
    CHECK(with_oo.exit_code == 0);
    CHECK_THAT(with_oo.out, Catch::Contains("imported 2 of 2 features"));

    // A GeoPackage with two layers: lantern asks which one.
    lantern::test::write_file(dir.file("lamps.geojson"), lantern::test::three_lamps_geojson());
    lantern::test::translate(dir.file("lamps.geojson"), dir.file("city.gpkg"), {"-f", "GPKG", "-nln", "den_duong"});
    lantern::test::translate(dir.file("lamps.geojson"), dir.file("city.gpkg"),
                             {"-f", "GPKG", "-update", "-nln", "den_cong_vien"});
    auto ambiguous = run_lantern({"import", db, "lamps", dir.file("city.gpkg"), "--replace"});
    CHECK(ambiguous.exit_code == 2);
    CHECK_THAT(ambiguous.err, Catch::Contains("choose one with --layer") && Catch::Contains("den_cong_vien"));
    auto chosen = run_lantern({"import", db, "lamps", dir.file("city.gpkg"), "--layer", "den_duong", "--replace"});
    CHECK(chosen.exit_code == 0);
    CHECK_THAT(chosen.out, Catch::Contains("from city.gpkg:den_duong"));
}
