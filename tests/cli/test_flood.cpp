// lantern flood on a small hand-made city whose answers are worked out by
// hand: a river on the west, a floodplain at 0.5 m, a ridge at 2.0 m, a pit
// at 0.3 m behind it and high ground at 3.0 m, with a building, a parcel, a
// road and a heritage site placed on them.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <lantern/core/raster_io/grid_io.hpp>

#include "support/city_files.hpp"
#include "support/flood_town.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::run_lantern;
using lantern::test::TempDir;

namespace {

using lantern::test::build_flood_town;

nlohmann::json flood_json(const std::vector<std::string>& args)
{
    std::vector<std::string> all = {"flood"};
    all.insert(all.end(), args.begin(), args.end());
    all.insert(all.end(), {"--json", "-q"});
    auto r = run_lantern(all);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

// Rows of a query on the city database file, each as its columns' text
// (the tests that read results so are tagged [spatialite]).
std::vector<std::vector<std::string>> query(const std::string& city, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(city.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    INFO(sql << ": " << sqlite3_errmsg(db));
    REQUIRE(rc == SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
            const auto* text = sqlite3_column_text(stmt, c);
            row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        rows.push_back(row);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
}

std::string results_json(const std::string& city)
{
    auto r = run_lantern({"results", city, "--json"});
    REQUIRE(r.exit_code == 0);
    return r.out;
}

const nlohmann::json& result_named(const nlohmann::json& list, const std::string& name)
{
    for (const auto& r : list["results"])
        if (r["name"] == name)
            return r;
    FAIL("no result " << name);
    static nlohmann::json none;
    return none;
}

}  // namespace

TEST_CASE("a stage floods the land joined to the river below it, and not the pit behind the ridge", "[spatialite]")
{
    TempDir dir;
    auto city = build_flood_town(dir);
    auto summary = flood_json({city, "--stage", "1.0", "--stage", "2.5"});
    const auto& low = summary["scenarios"][0];
    const auto& high = summary["scenarios"][1];
    REQUIRE(low["suffix"] == "1.0m");
    REQUIRE(high["suffix"] == "2.5m");

    // 1.0 m: the floodplain's 10 x 20 cells, 0.5 m deep; the pit (8 x 20
    // cells, below the stage but behind the 2.0 m ridge) is a pocket.
    CHECK(low["flooded_ha"].get<double>() == Approx(2.0));
    CHECK(low["max_depth_m"].get<double>() == Approx(0.5));
    CHECK(low["pockets_ha"].get<double>() == Approx(1.6));
    // 2.5 m: plain, ridge and pit flood; the pit is 2.2 m deep.
    CHECK(high["flooded_ha"].get<double>() == Approx(2.0 + 0.4 + 1.6));
    CHECK(high["max_depth_m"].get<double>() == Approx(2.2));
    CHECK(high["pockets_ha"].get<double>() == Approx(0));

    auto buildings = query(city, "SELECT building_id, flooded_share, max_depth_m, risk FROM "
                                 "result_flood_buildings_1_0m ORDER BY building_id");
    REQUIRE(buildings.size() == 2);  // the pit and high ground stay dry
    CHECK(buildings[0][0] == "B-half");
    CHECK(std::stod(buildings[0][1]) == Approx(0.5));  // 2 of its 4 columns on the plain
    CHECK(buildings[1][0] == "B-plain");
    CHECK(std::stod(buildings[1][1]) == Approx(1.0));
    CHECK(std::stod(buildings[1][2]) == Approx(0.5));
    CHECK(buildings[1][3] == "moderate");

    auto pit = query(city, "SELECT max_depth_m, risk FROM result_flood_buildings_2_5m WHERE building_id = 'B-pit'");
    REQUIRE(pit.size() == 1);
    CHECK(std::stod(pit[0][0]) == Approx(2.2));
    CHECK(pit[0][1] == "very high");

    // The road runs 340 m from the plain's west edge; its 95 m on the plain flood.
    auto road = query(city, "SELECT flooded_m, flooded_share FROM result_flood_roads_1_0m");
    REQUIRE(road.size() == 1);
    CHECK(std::stod(road[0][0]) == Approx(95.0));
    CHECK(std::stod(road[0][1]) == Approx(95.0 / 340.0));
    CHECK(query(city, "SELECT site_id FROM result_flood_heritage_sites_1_0m").size() == 1);
    auto parcel = query(city, "SELECT flooded_m2 FROM result_flood_parcels_1_0m");
    REQUIRE(parcel.size() == 1);
    CHECK(std::stod(parcel[0][0]) == Approx(100.0 * 200.0));

    auto wards = low["exposure"]["wards"];
    REQUIRE(wards.size() == 2);
    CHECK(wards[0]["flooded_ha"].get<double>() == Approx(2.0));
    CHECK(wards[0]["buildings"].get<int>() == 2);
    CHECK(wards[1]["flooded_ha"].get<double>() == Approx(0));

    // The extent polygons cover exactly the flooded cells, in the right band.
    auto extent = query(city, "SELECT band, sum(area_m2) FROM result_flood_extent_1_0m GROUP BY band");
    REQUIRE(extent.size() == 1);
    CHECK(extent[0][0] == "0.3-1 m");
    CHECK(std::stod(extent[0][1]) == Approx(20000.0));
    auto pockets = query(city, "SELECT area_m2, lowest_m FROM result_flood_pockets_1_0m");
    REQUIRE(pockets.size() == 1);
    CHECK(std::stod(pockets[0][0]) == Approx(16000.0));
    CHECK(std::stod(pockets[0][1]) == Approx(0.3));
}

TEST_CASE("flood presets, result names, re-runs that replace, and a failed run that changes nothing")
{
    TempDir dir;
    auto city = build_flood_town(dir);
    auto summary = flood_json({city, "--stage", "alarm-3"});
    CHECK(summary["scenarios"][0]["stage_m"].get<double>() == Approx(2.0));
    CHECK(summary["scenarios"][0]["label"] == "alarm III");
    auto first = nlohmann::json::parse(results_json(city));
    CHECK(result_named(first, "flood_depth_2.0m")["kind"] == "raster");
    CHECK(result_named(first, "flood_extent_2.0m")["kind"] == "features");
    CHECK(result_named(first, "flood_depth_2.0m")["stale"] == false);

    // The same run again replaces its results: as many as before.
    flood_json({city, "--stage", "2.0"});
    auto second = nlohmann::json::parse(results_json(city));
    CHECK(second["results"].size() == first["results"].size());

    // A hydrograph with a reading out of order fails before anything is written.
    lantern::test::write_file(dir.file("bad.csv"), "time,level_m\n0,1.0\n2,1.5\n1,2.0\n");
    auto before = results_json(city);
    auto files_before = std::distance(std::filesystem::directory_iterator(dir.path()), {});
    auto r = run_lantern({"flood", city, "--stage", "3.0", "--hydrograph", dir.file("bad.csv"), "-q"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("bad.csv: line 4") != std::string::npos);
    CHECK(results_json(city) == before);
    CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == files_before);

    auto usage = run_lantern({"flood", city, "--stage", "alarm-9"});
    CHECK(usage.exit_code == 2);
    CHECK(usage.err.find("alarm-1") != std::string::npos);
    CHECK(run_lantern({"flood", city}).exit_code == 2);

    // A new DEM makes every flood result stale.
    auto dem = core::read_float_grid(dir.file("dem.tif"));
    dem.at(10, 10) = 0.6f;
    core::write_geotiff(dir.file("dem2.tif"), dem);
    REQUIRE(run_lantern({"import", city, "dem", dir.file("dem2.tif"), "-q"}).exit_code == 0);
    auto stale = nlohmann::json::parse(results_json(city));
    CHECK(result_named(stale, "flood_depth_2.0m")["stale"] == true);
    CHECK(run_lantern({"export", city, "flood_depth_2.0m", dir.file("out.tif")}).exit_code == 1);
}

TEST_CASE("a hydrograph floods each cell when the gauge passes its threshold", "[spatialite]")
{
    TempDir dir;
    auto city = build_flood_town(dir);
    // Rises 0 -> 3 m over 6 h, falls back to 0 by 12 h. The plain (threshold
    // 0.5 m: the highest ground on its way to the river) floods at 1 h and
    // stays 10 h; the pit, behind the 2.0 m ridge, at 4 h for 4 h.
    lantern::test::write_file(dir.file("flood.csv"),
                              "# a triangle\nhours,level\n0,0\n6,3\n12,0\n");
    auto summary = flood_json({city, "--hydrograph", dir.file("flood.csv")});
    const auto& s = summary["scenarios"][0];
    CHECK(s["peak_m"].get<double>() == Approx(3.0));
    CHECK(s["peak_hours"].get<double>() == Approx(6.0));
    auto buildings = query(city, "SELECT building_id, first_flooded_h, flooded_hours, max_depth_m FROM "
                                 "result_flood_buildings_flood ORDER BY building_id");
    REQUIRE(buildings.size() == 3);
    CHECK(buildings[1][0] == "B-pit");
    CHECK(std::stod(buildings[1][1]) == Approx(4.0));
    CHECK(std::stod(buildings[1][2]) == Approx(4.0));
    CHECK(std::stod(buildings[1][3]) == Approx(2.7));
    CHECK(buildings[2][0] == "B-plain");
    CHECK(std::stod(buildings[2][1]) == Approx(1.0));
    CHECK(std::stod(buildings[2][2]) == Approx(10.0));
    CHECK(std::stod(buildings[2][3]) == Approx(2.5));
}

TEST_CASE("flood --png draws a map per scenario")
{
    TempDir dir;
    auto city = build_flood_town(dir);
    auto summary = flood_json({city, "--stage", "1.0", "--stage", "2.5", "--png", dir.file("map.png"),
                               "--width", "400"});
    CHECK(std::filesystem::file_size(dir.file("map_1.0m.png")) > 1000);
    CHECK(std::filesystem::file_size(dir.file("map_2.5m.png")) > 1000);
    CHECK(summary["scenarios"][1]["png"] == dir.file("map_2.5m.png"));
}
