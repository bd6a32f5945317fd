// `lantern serve` under hostile or careless clients: oversized requests,
// slow and vanishing clients, more connections than descriptors, signals,
// and databases it must refuse.

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>

#include <memory>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <lantern/layers/tiles.hpp>

#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/mvt_layers.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

TEST_CASE("a 1 MB header gets 431 and a large body 413")
{
    ServerProcess server(sample_city());
    {
        Connection client(server.port());
        client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(1 << 20, 'a') +
                    "\r\n\r\n");
        auto response = client.read_response();
        REQUIRE(response);
        CHECK(response->status == 431);
        CHECK(response->header("connection") == "close");
    }
    {
        Connection client(server.port());
        client.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\n" +
                    std::string(4096, 'b'));
        auto response = client.read_response();
        REQUIRE(response);
        CHECK(response->status == 413);
    }
    CHECK(fetch(server.port(), "/health").status == 200);
}

TEST_CASE("an endless chunk extension or trailer is refused without the server growing")
{
    ServerProcess server(sample_city());
    const std::string head =
        "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    const std::string megabyte(1 << 20, 'a');
    for (const char* start : {"1;ext=", "0\r\nX-Trailer: "}) {
        INFO(start);
        REQUIRE(fetch(server.port(), "/health").status == 200);
        auto before = server.resident_bytes();
        Connection client(server.port());
        // 8 MB of a line that never ends; the server may cut it short.
        bool sending = client.send(head + start);
        for (int i = 0; i < 8 && sending; ++i)
            sending = client.send(megabyte);
        // A bound on the wait, not a timing: without a limit no answer comes
        // before the read timeout.
        auto response = client.read_response(false, std::chrono::seconds(10));
        auto grown = server.resident_bytes() - before;
        if (response)
            CHECK(response->status == 400);
        else
            CHECK(client.wait_closed(std::chrono::seconds(10)));
        CHECK(grown < 4 * 1024 * 1024);
    }
    CHECK(fetch(server.port(), "/health").status == 200);
}

namespace {

// An IPv4 address of this host other than loopback; empty when it has none.
std::string outside_address()
{
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0)
        return {};
    std::string found;
    for (auto* entry = list; entry && found.empty(); entry = entry->ifa_next) {
        if (!entry->ifa_addr || entry->ifa_addr->sa_family != AF_INET ||
            (entry->ifa_flags & IFF_LOOPBACK) || !(entry->ifa_flags & IFF_UP))
            continue;
        char text[INET_ADDRSTRLEN] = {};
        auto* address = reinterpret_cast<sockaddr_in*>(entry->ifa_addr);
        if (inet_ntop(AF_INET, &address->sin_addr, text, sizeof text))
            found = text;
    }
    freeifaddrs(list);
    return found;
}

}  // namespace

TEST_CASE("connections over the per-client cap are closed at accept, except from loopback")
{
    auto address = outside_address();
    if (address.empty()) {
        WARN("this host has no address but loopback: the cap is not tried");
        return;
    }
    ServerProcess server(sample_city(), {"--bind", "0.0.0.0", "--max-connections-per-client", "3"});
    auto connect = [&] { return std::make_unique<Connection>(server.port(), 0, address); };
    std::vector<std::unique_ptr<Connection>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(connect());
        held.back()->send(request_text("GET", "/health"));
        auto response = held.back()->read_response();
        REQUIRE(response);
        CHECK(response->status == 200);
    }
    auto over = connect();
    over->send(request_text("GET", "/health"));
    CHECK(over->wait_closed());
    // Still served on the connections it has, and loopback clients have no cap.
    held.front()->send(request_text("GET", "/health"));
    auto again = held.front()->read_response();
    REQUIRE(again);
    CHECK(again->status == 200);
    std::vector<std::unique_ptr<Connection>> local;
    for (int i = 0; i < 5; ++i) {
        local.push_back(std::make_unique<Connection>(server.port()));
        local.back()->send(request_text("GET", "/health"));
    }
    for (auto& connection : local) {
        auto response = connection->read_response();
        REQUIRE(response);
        CHECK(response->status == 200);
    }

    // Once one of them closes, a new one is served: the server sees the
    // close a moment after the client makes it.
    held.pop_back();
    std::optional<HttpResponse> answer;
    for (int attempt = 0; attempt < 200 && !answer; ++attempt) {
        auto next = connect();
        next->send(request_text("GET", "/health"));
        answer = next->read_response();
        if (!answer)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    REQUIRE(answer);
    CHECK(answer->status == 200);
    auto metrics = fetch(server.port(), "/metrics").body;
    CHECK(metric(metrics, "lantern_http_connections_refused_total") >= 1);
}

TEST_CASE("a slowloris client and an idle one are cut off by the read timeout")
{
    ServerProcess server(sample_city(), {"--read-timeout-ms", "300"});
    Connection idle(server.port());
    Connection slow(server.port());
    slow.send("GET /health HTTP/1.1\r\n");
    bool closed = false;
    // A header line every 50 ms or so: never a whole request. Bounded by
    // the number of lines, not by a clock.
    for (int line = 0; line < 1200 && !closed; ++line)
        closed = !slow.send("X-Slow-" + std::to_string(line) + ": 1\r\n") ||
                 slow.wait_closed(std::chrono::milliseconds(50));
    CHECK(closed);
    CHECK(idle.wait_closed());
    // Others are served meanwhile and after.
    CHECK(fetch(server.port(), "/health").status == 200);
    // The stream closes the socket when its timer fires and the read's
    // handler, which counts the timeout, runs just after: the count may
    // trail the client's view of the close by a moment.
    double timeouts = 0;
    for (int attempt = 0; attempt < 200 && timeouts < 2; ++attempt) {
        if (attempt > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        timeouts = metric(fetch(server.port(), "/metrics").body, "lantern_http_read_timeouts_total");
    }
    CHECK(timeouts >= 2);
}

TEST_CASE("clients that vanish mid-response leave the server serving")
{
    ServerProcess server(sample_city());
    auto tilejson = get_json(server.port(), "/tiles/parcels,buildings,roads.json");
    auto path = tile_path("parcels,buildings,roads",
                          tile_at(ancient_town_lon, ancient_town_lat, zoom_for(tilejson)));
    for (int i = 0; i < 5; ++i) {
        // A small receive window: the response cannot all be in flight at once.
        Connection client(server.port(), 4096);
        client.send(request_text("GET", path));
        CHECK_FALSE(client.read_some(100).empty());
        client.reset();
    }
    for (int i = 0; i < 5; ++i) {
        // Gone before the answer is ready.
        Connection client(server.port());
        client.send(request_text("GET", tile_path("parcels", tile_at(108.33, 15.88, 15 + i % 2))));
        client.reset();
    }
    auto whole = fetch(server.port(), path);
    CHECK(whole.status == 200);
    CHECK(mvt_layer_counts(whole.body).size() == 3);
    auto gzip = fetch(server.port(), path, {{"Accept-Encoding", "gzip"}});
    CHECK(inflate_gzip(gzip.body) == whole.body);
    CHECK(fetch(server.port(), "/health").status == 200);
}

TEST_CASE("a client that stops reading is cut off by the write timeout")
{
    ServerProcess server(sample_city(), {"--write-timeout-ms", "300"});
    auto tilejson = get_json(server.port(), "/tiles/parcels,buildings,roads.json");
    auto path = tile_path("parcels,buildings,roads",
                          tile_at(ancient_town_lon, ancient_town_lat, zoom_for(tilejson)));
    REQUIRE(fetch(server.port(), path).body.size() > 10000);

    // Pipelined requests for far more bytes than the sockets buffer, never read.
    Connection client(server.port(), 4096);
    std::string requests;
    for (int i = 0; i < 400; ++i)
        requests += request_text("GET", path);
    REQUIRE(client.send(requests));
    double failures = 0;
    for (int attempt = 0; attempt < 600 && failures == 0; ++attempt) {
        failures = metric(fetch(server.port(), "/metrics").body, "lantern_http_write_failures_total");
        if (failures == 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(failures >= 1);
    CHECK(fetch(server.port(), "/health").status == 200);
}

TEST_CASE("a thousand concurrent connections are all answered")
{
    long limit = raise_open_file_limit(4096);
    int clients = static_cast<int>(std::min<long>(1000, (limit - 100) / 2));
    if (clients < 1000)
        WARN("the open file limit allows only " << clients << " connections");
    ServerProcess server(sample_city());
    std::vector<std::unique_ptr<Connection>> connections;
    for (int i = 0; i < clients; ++i)
        connections.push_back(std::make_unique<Connection>(server.port()));
    for (int i = 0; i < clients; ++i)
        CHECK(connections[static_cast<std::size_t>(i)]->send(request_text(
            "GET", i % 10 ? "/health" : "/tiles/roads.json")));
    int answered = 0;
    for (auto& connection : connections) {
        auto response = connection->read_response();
        answered += response && response->status == 200;
    }
    CHECK(answered == clients);
    auto metrics = fetch(server.port(), "/metrics").body;
    CHECK(metric(metrics, "lantern_http_connections_total") >= clients);
}

TEST_CASE("running out of file descriptors does not stop the accept loop")
{
    // The server gets few descriptors; more clients than that connect at once.
    ServerProcess server(sample_city(), {"--threads", "1"}, 64);
    constexpr int clients = 150;
    std::vector<std::unique_ptr<Connection>> connections;
    for (int i = 0; i < clients; ++i) {
        connections.push_back(std::make_unique<Connection>(server.port()));
        connections.back()->send(request_text("GET", "/health"));
    }
    // All of them stay connected until the server has run out: it then has
    // connections waiting that it cannot accept.
    for (int attempt = 0; attempt < 600; ++attempt) {
        if (server.errors().find("Too many open files") != std::string::npos)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE_THAT(server.errors(), Catch::Contains("Too many open files"));
    int answered = 0;
    // Each client leaves once answered, which frees a descriptor for the next.
    for (auto& connection : connections) {
        auto response = connection->read_response();
        answered += response && response->status == 200;
        connection.reset();
    }
    CHECK(answered == clients);
    CHECK(metric(fetch(server.port(), "/metrics").body, "lantern_http_accept_errors_total") > 0);
}

TEST_CASE("SIGTERM and SIGINT stop the server with exit code 0")
{
    for (int signal_number : {SIGTERM, SIGINT}) {
        INFO(signal_number);
        ServerProcess server(sample_city());
        Connection idle(server.port());  // an open keep-alive connection does not hold it up
        REQUIRE(fetch(server.port(), "/health").status == 200);
        // Nor a tile being rendered when the signal comes.
        Connection rendering(server.port());
        rendering.send(request_text("GET", tile_path("parcels,buildings", tile_at(108.33, 15.88, 15))));
        CHECK(server.stop(signal_number) == 0);
    }
}

TEST_CASE("clients connected to a server that restarts reconnect to the new one and are answered")
{
    std::vector<std::unique_ptr<Connection>> clients;
    unsigned short port = 0;
    {
        ServerProcess first(sample_city());
        port = first.port();
        for (int i = 0; i < 8; ++i) {
            clients.push_back(std::make_unique<Connection>(port));
            REQUIRE(clients.back()->send(request_text("GET", "/health")));
            auto answer = clients.back()->read_response();
            REQUIRE(answer);
            CHECK(answer->status == 200);
        }
        CHECK(first.stop(SIGTERM) == 0);
    }
    // The clients' connections are gone with the old server.
    for (auto& client : clients)
        CHECK(client->wait_closed());
    // The new server takes the same port at once (its old connections may
    // linger in TIME_WAIT), and every client that connects again is answered.
    ServerProcess second(sample_city(), {"--port", std::to_string(port)});
    CHECK(second.port() == port);
    for (auto& client : clients) {
        client = std::make_unique<Connection>(port);
        REQUIRE(client->send(request_text("GET", "/api/search?q=minh+an")));
        auto answer = client->read_response();
        REQUIRE(answer);
        CHECK(answer->status == 200);
    }
}

TEST_CASE("serve refuses a missing file or a database that is not a city", "[spatialite]")
{
    auto help = run_lantern({"serve", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains("--read-timeout-ms"));
    CHECK_THAT(help.out, Catch::Contains("--max-connections-per-client"));

    TempDir dir;
    auto missing = run_lantern({"serve", dir.file("missing.sqlite"), "--port", "0"});
    CHECK(missing.exit_code == 4);
    CHECK_THAT(missing.err, Catch::Contains("missing.sqlite"));

    write_file(dir.file("text.sqlite"), "not a database at all");
    CHECK(run_lantern({"serve", dir.file("text.sqlite"), "--port", "0"}).exit_code == 4);

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("plain.sqlite").c_str(), &db) == SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x INTEGER)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    CHECK(run_lantern({"serve", dir.file("plain.sqlite"), "--port", "0"}).exit_code == 4);

    CHECK(run_lantern({"serve", sample_city(), "--bind", "not-an-address"}).exit_code == 2);
    ServerProcess taken(sample_city());
    auto busy = run_lantern({"serve", sample_city(), "--port", std::to_string(taken.port())});
    CHECK(busy.exit_code == 2);
    CHECK_THAT(busy.err, Catch::Contains(std::to_string(taken.port())));
}

