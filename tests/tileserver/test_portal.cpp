// The portal's files: only the listed names are served, from memory, with
// their types, entity tags and gzip; a missing map library is a 503 that
// says how to install it.

#include <catch2/catch.hpp>

#include <filesystem>

#include <lantern/core/base/gzip.hpp>
#include <lantern/tileserver/portal.hpp>
#include <lantern/tileserver/routes.hpp>

#include "support/support.hpp"

using namespace lantern::tileserver;
using lantern::test::TempDir;
using lantern::test::write_file;

namespace {

// A portal folder holding every listed file, each containing its own name.
void write_portal(const TempDir& dir)
{
    for (const auto& file : portal_files()) {
        auto path = dir.path() / file.source;
        std::filesystem::create_directories(path.parent_path());
        write_file(path.string(), "content of " + file.name);
    }
}

Request get(const std::string& accept_encoding = "", const std::string& if_none_match = "")
{
    Request request{http::verb::get, "/", 11};
    if (!accept_encoding.empty())
        request.set(http::field::accept_encoding, accept_encoding);
    if (!if_none_match.empty())
        request.set(http::field::if_none_match, if_none_match);
    return request;
}

}  // namespace

TEST_CASE("the page and its files are portal routes and other shapes are not")
{
    auto page = match_route("/?lang=en");
    CHECK(page.kind == RouteKind::portal);
    CHECK(page.portal_file.empty());
    auto script = match_route("/portal/portal.js");
    CHECK(script.kind == RouteKind::portal);
    CHECK(script.portal_file == "portal.js");
    CHECK(match_route("/portal/maplibre-gl-worker.mjs?v=6.17.0").portal_file == "maplibre-gl-worker.mjs");
    CHECK(match_route("/portal/..%2F..%2Fetc%2Fpasswd").portal_file == "../../etc/passwd");
    for (const char* target : {"/portal", "/portal/", "/portal/a/b", "/portal/../etc/passwd"}) {
        INFO(target);
        CHECK(match_route(target).kind != RouteKind::portal);
    }
}

TEST_CASE("the portal serves exactly its listed files")
{
    TempDir dir;
    write_portal(dir);
    write_file(dir.file("secret.txt"), "not for the web");
    Portal portal(dir.path().string());
    REQUIRE(portal.problem().empty());

    for (const auto& file : portal_files()) {
        INFO(file.name);
        auto response = portal.respond(file.name, get());
        CHECK(response.result() == http::status::ok);
        CHECK(response.body() == "content of " + file.name);
        CHECK(response[http::field::content_type] == file.content_type);
    }
    auto page = portal.respond("", get());
    CHECK(page.body() == "content of index.html");
    CHECK(page[http::field::content_type] == "text/html; charset=utf-8");

    for (const char* name : {"secret.txt", "../secret.txt", "node_modules/maplibre-gl/package.json",
                             "/etc/passwd", "index.html/", "PORTAL.JS"}) {
        INFO(name);
        CHECK(portal.respond(name, get()).result() == http::status::not_found);
    }
}

TEST_CASE("portal files come gzip-compressed when accepted and revalidate by entity tag")
{
    TempDir dir;
    write_portal(dir);
    Portal portal(dir.path().string());

    auto plain = portal.respond("portal.js", get());
    auto packed = portal.respond("portal.js", get("gzip, deflate"));
    CHECK(packed[http::field::content_encoding] == "gzip");
    CHECK(lantern::core::gzip_decompress(packed.body()) == plain.body());
    CHECK(packed[http::field::vary] == "Accept-Encoding");

    auto etag = std::string(plain[http::field::etag]);
    CHECK(!etag.empty());
    CHECK(portal.respond("portal.js", get("", etag)).result() == http::status::not_modified);
    CHECK(portal.respond("portal.css", get("", etag)).result() == http::status::ok);
}

TEST_CASE("without MapLibre the page answers 503 naming what is missing and how to install it")
{
    TempDir dir;
    write_portal(dir);
    std::filesystem::remove_all(dir.path() / "node_modules");
    Portal portal(dir.path().string());

    CHECK_THAT(portal.problem(), Catch::Contains("maplibre-gl.mjs") && Catch::Contains(".ci/install-portal"));
    auto page = portal.respond("", get());
    CHECK(page.result() == http::status::service_unavailable);
    CHECK_THAT(page.body(), Catch::Contains(".ci/install-portal"));
    CHECK(portal.respond("maplibre-gl.mjs", get()).result() == http::status::service_unavailable);
    CHECK(portal.respond("portal.js", get()).result() == http::status::ok);
}
