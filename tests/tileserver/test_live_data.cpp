// `lantern serve` while the city changes under it: an import in another
// process is served at the next request, under a new data version, on a
// small city of the test's own.

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include <lantern/layers/tiles.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/mvt_layers.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

TEST_CASE("an import while serving changes the data version and the tiles")
{
    TempDir dir;
    new_city(dir).reset();
    auto city = city_location(dir, "city.sqlite");
    write_file(dir.file("lamps3.geojson"), three_lamps_geojson());
    REQUIRE(run_lantern({"import", city, "lamps", dir.file("lamps3.geojson"), "-q"}).exit_code == 0);

    ServerProcess server(city);
    auto before = get_json(server.port(), "/tiles/lamps.json");
    // The tile of lamps L-1 and L-3 and the five new ones at the highest
    // zoom that has them together (high zooms thin out no point); L-2 lies
    // just across its southern edge (in the tile's buffer or not, as the
    // encoder decides).
    auto together = [](int zoom) {
        auto first = tile_at(108.3261, 15.8772, zoom);
        bool same = tile_at(108.3306, 15.8773, zoom) == first;
        for (int i = 0; i < 5; ++i)
            same = same && tile_at(108.3265 + 0.0008 * i, 15.8770, zoom) == first;
        return same;
    };
    int z = before["maxzoom"].get<int>();
    while (z > before["minzoom"].get<int>() && !together(z))
        --z;
    REQUIRE(together(z));
    auto tile = tile_at(108.3261, 15.8772, z);
    auto path = tile_path("lamps", tile);
    auto old_url = before["tiles"][0].get<std::string>();
    auto old_version = old_url.substr(old_url.find("?v=") + 3);
    auto first = fetch(server.port(), path + "?v=" + old_version);
    REQUIRE(first.status == 200);
    CHECK(first.body == layers::TileSet(city).render({"lamps"}, tile));
    REQUIRE(mvt_layer_counts(first.body).size() == 1);
    CHECK(mvt_layer_counts(first.body)[0].features >= 2);
    CHECK_THAT(first.header("cache-control"), Catch::Contains("immutable"));

    // Five lamps replace the three while clients keep asking.
    std::vector<std::string> lamps;
    for (int i = 0; i < 5; ++i)
        lamps.push_back(point_feature(
            108.3265 + 0.0008 * i, 15.8770,
            R"({"lamp_id":"N-)" + std::to_string(i) +
                R"(","lamp_type":"LED","power_w":60,"height_m":8,"lumens":7200,"status":"on"})"));
    write_file(dir.file("lamps5.geojson"), feature_collection(lamps));

    std::atomic<bool> importing{true};
    std::atomic<int> served{0}, failed{0};
    std::thread reader([&] {
        do {
            try {
                auto response = fetch(server.port(), path);
                (response.status == 200 ? served : failed)++;
            } catch (const std::exception&) {
                ++failed;
            }
        } while (importing);
    });
    auto import = run_lantern({"import", city, "lamps", dir.file("lamps5.geojson"), "--replace", "-q"});
    importing = false;
    reader.join();
    REQUIRE(import.exit_code == 0);
    CHECK(failed == 0);
    CHECK(served > 0);

    // The server reads the city again beside what it serves once it sees
    // the commit (every 100 ms): ask until the new version is served.
    std::string new_version = old_version;
    for (int attempt = 0; attempt < 500 && new_version == old_version; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auto after = get_json(server.port(), "/tiles/lamps.json");
        auto new_url = after["tiles"][0].get<std::string>();
        new_version = new_url.substr(new_url.find("?v=") + 3);
    }
    CHECK(new_version != old_version);
    auto fresh = fetch(server.port(), path);
    REQUIRE(fresh.status == 200);
    CHECK(mvt_layer_counts(fresh.body)[0].features == 5);
    CHECK(fresh.body == layers::TileSet(city).render({"lamps"}, tile));
    CHECK_THAT(fetch(server.port(), path + "?v=" + new_version).header("cache-control"),
               Catch::Contains("immutable"));
    // The old version's URL is answered with the current content, briefly cached.
    auto old = fetch(server.port(), path + "?v=" + old_version);
    CHECK(mvt_layer_counts(old.body)[0].features == 5);
    CHECK_THAT(old.header("cache-control"), !Catch::Contains("immutable"));
    auto catalog = get_json(server.port(), "/catalog");
    CHECK(catalog["layers"].size() >= 1);
}

TEST_CASE("a parcel imported while serving is in the lookups after the next check for changes")
{
    TempDir dir;
    new_city(dir).reset();
    auto city = city_location(dir, "city.sqlite");
    write_collection(dir.file("ward.geojson"),
                     {square_feature(108.32, 15.87, 0.01, R"({"ward_code":"W-1","name":"Minh An","kind":"ward"})")});
    REQUIRE(run_lantern({"import", city, "wards", dir.file("ward.geojson"), "-q"}).exit_code == 0);

    ServerProcess server(city);
    const std::string at = "/api/lookup?lon=108.3255&lat=15.8755";
    auto before = get_json(server.port(), at);
    CHECK(before["ward"]["ward_code"] == "W-1");
    CHECK(before["parcel"].is_null());
    CHECK(fetch(server.port(), "/api/lookup?lon=108.335&lat=15.8755").status == 404);

    write_collection(dir.file("parcel.geojson"),
                     {square_feature(108.325, 15.875, 0.001, R"({"parcel_id":"P-1","land_use":"ODT"})")});
    REQUIRE(run_lantern({"import", city, "parcels", dir.file("parcel.geojson"), "-q"}).exit_code == 0);
    // The server looks for a change every 100 ms and reads the city again
    // beside what it serves: ask until the new lookup is served.
    json after;
    for (int attempt = 0; attempt < 200 && (after.empty() || after["parcel"].is_null()); ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        after = get_json(server.port(), at);
    }
    REQUIRE(after["parcel"].is_object());
    CHECK(after["parcel"]["parcel_id"] == "P-1");
    CHECK(after["parcel"]["land_use_name"]["en"].is_string());
    CHECK(after["ward"]["ward_code"] == "W-1");
}

TEST_CASE("OGC API items of a class imported again while serving are the new ones, and the other collections stay")
{
    TempDir dir;
    new_city(dir).reset();
    auto city = city_location(dir, "city.sqlite");
    write_file(dir.file("lamps3.geojson"), three_lamps_geojson());
    REQUIRE(run_lantern({"import", city, "lamps", dir.file("lamps3.geojson"), "-q"}).exit_code == 0);
    write_collection(dir.file("ward.geojson"),
                     {square_feature(108.32, 15.87, 0.01, R"({"ward_code":"W-1","name":"Minh An","kind":"ward"})")});
    REQUIRE(run_lantern({"import", city, "wards", dir.file("ward.geojson"), "-q"}).exit_code == 0);

    ServerProcess server(city);
    auto count = [&](const std::string& collection) {
        auto page = fetch(server.port(), "/ogc/collections/" + collection + "/items?limit=100");
        REQUIRE(page.status == 200);
        return json::parse(page.body)["features"].size();
    };
    REQUIRE(count("lamps") == 3);  // both collections read into memory
    REQUIRE(count("wards") == 1);

    std::vector<std::string> lamps;
    for (int i = 0; i < 5; ++i)
        lamps.push_back(point_feature(108.3265 + 0.0008 * i, 15.8770,
                                      R"({"lamp_id":"N-)" + std::to_string(i) +
                                          R"(","lamp_type":"LED","power_w":60,"height_m":8,"lumens":7200,"status":"on"})"));
    write_file(dir.file("lamps5.geojson"), feature_collection(lamps));
    REQUIRE(run_lantern({"import", city, "lamps", dir.file("lamps5.geojson"), "--replace", "-q"}).exit_code == 0);
    // The server reads the lamps again once it sees the commit.
    std::size_t lamps_now = 3;
    for (int attempt = 0; attempt < 500 && lamps_now != 5; ++attempt) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        lamps_now = count("lamps");
    }
    CHECK(lamps_now == 5);
    auto item = fetch(server.port(), "/ogc/collections/lamps/items/N-4");
    REQUIRE(item.status == 200);
    CHECK(json::parse(item.body)["id"] == "N-4");
    CHECK(count("wards") == 1);
}
