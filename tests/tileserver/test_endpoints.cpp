// `lantern serve`'s endpoints as clients see them: started as users start
// it (a child process on a free port), spoken to over real sockets by a
// client written for the tests (http_client.hpp), checked against what
// TileSet renders itself on the sample city (CTest fixture "sample_city").

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/tiles.hpp>

#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/mvt_layers.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

TEST_CASE("serve prints its URL and serves health and the catalog")
{
    ServerProcess server(sample_city());
    CHECK_THAT(server.start_line(), Catch::Contains(server.url() + "/catalog"));
    CHECK_THAT(server.start_line(), Catch::Contains(".json"));

    auto health = fetch(server.port(), "/health");
    CHECK(health.status == 200);
    CHECK(json::parse(health.body)["status"] == "ok");
    CHECK(health.header("access-control-allow-origin") == "*");

    auto catalog = get_json(server.port(), "/catalog");
    auto storage = core::open_city(sample_city(), core::Access::read_only);
    std::size_t classes_seen = 0;
    for (const auto& record : storage->class_records()) {
        INFO(record.name);
        auto found = std::find_if(catalog["layers"].begin(), catalog["layers"].end(),
                                  [&](const json& l) { return l["name"] == record.name; });
        REQUIRE(found != catalog["layers"].end());
        CHECK((*found)["kind"] == "class");
        CHECK((*found)["feature_count"].get<std::int64_t>() == record.feature_count);
        CHECK((*found)["tilejson"] == server.url() + "/tiles/" + record.name + ".json");
        CHECK((*found)["source"] == record.source);
        CHECK((*found)["minzoom"].get<int>() <= (*found)["maxzoom"].get<int>());
        ++classes_seen;
    }
    CHECK(classes_seen >= 10);
    auto buildings = std::find_if(catalog["layers"].begin(), catalog["layers"].end(),
                                  [](const json& l) { return l["name"] == "buildings"; });
    CHECK((*buildings)["geometry"] == "Polygon");
    // Label rules, as lantern render places names, for map clients to label with.
    auto roads = std::find_if(catalog["layers"].begin(), catalog["layers"].end(),
                              [](const json& l) { return l["name"] == "roads"; });
    REQUIRE((*roads)["labels"].size() == 1);
    CHECK((*roads)["labels"][0]["field"] == "name");
    CHECK((*roads)["labels"][0]["priority_by"]["class"]["primary"] == 2);
    CHECK((*buildings)["labels"].empty());
}

TEST_CASE("TileJSON names the layers with absolute versioned URLs")
{
    ServerProcess server(sample_city());
    auto tilejson = get_json(server.port(), "/tiles/buildings.json");
    CHECK(tilejson["tilejson"] == "3.0.0");
    CHECK_THAT(tilejson["name"].get<std::string>(), Catch::Contains("buildings"));
    CHECK_FALSE(tilejson["description"].get<std::string>().empty());
    CHECK_THAT(tilejson["attribution"].get<std::string>(), Catch::Contains("buildings.geojson"));

    layers::TileSet tiles(sample_city());
    auto version = tiles.data_version({"buildings"});
    REQUIRE(tilejson["tiles"].size() == 1);
    CHECK(tilejson["tiles"][0] == server.url() + "/tiles/buildings/{z}/{x}/{y}.mvt?v=" + version);

    auto bounds = tilejson["bounds"];
    CHECK(bounds[0].get<double>() < ancient_town_lon);
    CHECK(bounds[2].get<double>() > ancient_town_lon);
    CHECK(bounds[1].get<double>() < ancient_town_lat);
    CHECK(bounds[3].get<double>() > ancient_town_lat);
    auto center = tilejson["center"];
    CHECK(center[0].get<double>() > bounds[0].get<double>());
    CHECK(center[0].get<double>() < bounds[2].get<double>());
    CHECK(center[2].get<int>() >= tilejson["minzoom"].get<int>());
    CHECK(center[2].get<int>() <= tilejson["maxzoom"].get<int>());
    auto info = tiles.layer("buildings");
    REQUIRE(info);
    CHECK(tilejson["minzoom"] == info->min_zoom);
    CHECK(tilejson["maxzoom"] == info->max_zoom);
    CHECK(tilejson["vector_layers"] == layers::vector_layers_json({*info}));

    // A composite lists its layers in the order asked, with their version.
    auto composite = get_json(server.port(), "/tiles/water,roads.json");
    REQUIRE(composite["vector_layers"].size() == 2);
    CHECK(composite["vector_layers"][0]["id"] == "water");
    CHECK(composite["vector_layers"][1]["id"] == "roads");
    CHECK(composite["tiles"][0] == server.url() + "/tiles/water,roads/{z}/{x}/{y}.mvt?v=" +
                                       tiles.data_version({"water", "roads"}));

    // URLs follow a plain Host header and ignore anything else in it.
    auto proxied = get_json(server.port(), "/tiles/roads.json", {{"Host", "tiles.example.org:9000"}});
    CHECK_THAT(proxied["tiles"][0].get<std::string>(),
               Catch::StartsWith("http://tiles.example.org:9000/tiles/roads/"));
    for (const char* host : {"evil.example/x?", "<script>", "a@b"}) {
        auto fallback = get_json(server.port(), "/tiles/roads.json", {{"Host", host}});
        CHECK_THAT(fallback["tiles"][0].get<std::string>(), Catch::StartsWith(server.url() + "/tiles/"));
    }
    // A proxy that ends TLS in front says so in X-Forwarded-Proto.
    auto secure = get_json(server.port(), "/tiles/roads.json",
                           {{"Host", "tiles.example.org"}, {"X-Forwarded-Proto", "https"}});
    CHECK_THAT(secure["tiles"][0].get<std::string>(), Catch::StartsWith("https://tiles.example.org/tiles/roads/"));
    auto odd = get_json(server.port(), "/tiles/roads.json", {{"X-Forwarded-Proto", "gopher"}});
    CHECK_THAT(odd["tiles"][0].get<std::string>(), Catch::StartsWith(server.url() + "/tiles/"));

    // Revalidation by ETag.
    auto first = fetch(server.port(), "/tiles/roads.json");
    REQUIRE_FALSE(first.header("etag").empty());
    auto again = fetch(server.port(), "/tiles/roads.json", {{"If-None-Match", first.header("etag")}});
    CHECK(again.status == 304);
    CHECK(again.body.empty());
    CHECK(fetch(server.port(), "/tiles/no_such_layer.json").status == 404);
}

TEST_CASE("a tile is the bytes TileSet renders in gzip and in identity")
{
    ServerProcess server(sample_city());
    auto tilejson = get_json(server.port(), "/tiles/roads,buildings.json");
    auto tile = tile_at(ancient_town_lon, ancient_town_lat, zoom_for(tilejson));
    auto path = tile_path("roads,buildings", tile);

    layers::TileSet tiles(sample_city());
    auto expected = tiles.render({"roads", "buildings"}, tile);
    REQUIRE_FALSE(expected.empty());

    auto identity = fetch(server.port(), path);
    REQUIRE(identity.status == 200);
    CHECK(identity.header("content-type") == "application/vnd.mapbox-vector-tile");
    CHECK(identity.header("content-encoding").empty());
    CHECK(identity.header("vary") == "Accept-Encoding");
    CHECK(identity.body == expected);
    auto counts = mvt_layer_counts(identity.body);
    REQUIRE(counts.size() == 2);
    CHECK(counts[0].name == "roads");
    CHECK(counts[1].name == "buildings");
    CHECK(counts[1].features > 0);

    auto gzip = fetch(server.port(), path, {{"Accept-Encoding", "gzip, deflate, br"}});
    REQUIRE(gzip.status == 200);
    CHECK(gzip.header("content-encoding") == "gzip");
    CHECK(gzip.body.size() < identity.body.size());
    CHECK(inflate_gzip(gzip.body) == expected);

    // Each representation has its strong tag; a match is a 304 without a body.
    auto gzip_tag = gzip.header("etag"), identity_tag = identity.header("etag");
    CHECK_THAT(gzip_tag, Catch::Matches("\"[0-9a-f]{16}\""));
    CHECK_THAT(identity_tag, Catch::Matches("\"[0-9a-f]{16}\""));
    CHECK(gzip_tag != identity_tag);
    auto not_modified = fetch(server.port(), path, {{"Accept-Encoding", "gzip"}, {"If-None-Match", gzip_tag}});
    CHECK(not_modified.status == 304);
    CHECK(not_modified.body.empty());
    CHECK(not_modified.header("etag") == gzip_tag);
    CHECK(fetch(server.port(), path, {{"If-None-Match", identity_tag}}).status == 304);
    CHECK(fetch(server.port(), path, {{"If-None-Match", "\"0000000000000000\""}}).status == 200);

    // Long-lived only under the URL of the current data version.
    auto version = tiles.data_version({"roads", "buildings"});
    auto current = fetch(server.port(), path + "?v=" + version);
    CHECK_THAT(current.header("cache-control"), Catch::Contains("immutable"));
    CHECK_THAT(current.header("cache-control"), Catch::Contains("max-age=31536000"));
    CHECK(current.body == expected);
    for (const auto& other : {path, path + "?v=0123456789abcdef"}) {
        auto response = fetch(server.port(), other);
        CHECK_THAT(response.header("cache-control"), Catch::Contains("max-age=60"));
        CHECK_THAT(response.header("cache-control"), !Catch::Contains("immutable"));
    }

    // HEAD: the headers of the GET, no body.
    auto head = fetch(server.port(), path, {}, "HEAD");
    CHECK(head.status == 200);
    CHECK(head.header("content-length") == std::to_string(expected.size()));
    CHECK(head.body.empty());

    // A single layer is that layer alone.
    auto roads = fetch(server.port(), tile_path("roads", tile));
    CHECK(roads.body == tiles.render({"roads"}, tile));
}

TEST_CASE("empty tiles answer 204 and tiles off the grid or zoom range 404")
{
    ServerProcess server(sample_city());
    auto tilejson = get_json(server.port(), "/tiles/buildings.json");
    int min_zoom = tilejson["minzoom"], max_zoom = tilejson["maxzoom"];
    int z = zoom_for(tilejson);

    // The Gulf of Guinea has no buildings of Hoi An.
    auto empty = fetch(server.port(), tile_path("buildings", tile_at(0.5, 0.5, z)),
                       {{"Accept-Encoding", "gzip"}});
    CHECK(empty.status == 204);
    CHECK(empty.body.empty());
    CHECK(empty.header("content-length").empty());
    CHECK(empty.header("access-control-allow-origin") == "*");

    auto town = tile_at(ancient_town_lon, ancient_town_lat, z);
    CHECK(fetch(server.port(), tile_path("buildings", town)).status == 200);
    if (max_zoom < 24)
        CHECK(fetch(server.port(), tile_path("buildings", tile_at(ancient_town_lon, ancient_town_lat,
                                                                  max_zoom + 1)))
                  .status == 404);
    if (min_zoom > 0)
        CHECK(fetch(server.port(), tile_path("buildings", tile_at(ancient_town_lon, ancient_town_lat,
                                                                  min_zoom - 1)))
                  .status == 404);
    for (const char* target : {"/tiles/buildings/25/0/0.mvt", "/tiles/buildings/2/4/1.mvt",
                               "/tiles/buildings/2/1/4.mvt",
                               "/tiles/buildings/99999999999999999999/1/1.mvt"}) {
        INFO(target);
        CHECK(fetch(server.port(), target).status == 404);
    }
}

TEST_CASE("malformed paths and unknown layers and other methods get 400 404 405 and never 500")
{
    ServerProcess server(sample_city());
    struct Case {
        const char* method;
        const char* target;
        int status;
    };
    for (auto [method, target, status] : std::vector<Case>{
             {"GET", "/tiles/..%2F..%2Fetc%2Fpasswd/0/0/0.mvt", 400},
             {"GET", "/tiles/..%2f..%2f..%2fetc%2fpasswd.json", 400},
             {"GET", "/tiles/../../etc/passwd", 400},
             {"GET", "/tiles/%2e%2e/%2e%2e/etc/passwd/0.mvt", 400},
             {"GET", "/../../etc/passwd", 404},
             {"GET", "/%2e%2e/%2e%2e/etc/passwd", 404},
             {"GET", "/etc/passwd", 404},
             {"GET", "/portal/..%2F..%2Fetc%2Fpasswd", 404},
             {"GET", "/portal/%2e%2e%2fCMakeLists.txt", 404},
             {"GET", "/portal/package.json", 404},
             {"GET", "/portal/node_modules/maplibre-gl/package.json", 404},
             {"GET", "/tiles/buildings/x/0/0.mvt", 400},
             {"GET", "/tiles/buildings/14/0/0.png", 400},
             {"GET", "/tiles/buildings/14/0/0/0.mvt", 400},
             {"GET", "/tiles/build%ings/14/0/0.mvt", 400},
             {"GET", "/tiles/buildings,buildings/14/0/0.mvt", 400},
             {"GET", "/tiles/no_such_layer/14/0/0.mvt", 404},
             {"GET", "/tiles/buildings,no_such_layer/14/0/0.mvt", 404},
             {"GET", "/tiles/no_such_layer.json", 404},
             {"POST", "/tiles/buildings/14/0/0.mvt", 405},
             {"PUT", "/health", 405},
             {"DELETE", "/catalog", 405},
             {"PATCH", "/tiles/buildings.json", 405},
             {"BREW", "/health", 405},
             // Not UTF-8 once decoded: stray, truncated, overlong, surrogate.
             {"GET", "/api/search?q=%ff+pho", 400},
             {"GET", "/api/search?q=cam%c3", 400},
             {"GET", "/api/search?q=%c0%aepho", 400},
             {"GET", "/api/search?q=%ed%a0%80pho", 400},
             {"GET", "/api/search?q=C%e2m", 400},
             {"GET", "/api/lookup?lon=108.33&lat=15.88&x=%ff", 400},
             {"GET", "/api/parcels/P-%ff", 400},
             {"GET", "/ogc/collections/parcels/items?name=%c3", 400},
             {"GET", "/tiles/buildings%c0%ae.json", 400},
             {"GET", "/%ed%a0%80", 400},
         }) {
        INFO(method << " " << target);
        auto response = fetch(server.port(), target, {}, method);
        CHECK(response.status == status);
        if (status == 405)
            CHECK(response.header("allow") == "GET, HEAD, OPTIONS");
        if (status >= 400)
            CHECK(json::parse(response.body).contains("error"));
    }

    CHECK(json::parse(fetch(server.port(), "/api/search?q=%ff+pho").body)["error"] ==
          "q: not valid UTF-8");

    // Bytes that are not HTTP at all.
    Connection garbage(server.port());
    garbage.send("\x16\x03\x01\x02\x00 not http\r\n\r\n");
    auto answer = garbage.read_response();
    REQUIRE(answer);
    CHECK(answer->status == 400);

    // A Host missing or repeated, a body framed two ways or by a coding the
    // server does not know: answered, then the connection closes, so what
    // follows (here a request smuggled in as a body) is never served.
    const std::string smuggled = "GET /metrics HTTP/1.1\r\nHost: a\r\n\r\n";
    struct Raw {
        std::string request;
        int status;
    };
    for (const auto& [request, status] : std::vector<Raw>{
             {"GET /health HTTP/1.1\r\n\r\n", 400},
             {"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
             {"GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n" + smuggled,
              501},
             {"GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" +
                  smuggled,
              501},
             {"GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
              "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
              400},
             {"GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n"
              "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
              400},
             {"GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n"
              "Content-Length: " + std::to_string(smuggled.size()) + "\r\n\r\n" + smuggled,
              400},
             {"GET /health HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(smuggled.size()) +
                  "\r\nTransfer-Encoding: chunked\r\n\r\n" + smuggled,
              400},
             {"GET /health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
             {"GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
              "0\r\nHost: b\r\n\r\n" + smuggled,
              400},
         }) {
        INFO(request);
        Connection client(server.port());
        client.send(request);
        auto response = client.read_response();
        REQUIRE(response);
        CHECK(response->status == status);
        CHECK(response->header("connection") == "close");
        CHECK(json::parse(response->body).contains("error"));
        CHECK(client.wait_closed());
    }
    // What the rules allow: HTTP/1.0 without Host, a chunked body with an
    // extension and a trailer, each followed by a pipelined request.
    for (const std::string request :
         {"GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
          "GET /health HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
          "3;name=value\r\nabc\r\n0\r\nX-Checksum: 1\r\n\r\n"}) {
        INFO(request);
        Connection client(server.port());
        client.send(request + request_text("GET", "/health"));
        for (int i = 0; i < 2; ++i) {
            auto response = client.read_response();
            REQUIRE(response);
            CHECK(response->status == 200);
        }
    }

    auto metrics = fetch(server.port(), "/metrics").body;
    CHECK_THAT(metrics, !Catch::Contains("status=\"500\""));
    CHECK(fetch(server.port(), "/health").status == 200);
}

TEST_CASE("a CORS preflight is answered for every route")
{
    ServerProcess server(sample_city());
    auto response = fetch(server.port(), "/tiles/buildings/14/13122/7621.mvt",
                          {{"Origin", "https://map.example.org"},
                           {"Access-Control-Request-Method", "GET"},
                           {"Access-Control-Request-Headers", "content-type"}},
                          "OPTIONS");
    CHECK(response.status == 204);
    CHECK(response.header("access-control-allow-origin") == "*");
    CHECK_THAT(response.header("access-control-allow-methods"), Catch::Contains("GET"));
    CHECK(response.header("access-control-allow-headers") == "content-type");
    CHECK_FALSE(response.header("access-control-max-age").empty());
    // Header names are echoed only when they are header names.
    auto odd = fetch(server.port(), "/health",
                     {{"Access-Control-Request-Headers", "x\"><script>"}}, "OPTIONS");
    CHECK(odd.status == 204);
    CHECK(odd.header("access-control-allow-headers").empty());
}

TEST_CASE("32 concurrent requests for one uncached tile render it once")
{
    ServerProcess server(sample_city());
    auto tilejson = get_json(server.port(), "/tiles/parcels,buildings,roads.json");
    auto path = tile_path("parcels,buildings,roads",
                          tile_at(ancient_town_lon, ancient_town_lat, zoom_for(tilejson)));
    auto before = fetch(server.port(), "/metrics").body;
    REQUIRE(metric(before, "lantern_tiles_rendered_total") == 0);

    constexpr int clients = 32;
    std::vector<std::unique_ptr<Connection>> connections;
    for (int i = 0; i < clients; ++i)
        connections.push_back(std::make_unique<Connection>(server.port()));
    std::atomic<int> ready{0};
    std::vector<int> statuses(clients, 0);
    std::vector<std::string> bodies(clients);
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i)
        threads.emplace_back([&, i] {
            ++ready;
            while (ready < clients)
                std::this_thread::yield();
            connections[static_cast<std::size_t>(i)]->send(
                request_text("GET", path, {{"Accept-Encoding", "gzip"}}));
            auto response = connections[static_cast<std::size_t>(i)]->read_response();
            if (response) {
                statuses[static_cast<std::size_t>(i)] = response->status;
                bodies[static_cast<std::size_t>(i)] = response->body;
            }
        });
    for (auto& thread : threads)
        thread.join();
    for (int i = 0; i < clients; ++i) {
        CHECK(statuses[static_cast<std::size_t>(i)] == 200);
        CHECK(bodies[static_cast<std::size_t>(i)] == bodies[0]);
    }

    auto after = fetch(server.port(), "/metrics").body;
    INFO(after);
    CHECK(metric(after, "lantern_tiles_rendered_total") == 1);
    CHECK(metric(after, "lantern_tile_cache_misses_total") == 1);
    CHECK(metric(after, "lantern_tile_cache_waits_total") +
              metric(after, "lantern_tile_cache_hits_total") ==
          clients - 1);
    CHECK(metric(after, "lantern_tile_cache_entries") == 1);
    CHECK(metric(after, "lantern_tile_cache_bytes") > 0);
    CHECK(metric(after, "lantern_http_requests_total{route=\"tile\",status=\"200\"}") == clients);
}

TEST_CASE("metrics count requests and bytes with a latency histogram")
{
    ServerProcess server(sample_city());
    for (int i = 0; i < 3; ++i)
        fetch(server.port(), "/health");
    fetch(server.port(), "/nowhere");
    auto response = fetch(server.port(), "/metrics");
    CHECK(response.status == 200);
    CHECK_THAT(response.header("content-type"), Catch::StartsWith("text/plain; version=0.0.4"));
    const auto& page = response.body;
    CHECK(metric(page, "lantern_http_requests_total{route=\"health\",status=\"200\"}") == 3);
    CHECK(metric(page, "lantern_http_requests_total{route=\"no_route\",status=\"404\"}") == 1);
    CHECK(metric(page, "lantern_http_request_duration_seconds_count{route=\"health\"}") == 3);
    CHECK(metric(page, "lantern_http_request_duration_seconds_bucket{route=\"health\",le=\"+Inf\"}") == 3);
    CHECK(metric(page, "lantern_http_response_bytes_total") > 0);
    CHECK(metric(page, "lantern_tile_cache_max_bytes") == 256.0 * 1024 * 1024);
    CHECK_THAT(page, Catch::Contains("# TYPE lantern_http_request_duration_seconds histogram"));
}

