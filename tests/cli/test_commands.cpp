// The lantern command end to end: help of every command, init / import /
// info / validate / export on the bundled Hoi An data.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/support.hpp"

using lantern::test::run_lantern;
using lantern::test::TempDir;

TEST_CASE("every command has --help")
{
    for (const char* command : {"init", "import", "validate", "info", "export", "classes"}) {
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

TEST_CASE("init then import the bundled heritage landmarks then info and validate and export")
{
    TempDir dir;
    std::string db = dir.file("hoian.sqlite");
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
