// The lookup's fire access (docs/api.md) on a small hand-made city whose
// answers are worked out by hand (metres east and north of a corner in UTM
// 49N):
//
//   R-1  residential 6 m  y = 0, x 0-2000
//   R-2  residential 6 m  y = 0, x 2200-2400, joined to nothing
//   station PCCC-1 at (10, -10): it sets out from (10, 0) on R-1
//   hydrants: H-1 working (1730, -5) -> (1730, 0); H-2 faulty (1800, -5)
//   buildings, diamonds of radius 5 (their southern corner 5 m from the
//   street): B-1 at (1810, 10), B-2 at (600, 10), B-3 at (2300, 10)
//   parcel P-1 from (1790, 3) to (1830, 40), holding B-1
//
// A residential street is driven at 20 km/h (docs/fire.md): B-1 is 1800 m
// along R-1 from where the station sets out, 324 s, "5 min"; its street
// point (1810, 0) is 80 m from H-1's. B-2 is 590 m away, 106.2 s, "2 min",
// and 1130 m from H-1: beyond a hydrant's reach of 150 m. No engine and no
// hydrant reach B-3.

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/lookup.hpp>

#include "support/backend.hpp"
#include "support/city_files.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::Corner;
using lantern::test::hoian_corner;
using lantern::test::geojson_diamond;
using lantern::test::geojson_box;
using lantern::test::geojson_feature;
using lantern::test::geojson_line;
using lantern::test::geojson_point;
using lantern::test::import_utm;
using lantern::test::run_lantern;
using lantern::test::TempDir;
using lantern::test::write_collection;
using json = nlohmann::json;

namespace {

void write_buildings(const TempDir& dir, const Corner& c, double b2_east)
{
    write_collection(dir.file("buildings.geojson"),
                     {geojson_feature(geojson_diamond(c, 1810, 10), R"({"building_id":"B-1"})"),
                      geojson_feature(geojson_diamond(c, b2_east, 10), R"({"building_id":"B-2"})"),
                      geojson_feature(geojson_diamond(c, 2300, 10), R"({"building_id":"B-3"})")});
}

std::string build_city(const TempDir& dir)
{
    const Corner c = hoian_corner();
    std::string city = lantern::test::city_location(dir, "city.sqlite");
    lantern::test::new_city(dir);
    write_collection(dir.file("wards.geojson"),
                     {geojson_feature(geojson_box(c.x(-100), c.y(-100), c.x(2500), c.y(200)),
                                      R"({"ward_code":"W1","name":"Ward One"})")});
    import_utm(city, "wards", dir.file("wards.geojson"));
    write_collection(
        dir.file("roads.geojson"),
        {geojson_feature(geojson_line(c.x(0), c.y(0), c.x(2000), c.y(0)),
                         R"({"road_id":"R-1","class":"residential","width_m":6})"),
         geojson_feature(geojson_line(c.x(2200), c.y(0), c.x(2400), c.y(0)),
                         R"({"road_id":"R-2","class":"residential","width_m":6})")});
    import_utm(city, "roads", dir.file("roads.geojson"));
    write_buildings(dir, c, 600);
    import_utm(city, "buildings", dir.file("buildings.geojson"));
    write_collection(dir.file("parcels.geojson"),
                     {geojson_feature(geojson_box(c.x(1790), c.y(3), c.x(1830), c.y(40)),
                                      R"({"parcel_id":"P-1","land_use":"ODT"})")});
    import_utm(city, "parcels", dir.file("parcels.geojson"));
    for (const char* cls : {"fire_stations", "hydrants"})
        REQUIRE(run_lantern({"classes", "add", city, std::string(LANTERN_SOURCE_DIR) + "/data/classes/" + cls + ".json"})
                    .exit_code == 0);
    write_collection(dir.file("stations.geojson"),
                     {geojson_feature(geojson_point(c.x(10), c.y(-10)),
                                      R"({"station_id":"PCCC-1","name":"Station One","vehicles":2})")});
    import_utm(city, "fire_stations", dir.file("stations.geojson"));
    write_collection(dir.file("hydrants.geojson"),
                     {geojson_feature(geojson_point(c.x(1730), c.y(-5)),
                                      R"({"hydrant_id":"H-1","kind":"pillar","status":"working"})"),
                      geojson_feature(geojson_point(c.x(1800), c.y(-5)),
                                      R"({"hydrant_id":"H-2","kind":"pillar","status":"faulty"})")});
    import_utm(city, "hydrants", dir.file("hydrants.geojson"));
    return city;
}

// The lookup's fire member at a point given in metres east and north of the corner.
json fire_at(const layers::CityLookup& lookup, const Corner& c, double east, double north)
{
    double lon = c.x(east), lat = c.y(north);
    core::Transform(core::Crs::from_user("EPSG:32649"), core::Crs::wgs84()).apply(lon, lat);
    auto answer = lookup.at(lon, lat);
    REQUIRE(answer);
    return json::parse(*answer).at("fire");
}

void run_fire(const std::string& city, std::vector<std::string> more = {})
{
    std::vector<std::string> args = {"fire", city, "-q"};
    args.insert(args.end(), more.begin(), more.end());
    auto r = run_lantern(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

}  // namespace

TEST_CASE("the lookup gives the fire access of the building at a point, with its sentence, on a street by hand")
{
    TempDir dir;
    auto city = build_city(dir);
    const Corner c = hoian_corner();
    auto storage = core::open_city(city, core::Access::read_only);

    // Not computed yet: the command that computes it.
    layers::CityLookup before(*storage);
    auto none = fire_at(before, c, 1810, 10);
    CHECK(none["computed"] == false);
    CHECK_THAT(none["note"].get<std::string>(), Catch::Contains("lantern fire"));

    run_fire(city);
    layers::CityLookup lookup(*storage, &before);

    // Inside B-1.
    auto b1 = fire_at(lookup, c, 1810, 10);
    CHECK(b1["computed"] == true);
    CHECK(b1["result"] == "fire_access");
    CHECK(b1["building_id"] == "B-1");
    CHECK(b1["distance_m"].get<double>() == Approx(0).margin(0.05));
    CHECK(b1["station_id"] == "PCCC-1");
    CHECK(b1["station_name"] == "Station One");
    CHECK(b1["route_m"].get<double>() == Approx(1800).margin(0.05));
    CHECK(b1["time_s"].get<double>() == Approx(1800 / (20 / 3.6)).margin(0.05));
    CHECK(b1["hose_m"].get<double>() == Approx(5).margin(0.05));
    CHECK(b1["hydrant_id"] == "H-1");
    CHECK(b1["hydrant_m"].get<double>() == Approx(80).margin(0.05));
    for (const char* flag : {"beyond_target", "beyond_hose", "no_hydrant", "unreachable"})
        CHECK(b1[flag] == false);
    CHECK_FALSE(b1.contains("stage_m"));
    CHECK(b1["sentence"]["en"] == "fire station 5 min by road, nearest working hydrant 80 m along the street");
    CHECK(b1["sentence"]["vi"] ==
          "đội PCCC 5 phút theo đường bộ, trụ nước chữa cháy hoạt động gần nhất cách 80 m theo đường phố");

    // 20 m north of B-1's northern corner, then 45 m: the nearest building
    // within 30 m, else none.
    auto near = fire_at(lookup, c, 1810, 35);
    CHECK(near["building_id"] == "B-1");
    CHECK(near["distance_m"].get<double>() == Approx(20).margin(0.05));
    CHECK(fire_at(lookup, c, 1810, 60).is_null());

    // B-2: reached, but its nearest working hydrant is 1130 m along R-1.
    auto b2 = fire_at(lookup, c, 600, 10);
    CHECK(b2["building_id"] == "B-2");
    CHECK(b2["route_m"].get<double>() == Approx(590).margin(0.05));
    CHECK(b2["hydrant_m"].get<double>() == Approx(1130).margin(0.05));
    CHECK(b2["no_hydrant"] == true);
    CHECK(b2["sentence"]["en"] == "fire station 2 min by road, no working hydrant within 150 m");
    CHECK(b2["sentence"]["vi"] ==
          "đội PCCC 2 phút theo đường bộ, không có trụ nước chữa cháy hoạt động trong vòng 150 m");

    // B-3 on a street joined to nothing.
    auto b3 = fire_at(lookup, c, 2300, 10);
    CHECK(b3["unreachable"] == true);
    CHECK(b3["route_m"].is_null());
    CHECK(b3["hydrant_id"].is_null());
    CHECK(b3["sentence"]["en"] == "no fire engine can reach it, no working hydrant within 150 m");
    CHECK(b3["sentence"]["vi"] ==
          "không xe chữa cháy nào tiếp cận được, không có trụ nước chữa cháy hoạt động trong vòng 150 m");

    // The parcel holding B-1 lists it.
    auto parcel = lookup.parcel("P-1");
    REQUIRE(parcel);
    REQUIRE((*parcel)["fire"]["buildings"].size() == 1);
    CHECK((*parcel)["fire"]["buildings"][0]["building_id"] == "B-1");
    CHECK((*parcel)["fire"]["buildings"][0]["sentence"] == b1["sentence"]);
}

TEST_CASE("the lookup's fire sentence follows the run's hydrant reach, and a stale result is not used")
{
    TempDir dir;
    auto city = build_city(dir);
    const Corner c = hoian_corner();
    auto storage = core::open_city(city, core::Access::read_only);
    run_fire(city, {"--hydrant-reach", "1200"});
    layers::CityLookup first(*storage);
    CHECK(fire_at(first, c, 600, 10)["sentence"]["en"] ==
          "fire station 2 min by road, nearest working hydrant 1130 m along the street");

    // Read again after another run, sharing what did not change.
    run_fire(city, {"--hydrant-reach", "60"});
    layers::CityLookup second(*storage, &first);
    CHECK(fire_at(second, c, 600, 10)["sentence"]["en"] ==
          "fire station 2 min by road, no working hydrant within 60 m");
    CHECK(fire_at(second, c, 1810, 10)["sentence"]["en"] ==
          "fire station 5 min by road, no working hydrant within 60 m");

    // B-2 moved: the result is stale until lantern fire runs again.
    write_buildings(dir, c, 700);
    import_utm(city, "buildings", dir.file("buildings.geojson"), {"--replace"});
    layers::CityLookup stale(*storage, &second);
    auto fire = fire_at(stale, c, 700, 10);
    CHECK(fire["computed"] == false);
    CHECK_THAT(fire["note"].get<std::string>(), Catch::Contains("lantern fire"));
}
