// Fire access on a hand-made ladder of streets whose answers are worked out
// by hand below (metres east and north of a corner in UTM 49N):
//
//   R-B  residential 6 m    y = 0,    x 0-300
//   R-A  primary 10 m       y = -100, x 0-400, then R-D residential 6 m to x 600
//   rungs, residential 6 m: R-1 x = 0, R-2 x = 100, R-4 x = 300 (y -100 to 0)
//   R-3  living street 3 m  x = 200 (a lane a standard engine cannot use)
//   R-S  residential 6 m    x = 100, y 0 to 50 (a 50 m stub)
//   R-X  residential 6 m    y = -100, x 700-800, joined to nothing
//   station PCCC-1 at (20, -110): it sets out from (20, -100) on R-A
//   hydrants: H-1 working (50, -105) -> (50, -100); H-2 faulty (210, -105);
//             H-3 working (300, 5) -> the junction (300, 0)
//   buildings, diamonds of radius 5 so that each has one nearest corner:
//     B-1 at (50, -90), B-2 at (210, -55), B-3 at (590, -90), B-4 at (750, -90)
//   heritage zone I over B-2 and B-3
//   the ground: a river south of y = -150; a hollow at 1 m for x 120-280 from
//   the river up to y = -90, the rest at 5 m; at a stage of 2 m the hollow
//   floods 1 m deep and R-A's edges from x 100 to 300 close.
//
// Speeds (docs/fire.md): primary 40 km/h, residential 20, living street 15.

#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>

#include "support/backend.hpp"
#include "support/city_files.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::Corner;
using lantern::test::hoian_corner;
using lantern::test::geojson_diamond;
using lantern::test::geojson_feature;
using lantern::test::geojson_line;
using lantern::test::geojson_point;
using lantern::test::import_utm;
using lantern::test::result_rows;
using lantern::test::run_lantern;
using lantern::test::TempDir;
using lantern::test::value_real;
using lantern::test::value_text;
using lantern::test::write_collection;
using json = nlohmann::json;

namespace {

std::string road(const Corner& c, const char* id, const char* cls, double width, double e0, double n0, double e1,
                 double n1)
{
    return geojson_feature(geojson_line(c.x(e0), c.y(n0), c.x(e1), c.y(n1)),
                           json({{"road_id", id}, {"class", cls}, {"width_m", width}}).dump());
}

std::string build_city(const TempDir& dir)
{
    const Corner c = hoian_corner();
    std::string city = lantern::test::city_location(dir, "city.sqlite");
    lantern::test::new_city(dir);
    // 10 m cells from (-100, 100) to (800, -250).
    lantern::test::import_dem(dir, city, c.x(-100), c.y(100), 90, 35, [](int col, int row) {
        double east = -100 + (col + 0.5) * 10, north = 100 - (row + 0.5) * 10;
        if (north < -150)
            return -1.0f;
        if (east >= 120 && east <= 280 && north <= -90)
            return 1.0f;
        return 5.0f;
    });
    write_collection(dir.file("water.geojson"),
                     {geojson_feature(lantern::test::geojson_box(c.x(-100), c.y(-250), c.x(800), c.y(-150)),
                                      R"({"name":"river","kind":"river"})")});
    import_utm(city, "water", dir.file("water.geojson"));
    write_collection(dir.file("wards.geojson"),
                     {geojson_feature(lantern::test::geojson_box(c.x(-100), c.y(-250), c.x(800), c.y(100)),
                                      R"({"ward_code":"W1","name":"Ward One"})")});
    import_utm(city, "wards", dir.file("wards.geojson"));
    write_collection(dir.file("roads.geojson"),
                     {road(c, "R-B", "residential", 6, 0, 0, 300, 0), road(c, "R-A", "primary", 10, 0, -100, 400, -100),
                      road(c, "R-D", "residential", 6, 400, -100, 600, -100),
                      road(c, "R-1", "residential", 6, 0, -100, 0, 0), road(c, "R-2", "residential", 6, 100, -100, 100, 0),
                      road(c, "R-4", "residential", 6, 300, -100, 300, 0),
                      road(c, "R-3", "living_street", 3, 200, -100, 200, 0),
                      road(c, "R-S", "residential", 6, 100, 0, 100, 50),
                      road(c, "R-X", "residential", 6, 700, -100, 800, -100)});
    import_utm(city, "roads", dir.file("roads.geojson"));
    write_collection(dir.file("heritage_zones.geojson"),
                     {geojson_feature(lantern::test::geojson_box(c.x(180), c.y(-95), c.x(620), c.y(-40)),
                                      R"({"zone_id":"HZ-I","protection":"I","name":"core","rules":"none new"})")});
    import_utm(city, "heritage_zones", dir.file("heritage_zones.geojson"));
    write_collection(dir.file("buildings.geojson"),
                     {geojson_feature(geojson_diamond(c, 50, -90), R"({"building_id":"B-1"})"),
                      geojson_feature(geojson_diamond(c, 210, -55), R"({"building_id":"B-2"})"),
                      geojson_feature(geojson_diamond(c, 590, -90), R"({"building_id":"B-3"})"),
                      geojson_feature(geojson_diamond(c, 750, -90), R"({"building_id":"B-4"})")});
    import_utm(city, "buildings", dir.file("buildings.geojson"));
    for (const char* cls : {"fire_stations", "hydrants"})
        REQUIRE(run_lantern({"classes", "add", city, std::string(LANTERN_SOURCE_DIR) + "/data/classes/" + cls + ".json"})
                    .exit_code == 0);
    write_collection(dir.file("stations.geojson"),
                     {geojson_feature(geojson_point(c.x(20), c.y(-110)),
                                      R"({"station_id":"PCCC-1","name":"Station One","vehicles":2})")});
    import_utm(city, "fire_stations", dir.file("stations.geojson"));
    write_collection(dir.file("hydrants.geojson"),
                     {geojson_feature(geojson_point(c.x(50), c.y(-105)),
                                      R"({"hydrant_id":"H-1","kind":"pillar","status":"working"})"),
                      geojson_feature(geojson_point(c.x(210), c.y(-105)),
                                      R"({"hydrant_id":"H-2","kind":"pillar","status":"faulty"})"),
                      geojson_feature(geojson_point(c.x(300), c.y(5)),
                                      R"({"hydrant_id":"H-3","kind":"pillar","status":"working"})")});
    import_utm(city, "hydrants", dir.file("hydrants.geojson"));
    return city;
}

json fire_json(const std::vector<std::string>& args, int expected_exit = 0)
{
    std::vector<std::string> all = {"fire"};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back("--json");
    all.push_back("-q");
    auto r = run_lantern(all);
    INFO(r.err);
    REQUIRE(r.exit_code == expected_exit);
    return json::parse(r.out);
}

// fire_access rows by building id.
std::map<std::string, std::map<std::string, core::Value>> access_rows(const std::string& city)
{
    std::map<std::string, std::map<std::string, core::Value>> out;
    for (auto& row : result_rows(city, "fire_access"))
        out[value_text(row.at("building_id"))] = row;
    return out;
}

double kmh(double metres, double speed)
{
    return metres / (speed / 3.6);
}

}  // namespace

TEST_CASE("fire access on a ladder of streets: routes, times, hose runs and hydrants by hand")
{
    TempDir dir;
    auto city = build_city(dir);
    auto s = fire_json({city, "--hose-reach", "55"});
    CHECK(s["stored"] == true);
    auto rows = access_rows(city);
    REQUIRE(rows.size() == 4);

    // B-1: 5 m north of R-A; 30 m from where the station sets out.
    auto b1 = rows.at("B-1");
    CHECK(value_text(b1.at("station_id")) == "PCCC-1");
    CHECK(value_real(b1.at("route_m")) == Approx(30).margin(1e-6));
    CHECK(value_real(b1.at("time_s")) == Approx(kmh(30, 40)).margin(0.05));
    CHECK(value_real(b1.at("access_gap_m")) == Approx(5).margin(1e-9));
    CHECK(value_real(b1.at("hose_m")) == Approx(5).margin(1e-6));
    CHECK(value_text(b1.at("hydrant_id")) == "H-1");
    CHECK(value_real(b1.at("hydrant_m")) == Approx(0).margin(1e-6));
    CHECK(value_real(b1.at("no_hydrant")) == 0);

    // B-2 beside the 3 m lane: the engine stops on R-A at (210, -100), 40 m
    // from its southern corner; the hose runs from (200, -100) up the lane
    // 45 m and 5 m across; H-3 is 100 + 55 m away along R-B and the lane
    // (H-2 is faulty), beyond 150 m.
    auto b2 = rows.at("B-2");
    CHECK(value_real(b2.at("route_m")) == Approx(190).margin(1e-6));
    CHECK(value_real(b2.at("time_s")) == Approx(kmh(190, 40)).margin(0.05));
    CHECK(value_real(b2.at("access_gap_m")) == Approx(40).margin(1e-9));
    CHECK(value_real(b2.at("street_gap_m")) == Approx(5).margin(1e-9));
    CHECK(value_real(b2.at("hose_m")) == Approx(50).margin(1e-6));
    CHECK(value_text(b2.at("heritage")) == "I");
    CHECK(value_text(b2.at("hydrant_id")) == "H-3");
    CHECK(value_real(b2.at("hydrant_m")) == Approx(155).margin(1e-6));
    CHECK(value_real(b2.at("no_hydrant")) == 1);
    CHECK(value_real(b2.at("beyond_hose")) == 0);

    // B-3 at the end of the 300 m dead end: 380 m of R-A and 190 m of R-D.
    auto b3 = rows.at("B-3");
    CHECK(value_real(b3.at("route_m")) == Approx(570).margin(1e-6));
    CHECK(value_real(b3.at("time_s")) == Approx(kmh(380, 40) + kmh(190, 20)).margin(0.05));
    CHECK(value_real(b3.at("hydrant_m")) == Approx(100 + 290).margin(1e-6));

    // B-4 on a street joined to nothing.
    auto b4 = rows.at("B-4");
    CHECK(value_real(b4.at("unreachable")) == 1);
    CHECK(std::isnan(value_real(b4.at("route_m"))));
    CHECK(value_real(b4.at("beyond_hose")) == 1);

    // The dead end from (600, -100) back to R-4's junction: 300 m over R-D and R-A.
    REQUIRE(s["dead_ends"].size() == 1);
    CHECK(s["dead_ends"][0]["length_m"].get<double>() == Approx(300));
    auto dead = result_rows(city, "fire_dead_ends");
    REQUIRE(dead.size() == 1);
    CHECK(value_text(dead[0].at("road_ids")) == "R-D,R-A");

    auto gaps = result_rows(city, "fire_gaps");
    REQUIRE(gaps.size() == 1);
    CHECK(value_text(gaps[0].at("building_id")) == "B-4");
    CHECK(value_text(gaps[0].at("reason")) == "unreachable, beyond hose reach");
    CHECK(result_rows(city, "hydrant_gaps").size() == 3);  // B-2, B-3, B-4
    CHECK(s["totals"]["no_hydrant"] == 3);
    CHECK(s["heritage_houses"]["buildings"] == 2);

    // fire_streets: R-3 is too narrow for the standard engine.
    for (const auto& e : result_rows(city, "fire_streets"))
        CHECK(value_real(e.at("usable")) == (value_text(e.at("road_id")) == "R-3" ? 0 : 1));
}

TEST_CASE("fire access for a mini engine goes up the 3 m lane")
{
    TempDir dir;
    auto city = build_city(dir);
    fire_json({city, "--vehicle", "mini"});
    auto b2 = access_rows(city).at("B-2");
    // 180 m along R-A from (20, -100), then 45 m up the lane.
    CHECK(value_real(b2.at("route_m")) == Approx(225).margin(1e-6));
    CHECK(value_real(b2.at("time_s")) == Approx(kmh(180, 40) + kmh(45, 15)).margin(0.05));
    CHECK(value_real(b2.at("access_gap_m")) == Approx(5).margin(1e-9));
    CHECK(value_real(b2.at("hose_m")) == Approx(5).margin(1e-6));
}

TEST_CASE("fire access in a flood: the flooded streets close and B-2 loses the hose's reach")
{
    TempDir dir;
    auto city = build_city(dir);
    // Without the flood result the run says how to make it.
    auto missing = run_lantern({"fire", city, "--stage", "2", "-q"});
    CHECK(missing.exit_code != 0);
    CHECK_THAT(missing.err, Catch::Contains("lantern flood CITY --stage 2.00"));
    REQUIRE(run_lantern({"flood", city, "--stage", "2", "-q"}).exit_code == 0);

    auto s = fire_json({city, "--stage", "2", "--hose-reach", "55"});
    // R-A from 100 to 200 and from 200 to 300, and the lane R-3, whose lowest
    // 10 m lie in the hollow.
    CHECK(s["stage"]["closed_edges"] == 3);
    auto rows = access_rows(city);
    // B-2: R-A is closed; the engine stops on R-B at (210, 0), by R-A to 100,
    // R-2 and R-B: 80 + 100 + 110 m. The hose runs 55 m down the lane from
    // (200, 0) and 5 m across: over 55 m, so B-2 loses access.
    auto b2 = rows.at("B-2");
    CHECK(value_real(b2.at("route_m")) == Approx(290).margin(1e-6));
    CHECK(value_real(b2.at("time_s")) == Approx(kmh(80, 40) + kmh(100, 20) + kmh(110, 20)).margin(0.05));
    CHECK(value_real(b2.at("dry_route_m")) == Approx(190).margin(1e-6));
    CHECK(value_real(b2.at("hose_m")) == Approx(60).margin(1e-6));
    CHECK(value_real(b2.at("lost_access")) == 1);
    CHECK(value_real(b2.at("access_moved")) == 1);
    CHECK(std::isnan(value_real(b2.at("extra_s"))));  // its engine stops elsewhere: no extra time to compare
    // B-3: round by R-B and R-4: 80 + 100 + 200 + 100 + 290 m.
    auto b3 = rows.at("B-3");
    CHECK(value_real(b3.at("route_m")) == Approx(770).margin(1e-6));
    double wet = kmh(80, 40) + kmh(100, 20) + kmh(200, 20) + kmh(100, 20) + kmh(100, 40) + kmh(190, 20);
    CHECK(value_real(b3.at("extra_s")) == Approx(wet - (kmh(380, 40) + kmh(190, 20))).margin(0.1));
    CHECK(value_real(b3.at("lost_access")) == 0);
    CHECK(value_real(b3.at("access_moved")) == 0);
    // B-1 is untouched.
    CHECK(value_real(rows.at("B-1").at("extra_s")) == Approx(0).margin(1e-6));
    CHECK(s["stage"]["lost_access"] == 1);
    CHECK(s["stage"]["access_moved"] == 1);
    // The extra time of those whose engine stops where it did: B-1's 0 and B-3's.
    CHECK(s["stage"]["max_extra_s"].get<double>() == Approx(wet - (kmh(380, 40) + kmh(190, 20))).margin(0.5));
    CHECK(s["stage"]["lost_access_first"][0] == "B-2");
}

TEST_CASE("fire access what-ifs store nothing: a hydrant added, a road closed, hydrants placed")
{
    TempDir dir;
    auto city = build_city(dir);
    fire_json({city});
    auto before = result_rows(city, "fire_access");

    const Corner c = hoian_corner();
    write_collection(dir.file("new_hydrants.geojson"),
                     {geojson_feature(geojson_point(c.x(205), c.y(-55)), R"({"hydrant_id":"N-1"})")});
    // The file says it is in UTM 49N through GeoJSON's crs member.
    auto added_file = dir.file("new_hydrants_utm.geojson");
    {
        auto text = lantern::test::read_file(dir.file("new_hydrants.geojson"));
        auto at = text.find('{') + 1;
        text.insert(at, R"("crs":{"type":"name","properties":{"name":"EPSG:32649"}},)");
        lantern::test::write_file(added_file, text);
    }
    auto added = fire_json({city, "--add-hydrants", added_file});
    CHECK(added["stored"] == false);
    CHECK(added["totals"]["no_hydrant"] == 2);  // B-2 now has N-1 on its lane

    // Closing R-2 and R-4 leaves B-3 only the way along R-A.
    auto closed = fire_json({city, "--close-roads", "R-2,R-4"});
    CHECK(closed["streets"]["closed_edges"] == 2);
    auto bad = run_lantern({"fire", city, "--close-roads", "R-99", "-q"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains("R-99"));

    // Two heritage houses beyond a hydrant's reach, far apart: one site each.
    auto one = fire_json({city, "--suggest-hydrants", "1"});
    CHECK(one["suggested_hydrants"]["targets"] == 2);
    CHECK(one["suggested_hydrants"]["brought_within_reach"] == 1);
    auto two = fire_json({city, "--suggest-hydrants", "2"});
    CHECK(two["suggested_hydrants"]["brought_within_reach"] == 2);
    for (const auto& site : two["suggested_hydrants"]["sites"]) {
        // Within 150 m along the streets of its house, so within 150 m straight.
        std::string house = site["building_ids"][0];
        double east = house == "B-2" ? 210 : 590, north = house == "B-2" ? -55 : -90;
        CHECK(std::hypot(site["x"].get<double>() - c.x(east), site["y"].get<double>() - c.y(north)) <= 155);
    }
    // Nothing stored by any of them.
    auto after = result_rows(city, "fire_access");
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i)
        CHECK(value_text(after[i].at("hydrant_id")) == value_text(before[i].at("hydrant_id")));
}

TEST_CASE("fire access refuses bad input with the reason")
{
    TempDir dir;
    auto city = build_city(dir);
    auto vehicle = run_lantern({"fire", city, "--vehicle", "tank", "-q"});
    CHECK(vehicle.exit_code == 2);
    CHECK_THAT(vehicle.err, Catch::Contains("standard, mini, motorbike"));
    auto stage = run_lantern({"fire", city, "--stage", "alarm-9", "-q"});
    CHECK(stage.exit_code == 2);
    CHECK_THAT(stage.err, Catch::Contains("alarm-3"));
}
