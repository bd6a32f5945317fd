// The rain screening's routing on a network made here, its flows worked out
// by hand (docs/flood.md, "Rainfall screening"). The ground rises 0.01 m per
// 10 m cell eastwards from 1 m, so every cell drains due west along its row;
// bare ground everywhere (C = 0.30).
//
//   inlet A (20, 5)  --P-A--> manhole J (10, 10) --P-J--> outlet O (2, 10)
//   inlet B (20, 15) --P-B--> manhole J                (columns, rows)
//
// An inlet takes the 3 x 3 cells round it and every cell that drains into
// them: rows r-1 to r+1 from column 19 to the east edge (29), 33 cells,
// 3,300 m². Peak runoff Q = C i A / 3.6e6 = 0.30 x 80 x 3300 / 3.6e6 =
// 0.022 m³/s from each; J adds them up. P-B is drawn from B down to J but
// its inverts rise (0.20 m at B, 0.30 m at J): it is routed as drawn, with
// the least slope, 1e-4, for its capacity: (1/n) A R^(2/3) S^(1/2) with
// D = 0.4 m, n = 0.013: 76.92 x 0.12566 x 0.21544 x 0.01 = 0.020826 m³/s.

#include <catch2/catch.hpp>

#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "support/backend.hpp"
#include "support/city_files.hpp"
#include "support/support.hpp"

using namespace lantern::test;
using nlohmann::json;

namespace {

const double x0 = 213500, y0 = 1757000;  // UTM 49N: the Ancient Town

double x(double col) { return x0 + col * 10 + 5; }  // cell centres
double y(double row) { return y0 - row * 10 - 5; }

std::string node(const char* id, const char* kind, double col, double row, double invert)
{
    return geojson_feature(geojson_point(x(col), y(row)), R"({"node_id":")" + std::string(id) + R"(","kind":")" +
                                                              kind + R"(","invert_m":)" + std::to_string(invert) + "}");
}

std::string pipe(const char* id, double c0, double r0, double c1, double r1, double up, double down)
{
    return geojson_feature(geojson_line(x(c0), y(r0), x(c1), y(r1)),
                           R"({"pipe_id":")" + std::string(id) + R"(","diameter_mm":400,"manning_n":0.013,)" +
                               R"("up_invert_m":)" + std::to_string(up) + R"(,"down_invert_m":)" +
                               std::to_string(down) + "}");
}

std::string network_city(const TempDir& dir, const std::vector<std::string>& pipes)
{
    auto city = city_location(dir, "city.sqlite");
    new_city(dir).reset();
    import_dem(dir, city, x0, y0, 30, 20, [](int col, int) { return 1.0f + 0.01f * static_cast<float>(col); });
    write_collection(dir.file("nodes.geojson"), {node("A", "inlet", 20, 5, 0.5), node("B", "inlet", 20, 15, 0.2),
                                                 node("J", "manhole", 10, 10, 0.3), node("O", "outlet", 2, 10, 0.1)});
    write_collection(dir.file("pipes.geojson"), pipes);
    // The river the outlet drains to, beyond the west edge.
    write_collection(dir.file("water.geojson"), {geojson_feature(geojson_box(x0 - 100, y0 - 200, x0, y0),
                                                                 R"({"name":"river","kind":"river"})")});
    import_utm(city, "water", dir.file("water.geojson"));
    import_utm(city, "drainage_nodes", dir.file("nodes.geojson"));
    import_utm(city, "drainage_pipes", dir.file("pipes.geojson"));
    return city;
}

// A feature result's rows by their id field, read through lantern export.
std::map<std::string, json> exported(const TempDir& dir, const std::string& city, const std::string& result,
                                     const std::string& id_field)
{
    auto file = dir.file(result + ".geojson");
    auto run = run_lantern({"export", city, result, file});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    auto collection = json::parse(read_file(file));
    std::map<std::string, json> rows;
    for (const auto& f : collection["features"])
        rows[f["properties"][id_field].get<std::string>()] = f["properties"];
    return rows;
}

}  // namespace

TEST_CASE("rain screening adds the flows of a junction's inlets and routes a pipe drawn uphill at the least slope")
{
    TempDir dir;
    auto city = network_city(dir, {pipe("P-A", 20, 5, 10, 10, 0.5, 0.3), pipe("P-B", 20, 15, 10, 10, 0.2, 0.3),
                                   pipe("P-J", 10, 10, 2, 10, 0.3, 0.1)});
    auto run = run_lantern({"flood", city, "--rain", "80", "--duration", "60", "-q"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);

    auto catchments = exported(dir, city, "rain_catchments_80mmh_60min", "inlet_id");
    REQUIRE(catchments.size() == 2);
    for (const char* inlet : {"A", "B"}) {
        INFO(inlet);
        CHECK(catchments[inlet]["area_m2"].get<double>() == Approx(3300));
        CHECK(catchments[inlet]["runoff_c"].get<double>() == Approx(0.30));
        CHECK(catchments[inlet]["peak_m3s"].get<double>() == Approx(0.022));
    }
    auto pipes = exported(dir, city, "rain_pipes_80mmh_60min", "pipe_id");
    REQUIRE(pipes.size() == 3);
    CHECK(pipes["P-A"]["flow_m3s"].get<double>() == Approx(0.022));
    CHECK(pipes["P-B"]["flow_m3s"].get<double>() == Approx(0.022));
    CHECK(pipes["P-J"]["flow_m3s"].get<double>() == Approx(0.044));
    CHECK(pipes["P-J"]["upstream_ha"].get<double>() == Approx(0.66));
    CHECK(pipes["P-J"]["upstream_inlets"].get<int>() == 2);
    CHECK(pipes["P-B"]["slope"].get<double>() == Approx(-0.1 / std::hypot(100.0, 50.0)));
    CHECK(pipes["P-B"]["capacity_m3s"].get<double>() == Approx(0.020826).epsilon(1e-4));
    CHECK(pipes["P-B"]["load_ratio"].get<double>() == Approx(0.022 / 0.020826).epsilon(1e-4));
    CHECK(pipes["P-B"]["surcharged"].get<int>() == 1);
}

TEST_CASE("rain screening refuses a network with a loop, naming a node on it, and changes nothing")
{
    TempDir dir;
    // J drains back up to A as well as on to O: A -> J -> A.
    auto city = network_city(dir, {pipe("P-A", 20, 5, 10, 10, 0.5, 0.3), pipe("P-B", 20, 15, 10, 10, 0.5, 0.3),
                                   pipe("P-J", 10, 10, 2, 10, 0.3, 0.1), pipe("P-X", 10, 10, 20, 5, 0.3, 0.25)});
    auto before = run_lantern({"results", city, "--json"}).out;
    auto run = run_lantern({"flood", city, "--rain", "80", "-q"});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("loop") && (Catch::Contains("node A") || Catch::Contains("node J")));
    CHECK(run_lantern({"results", city, "--json"}).out == before);
}
