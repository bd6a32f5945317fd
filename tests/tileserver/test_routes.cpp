// The tile server's pieces without a socket: the routing table, the header
// rules and the tile cache.

#include <catch2/catch.hpp>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include <lantern/core/base/gzip.hpp>
#include <lantern/tileserver/http_headers.hpp>
#include <lantern/tileserver/routes.hpp>
#include <lantern/tileserver/tile_cache.hpp>
#include <lantern/tileserver/tile_response.hpp>

using namespace lantern::tileserver;

TEST_CASE("routes name tiles and TileJSON of one layer or several")
{
    auto tile = match_route("/tiles/roads/14/13115/7625.mvt?v=ab12");
    CHECK(tile.kind == RouteKind::tile);
    CHECK(tile.layers == std::vector<std::string>{"roads"});
    CHECK(tile.tile_exists);
    CHECK(tile.tile == lantern::core::TileId{14, 13115, 7625});
    CHECK(tile.version == "ab12");

    auto composite = match_route("/tiles/water,roads,flood_depth_2.0m/3/1/2.mvt");
    CHECK(composite.kind == RouteKind::tile);
    CHECK(composite.layers == std::vector<std::string>{"water", "roads", "flood_depth_2.0m"});
    CHECK(composite.version.empty());

    auto tilejson = match_route("/tiles/water,roads.json");
    CHECK(tilejson.kind == RouteKind::tilejson);
    CHECK(tilejson.layers == std::vector<std::string>{"water", "roads"});

    CHECK(match_route("/health").kind == RouteKind::health);
    CHECK(match_route("/metrics").kind == RouteKind::metrics);
    CHECK(match_route("/catalog?x=1").kind == RouteKind::catalog);
    CHECK(match_route("/api/lookup?lon=108.3&lat=15.9").kind == RouteKind::lookup);
    CHECK(match_route("/api/lookup/more").kind == RouteKind::no_route);
    CHECK(match_route("/api/search?q=cam+pho").kind == RouteKind::search);
    auto parcel = match_route("/api/parcels/P-%31%32");
    CHECK(parcel.kind == RouteKind::parcel);
    CHECK(parcel.parcel_id == "P-12");
    CHECK(match_route("/api/parcels/").kind == RouteKind::no_route);
    CHECK(match_route("/api/devices/summary").kind == RouteKind::device_summary);
    auto status = match_route("/api/devices/cameras/C-%31%32/status");
    CHECK(status.kind == RouteKind::device_status);
    CHECK(status.device_class == "cameras");
    CHECK(status.device_id == "C-12");
    for (const char* other : {"/api/devices", "/api/devices/cameras/status", "/api/devices/cameras//status",
                              "/api/devices/cameras/C-1/status/more", "/api/devices/cameras/C-1/state"})
        CHECK(match_route(other).kind == RouteKind::no_route);
    CHECK(match_route("/api/permit-check").kind == RouteKind::permit_check);
    CHECK(route_label(RouteKind::permit_check) == "permit_check");
    for (const char* other : {"/api/permit-check/more", "/api/permit_check", "/api/permit"})
        CHECK(match_route(other).kind == RouteKind::no_route);
    // Percent-encoded letters are the letters.
    CHECK(match_route("/tiles/%72oads/0/0/0.mvt").layers == std::vector<std::string>{"roads"});
}

TEST_CASE("tile numbers beyond the grid are tiles that do not exist")
{
    for (const char* target : {"/tiles/roads/25/0/0.mvt", "/tiles/roads/2/4/0.mvt",
                               "/tiles/roads/2/0/4.mvt", "/tiles/roads/0/1/0.mvt",
                               "/tiles/roads/99999999999999999999999/0/0.mvt",
                               "/tiles/roads/24/16777216/0.mvt"}) {
        INFO(target);
        auto route = match_route(target);
        CHECK(route.kind == RouteKind::tile);
        CHECK_FALSE(route.tile_exists);
    }
    CHECK(match_route("/tiles/roads/24/16777215/16777215.mvt").tile_exists);
}

TEST_CASE("malformed and hostile paths match no layer")
{
    for (const char* target :
         {"/tiles/..%2F..%2Fetc%2Fpasswd/0/0/0.mvt", "/tiles/../../etc/passwd",
          "/tiles/..%2f..%2fetc%2fpasswd.json", "/tiles/%2e%2e/0/0/0.mvt", "/tiles/../0/0/0.mvt",
          "/tiles/roads/-1/0/0.mvt", "/tiles/roads/1/0/0.png", "/tiles/roads/a/0/0.mvt",
          "/tiles/roads/1/0/0.mvt/", "/tiles/roads//1/0/0.mvt", "/tiles/roads/1/0", "/tiles/",
          "/tiles", "/tiles/roads,,water/1/0/0.mvt", "/tiles/roads,roads.json", "/tiles/.json",
          "/tiles/roads%00/1/0/0.mvt", "/tiles/roads%zz/1/0/0.mvt", "/tiles/ro%0Aads.json",
          "/tiles/roads/+1/0/0.mvt", "/tiles/road s/1/0/0.mvt", "http://evil/tiles/roads.json",
          "*", ""}) {
        INFO(target);
        CHECK(match_route(target).kind == RouteKind::malformed);
    }
    for (const char* target : {"/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/etc/passwd",
                               "/health/", "/catalog.json", "/tile/roads/0/0/0.mvt"}) {
        INFO(target);
        CHECK(match_route(target).kind == RouteKind::no_route);
    }
}

TEST_CASE("targets that are not valid UTF-8 are malformed and say where")
{
    // Stray, truncated, overlong, surrogate, beyond U+10FFFF; escaped or raw.
    for (const char* q : {"%ff+pho", "cam%c3", "%c0%aepho", "%ed%a0%80pho", "C%e2m",
                          "%f4%90%80%80", "\xff"}) {
        INFO(q);
        auto route = match_route(std::string("/api/search?q=") + q);
        CHECK(route.kind == RouteKind::malformed);
        CHECK(route.problem == "q: not valid UTF-8");
        CHECK(route.target.query.empty());
    }
    CHECK(match_route("/api/lookup?lon=108.3&lat=%ff").problem == "lat: not valid UTF-8");
    CHECK(match_route("/ogc/collections/parcels/items?limit=5&name=%c3").problem ==
          "name: not valid UTF-8");
    CHECK(match_route("/api/search?%ff=1").problem == "a query parameter's name is not valid UTF-8");
    for (const char* target : {"/api/parcels/P-%ff", "/ogc/collections/%c0%ae", "/%ed%a0%80",
                               "/tiles/roads%ff.json", "/portal/%e2"}) {
        INFO(target);
        auto route = match_route(target);
        CHECK(route.kind == RouteKind::malformed);
        CHECK(route.problem == "the path is not valid UTF-8");
    }
    // Valid UTF-8 of every length goes to its route.
    auto search = match_route("/api/search?q=C%E1%BA%A7u+%C4%91%F0%9F%98%80");
    CHECK(search.kind == RouteKind::search);
    CHECK(search.target.query_value("q") == "C\u1ea7u+\u0111\U0001F600");
    CHECK(match_route("/api/parcels/P-%C3%A2").parcel_id == "P-\u00e2");
}

TEST_CASE("a request has one Host and a body framed one way")
{
    auto header = [](unsigned version, std::vector<std::pair<http::field, const char*>> fields) {
        http::request_header<> h;
        h.method(http::verb::get);
        h.target("/health");
        h.version(version);
        for (auto [name, value] : fields)
            h.insert(name, value);
        return h;
    };
    auto status = [](const http::request_header<>& h) {
        auto problem = header_problem(h);
        return problem ? problem->status : http::status::ok;
    };
    using F = http::field;
    CHECK(status(header(11, {{F::host, "a"}})) == http::status::ok);
    CHECK(status(header(10, {})) == http::status::ok);
    CHECK(status(header(11, {{F::host, "a"}, {F::transfer_encoding, " Chunked "}})) ==
          http::status::ok);
    CHECK(status(header(11, {{F::host, "a"}, {F::content_length, "3"}})) == http::status::ok);

    CHECK(status(header(11, {})) == http::status::bad_request);
    CHECK(status(header(11, {{F::host, "a"}, {F::host, "b"}})) == http::status::bad_request);
    CHECK(status(header(10, {{F::host, "a"}, {F::host, "a"}})) == http::status::bad_request);
    CHECK(status(header(11, {{F::host, "a"}, {F::transfer_encoding, "chunked"},
                             {F::transfer_encoding, "chunked"}})) == http::status::bad_request);
    CHECK(status(header(11, {{F::host, "a"}, {F::transfer_encoding, "xchunked"},
                             {F::content_length, "5"}})) == http::status::bad_request);
    CHECK(status(header(10, {{F::transfer_encoding, "chunked"}})) == http::status::bad_request);
    for (const char* coding : {"xchunked", "gzip, chunked", "chunked, gzip", "chunked, chunked",
                               "identity", ""}) {
        INFO(coding);
        CHECK(status(header(11, {{F::host, "a"}, {F::transfer_encoding, coding}})) ==
              http::status::not_implemented);
    }
}

TEST_CASE("Accept-Encoding decides gzip")
{
    CHECK(accepts_gzip("gzip"));
    CHECK(accepts_gzip("gzip, deflate, br"));
    CHECK(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    CHECK(accepts_gzip("x-gzip"));
    CHECK(accepts_gzip("*"));
    CHECK_FALSE(accepts_gzip(""));
    CHECK_FALSE(accepts_gzip("identity"));
    CHECK_FALSE(accepts_gzip("gzip;q=0"));
    CHECK_FALSE(accepts_gzip("gzip;q=0.000, *"));
    CHECK_FALSE(accepts_gzip("*;q=0"));
    CHECK_FALSE(accepts_gzip("br, deflate"));
}

TEST_CASE("If-None-Match lists match entity tags weakly")
{
    auto tag = entity_tag("tile bytes");
    CHECK(tag.size() == 18);
    CHECK(tag.front() == '"');
    CHECK(tag != entity_tag("other bytes"));
    CHECK(if_none_match_matches(tag, tag));
    CHECK(if_none_match_matches("\"x\", " + tag, tag));
    CHECK(if_none_match_matches("W/" + tag, tag));
    CHECK(if_none_match_matches("*", tag));
    CHECK_FALSE(if_none_match_matches("\"x\"", tag));
    CHECK_FALSE(if_none_match_matches("", tag));
}

TEST_CASE("Host headers that are not a plain host and port are refused")
{
    for (const char* host : {"127.0.0.1:8080", "localhost", "tiles.hoian.gov.vn",
                             "[::1]:8080", "[2001:db8::1]", "a-b.c:1"}) {
        INFO(host);
        CHECK(valid_host(host) == std::string(host));
    }
    for (const char* host :
         {"", "evil.com/path", "evil.com:80/x", "user@evil.com", "<script>", "a b", "host:",
          "host:99999", "host:8x", "[::1", "[zz]", "[::1]x", "-leading", "host:+80",
          "\"quoted\"", "host\r\nX: y"}) {
        INFO(host);
        CHECK_FALSE(valid_host(host));
    }
}

TEST_CASE("an Authorization header gives its bearer token")
{
    CHECK(bearer_token("Bearer lt_abc") == "lt_abc");
    CHECK(bearer_token("bearer   lt_abc  ") == "lt_abc");
    CHECK(bearer_token("BEARER lt_abc") == "lt_abc");
    for (const char* value : {"", "Bearer", "Bearer ", "Bearerlt_abc", "Basic dXNlcjpwYXNz", "lt_abc", "Bear lt_abc"}) {
        INFO(value);
        CHECK(bearer_token(value).empty());
    }
}

TEST_CASE("a Content-Type is JSON in any case with or without parameters")
{
    for (const char* value : {"application/json", "Application/JSON", "application/json; charset=utf-8",
                              " application/json ;charset=UTF-8", "application/json;"}) {
        INFO(value);
        CHECK(is_json_media_type(value));
    }
    for (const char* value : {"", "text/plain", "application/jsonx", "application/json-seq", "application/geo+json",
                              "text/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                              "application /json"}) {
        INFO(value);
        CHECK_FALSE(is_json_media_type(value));
    }
}

TEST_CASE("X-Forwarded-Proto gives the scheme of URLs when it is http or https")
{
    CHECK(forwarded_scheme("https") == std::string("https"));
    CHECK(forwarded_scheme(" HTTPS ") == std::string("https"));
    CHECK(forwarded_scheme("http") == std::string("http"));
    CHECK(forwarded_scheme("https, http") == std::string("https"));
    for (const char* value : {"", "ftp", "https://evil", "javascript", "http s", "<b>"}) {
        INFO(value);
        CHECK_FALSE(forwarded_scheme(value));
    }
}

namespace {

lantern::tileserver::CachedTile tile_of(std::size_t bytes)
{
    return CachedTile::from_mvt(std::string(bytes, 'x'));
}

}  // namespace

TEST_CASE("the tile cache renders a tile once for concurrent requests")
{
    boost::asio::thread_pool pool(2);
    TileCache cache(1 << 20, [&](std::function<void()> job) { boost::asio::post(pool, std::move(job)); });

    // The render waits until every other request has joined it.
    std::promise<void> all_joined;
    auto joined = all_joined.get_future().share();
    std::atomic<int> renders{0};
    std::atomic<int> delivered{0};
    std::atomic<int> good{0};  // Catch2 assertions stay on the test's thread
    std::mutex mutex;
    std::condition_variable done;
    auto produce = [&] {
        ++renders;
        joined.wait();
        return tile_of(1000);
    };
    auto deliver = [&](TileCache::Tile tile, std::exception_ptr error) {
        if (tile && !error)
            ++good;
        std::lock_guard lock(mutex);
        ++delivered;
        done.notify_all();
    };
    for (int i = 0; i < 32; ++i)
        cache.fetch("roads/14/1/2@v1", produce, deliver);
    CHECK(cache.stats().misses == 1);
    CHECK(cache.stats().waits == 31);
    all_joined.set_value();
    {
        std::unique_lock lock(mutex);
        done.wait(lock, [&] { return delivered == 32; });
    }
    CHECK(renders == 1);
    CHECK(good == 32);

    // Now it is cached: a hit, delivered on the calling thread.
    bool hit = false;
    cache.fetch("roads/14/1/2@v1", produce, [&](TileCache::Tile tile, std::exception_ptr) {
        hit = tile && tile->identity_size == 1000;
    });
    CHECK(hit);
    CHECK(cache.stats().hits == 1);
    CHECK(renders == 1);
    pool.join();
}

TEST_CASE("the tile cache keeps within its byte limit and forgets failed renders")
{
    boost::asio::thread_pool pool(1);
    TileCache cache(3000, [&](std::function<void()> job) { boost::asio::post(pool, std::move(job)); });
    auto fetch_now = [&](const std::string& key, std::function<CachedTile()> produce) {
        std::promise<TileCache::Tile> result;
        cache.fetch(key, produce, [&](TileCache::Tile tile, std::exception_ptr) {
            result.set_value(tile);
        });
        return result.get_future().get();
    };
    // Random bytes do not compress: each tile costs about 1 kB.
    auto incompressible = [](int seed) {
        std::string bytes(1000, '\0');
        unsigned state = static_cast<unsigned>(seed) * 2654435761u + 1;
        for (auto& c : bytes) {
            state = state * 1103515245u + 12345u;
            c = static_cast<char>(state >> 24);
        }
        return CachedTile::from_mvt(bytes);
    };
    for (int i = 0; i < 10; ++i)
        CHECK(fetch_now("k" + std::to_string(i), [&, i] { return incompressible(i); }));
    auto stats = cache.stats();
    CHECK(stats.bytes <= 3000);
    CHECK(stats.entries >= 1);
    CHECK(stats.entries < 10);
    CHECK(stats.evictions == 10 - stats.entries);

    // The most recent is still there; the first was evicted and renders again.
    int renders = 0;
    fetch_now("k9", [&] { ++renders; return incompressible(9); });
    CHECK(renders == 0);
    fetch_now("k0", [&] { ++renders; return incompressible(0); });
    CHECK(renders == 1);

    auto failed = fetch_now("broken", []() -> CachedTile { throw std::runtime_error("no"); });
    CHECK_FALSE(failed);
    CHECK(cache.stats().failures == 1);
    CHECK(fetch_now("broken", [] { return tile_of(10); }));
    pool.join();
}

TEST_CASE("tile responses are gzip or identity with their own entity tags")
{
    std::string mvt(5000, 'm');
    auto tile = CachedTile::from_mvt(mvt);
    CHECK(lantern::core::gzip_decompress(tile.gzip) == mvt);

    auto gzip = tile_response(tile, {true, "", true});
    CHECK(gzip.result() == http::status::ok);
    CHECK(gzip[http::field::content_encoding] == "gzip");
    CHECK(gzip[http::field::etag] == entity_tag(tile.gzip));
    CHECK(gzip[http::field::cache_control] == immutable_cache_control);
    CHECK(gzip[http::field::vary] == "Accept-Encoding");
    CHECK(gzip.body() == tile.gzip);

    auto identity = tile_response(tile, {false, "", false});
    CHECK(identity.result() == http::status::ok);
    CHECK(identity[http::field::content_encoding].empty());
    CHECK(identity[http::field::etag] == entity_tag(mvt));
    CHECK(identity[http::field::cache_control] == short_cache_control);
    CHECK(identity.body() == mvt);

    auto not_modified = tile_response(tile, {true, std::string(entity_tag(tile.gzip)), true});
    CHECK(not_modified.result() == http::status::not_modified);
    CHECK(not_modified.body().empty());
    // The other representation's tag does not match.
    CHECK(tile_response(tile, {false, std::string(entity_tag(tile.gzip)), true}).result() ==
          http::status::ok);

    auto empty = tile_response(CachedTile::from_mvt(""), {true, "", true});
    CHECK(empty.result() == http::status::no_content);
    CHECK(empty.body().empty());
}
