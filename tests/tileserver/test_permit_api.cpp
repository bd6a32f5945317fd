// The permit pre-check of `lantern serve` (POST /api/permit-check) on the
// flooded sample city (CTest fixture "sample_flood"): its verdicts and rules
// are those of `lantern permit --json` on the same proposals, each bad
// proposal is a 400 naming its problem, hostile bodies never get a 500 nor
// stop the server, and the checker is read again after an analysis.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <thread>

#include <nlohmann/json.hpp>

#include <lantern/core/base/utf8.hpp>

#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

namespace {

HttpResponse post(unsigned short port, const std::string& body,
                  const std::string& content_type = "application/json", const std::string& method = "POST")
{
    Headers headers = {{"Content-Length", std::to_string(body.size())}};
    if (!content_type.empty())
        headers.emplace_back("Content-Type", content_type);
    Connection connection(port);
    REQUIRE(connection.send(request_text(method, "/api/permit-check", headers) + body));
    auto response = connection.read_response(method == "HEAD");
    REQUIRE(response);
    return *response;
}

// A proposal of five floors, 17.6 m, urban housing, at a parcel or on a footprint.
json proposal(json where, json more = json::object())
{
    json body = {{"floors", 5}, {"height_m", 17.6}, {"land_use", "ODT"}};
    body.update(where);
    body.update(more);
    return body;
}

// A square of `side` metres about a point, as a GeoJSON Polygon in WGS 84
// (closed, counter-clockwise).
json square(double lon, double lat, double side)
{
    double dx = side / 2 / (111320 * std::cos(lat * std::numbers::pi / 180)), dy = side / 2 / 111320;
    return {{"type", "Polygon"},
            {"coordinates",
             {{{lon - dx, lat - dy}, {lon + dx, lat - dy}, {lon + dx, lat + dy}, {lon - dx, lat + dy}, {lon - dx, lat - dy}}}}};
}

// Equal, numbers within a millionth (a footprint read from a file and from
// the body goes through PROJ on two paths).
bool same(const json& a, const json& b)
{
    if (a.is_number() && b.is_number())
        return std::abs(a.get<double>() - b.get<double>()) <= 1e-6 * std::max(1.0, std::abs(a.get<double>()));
    if (a.type() != b.type() || a.size() != b.size())
        return false;
    if (a.is_array()) {
        for (std::size_t i = 0; i < a.size(); ++i)
            if (!same(a[i], b[i]))
                return false;
        return true;
    }
    if (a.is_object()) {
        for (const auto& [key, value] : a.items())
            if (!b.contains(key) || !same(value, b[key]))
                return false;
        return true;
    }
    return a == b;
}

// Where a point of heritage zone I holds a parcel: asked of the lookup on a
// lattice over the zone's box (the OGC API gives the zone's outline).
struct ZoneIPlace {
    double lon = 0, lat = 0;
    std::string parcel;
};

ZoneIPlace zone_i_parcel(unsigned short port)
{
    auto zones = json::parse(fetch(port, "/ogc/collections/heritage_zones/items?protection=I&limit=10").body);
    REQUIRE(zones["features"].size() == 1);
    double west = 180, east = -180, south = 90, north = -90;
    for (const auto& ring : zones["features"][0]["geometry"]["coordinates"][0])
        for (const auto& p : ring.is_array() && ring[0].is_array() ? ring : json::array({ring})) {
            west = std::min(west, p[0].get<double>());
            east = std::max(east, p[0].get<double>());
            south = std::min(south, p[1].get<double>());
            north = std::max(north, p[1].get<double>());
        }
    for (int i = 1; i < 20; ++i)
        for (int j = 1; j < 20; ++j) {
            double lon = west + (east - west) * i / 20, lat = south + (north - south) * j / 20;
            char target[128];
            std::snprintf(target, sizeof target, "/api/lookup?lon=%.7f&lat=%.7f", lon, lat);
            auto answer = fetch(port, target);
            if (answer.status != 200)
                continue;
            auto found = json::parse(answer.body);
            if (!found["parcel"].is_null() && !found["heritage_zone"].is_null() &&
                found["heritage_zone"]["protection"] == "I")
                return {lon, lat, found["parcel"]["parcel_id"]};
        }
    FAIL("no parcel found in heritage zone I");
    return {};
}

}  // namespace

TEST_CASE("the permit check answers as lantern permit --json on the same proposals")
{
    ServerProcess server(sample_city());
    auto zone_i = zone_i_parcel(server.port());
    // A small building in the middle of a parcel away from the old town.
    auto p100 = get_json(server.port(), "/api/parcels/P-100")["centre"];

    TempDir dir;
    auto footprint_file = (dir.path() / "footprint.geojson").string();
    json drawn = square(p100["lon"], p100["lat"], 4);
    write_file(footprint_file, geojson_feature(drawn.dump(), "{}"));

    struct Case {
        std::string what;
        json body;
        std::vector<std::string> cli;
        std::string verdict;  // empty: either
    };
    json feature = {{"type", "Feature"}, {"properties", json::object()}, {"geometry", drawn}};
    std::vector<Case> cases;
    cases.push_back({"P-100 above the record flood",
                     proposal(json{{"parcel_id", "P-100"}}, json{{"floor_level_m", 4}}),
                     {"--parcel", "P-100", "--floor-level", "4"}, "pass"});
    cases.push_back({"P-100 at its ground", proposal(json{{"parcel_id", "P-100"}}), {"--parcel", "P-100"}, "fail"});
    cases.push_back({"a parcel of heritage zone I", proposal(json{{"parcel_id", zone_i.parcel}}),
                     {"--parcel", zone_i.parcel}, "fail"});
    cases.push_back({"a repair there",
                     proposal(json{{"parcel_id", zone_i.parcel}}, json{{"repair", true}, {"floors", 1}, {"height_m", 3}}),
                     {"--parcel", zone_i.parcel, "--repair", "--floors", "1", "--height", "3"}, ""});
    cases.push_back({"drawn on P-100", proposal(json{{"footprint", feature}}), {"--footprint", footprint_file}, ""});
    for (auto& c : cases) {
        INFO(c.what);
        auto response = post(server.port(), c.body.dump());
        REQUIRE(response.status == 200);
        CHECK(response.header("content-type") == "application/json");
        auto answer = json::parse(response.body);

        std::vector<std::string> args = {"permit", sample_city()};
        args.insert(args.end(), c.cli.begin(), c.cli.end());
        if (std::find(c.cli.begin(), c.cli.end(), "--floors") == c.cli.end())
            args.insert(args.end(), {"--floors", "5", "--height", "17.6"});
        args.insert(args.end(), {"--use", "ODT", "--json"});
        auto run = run_lantern(args);
        INFO(run.err);
        auto cli = json::parse(run.out);
        CHECK(run.exit_code == (cli["verdict"] == "pass" ? 0 : 1));
        if (!c.verdict.empty())
            CHECK(answer["verdict"] == c.verdict);
        CHECK(answer["verdict"] == cli["verdict"]);
        CHECK(answer["rules"].size() == cli["rules"].size());
        CHECK(same(answer["rules"], cli["rules"]));
        CHECK(same(answer["site"], cli["site"]));
        if (c.what == "a parcel of heritage zone I") {
            bool heritage_fails = false;
            for (const auto& rule : answer["rules"])
                heritage_fails |= rule["rule"] == "heritage_no_new_building" && rule["pass"] == false;
            CHECK(heritage_fails);
        }
    }
    CHECK(metric(fetch(server.port(), "/metrics").body,
                 "lantern_http_requests_total{route=\"permit_check\",status=\"200\"}") ==
          static_cast<double>(cases.size()));
}

TEST_CASE("the permit check answers 400 naming the problem and 405 413 415 for the wrong request")
{
    ServerProcess server(sample_city());
    auto p100 = get_json(server.port(), "/api/parcels/P-100")["centre"];
    double lon = p100["lon"], lat = p100["lat"];
    double dx = 4 / (111320 * std::cos(lat * std::numbers::pi / 180)), dy = 4 / 111320.0;
    json bow_tie = {{"type", "Polygon"},
                    {"coordinates", {{{lon, lat}, {lon + dx, lat + dy}, {lon + dx, lat}, {lon, lat + dy}, {lon, lat}}}}};
    json missing_floors = proposal({{"parcel_id", "P-100"}});
    missing_floors.erase("floors");

    struct Bad {
        std::string body, says;
    };
    std::vector<Bad> bad = {
        {proposal({{"footprint", bow_tie}}).dump(), "the footprint is not valid: Self-intersection"},
        // The open sea east of the city.
        {proposal({{"footprint", square(108.45, 15.90, 10)}}).dump(), "the footprint is not inside the city: 4 of 4 corners"},
        {proposal({{"parcel_id", "P-100"}}, {{"floors", -1}}).dump(), "floors: -1 is below 0"},
        {proposal({{"parcel_id", "P-100"}}, {{"land_use", "XYZ"}}).dump(), "land_use: 'XYZ' is not a land-use code"},
        {missing_floors.dump(), "floors: missing"},
        {proposal({{"parcel_id", "P-NOT-THERE"}}).dump(), "parcel_id: no parcel P-NOT-THERE"},
        {"floors=5&height_m=17.6", "the body is not JSON (at byte "},
        {proposal({{"footprint", {{"type", "Point"}, {"coordinates", {lon, lat}}}}}).dump(),
         "footprint: not a GeoJSON Polygon or MultiPolygon"},
        {proposal(json::object()).dump(), "give either footprint or parcel_id"},
        {proposal({{"parcel_id", "P-100"}, {"footprint", square(lon, lat, 4)}}).dump(), "give either footprint or parcel_id"},
    };
    for (const auto& b : bad) {
        INFO(b.body);
        auto response = post(server.port(), b.body);
        CHECK(response.status == 400);
        CHECK(response.header("content-type") == "application/json");
        CHECK_THAT(json::parse(response.body)["error"].get<std::string>(), Catch::StartsWith(b.says));
    }

    auto good = proposal({{"parcel_id", "P-100"}}).dump();
    for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded", "application/geo+json"}) {
        INFO(type);
        auto response = post(server.port(), good, type);
        CHECK(response.status == 415);
        CHECK(json::parse(response.body).contains("error"));
    }
    CHECK(post(server.port(), good, "Application/JSON; charset=utf-8").status == 200);

    // 70 KiB: over the body limit, whatever it holds.
    auto large = post(server.port(), good + std::string(70 * 1024, ' '));
    CHECK(large.status == 413);

    for (const char* method : {"GET", "HEAD", "PUT", "DELETE"}) {
        INFO(method);
        auto response = post(server.port(), method == std::string("GET") || method == std::string("HEAD") ? "" : good,
                             "application/json", method);
        CHECK(response.status == 405);
        CHECK(response.header("allow") == "POST, OPTIONS");
    }
    auto preflight = fetch(server.port(), "/api/permit-check",
                           {{"Origin", "http://example.org"},
                            {"Access-Control-Request-Method", "POST"},
                            {"Access-Control-Request-Headers", "content-type"}},
                           "OPTIONS");
    CHECK(preflight.status == 204);
    CHECK(preflight.header("access-control-allow-methods") == "POST, OPTIONS");
    CHECK(preflight.header("access-control-allow-headers") == "content-type");
    CHECK(server.errors().find("failed") == std::string::npos);
}

TEST_CASE("hostile permit bodies get a 400 or 413 and the server goes on")
{
    ServerProcess server(sample_city());
    auto p100 = get_json(server.port(), "/api/parcels/P-100")["centre"];
    double lon = p100["lon"], lat = p100["lat"];
    auto at = [](json body) { return body.dump(); };

    // A ring of n corners about the point: a circle of 20 m.
    auto circle = [&](int n) {
        json ring = json::array();
        for (int i = 0; i <= n; ++i) {
            double a = 2 * std::numbers::pi * (i % n) / n;
            ring.push_back({std::round((lon + 20 * std::cos(a) / 107000) * 1e6) / 1e6,
                            std::round((lat + 20 * std::sin(a) / 111320) * 1e6) / 1e6});
        }
        return json{{"type", "Polygon"}, {"coordinates", {ring}}};
    };
    json many_squares = {{"type", "MultiPolygon"}, {"coordinates", json::array()}};
    for (int i = 0; i < 20; ++i)
        many_squares["coordinates"].push_back(square(lon + i * 1e-4, lat, 2)["coordinates"]);
    json open_ring = square(lon, lat, 4);
    open_ring["coordinates"][0].erase(4);
    json three = open_ring;
    three["coordinates"][0].erase(3);
    json wide = square(lon, lat, 500);

    std::vector<std::pair<std::string, std::string>> bodies = {
        {"", "the body is not JSON"},
        {"   ", "the body is not JSON"},
        {"null", "the body is not a JSON object"},
        {"[1,2,3]", "the body is not a JSON object"},
        {"\"floors\"", "the body is not a JSON object"},
        {std::string(40000, '[') + std::string(40000, ']'), ""},  // 413 or 400
        {std::string(30000, '[') + std::string(30000, ']'), "the body is not a proposal: it nests deeper than 32"},
        {R"({"parcel_id": "P-100", "floors": 5, "height_m": 17.6, "land_use": "ODT", "x": )" + std::string(2000, '{') +
             std::string(2000, '}') + "}",
         "the body is not"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"floors", 1e308}})), "floors: not a whole number"},
        {R"({"parcel_id": "P-100", "floors": 1e400, "height_m": 17.6, "land_use": "ODT"})", "the body holds a number too large"},
        {R"({"parcel_id": "P-100", "floors": 5, "height_m": -1e400, "land_use": "ODT"})", "the body holds a number too large"},
        {R"({"parcel_id": "P-100", "floors": 18446744073709551615, "height_m": 17.6, "land_use": "ODT"})",
         "floors: not a whole number"},
        {R"({"parcel_id": "P-100", "floors": -9223372036854775808, "height_m": 17.6, "land_use": "ODT"})",
         "floors: not a whole number"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"floors", 2.5}})), "floors: not a whole number"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"height_m", 1e300}})), "height_m:"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"height_m", "NaN"}})), "height_m: not a number"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"floors", "Infinity"}})), "floors: not a number"},
        {R"({"parcel_id": "P-100", "floors": NaN, "height_m": 17.6, "land_use": "ODT"})", "the body is not JSON"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"floor_level_m", -1e300}})), "floor_level_m:"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"design_stage_m", 1e300}})), "design_stage_m:"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"repair", "yes"}})), "repair: not true or false"},
        {at(proposal({{"parcel_id", 100}})), "parcel_id: not a text"},
        {at(proposal({{"parcel_id", std::string(20000, 'P')}})), "parcel_id: no parcel"},
        {at(proposal({{"parcel_id", "P-100"}}, {{"land_use", std::string("\0\x01\x7f", 3)}})), "land_use:"},
        {"{\"parcel_id\": \"P-\xff\", \"floors\": 5, \"height_m\": 17.6, \"land_use\": \"ODT\"}", "the body is not JSON"},
        {at(proposal({{"footprint", square(200, 15, 4)}})), "footprint: coordinates are not WGS 84"},
        {at(proposal({{"footprint", square(108.3, 95, 4)}})), "footprint: coordinates are not WGS 84"},
        {at(proposal({{"footprint", {{"type", "Polygon"},
                                     {"coordinates", {{{-180, -90}, {180, -90}, {180, 90}, {-180, 90}, {-180, -90}}}}}}})),
         "footprint:"},
        {at(proposal({{"footprint", {{"type", "Polygon"}, {"coordinates", json::array()}}}})), "footprint:"},
        {at(proposal({{"footprint", {{"type", "Polygon"}, {"coordinates", {{{"a", "b"}}}}}}})), "footprint:"},
        {at(proposal({{"footprint", {{"type", "Polygon"}, {"coordinates", 5}}}})), "footprint:"},
        {at(proposal({{"footprint", {{"type", 5}}}})), "footprint: not a GeoJSON Polygon"},
        {at(proposal({{"footprint", {{"type", "Feature"}}}})), "footprint: not a GeoJSON Polygon"},
        {at(proposal({{"footprint", {{"type", "Feature"}, {"geometry", nullptr}}}})), "footprint: not a GeoJSON Polygon"},
        {at(proposal({{"footprint", "POLYGON((0 0,1 0,1 1,0 0))"}})), "footprint: not a GeoJSON Polygon"},
        {at(proposal({{"footprint", open_ring}})), "footprint: a ring does not end at its first point"},
        {at(proposal({{"footprint", three}})), "footprint: a ring has 3 points"},
        {at(proposal({{"footprint", wide}})), "footprint: it reaches"},
        {at(proposal({{"footprint", many_squares}})), "footprint: 20 rings"},
        {at(proposal({{"footprint", circle(1500)}})), "footprint: 1500 corners"},
    };
    for (const auto& [body, says] : bodies) {
        INFO(core::printable(body, 200) << " (" << body.size() << " bytes)");
        auto response = post(server.port(), body);
        if (says.empty()) {
            CHECK((response.status == 400 || response.status == 413));
            continue;
        }
        CHECK(response.status == 400);
        auto error = json::parse(response.body)["error"].get<std::string>();
        CHECK_THAT(error, Catch::StartsWith(says));
    }

    // Nearly the most corners a footprint may have; and 100 000 corners,
    // which no body under the limit of 64 KiB holds.
    auto most = at(proposal({{"footprint", circle(950)}}));
    REQUIRE(most.size() < 64 * 1024);
    CHECK(post(server.port(), most).status == 200);
    auto hundred_thousand = at(proposal({{"footprint", circle(100000)}}));
    CHECK(post(server.port(), hundred_thousand).status == 413);

    CHECK(fetch(server.port(), "/health").status == 200);
    CHECK(post(server.port(), at(proposal({{"parcel_id", "P-100"}}))).status == 200);
    auto metrics = fetch(server.port(), "/metrics").body;
    CHECK(metric(metrics, "lantern_http_requests_total{route=\"permit_check\",status=\"500\"}") == 0);
    CHECK(server.errors().find("failed") == std::string::npos);
    CHECK(server.errors().find("Warning") == std::string::npos);
    CHECK(server.errors().find("ERROR") == std::string::npos);
}

TEST_CASE("the permit check reads the city again after an analysis without a restart")
{
    TempDir dir;
    auto city = copy_city(sample_city(), dir);
    ServerProcess server(city);
    // Alarm I (1.0 m) has no flood result in the sample city: the flood rule cannot be checked.
    auto body = proposal({{"parcel_id", "P-100"}}, {{"design_stage_m", 1.0}}).dump();
    auto flood_rule = [&] {
        auto response = post(server.port(), body);
        REQUIRE(response.status == 200);
        auto answer = json::parse(response.body);
        for (const auto& rule : answer["rules"])
            if (rule["rule"] == "floor_above_flood")
                return rule;
        FAIL("no flood rule");
        return json();
    };
    CHECK(flood_rule()["pass"].is_null());
    REQUIRE(run_lantern({"flood", city, "--stage", "alarm-1", "-q"}).exit_code == 0);
    auto until = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    json rule = flood_rule();
    while (rule["pass"].is_null() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        rule = flood_rule();
    }
    CHECK_FALSE(rule["pass"].is_null());
    CHECK_THAT(rule["source"].get<std::string>(), Catch::Contains("flood_depth_1.0m"));
}

TEST_CASE("the permit check leaves out a flood result whose file is missing and checks the rest")
{
    // A copy of the flooded sample city without the file of the 1964 record's depths.
    TempDir dir;
    auto city = copy_city(sample_city(), dir, ".flood_depth_3.4m.");
    ServerProcess server(city);
    auto response = post(server.port(), proposal(json{{"parcel_id", "P-100"}}).dump());
    REQUIRE(response.status == 200);
    auto answer = json::parse(response.body);
    std::size_t checked = 0;
    for (const auto& rule : answer["rules"]) {
        if (rule["rule"] == "floor_above_flood") {
            CHECK(rule["pass"].is_null());
            CHECK_THAT(rule["note"].get<std::string>(), Catch::Contains("lantern flood"));
        } else {
            checked += rule["pass"].is_boolean();
        }
    }
    CHECK(checked >= 5);
}
