// The PostGIS backend against a real PostgreSQL 15 + PostGIS 3 (the
// throwaway cluster of the `postgis` CTest fixture, on a Unix socket):
// copies of the flooded sample city both ways, the same analyses giving the
// same checksums as on SpatiaLite, GDAL's PostgreSQL driver reading what
// Lantern wrote, writers side by side and one after another, a failed
// import, a server learning of a commit through NOTIFY, a read-only role,
// hostile names and values, and passwords kept out of every message.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <random>
#include <regex>
#include <thread>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/gdal.hpp>
#include <lantern/layers/class_registry.hpp>

#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

namespace {

// The cluster's base URI (no schema), from the fixture.
std::string postgres_base()
{
    const char* base = std::getenv("LANTERN_TEST_POSTGRES");
    if (!base || !*base)
        FAIL("LANTERN_TEST_POSTGRES is not set: these tests run under the postgis CTest fixture");
    return base;
}

// A fresh schema's name for one test.
std::string fresh_schema(const std::string& prefix)
{
    static std::mt19937_64 random{std::random_device{}()};
    return prefix + "_" + std::to_string(random() % 1000000000);
}

std::string city_uri(const std::string& schema)
{
    return postgres_base() + "&schema=" + schema;
}

// The URI with the user swapped, e.g. for the read-only role.
std::string as_user(const std::string& uri, const std::string& user)
{
    auto at = uri.find("user=");
    auto end = uri.find('&', at);
    return uri.substr(0, at) + "user=" + user + uri.substr(end);
}

// libpq keywords of the base URI for GDAL's PG: driver and psql.
std::string socket_folder()
{
    auto base = postgres_base();
    auto at = base.find("host=") + 5;
    return base.substr(at, base.find('&', at) - at);
}

std::string sample_city()
{
    return std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite";
}

RunResult lantern_ok(const std::vector<std::string>& args)
{
    auto r = run_lantern(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return r;
}

json lantern_json(std::vector<std::string> args)
{
    args.push_back("--json");
    return json::parse(lantern_ok(args).out);
}

// Result name to checksum, from lantern results --json.
std::map<std::string, std::string> result_checksums(const std::string& city)
{
    std::map<std::string, std::string> out;
    auto listed = lantern_json({"results", city});  // kept: the loop reads into it
    for (const auto& r : listed["results"])
        out[r["name"].get<std::string>()] = r["checksum"].get<std::string>();
    return out;
}

std::map<std::string, std::string> class_checksums(const std::string& city)
{
    std::map<std::string, std::string> out;
    auto info = lantern_json({"info", city});  // kept: the loop reads into it
    for (const auto& c : info["classes"])
        out[c["name"].get<std::string>()] = c["checksum"].get<std::string>();
    return out;
}

// Runs SQL as the cluster's superuser through psql.
std::string psql(const std::string& sql)
{
    TempDir dir;
    std::string out = dir.file("out");
    std::string command = "psql -X -q -t -A -v ON_ERROR_STOP=1 \"postgresql:///lantern?host=" + socket_folder() +
                          "&user=lantern\" -c \"" + sql + "\" > " + out + " 2>&1";
    int code = std::system(command.c_str());
    INFO(read_file(out));
    REQUIRE(code == 0);
    return read_file(out);
}

}  // namespace

TEST_CASE("postgis: a copy of the sample city there and back keeps every class's and result's checksum",
          "[postgis]")
{
    auto uri = city_uri(fresh_schema("copy"));
    auto copied = lantern_json({"copy", sample_city(), uri, "-q"});
    CHECK(copied["valid"] == true);
    CHECK(copied["classes"].get<int>() > 10);
    CHECK(copied["results"].get<int>() > 10);
    CHECK(copied["rasters"].get<int>() == 1);
    CHECK(class_checksums(uri) == class_checksums(sample_city()));
    CHECK(result_checksums(uri) == result_checksums(sample_city()));
    // Staleness carries over: the results are as current as the source's.
    auto results = lantern_json({"results", uri});
    for (const auto& r : results["results"])
        CHECK(r["stale"] == false);

    TempDir dir;
    auto back = dir.file("back.sqlite");
    lantern_ok({"copy", uri, back, "-q"});
    CHECK(class_checksums(back) == class_checksums(sample_city()));
    CHECK(result_checksums(back) == result_checksums(sample_city()));
    CHECK(run_lantern({"validate", back, "-q"}).exit_code == 0);

    // A second copy to the same place is refused and changes nothing.
    auto again = run_lantern({"copy", sample_city(), uri, "-q"});
    CHECK(again.exit_code != 0);
    CHECK(again.err.find("already exists") != std::string::npos);
    CHECK(class_checksums(uri) == class_checksums(sample_city()));
}

TEST_CASE("postgis: hydrology, flood and coverage give the same checksums as on SpatiaLite", "[postgis]")
{
    TempDir dir;
    auto lite = copy_city(sample_city(), dir);
    auto uri = city_uri(fresh_schema("analyses"));
    lantern_ok({"copy", lite, uri, "-q"});
    std::string hydrograph = hoian_data("hydrograph_synthetic_3day.csv");
    for (const auto& city : {lite, uri}) {
        lantern_ok({"hydrology", city, "-q"});
        lantern_ok({"flood", city, "-q", "--stage", "alarm-3", "--hydrograph", hydrograph, "--rain", "80",
                    "--duration", "60"});
        lantern_ok({"coverage", city, "cameras", "-q"});
        lantern_ok({"coverage", city, "lighting", "-q"});
    }
    auto on_lite = result_checksums(lite), on_postgis = result_checksums(uri);
    REQUIRE(on_lite.count("camera_coverage"));
    REQUIRE(on_lite.count("lighting_gaps"));
    REQUIRE(on_lite.count("dem_filled"));
    CHECK(on_postgis == on_lite);
}

TEST_CASE("postgis: GDAL's PostgreSQL driver lists every class and result with Lantern's counts, geometries valid",
          "[postgis]")
{
    auto schema = fresh_schema("ogr");
    auto uri = city_uri(schema);
    lantern_ok({"copy", sample_city(), uri, "-q"});
    auto info = lantern_json({"info", uri});
    auto results = lantern_json({"results", uri});

    core::ensure_gdal();
    std::string connection = "PG:dbname=lantern host=" + socket_folder() + " user=lantern schemas=" + schema;
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(connection.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    REQUIRE(ds);
    auto feature_count = [&](const std::string& table) -> GIntBig {
        auto* layer = ds->GetLayerByName(table.c_str());
        INFO(table);
        REQUIRE(layer);
        return layer->GetFeatureCount(TRUE);
    };
    for (const auto& c : info["classes"])
        CHECK(feature_count(c["name"].get<std::string>()) == c["feature_count"].get<GIntBig>());
    int feature_results = 0;
    for (const auto& r : results["results"]) {
        if (r["kind"] != "features")
            continue;
        ++feature_results;
        CHECK(feature_count(r["table"].get<std::string>()) == r["feature_count"].get<GIntBig>());
    }
    CHECK(feature_results > 10);

    // A result table as QGIS reads it: every geometry there and valid, in the city's SRID.
    auto* flooded = ds->GetLayerByName("result_flood_buildings_3_4m");
    REQUIRE(flooded);
    REQUIRE(flooded->GetSpatialRef());
    CHECK(std::string(flooded->GetSpatialRef()->GetAuthorityCode(nullptr)) == "32649");
    GIntBig read = 0, valid = 0;
    for (auto& feature : *flooded) {
        ++read;
        auto* geometry = feature->GetGeometryRef();
        if (geometry && geometry->IsValid())
            ++valid;
    }
    CHECK(read > 1000);
    CHECK(valid == read);
}

TEST_CASE("postgis: writers of different classes run side by side, a second writer of one class is told it is busy",
          "[postgis]")
{
    auto uri = city_uri(fresh_schema("writers"));
    lantern_ok({"init", uri, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds", hoian_bounds});
    lantern_ok({"classes", "add", uri, std::string(LANTERN_SOURCE_DIR) + "/data/classes/fire_stations.json"});
    TempDir dir;
    auto lamps = dir.file("lamps.geojson");
    write_file(lamps, three_lamps_geojson());
    auto stations = dir.file("stations.geojson");
    write_file(stations, feature_collection({point_feature(108.33, 15.88,
                                                           R"({"station_id":"FS-1","name":"Hội An fire station","vehicles":3})")}));

    // This process holds the lamps class in an open transaction.
    auto storage = core::open_city(uri, core::Access::read_write);
    layers::ClassRegistry builtins(layers::builtin_classes());
    const auto& lamps_schema = builtins.get("lamps").schema;
    storage->begin();
    storage->prepare_class(lamps_schema, false);

    // Another class goes in meanwhile, untouched by the open transaction.
    auto other = run_lantern({"import", uri, "fire_stations", stations, "-q"});
    INFO(other.err);
    CHECK(other.exit_code == 0);
    // The same class waits for the holder, then gives up, naming why.
    auto same = run_lantern({"import", uri, "lamps", lamps, "-q"});
    CHECK(same.exit_code != 0);
    CHECK(same.err.find("busy") != std::string::npos);

    storage->rollback();
    lantern_ok({"import", uri, "lamps", lamps, "-q"});
    auto classes = class_checksums(uri);
    CHECK(classes.count("lamps") == 1);
    CHECK(classes.count("fire_stations") == 1);
    CHECK(run_lantern({"validate", uri, "-q"}).exit_code == 0);

    // Two imports started together, into different classes, both land.
    RunResult first, second;
    std::thread a([&] { first = run_lantern({"import", uri, "lamps", lamps, "--replace", "-q"}); });
    std::thread b([&] { second = run_lantern({"import", uri, "fire_stations", stations, "--replace", "-q"}); });
    a.join();
    b.join();
    CHECK(first.exit_code == 0);
    CHECK(second.exit_code == 0);
    CHECK(lantern_json({"info", uri})["classes"].size() == 2);
}

TEST_CASE("postgis: a failed import leaves the city as it was", "[postgis]")
{
    auto uri = city_uri(fresh_schema("failed"));
    lantern_ok({"init", uri, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds", hoian_bounds});
    TempDir dir;
    auto lamps = dir.file("lamps.geojson");
    write_file(lamps, three_lamps_geojson());
    lantern_ok({"import", uri, "lamps", lamps, "-q"});
    auto before = lantern_json({"info", uri})["classes"];

    auto bad = dir.file("bad.geojson");
    write_file(bad, feature_collection({
                        point_feature(108.3261, 15.8772,
                                      R"({"lamp_id":"L-9","lamp_type":"LED","power_w":60,"status":"on"})"),
                        point_feature(108.3262, 15.8773,
                                      R"({"lamp_id":"L-10","lamp_type":"LED","power_w":-5,"status":"on"})"),
                    }));
    auto r = run_lantern({"import", uri, "lamps", bad, "--replace", "-q"});
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("power_w") != std::string::npos);
    CHECK(lantern_json({"info", uri})["classes"] == before);
    CHECK(psql("SELECT count(*) FROM " + uri.substr(uri.find("schema=") + 7) + ".lamps") == "3\n");
}

TEST_CASE("postgis: a server learns of a commit through NOTIFY and serves it", "[postgis]")
{
    auto uri = city_uri(fresh_schema("notify"));
    lantern_ok({"init", uri, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds", hoian_bounds});
    TempDir dir;
    auto lamps = dir.file("lamps.geojson");
    write_file(lamps, three_lamps_geojson());
    lantern_ok({"import", uri, "lamps", lamps, "-q"});

    ServerProcess server(uri);
    auto count_lamps = [&] {
        auto r = fetch(server.port(), "/ogc/collections/lamps/items?limit=100");
        return r.status == 200 ? json::parse(r.body)["numberMatched"].get<int>() : -1;
    };
    CHECK(count_lamps() == 3);

    auto more = dir.file("more.geojson");
    write_file(more, feature_collection({point_feature(108.3290, 15.8770,
                                                       R"({"lamp_id":"L-4","lamp_type":"LED","power_w":60,"status":"on"})")}));
    lantern_ok({"import", uri, "lamps", more, "--append", "-q"});
    // The server reads the city again once told; no request waits for it.
    int seen = 0;
    for (int attempt = 0; attempt < 100 && (seen = count_lamps()) != 4; ++attempt)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(seen == 4);
    CHECK(server.errors().find("error") == std::string::npos);
}

TEST_CASE("postgis: a read-only role serves the city and may not write it", "[postgis]")
{
    auto schema = fresh_schema("reader");
    auto uri = city_uri(schema);
    lantern_ok({"copy", sample_city(), uri, "-q"});
    psql("GRANT USAGE ON SCHEMA " + schema + " TO lantern_reader; GRANT SELECT ON ALL TABLES IN SCHEMA " + schema +
         " TO lantern_reader");
    auto reader = as_user(uri, "lantern_reader");

    ServerProcess server(reader);
    auto r = fetch(server.port(), "/api/lookup?lon=108.3275&lat=15.8770");
    CHECK(r.status == 200);
    CHECK(json::parse(r.body).contains("parcel"));

    auto write = run_lantern({"coverage", reader, "cameras", "-q"});
    CHECK(write.exit_code != 0);
    CHECK(write.err.find("read-only") != std::string::npos);
    CHECK(result_checksums(uri) == result_checksums(sample_city()));
}

TEST_CASE("postgis: quotes, semicolons and SQL keywords in schema, class, field names and values stay data",
          "[postgis]")
{
    // A schema name no one should choose, %-escaped in the URI.
    std::string schema = "Hội \"An\"; DROP SCHEMA public; --" + fresh_schema("");
    std::string escaped;
    for (unsigned char c : schema) {
        char buffer[4];
        std::snprintf(buffer, sizeof buffer, "%%%02X", c);
        escaped += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : std::string(buffer);
    }
    auto uri = city_uri(escaped);
    lantern_ok({"init", uri, "--name", "Hoi An'; DROP TABLE lantern_city; --", "--crs", "EPSG:32649", "--bounds",
                hoian_bounds});

    TempDir dir;
    auto description = dir.file("select.json");
    write_file(description, R"({
      "name": "select", "layer": "table", "description": "A class named like SQL.",
      "geometry": "point", "id_field": "from",
      "fields": [
        {"name": "from", "type": "text", "required": true, "description": "id"},
        {"name": "order", "type": "text", "description": "free text"},
        {"name": "user", "type": "integer", "description": "a number"}
      ],
      "tiles": {"min_zoom": 13, "max_zoom": 17, "full_zoom": 0, "fields": ["from", "order"]},
      "style": [{"fill": "#1f78b4", "stroke": "#08306b", "stroke_px": 1, "dot_px": 7}],
      "draw_order": 105
    })");
    lantern_ok({"classes", "add", uri, description});
    std::string hostile = "O'Brien\"; DROP TABLE lantern_classes; -- $1 \\'";
    auto features = dir.file("select.geojson");
    write_file(features, feature_collection({point_feature(108.3261, 15.8772,
                                                           json({{"from", "a'1"}, {"order", hostile}, {"user", 7}}).dump()),
                                             point_feature(108.3262, 15.8773,
                                                           json({{"from", "b;2"}, {"order", "--"}, {"user", 8}}).dump())}));
    lantern_ok({"import", uri, "select", features, "-q"});
    CHECK(lantern_json({"info", uri})["name"] == "Hoi An'; DROP TABLE lantern_city; --");
    CHECK(run_lantern({"validate", uri, "-q"}).exit_code == 0);

    auto exported = dir.file("out.geojson");
    lantern_ok({"export", uri, "select", exported});
    auto collection = json::parse(read_file(exported));
    REQUIRE(collection["features"].size() == 2);
    std::map<std::string, json> by_id;
    for (const auto& f : collection["features"])
        by_id[f["properties"]["from"].get<std::string>()] = f["properties"];
    CHECK(by_id["a'1"]["order"] == hostile);
    CHECK(by_id["b;2"]["user"] == 8);
    CHECK(psql("SELECT count(*) FROM pg_namespace WHERE nspname = 'public'") == "1\n");
}

TEST_CASE("postgis: a password in the URI reaches no message, output or log", "[postgis]")
{
    std::string secret = "hunter2-never-printed";
    auto base = postgres_base();
    // user:password@ in the authority, and password= as a parameter.
    auto with_userinfo = "postgresql://lantern:" + secret + "@" + base.substr(std::string("postgresql://").size());
    auto with_parameter = base + "&password=" + secret;
    for (const auto& uri : {with_userinfo + "&schema=" + fresh_schema("secret"),
                            with_parameter + "&schema=" + fresh_schema("secret")}) {
        auto missing = run_lantern({"info", uri});
        CHECK(missing.exit_code != 0);
        CHECK(missing.err.find("no such city") != std::string::npos);
        lantern_ok({"init", uri, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds", hoian_bounds});
        auto info = run_lantern({"info", uri, "--json"});
        auto bad_class = run_lantern({"export", uri, "nothing", "x.geojson"});
        auto unreachable = run_lantern({"info", "postgresql://lantern:" + secret + "@127.0.0.1:1/lantern?schema=x"});
        ServerProcess server(uri);
        fetch(server.port(), "/");
        for (const auto& text : {missing.err, info.out, info.err, bad_class.err, unreachable.err, server.start_line(),
                                 server.errors()}) {
            INFO(text);
            CHECK(text.find(secret) == std::string::npos);
        }
        CHECK(unreachable.err.find("cannot connect") != std::string::npos);
    }
}

TEST_CASE("postgis: two servers on one city give identical answers", "[postgis]")
{
    auto uri = city_uri(fresh_schema("twins"));
    lantern_ok({"copy", sample_city(), uri, "-q"});
    ServerProcess first(uri), second(uri);
    const std::vector<std::string> targets = {
        "/tiles/water,roads,buildings/15/26244/14919.mvt",
        "/tiles/parcels/16/52489/29838.mvt",
        "/tiles/flood_extent_3.4m/14/13122/7459.mvt",
        "/tiles/buildings.json",
        "/api/lookup?lon=108.3275&lat=15.8770",
        "/api/search?q=phan%20chau",
        "/api/devices/summary",
        "/ogc/collections/lamps/items?limit=50&offset=100",
        "/ogc/collections",
        "/catalog",
    };
    for (const auto& target : targets) {
        INFO(target);
        auto a = fetch(first.port(), target), b = fetch(second.port(), target);
        CHECK(a.status == 200);
        CHECK(a.status == b.status);
        // Some bodies name their own server in links, and an OGC page the
        // second it was answered: the same once port and time are the same;
        // the others, and their ETags, the same as they are.
        auto own = [](std::string body, unsigned short port) {
            std::string needle = ":" + std::to_string(port);
            for (auto at = body.find(needle); at != std::string::npos; at = body.find(needle, at))
                body.replace(at, needle.size(), ":PORT");
            return std::regex_replace(body, std::regex(R"("timeStamp":"[^"]*")"), R"("timeStamp":"T")");
        };
        CHECK(own(a.body, first.port()) == own(b.body, second.port()));
        if (a.body.find(":" + std::to_string(first.port())) == std::string::npos) {
            CHECK(a.body == b.body);
            CHECK(a.header("etag") == b.header("etag"));
        }
    }
}

TEST_CASE("postgis: removing a city drops its tables and leaves others' tables in its schema", "[postgis]")
{
    auto schema = fresh_schema("shared");
    psql("CREATE SCHEMA " + schema + "; CREATE TABLE " + schema + ".survey (id integer); INSERT INTO " + schema +
         ".survey VALUES (1)");
    auto uri = city_uri(schema);
    lantern_ok({"init", uri, "--name", "Hoi An", "--crs", "EPSG:32649", "--bounds", hoian_bounds});
    TempDir dir;
    auto lamps = dir.file("lamps.geojson");
    write_file(lamps, three_lamps_geojson());
    lantern_ok({"import", uri, "lamps", lamps, "-q"});
    core::remove_city(uri);
    CHECK(psql("SELECT count(*) FROM " + schema + ".survey") == "1\n");
    CHECK(psql("SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "'") == "1\n");
    CHECK(run_lantern({"info", uri}).exit_code != 0);

    // A schema the city had alone goes with it.
    auto alone = fresh_schema("alone");
    lantern_ok({"init", city_uri(alone), "--name", "Hoi An", "--crs", "EPSG:32649"});
    core::remove_city(city_uri(alone));
    CHECK(psql("SELECT count(*) FROM pg_namespace WHERE nspname = '" + alone + "'") == "0\n");
}
