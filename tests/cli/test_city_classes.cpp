// A class a city adds without code: the test writes its own description
// file (bus stops, which no one ships), adds it with `lantern classes add`,
// imports good and bad features, and reads the class back through export
// (GeoJSON), the tile server's tiles (decoded), the OGC API, the lookup and
// the search, as a user and a map client would. Distances are checked
// against OGR's, not Lantern's.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <sqlite3.h>

#include <lantern/core/testing/mvt_decode.hpp>
#include <lantern/layers/class_description.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

namespace {

const char* bus_stops_description = R"({
  "name": "bus_stops",
  "layer": "transport",
  "description": "Bus stops of the city's bus routes, with their shelter and state.",
  "geometry": "point",
  "id_field": "stop_id",
  "fields": [
    {"name": "stop_id", "type": "text", "required": true, "description": "stop identifier"},
    {"name": "name", "type": "text", "description": "name shown at the stop"},
    {"name": "routes", "type": "integer", "min": 1, "max": 30, "description": "routes calling"},
    {"name": "shelter", "type": "boolean", "description": "whether it has a shelter"},
    {"name": "status", "type": "text", "required": true, "allowed": ["in_service", "closed"],
     "description": "whether buses call"}
  ],
  "tiles": {"min_zoom": 13, "max_zoom": 17, "full_zoom": 0,
            "fields": ["stop_id", "name", "shelter", "status"]},
  "style": [
    {"fill": "#1f78b4", "stroke": "#08306b", "stroke_px": 1, "dot_px": 7},
    {"where": {"status": "closed"}, "fill": "#999999", "stroke": "#444444", "dot_px": 7}
  ],
  "draw_order": 105,
  "lookup": {"nearest_within_m": 100},
  "search": {"fields": ["name"]}
})";

struct Stop {
    const char* id;
    const char* name;
    int routes;
    bool shelter;
    const char* status;
    double lon, lat;
};

// Three stops by the Ancient Town, about 300 m apart.
const std::vector<Stop> stops = {
    {"BS-1", "Chợ Hội An", 3, true, "in_service", 108.3290, 15.8770},
    {"BS-2", "Chùa Cầu", 1, false, "in_service", 108.3262, 15.8776},
    {"BS-3", "Bến xe Hội An", 5, true, "closed", 108.3320, 15.8790},
};

std::string stop_feature(const Stop& s)
{
    return point_feature(s.lon, s.lat,
                         json{{"stop_id", s.id}, {"name", s.name}, {"routes", s.routes},
                              {"shelter", s.shelter}, {"status", s.status}}
                             .dump());
}

// Metres between two WGS 84 points in UTM 49N, through OGR alone.
double utm_distance(double lon1, double lat1, double lon2, double lat2)
{
    OGRSpatialReference wgs84, utm;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    utm.importFromEPSG(32649);
    OGRPoint a(lon1, lat1), b(lon2, lat2);
    a.assignSpatialReference(&wgs84);
    b.assignSpatialReference(&wgs84);
    REQUIRE(a.transformTo(&utm) == OGRERR_NONE);
    REQUIRE(b.transformTo(&utm) == OGRERR_NONE);
    return a.Distance(&b);
}

RunResult lantern_ok(const std::vector<std::string>& args)
{
    auto r = run_lantern(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

}  // namespace

TEST_CASE("a class added from a description file is imported, exported, tiled, served and looked up")
{
    TempDir dir;
    new_city(dir).reset();
    auto city = city_location(dir, "city.sqlite");
    write_file(dir.file("bus_stops.json"), bus_stops_description);
    // A ward round the stops: the lookup answers inside the city's wards.
    write_file(dir.file("wards.geojson"),
               feature_collection({square_feature(108.30, 15.86, 0.05,
                                                  R"({"ward_code":"W-1","name":"Minh An","kind":"ward"})")}));
    lantern_ok({"import", city, "wards", dir.file("wards.geojson"), "-q"});

    auto added = lantern_ok({"classes", "add", city, dir.file("bus_stops.json")});
    CHECK_THAT(added.out, Catch::Contains("added class bus_stops"));

    // Listed with the built-in classes, and printed back as its description.
    auto listed = json::parse(lantern_ok({"classes", city, "--json"}).out);
    REQUIRE(listed.size() == 13);
    CHECK(listed[12]["name"] == "bus_stops");
    CHECK(listed[12]["built_in"] == false);
    CHECK(listed[0]["built_in"] == true);
    CHECK_THAT(lantern_ok({"classes", city}).out,
               Catch::Contains("bus_stops") && Catch::Contains("(added by the city)"));
    auto printed = json::parse(lantern_ok({"classes", city, "bus_stops"}).out);
    auto expected = layers::to_json(
        layers::parse_class_description(json::parse(bus_stops_description), "bus_stops.json"));
    CHECK(printed == expected);
    CHECK(printed["fields"][3]["type"] == "boolean");
    CHECK(printed["fields"].back()["name"] == "source");  // added, as every class has one

    // Good features land; a file with bad ones is refused whole, each bad
    // value named with the file, the feature and the field.
    std::vector<std::string> good;
    for (const auto& s : stops)
        good.push_back(stop_feature(s));
    write_file(dir.file("stops.geojson"), feature_collection(good));
    auto imported = json::parse(
        lantern_ok({"import", city, "bus_stops", dir.file("stops.geojson"), "--json", "-q"}).out);
    CHECK(imported["imported"] == 3);

    write_file(dir.file("bad_stops.geojson"),
               feature_collection({
                   point_feature(108.3300, 15.8760,
                                 R"({"stop_id":"BS-4","routes":2,"shelter":"yes","status":"in_service"})"),
                   point_feature(108.3305, 15.8765,
                                 R"({"stop_id":"BS-5","routes":99,"shelter":"true","status":"in_service"})"),
                   point_feature(108.3310, 15.8770,
                                 R"({"stop_id":"BS-6","routes":2,"shelter":"false","status":"moved"})"),
               }));
    auto bad = run_lantern({"import", city, "bus_stops", dir.file("bad_stops.geojson"), "--append", "-q"});
    CHECK(bad.exit_code == 1);
    CHECK_THAT(bad.err, Catch::Contains("bad_stops.geojson"));
    CHECK_THAT(bad.err, Catch::Contains("feature 1 (stop_id=BS-4): field shelter = 'yes': expected a boolean"));
    CHECK_THAT(bad.err, Catch::Contains("feature 2 (stop_id=BS-5): field routes = '99': above the maximum 30"));
    CHECK_THAT(bad.err, Catch::Contains("feature 3 (stop_id=BS-6): field status = 'moved': not one of the "
                                        "allowed values (in_service, closed)"));
    CHECK(json::parse(lantern_ok({"info", city, "--json"}).out).dump().find("\"feature_count\":3") !=
          std::string::npos);
    auto validated = json::parse(lantern_ok({"validate", city, "--json", "-q"}).out);
    CHECK(validated["ok"] == true);

    // Export as GeoJSON in WGS 84: the stops as they went in, booleans as booleans.
    lantern_ok({"export", city, "bus_stops", dir.file("out.geojson"), "--t-srs", "EPSG:4326"});
    auto exported = json::parse(read_file(dir.file("out.geojson")));
    REQUIRE(exported["features"].size() == stops.size());
    for (std::size_t i = 0; i < stops.size(); ++i) {
        const auto& f = exported["features"][i];
        INFO(stops[i].id);
        CHECK(f["properties"]["stop_id"] == stops[i].id);
        CHECK(f["properties"]["name"] == stops[i].name);
        CHECK(f["properties"]["routes"] == stops[i].routes);
        CHECK(f["properties"]["shelter"] == stops[i].shelter);
        CHECK(f["properties"]["status"] == stops[i].status);
        CHECK(f["properties"]["source"] == "stops.geojson");
        CHECK(f["geometry"]["coordinates"][0].get<double>() == Approx(stops[i].lon).margin(1e-7));
        CHECK(f["geometry"]["coordinates"][1].get<double>() == Approx(stops[i].lat).margin(1e-7));
    }

    ServerProcess server(city);

    // The catalog lists the class with its style; its TileJSON its fields.
    auto catalog = get_json(server.port(), "/catalog");
    json layer;
    for (const auto& l : catalog["layers"])
        if (l["name"] == "bus_stops")
            layer = l;
    REQUIRE(layer.is_object());
    CHECK(layer["added"] == true);
    CHECK(layer["draw_order"] == 105);
    CHECK(layer["style"] == printed["style"]);
    auto tilejson = get_json(server.port(), "/tiles/bus_stops.json");
    CHECK(tilejson["minzoom"] == 13);
    CHECK(tilejson["vector_layers"][0]["fields"].size() == 4);

    // The tile at the highest zoom that holds all three stops, decoded: each
    // stop with its tile fields only.
    auto holds_all = [](int zoom) {
        return std::all_of(stops.begin(), stops.end(), [&](const Stop& s) {
            return tile_at(s.lon, s.lat, zoom) == tile_at(stops[0].lon, stops[0].lat, zoom);
        });
    };
    int zoom = 17;
    while (zoom > 13 && !holds_all(zoom))
        --zoom;
    REQUIRE(holds_all(zoom));
    auto tile = tile_at(stops[0].lon, stops[0].lat, zoom);
    auto response = fetch(server.port(), tile_path("bus_stops", tile));
    REQUIRE(response.status == 200);
    std::string bytes = response.header("content-encoding") == "gzip" ? inflate_gzip(response.body)
                                                                       : response.body;
    auto decoded = core::decode_mvt(bytes);
    REQUIRE(decoded.size() == 1);
    CHECK(decoded[0].name == "bus_stops");
    REQUIRE(decoded[0].features.size() == stops.size());
    std::set<std::string> ids;
    for (const auto& f : decoded[0].features) {
        CHECK(f.type == core::MvtGeometryType::point);
        std::map<std::string, core::MvtValue> props(f.properties.begin(), f.properties.end());
        CHECK(props.size() == 4);  // the tile fields: no routes, no source
        CHECK(props.count("routes") == 0);
        auto id = std::get<std::string>(props.at("stop_id"));
        ids.insert(id);
        for (const auto& s : stops)
            if (id == s.id) {
                CHECK(std::get<std::string>(props.at("status")) == s.status);
                CHECK(std::get<std::string>(props.at("name")) == s.name);
                CHECK(std::get<std::int64_t>(props.at("shelter")) == (s.shelter ? 1 : 0));
            }
    }
    CHECK(ids == std::set<std::string>{"BS-1", "BS-2", "BS-3"});

    // OGC API - Features: the collection and its items.
    auto collection = get_json(server.port(), "/ogc/collections/bus_stops");
    CHECK(collection["id"] == "bus_stops");
    auto geojson = [&](const std::string& target) {
        auto r = fetch(server.port(), target);
        INFO(target << ": " << r.body);
        REQUIRE(r.status == 200);
        CHECK(r.header("content-type") == "application/geo+json");
        return json::parse(r.body);
    };
    auto items = geojson("/ogc/collections/bus_stops/items?limit=10");
    REQUIRE(items["features"].size() == stops.size());
    CHECK(items["features"][1]["id"] == "BS-2");
    CHECK(items["features"][1]["properties"]["name"] == "Chùa Cầu");
    CHECK(items["features"][1]["properties"]["routes"] == 1);
    auto one = geojson("/ogc/collections/bus_stops/items/BS-3");
    CHECK(one["properties"]["status"] == "closed");
    CHECK(one["geometry"]["coordinates"][0].get<double>() == Approx(stops[2].lon).margin(1e-7));

    // The lookup: the nearest stop within 100 m, with its distance; none
    // from a place 150 m from every stop.
    double lon = stops[1].lon + 0.0004, lat = stops[1].lat - 0.0002;
    auto near = get_json(server.port(), "/api/lookup?lon=" + std::to_string(lon) + "&lat=" + std::to_string(lat));
    REQUIRE(near["nearest"]["bus_stops"].is_object());
    CHECK(near["nearest"]["bus_stops"]["stop_id"] == "BS-2");
    CHECK(near["nearest"]["bus_stops"]["name"] == "Chùa Cầu");
    CHECK(near["nearest"]["bus_stops"].count("routes") == 0);
    double metres = utm_distance(lon, lat, stops[1].lon, stops[1].lat);
    CHECK(metres < 100);
    CHECK(near["nearest"]["bus_stops"]["distance_m"].get<double>() == Approx(metres).margin(0.051));

    double far_lon = 108.3290, far_lat = 15.8750;
    for (const auto& s : stops)
        REQUIRE(utm_distance(far_lon, far_lat, s.lon, s.lat) > 100);
    auto far = get_json(server.port(), "/api/lookup?lon=" + std::to_string(far_lon) + "&lat=" +
                                           std::to_string(far_lat));
    CHECK(far["nearest"].contains("bus_stops"));
    CHECK(far["nearest"]["bus_stops"].is_null());

    // The search finds a stop by its name, accents ignored.
    auto hits = get_json(server.port(), "/api/search?q=ben%20xe")["results"];
    REQUIRE(hits.size() >= 1);
    CHECK(hits[0]["kind"] == "bus_stops");
    CHECK(hits[0]["id"] == "BS-3");
    CHECK(hits[0]["lon"].get<double>() == Approx(stops[2].lon).margin(1e-6));
}

TEST_CASE("a bad description file is refused naming the file and the field, and the city stays as it was")
{
    TempDir dir;
    new_city(dir).reset();
    auto city = city_location(dir, "city.sqlite");
    auto before = run_lantern({"classes", city, "--json"}).out;

    auto description = json::parse(bus_stops_description);
    description["fields"][2]["type"] = "float";
    write_file(dir.file("bus_stops.json"), description.dump(2));
    auto bad = run_lantern({"classes", "add", city, dir.file("bus_stops.json")});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Catch::Contains(dir.file("bus_stops.json") +
                                        ": fields[2].type: 'float' is not one of text, integer, real, boolean"));

    write_file(dir.file("broken.json"), "{\"name\": \"bus_stops\", ");
    auto broken = run_lantern({"classes", "add", city, dir.file("broken.json")});
    CHECK(broken.exit_code == 2);
    CHECK_THAT(broken.err, Catch::Contains(dir.file("broken.json") + ": not JSON"));

    description = json::parse(bus_stops_description);
    description["name"] = "lamps";
    write_file(dir.file("lamps.json"), description.dump(2));
    auto builtin = run_lantern({"classes", "add", city, dir.file("lamps.json")});
    CHECK(builtin.exit_code == 2);
    CHECK_THAT(builtin.err, Catch::Contains("cannot add class 'lamps'") &&
                                Catch::Contains("it is a built-in class"));
    CHECK(run_lantern({"classes", city, "--json"}).out == before);
}

TEST_CASE("a class whose table is taken is refused and the city stays as it was", "[spatialite]")
{
    TempDir dir;
    new_city(dir).reset();
    auto city = dir.file("city.sqlite");
    auto before = run_lantern({"classes", city, "--json"}).out;

    // A table of the class's name that is no class makes the table's
    // creation fail after the description is written: the transaction
    // takes the description back too.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(city.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "CREATE TABLE bus_stops (note TEXT)", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    write_file(dir.file("good.json"), bus_stops_description);
    auto clash = run_lantern({"classes", "add", city, dir.file("good.json")});
    CHECK(clash.exit_code != 0);
    CHECK_THAT(clash.err, Catch::Contains("bus_stops"));
    CHECK(run_lantern({"classes", city, "--json"}).out == before);
    auto missing = run_lantern({"classes", city, "bus_stops"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Catch::Contains("unknown feature class 'bus_stops'"));

    // Once the table is gone, the same file adds the class.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(city.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "DROP TABLE bus_stops", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    lantern_ok({"classes", "add", city, dir.file("good.json")});
    auto again = run_lantern({"classes", "add", city, dir.file("good.json")});
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.err, Catch::Contains("the city has that class already"));
}

TEST_CASE("lantern classes without a city lists the built-in classes as before")
{
    auto plain = lantern_ok({"classes"});
    CHECK_THAT(plain.out, Catch::StartsWith("parcels ") && Catch::Contains("dem             raster"));
    auto listed = json::parse(lantern_ok({"classes", "--json"}).out);
    CHECK(listed.size() == 12);
    CHECK(listed[0]["name"] == "parcels");
    CHECK(lantern_ok({"classes", "--markdown"}).out ==
          read_file(std::string(LANTERN_SOURCE_DIR) + "/docs/layers.md"));
}
