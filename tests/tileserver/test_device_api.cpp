// The device status route of `lantern serve --writable` on a copy of the
// covered sample city: what a write needs (token, scope, body), what it
// refuses with which status and that a refusal changes nothing, the rate
// limit, and a change reaching the summary and the tiles while serving.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstring>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/access_tokens.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/mvt_layers.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using nlohmann::json;

namespace {

const std::string covered_city = std::string(LANTERN_SAMPLE_COVERAGE_DIR) + "/hoian.sqlite";

test::HttpResponse put_status(unsigned short port, const std::string& path, const std::string& body,
                              const std::string& token)
{
    test::Headers headers = {{"Content-Type", "application/json"},
                             {"Content-Length", std::to_string(body.size())}};
    if (!token.empty())
        headers.emplace_back("Authorization", "Bearer " + token);
    test::Connection connection(port);
    REQUIRE(connection.send(test::request_text("PUT", path, headers) + body));
    auto response = connection.read_response();
    REQUIRE(response);
    return *response;
}

std::string status_body(const std::string& status)
{
    return json{{"status", status}}.dump();
}

// What a refused write must leave as it was.
struct CityState {
    std::string cameras_checksum, coverage_checksum;
    std::size_t audit = 0;

    explicit CityState(const std::string& city)
    {
        auto storage = core::open_city(city, core::Access::read_only);
        cameras_checksum = storage->class_record("cameras")->checksum;
        coverage_checksum = storage->result_record("camera_coverage")->checksum;
        audit = storage->status_changes().size();
    }

    bool operator==(const CityState&) const = default;
};

// Polls until `changed` holds, for at most a minute.
template <typename Check>
bool eventually(Check changed)
{
    auto until = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (std::chrono::steady_clock::now() < until) {
        if (changed())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

}  // namespace

TEST_CASE("serve without --writable has no write route", "[devices][server]")
{
    test::TempDir dir;
    auto city = test::copy_city(covered_city, dir);
    std::string token;
    {
        auto storage = core::open_city(city, core::Access::read_write);
        token = layers::add_access_token(*storage, "ops", "devices");
    }
    CityState before(city);
    test::ServerProcess server(city);
    // Like any PUT to a server that takes none.
    auto response = put_status(server.port(), "/api/devices/cameras/C-1/status", status_body("offline"), token);
    CHECK(response.status == 405);
    CHECK(response.header("allow") == "GET, HEAD, OPTIONS");
    CHECK(test::fetch(server.port(), "/api/devices/cameras/C-1/status", {}, "GET").status == 404);
    auto summary = test::get_json(server.port(), "/api/devices/summary");
    CHECK(summary["classes"]["cameras"]["devices"].get<int>() > 0);
    CHECK(CityState(city) == before);
}

TEST_CASE("serve --writable: refusals change nothing, a change is served", "[devices][server]")
{
    test::TempDir dir;
    auto city = test::copy_city(covered_city, dir);
    std::string token, lamps_token, revoked;
    std::string camera;
    struct {
        double x = 0, y = 0;
    } camera_at;
    {
        auto storage = core::open_city(city, core::Access::read_write);
        token = layers::add_access_token(*storage, "operations-centre", "devices");
        lamps_token = layers::add_access_token(*storage, "lighting-contractor", "devices:lamps");
        revoked = layers::add_access_token(*storage, "old-laptop", "devices");
        layers::revoke_access_token(*storage, "old-laptop");
        // An online camera with a footprint of its own, and where it is.
        const auto& schema = layers::feature_class("cameras");
        auto record = storage->result_record("camera_coverage");
        std::set<std::string> seeing;
        storage->scan(record->schema, [&](const core::StoredFeature& f) {
            seeing.insert(std::get<std::string>(f.values[0]));
        });
        storage->scan(schema, [&](const core::StoredFeature& f) {
            if (!camera.empty() || !seeing.count(std::get<std::string>(f.values[0])))
                return;
            camera = std::get<std::string>(f.values[0]);
            // A point's WKB: byte order, type, x, y.
            std::memcpy(&camera_at.x, f.wkb.data() + 5, 8);
            std::memcpy(&camera_at.y, f.wkb.data() + 13, 8);
        });
        REQUIRE_FALSE(camera.empty());
        core::Transform to_wgs84(core::Crs::from_user(storage->city().crs), core::Crs::wgs84());
        to_wgs84.apply(camera_at.x, camera_at.y);
    }
    CityState before(city);
    // A slow rate, so that a run of writes meets the limit.
    test::ServerProcess server(city, {"--writable", "--writes-per-second", "0.5"});
    auto port = server.port();
    const std::string path = "/api/devices/cameras/" + camera + "/status";

    SECTION("every refusal has its status and changes nothing")
    {
        auto refused = [&](const std::string& target, const std::string& body, const std::string& bearer,
                           int status, const std::string& message) {
            auto response = put_status(port, target, body, bearer);
            INFO(target << " " << body << ": " << response.body);
            CHECK(response.status == status);
            CHECK_THAT(response.body, Catch::Contains(message));
            return response;
        };
        auto missing = refused(path, status_body("offline"), "", 401, "Bearer");
        CHECK(missing.header("www-authenticate").find("Bearer") == 0);
        refused(path, status_body("offline"), "lt_not-a-token", 401, "not valid");
        refused(path, status_body("offline"), revoked, 401, "revoked");
        refused(path, status_body("offline"), lamps_token, 403, "may not change cameras");
        refused(path, status_body("on"), token, 400, "online, offline or faulty");
        refused(path, "{\"status\": ", token, 400, "JSON object");
        refused(path, "{\"status\": \"offline\", \"by\": \"me\"}", token, 400, "status alone");
        refused(path, "{\"status\": \"off\xffline\"}", token, 400, "JSON object");
        refused("/api/devices/cameras/C-no-such/status", status_body("offline"), token, 404, "no device");
        refused("/api/devices/parcels/P-1/status", status_body("offline"), token, 404, "no device class");
        auto get = test::fetch(port, path);
        CHECK(get.status == 405);
        CHECK(get.header("allow") == "PUT, OPTIONS");
        CHECK(test::fetch(port, path, {{"Origin", "https://ops.example"},
                                       {"Access-Control-Request-Method", "PUT"},
                                       {"Access-Control-Request-Headers", "authorization, content-type"}},
                          "OPTIONS")
                  .header("access-control-allow-methods") == "PUT, OPTIONS");
        CHECK(CityState(city) == before);
        CHECK(server.errors().find("failed") == std::string::npos);
    }

    SECTION("a camera switched off leaves the summary and the tiles")
    {
        auto tilejson = test::get_json(port, "/tiles/camera_coverage.json");
        int z = test::zoom_for(tilejson);
        auto tile = test::tile_path("camera_coverage", test::tile_at(camera_at.x, camera_at.y, z));
        auto features = [&] {
            auto response = test::fetch(port, tile);
            auto counts = test::mvt_layer_counts(response.body);
            return counts.empty() ? std::size_t{0} : counts.front().features;
        };
        auto offline = [&] {
            return test::get_json(port, "/api/devices/summary")["classes"]["cameras"]["by_status"].value("offline", 0);
        };
        auto features_before = features();
        auto offline_before = offline();
        REQUIRE(features_before > 0);

        auto response = put_status(port, path, status_body("offline"), token);
        INFO(response.body);
        REQUIRE(response.status == 200);
        auto answer = json::parse(response.body);
        CHECK(answer["old_status"] == "online");
        CHECK(answer["status"] == "offline");
        CHECK(answer["coverage_updated"] == true);

        CHECK(eventually([&] { return offline() == offline_before + 1; }));
        CHECK(eventually([&] { return features() < features_before; }));
        auto storage = core::open_city(city, core::Access::read_only);
        auto audit = storage->status_changes();
        REQUIRE(audit.size() == 1);
        CHECK(audit.front().token == "operations-centre");
        CHECK(audit.front().device == camera);
        CHECK(core::stale_reasons(*storage, *storage->result_record("camera_coverage")).empty());
    }

    SECTION("one token's writes beyond its rate get 429 and write nothing")
    {
        int accepted = 0, limited = 0;
        for (int i = 0; i < 40; ++i) {
            auto response = put_status(port, "/api/devices/hydrants/H-1/status",
                                       status_body(i % 2 ? "working" : "faulty"), token);
            if (response.status == 200)
                ++accepted;
            else if (response.status == 429) {
                ++limited;
                CHECK(response.header("retry-after") == "1");
            } else
                FAIL(response.status << " " << response.body);
        }
        CHECK(limited > 0);
        auto storage = core::open_city(city, core::Access::read_only);
        CHECK(storage->status_changes().size() == static_cast<std::size_t>(accepted));
    }
}
