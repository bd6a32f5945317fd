// Each bad input gives one clear line on stderr, a documented non-zero exit
// code, and leaves the city database exactly as it was.

#include <catch2/catch.hpp>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"

using lantern::test::run_lantern;
using lantern::test::TempDir;
using lantern::test::write_file;

namespace {

struct City {
    TempDir dir;
    std::string db = lantern::test::city_location(dir, "hoian.sqlite");

    City()
    {
        REQUIRE(run_lantern({"init", db, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds",
                             lantern::test::hoian_bounds})
                    .exit_code == 0);
        write_file(dir.file("lamps.geojson"), lantern::test::three_lamps_geojson());
        REQUIRE(run_lantern({"import", db, "lamps", dir.file("lamps.geojson")}).exit_code == 0);
    }

    // What the database holds: classes with counts and checksums.
    nlohmann::json state() const
    {
        auto r = run_lantern({"info", db, "--json"});
        REQUIRE(r.exit_code == 0);
        return nlohmann::json::parse(r.out)["classes"];
    }
};

std::size_t line_count(const std::string& text)
{
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

}  // namespace

TEST_CASE("bad inputs give one line and a non-zero exit and leave the database unchanged")
{
    City city;
    const auto& d = city.dir;
    std::string polygon = lantern::test::feature_collection(
        {lantern::test::square_feature(108.32, 15.88, 0.001, R"({"lamp_id":"L-9"})")});
    write_file(d.file("polygon.geojson"), polygon);
    write_file(d.file("truncated.geojson"), lantern::test::three_lamps_geojson().substr(0, 200));
    write_file(d.file("empty.geojson"), "");
    write_file(d.file("no_id.geojson"),
               lantern::test::feature_collection(
                   {lantern::test::point_feature(108.33, 15.88, R"({"power_w":60})")}));
    write_file(d.file("heading.geojson"),
               lantern::test::feature_collection({lantern::test::point_feature(
                   108.33, 15.88, R"({"camera_id":"C-1","purpose":"security","heading_deg":400})")}));
    write_file(d.file("duplicate.geojson"),
               lantern::test::feature_collection(
                   {lantern::test::point_feature(108.33, 15.88, R"({"lamp_id":"L-7"})"),
                    lantern::test::point_feature(108.331, 15.88, R"({"lamp_id":"L-7"})")}));
    write_file(d.file("bowtie.geojson"),
               R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"parcel_id":"P-1","land_use":"ODT"},"geometry":{"type":"Polygon","coordinates":[[[108.33,15.88],[108.331,15.881],[108.331,15.88],[108.33,15.881],[108.33,15.88]]]}}]})");
    write_file(d.file("lamps.csv"), "lamp_id,lon,lat\nL-20,108.33,15.88\n");
    write_file(d.file("latin1.csv"), "ward_code,name,WKT\n20398,Ph\xf0\xf6ng Minh An,\"POLYGON ((108.32 15.87,108.33 15.87,108.33 15.88,108.32 15.87))\"\n");
    write_file(d.file("notes.sqlite"), "this is not a database\n");

    struct Case {
        std::string name;
        std::vector<std::string> args;
        int exit_code;
        std::string message;
    };
    const std::string db = city.db;
    const std::vector<Case> cases = {
        {"missing file", {"import", db, "lamps", d.file("nowhere.geojson")}, 3, "no such file"},
        {"truncated GeoJSON", {"import", db, "lamps", d.file("truncated.geojson")}, 1,
         "not a readable vector source"},
        {"empty file", {"import", db, "lamps", d.file("empty.geojson")}, 1, "the file is empty"},
        {"wrong geometry type", {"import", db, "lamps", d.file("polygon.geojson"), "--append"}, 1,
         "wrong geometry type: lamps takes Point features"},
        {"missing required field", {"import", db, "lamps", d.file("no_id.geojson"), "--append"}, 1,
         "field lamp_id: required field is missing from the source"},
        {"value out of range", {"import", db, "cameras", d.file("heading.geojson")}, 1,
         "feature 1 (camera_id=C-1): field heading_deg = '400': above the maximum 360"},
        {"duplicate id", {"import", db, "lamps", d.file("duplicate.geojson"), "--append"}, 1,
         "feature 2 (lamp_id=L-7): field lamp_id = 'L-7': duplicate id"},
        {"self-intersecting polygon", {"import", db, "parcels", d.file("bowtie.geojson")}, 1,
         "invalid geometry: Self-intersection"},
        {"unknown CRS", {"import", db, "lamps", d.file("lamps.csv"), "--s-srs", "EPSG:999999"}, 2,
         "unknown CRS 'EPSG:999999'"},
        {"source without CRS", {"import", db, "lamps", d.file("lamps.csv"), "--append"}, 1,
         "the source has no CRS; name it with --s-srs"},
        {"text not UTF-8", {"import", db, "wards", d.file("latin1.csv"), "--s-srs", "EPSG:4326"}, 1,
         "field name = 'Ph\\xf0\\xf6ng Minh An': text is not valid UTF-8"},
        {"unknown class", {"import", db, "lampposts", d.file("lamps.csv")}, 2,
         "unknown feature class 'lampposts'"},
        {"not a city database", {"import", d.file("notes.sqlite"), "lamps", d.file("lamps.csv")}, 4,
         "not a city database"},
        {"directory as city database", {"info", d.path().string()}, 4, "not a city database"},
    };

    auto before = city.state();
    for (const auto& c : cases) {
        SECTION(c.name)
        {
            auto r = run_lantern(c.args);
            INFO("stderr: " << r.err);
            CHECK(r.exit_code == c.exit_code);
            CHECK(line_count(r.err) == 1);
            CHECK_THAT(r.err, Catch::StartsWith("lantern: error: ") && Catch::Contains(c.message));
            CHECK(city.state() == before);
        }
    }
}

TEST_CASE("a read-only city database refuses imports and stays unchanged", "[spatialite]")
{
    City city;
    auto before = city.state();
    std::filesystem::permissions(city.db, std::filesystem::perms::owner_write |
                                              std::filesystem::perms::group_write |
                                              std::filesystem::perms::others_write,
                                 std::filesystem::perm_options::remove);
    write_file(city.dir.file("more.geojson"),
               lantern::test::feature_collection(
                   {lantern::test::point_feature(108.33, 15.88, R"({"lamp_id":"L-8"})")}));
    auto r = run_lantern({"import", city.db, "lamps", city.dir.file("more.geojson"), "--append"});
    CHECK(r.exit_code == 4);
    CHECK(r.err == "lantern: error: " + city.db + ": the city database is read-only\n");
    CHECK(city.state() == before);
}

TEST_CASE("json output reports every issue of a rejected import with file and feature and field and value")
{
    City city;
    write_file(city.dir.file("cams.geojson"),
               lantern::test::feature_collection(
                   {lantern::test::point_feature(108.33, 15.88,
                                                 R"({"camera_id":"C-1","purpose":"security","heading_deg":400})"),
                    lantern::test::point_feature(108.331, 15.88,
                                                 R"({"camera_id":"C-2","purpose":"spying"})")}));
    auto r = run_lantern({"import", city.db, "cameras", city.dir.file("cams.geojson"), "--json"});
    CHECK(r.exit_code == 1);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["ok"] == false);
    REQUIRE(j["report"]["issues"].size() == 2);
    auto first = j["report"]["issues"][0];
    CHECK(first["file"] == city.dir.file("cams.geojson"));
    CHECK(first["feature"] == 1);
    CHECK(first["field"] == "heading_deg");
    CHECK(first["value"] == "400");
    CHECK(j["report"]["issues"][1]["field"] == "purpose");
    CHECK(line_count(r.err) == 2);  // text lists both problems
}

TEST_CASE("the command line adds to core's errors the option or command that changes what they are about")
{
    City city;
    const auto& d = city.dir;
    write_file(d.file("lamps.csv"), "lamp_id,lon,lat\nL-20,108.33,15.88\n");
    write_file(d.file("taken.geojson"), "{}\n");
    const std::string db = city.db;
    struct Case {
        std::vector<std::string> args;
        int exit_code;
        std::string core_message, remedy;
    };
    const std::vector<Case> cases = {
        {{"import", db, "lamps", d.file("lamps.csv"), "--s-srs", "EPSG:4326"}, 2,
         db + ": lamps already has 3 features", "pass --append or --replace"},
        {{"import", db, "lamps", d.file("lamps.csv"), "--s-srs", "EPSG:4326", "--append", "--map", "lamp_id=ID"},
         2, "field mapping lamp_id=ID: " + d.file("lamps.csv") + " has no field 'ID' (it has: lamp_id)",
         "map class fields to source fields with --map CLASS_FIELD=SOURCE_FIELD"},
        {{"import", db, "lamps", d.file("lamps.csv"), "--invalid", "fix"}, 2,
         "--invalid: invalid-geometry policy 'fix': must be reject, repair or skip", ""},
        {{"export", db, "lamps", d.file("taken.geojson")}, 3, d.file("taken.geojson") + ": already exists",
         "pass --overwrite to replace it"},
        {{"export", db, "lamps", d.file("lamps.xyz")}, 2,
         d.file("lamps.xyz") + ": cannot tell the output format from the extension '.xyz'",
         "name a GDAL driver with --format"},
        {{"info", d.file("nowhere.sqlite")}, 4, d.file("nowhere.sqlite") + ": no such city database",
         "create one with lantern init"},
        {{"init", d.file("taken.geojson"), "--name", "X", "--crs", "EPSG:32649"}, 3,
         d.file("taken.geojson") + ": already exists", "lantern init will not overwrite it"},
        {{"flood", db, "--stage", "1.0"}, 1, db + ": the city has no ", "import it with lantern import CITY CLASS FILE"},
        {{"flood", db, "--stage", "1,5"}, 2, "--stage '1,5' is not a water level in metres (-50 to 100) or a preset (alarm-1, ", ""},
    };
    for (const auto& c : cases) {
        auto r = run_lantern(c.args);
        INFO(c.args[0] << ": " << r.err);
        CHECK(r.exit_code == c.exit_code);
        CHECK(line_count(r.err) == 1);
        CHECK_THAT(r.err, Catch::StartsWith("lantern: error: " + c.core_message));
        if (!c.remedy.empty())
            CHECK_THAT(r.err, Catch::EndsWith("; " + c.remedy + "\n"));
    }
}
