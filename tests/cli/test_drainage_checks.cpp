// lantern validate on the drainage network of a small city made here, on a
// flat DEM 2 m high: each fault it must find planted once, worked out by
// hand, and nothing else flagged.

#include <catch2/catch.hpp>

#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "support/backend.hpp"
#include "support/city_files.hpp"
#include "support/support.hpp"

using namespace lantern::test;
using nlohmann::json;

TEST_CASE("lantern validate flags inverts above the ground, a pipe drawn uphill and a node no pipe joins")
{
    TempDir dir;
    auto city = city_location(dir, "city.sqlite");
    new_city(dir).reset();
    const double x0 = 213500, y0 = 1757000;  // UTM 49N: the Ancient Town (108.325 E, 15.875 N)
    import_dem(dir, city, x0, y0, 20, 20, [](int, int) { return 2.0f; });
    auto node = [&](const char* id, const char* kind, double col, double row, double invert) {
        return geojson_feature(geojson_point(x0 + col * 10, y0 - row * 10),
                               R"({"node_id":")" + std::string(id) + R"(","kind":")" + kind +
                                   R"(","invert_m":)" + std::to_string(invert) + "}");
    };
    write_collection(dir.file("nodes.geojson"),
                     {node("N-1", "outlet", 15, 10, 0.5), node("N-2", "manhole", 5, 10, 1.0),
                      node("N-3", "manhole", 10, 5, 2.5),  // invert 0.5 m above the ground
                      node("N-4", "inlet", 18, 18, 1.2)});  // no pipe reaches it
    auto pipe = [&](const char* id, double c0, double r0, double c1, double r1, double up, double down) {
        return geojson_feature(geojson_line(x0 + c0 * 10, y0 - r0 * 10, x0 + c1 * 10, y0 - r1 * 10),
                               R"({"pipe_id":")" + std::string(id) + R"(","diameter_mm":400,"up_invert_m":)" +
                                   std::to_string(up) + R"(,"down_invert_m":)" + std::to_string(down) + "}");
    };
    write_collection(dir.file("pipes.geojson"),
                     {pipe("P-1", 5, 10, 15, 10, 1.0, 0.5),    // N-2 to N-1: falls, below the ground
                      pipe("P-2", 10, 5, 15, 10, 2.3, 0.6),    // from N-3: its upper end above the ground
                      pipe("P-3", 15, 10.5, 5, 10.5, 0.4, 0.9)});  // drawn from N-1 to N-2: rises
    import_utm(city, "drainage_nodes", dir.file("nodes.geojson"));
    import_utm(city, "drainage_pipes", dir.file("pipes.geojson"));

    auto run = run_lantern({"validate", city, "--json", "-q"});
    CHECK(run.exit_code == 1);
    auto report = json::parse(run.out);
    std::set<std::tuple<std::string, std::string, std::string, std::string>> found;
    for (const auto& issue : report["issues"])
        found.insert({issue["severity"].get<std::string>(), issue["class"].get<std::string>(),
                      issue["feature_id"].get<std::string>(), issue["field"].get<std::string>()});
    std::set<std::tuple<std::string, std::string, std::string, std::string>> wanted = {
        {"error", "drainage_nodes", "node_id=N-3", "invert_m"},
        {"error", "drainage_pipes", "pipe_id=P-2", "up_invert_m"},
        {"error", "drainage_pipes", "pipe_id=P-3", "down_invert_m"},
        {"warning", "drainage_nodes", "node_id=N-4", "geometry"},
    };
    CHECK(found == wanted);
    for (const auto& issue : report["issues"])
        CHECK(issue["file"] == city);
}
