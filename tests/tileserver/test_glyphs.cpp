// Glyphs for MapLibre: the routes of /fonts without a socket, the glyph
// cache with a render pool that counts, then `lantern serve` answering them
// over real sockets, its ranges read by protobufjs (tests/js/decode_glyphs.mjs)
// and compared with the glyphs core's Font draws from the same fonts and
// with node-fontnik's ranges of the same font file (tests/js/fontnik_range.mjs).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <lantern/core/glyphs/font.hpp>
#include <lantern/core/glyphs/font_catalog.hpp>
#include <lantern/tileserver/glyph_api.hpp>
#include <lantern/tileserver/routes.hpp>

#include "support/node_script.hpp"
#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;
namespace http = tileserver::http;
using tileserver::match_route;
using tileserver::RouteKind;

namespace {

const std::string noto = "/fonts/Noto%20Sans%20Regular/";

std::string hex(const std::string& bytes)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// Noto Sans Regular's ranges 0-255 and 7680-7935 as the server first
// answers them, saved in `dir` as NAME-RANGE.pbf; their paths.
std::vector<std::string> save_noto_ranges(unsigned short port, const TempDir& dir, const std::string& name)
{
    std::vector<std::string> files;
    for (const char* range : {"0-255", "7680-7935"}) {
        auto response = fetch(port, noto + range + ".pbf");
        REQUIRE(response.status == 200);
        files.push_back(dir.file(name + "-" + range + ".pbf"));
        write_file(files.back(), response.body);
    }
    return files;
}

core::Font open(const std::string& name)
{
    static const auto fonts = core::FontCatalog::from_fontconfig();
    const auto* face = fonts.find(name);
    REQUIRE(face);
    return core::Font(face->path, face->index);
}

}  // namespace

TEST_CASE("glyph routes name a font stack and a range of 256 code points")
{
    CHECK(match_route("/fonts").kind == RouteKind::fonts);
    CHECK(match_route("/fonts?x=1").kind == RouteKind::fonts);

    auto one = match_route(noto + "0-255.pbf");
    CHECK(one.kind == RouteKind::glyphs);
    CHECK(one.fontstack == std::vector<std::string>{"Noto Sans Regular"});
    CHECK(one.glyph_range == 0);
    for (const char* target : {"/fonts/Noto%20Sans%20Regular,DejaVu%20Sans%20Book/7680-7935.pbf",
                               "/fonts/Noto%20Sans%20Regular%2CDejaVu%20Sans%20Book/7680-7935.pbf",
                               "/fonts/Noto Sans Regular, DejaVu Sans Book/7680-7935.pbf"}) {
        INFO(target);
        auto stack = match_route(target);
        CHECK(stack.kind == RouteKind::glyphs);
        CHECK(stack.fontstack == std::vector<std::string>{"Noto Sans Regular", "DejaVu Sans Book"});
        CHECK(stack.glyph_range == 7680);
    }
    CHECK(match_route(noto + "65280-65535.pbf").glyph_range == 65280);
    // A name is only ever looked up among the fonts: never a path.
    CHECK(match_route("/fonts/..%2F..%2Fetc%2Fpasswd/0-255.pbf").fontstack ==
          std::vector<std::string>{"../../etc/passwd"});

    std::string nine = "/fonts/a,b,c,d,e,f,g,h,i/0-255.pbf";
    std::string long_name = "/fonts/" + std::string(300, 'a') + "/0-255.pbf";
    for (const std::string& target :
         {std::string("/fonts/"), noto, noto + "0-255", noto + "0-255.mvt", noto + "0-255.pbf/x", noto + "1-256.pbf",
          noto + "0-256.pbf", noto + "256-255.pbf", noto + "65536-65791.pbf", noto + "-0-255.pbf",
          noto + "00-255.pbf", noto + "99999999999999999999-100000000000000000254.pbf", noto + ".pbf",
          noto + "..%2F0-255.pbf", std::string("/fonts//0-255.pbf"), std::string("/fonts/a,,b/0-255.pbf"),
          std::string("/fonts/a,a/0-255.pbf"), std::string("/fonts/%20/0-255.pbf"), nine, long_name,
          std::string("/fonts/Noto%00Sans/0-255.pbf"), std::string("/fonts/Noto%ff/0-255.pbf"),
          std::string("/fonts/a/b/0-255.pbf")}) {
        INFO(target);
        auto route = match_route(target);
        CHECK(route.kind == RouteKind::malformed);
        CHECK_FALSE(route.problem.empty());
    }
    CHECK(match_route("/fonts.json").kind == RouteKind::no_route);
}

TEST_CASE("a glyph range is made once on the render pool and then served from memory")
{
    int made = 0;
    tileserver::TileCache cache(1 << 20, [&](std::function<void()> job) {
        ++made;
        job();
    });
    tileserver::GlyphApi api(cache);
    CHECK(std::find(api.font_names().begin(), api.font_names().end(), "Noto Sans Regular") !=
          api.font_names().end());

    auto ask = [&](const std::string& target, const std::string& accept_encoding) {
        tileserver::Request request{http::verb::get, target, 11};
        if (!accept_encoding.empty())
            request.set(http::field::accept_encoding, accept_encoding);
        std::vector<tileserver::Response> answers;
        auto now = api.range(request, match_route(target), [&](tileserver::Response r) { answers.push_back(r); });
        if (now)
            answers.push_back(*now);
        REQUIRE(answers.size() == 1);
        return answers[0];
    };
    auto first = ask(noto + "0-255.pbf", "");
    CHECK(first.result() == http::status::ok);
    CHECK(first[http::field::content_type] == "application/x-protobuf");
    CHECK(made == 1);
    auto again = ask(noto + "0-255.pbf", "");
    auto gzipped = ask(noto + "0-255.pbf", "gzip");
    CHECK(made == 1);
    CHECK(cache.stats().hits == 2);
    CHECK(again.body() == first.body());
    CHECK(again[http::field::etag] == first[http::field::etag]);
    CHECK(inflate_gzip(gzipped.body()) == first.body());

    auto other = ask(noto + "7680-7935.pbf", "");
    CHECK(made == 2);
    CHECK(other.body() != first.body());

    auto unknown = ask("/fonts/Noto%20Sans%20Regular,No%20Such%20Font/0-255.pbf", "");
    CHECK(unknown.result() == http::status::not_found);
    CHECK_THAT(unknown.body(), Catch::Contains("No Such Font"));
    CHECK(made == 2);
}

TEST_CASE("serve lists its fonts and answers glyph paths with 200, 400 or 404 and never 500")
{
    ServerProcess server(sample_city());
    auto fonts = get_json(server.port(), "/fonts");
    REQUIRE(fonts.is_array());
    std::set<std::string> names;
    for (const auto& name : fonts)
        names.insert(name.get<std::string>());
    CHECK(names.size() == fonts.size());
    for (const char* name : {"Noto Sans Regular", "Noto Sans Bold", "Noto Sans Italic", "DejaVu Sans Book"})
        CHECK(names.count(name));

    struct Case {
        std::string method, target;
        int status;
    };
    for (const auto& [method, target, status] : std::vector<Case>{
             {"GET", noto + "0-255.pbf", 200},
             {"HEAD", noto + "0-255.pbf", 200},
             {"GET", "/fonts/Noto%20Sans%20Bold,DejaVu%20Sans%20Book/7680-7935.pbf", 200},
             {"GET", noto + "55296-55551.pbf", 200},  // no font has surrogates: no glyphs
             {"GET", "/fonts/No%20Such%20Font/0-255.pbf", 404},
             {"GET", "/fonts/Noto%20Sans%20Regular,No%20Such%20Font/0-255.pbf", 404},
             {"GET", "/fonts/noto%20sans%20regular/0-255.pbf", 404},
             {"GET", "/fonts/..%2F..%2Fetc%2Fpasswd/0-255.pbf", 404},
             {"GET", "/fonts/%2e%2e/0-255.pbf", 404},
             {"GET", "/fonts/..%2F..%2Fusr%2Fshare%2Ffonts%2Ftruetype%2Fnoto%2FNotoSans-Regular.ttf/0-255.pbf", 404},
             {"GET", noto + "1-256.pbf", 400},
             {"GET", noto + "65536-65791.pbf", 400},
             {"GET", noto + "0-255.json", 400},
             {"GET", noto + "..%2F..%2F0-255.pbf", 400},
             {"GET", noto + "99999999999999999999-100000000000000000254.pbf", 400},
             {"GET", "/fonts/", 400},
             {"GET", "/fonts/../../etc/passwd", 400},
             {"GET", "/fonts/Noto%20Sans%20Regular%ff/0-255.pbf", 400},
             {"GET", "/fonts/Noto%0ASans/0-255.pbf", 400},
             {"GET", "/fonts/" + std::string(4000, 'x') + "/0-255.pbf", 400},
             {"GET", "/fonts/a,b,c,d,e,f,g,h,i/0-255.pbf", 400},
             {"POST", noto + "0-255.pbf", 405},
             {"DELETE", "/fonts", 405},
         }) {
        INFO(method << " " << target);
        auto response = fetch(server.port(), target, {}, method);
        CHECK(response.status == status);
        if (status >= 400)
            CHECK(json::parse(response.body).contains("error"));
    }
    auto metrics = fetch(server.port(), "/metrics").body;
    CHECK_THAT(metrics, !Catch::Contains("status=\"500\""));
    CHECK(metric(metrics, "lantern_http_requests_total{route=\"glyphs\",status=\"200\"}") == 4);
    CHECK(metric(metrics, "lantern_http_requests_total{route=\"fonts\",status=\"200\"}") == 1);
}

TEST_CASE("glyph ranges decode with protobufjs into Noto Sans's glyphs, and come again as the same bytes")
{
    ServerProcess server(sample_city());
    TempDir dir;
    auto files = save_noto_ranges(server.port(), dir, "lantern");
    std::size_t i = 0;
    for (const char* range : {"0-255", "7680-7935"}) {
        // Asked again, from memory: the same bytes; gzip when accepted; 304
        // for its tag.
        auto again = fetch(server.port(), noto + range + ".pbf");
        CHECK(again.header("content-type") == "application/x-protobuf");
        CHECK(again.header("cache-control") == "public, max-age=86400");
        CHECK(again.body == read_file(files[i++]));
        auto gzipped = fetch(server.port(), noto + range + ".pbf", {{"Accept-Encoding", "gzip"}});
        CHECK(gzipped.header("content-encoding") == "gzip");
        CHECK(inflate_gzip(gzipped.body) == again.body);
        auto current = fetch(server.port(), noto + range + ".pbf", {{"If-None-Match", again.header("etag")}});
        CHECK(current.status == 304);
        CHECK(current.body.empty());
    }

    auto decoded = run_node_script("decode_glyphs.mjs", files, {"protobufjs"});
    REQUIRE(decoded.size() == 2);
    auto font = open("Noto Sans Regular");
    std::uint32_t start = 0;
    for (const auto& file : decoded) {
        REQUIRE(file["stacks"].size() == 1);
        const auto& stack = file["stacks"][0];
        CHECK(stack["name"] == "Noto Sans Regular");
        CHECK(stack["range"] == std::to_string(start) + "-" + std::to_string(start + 255));
        std::size_t expected = 0;
        for (std::uint32_t c = start; c < start + 256; ++c)
            expected += font.has(c);
        CHECK(stack["glyphs"].size() == expected);
        for (const auto& g : stack["glyphs"]) {
            auto id = g["id"].get<std::uint32_t>();
            INFO("U+" << std::hex << id);
            CHECK(id >= start);
            CHECK(id < start + 256);
            auto glyph = font.glyph(id);
            REQUIRE(glyph);
            CHECK(g["width"] == glyph->bitmap.width);
            CHECK(g["height"] == glyph->bitmap.height);
            CHECK(g["left"] == glyph->bitmap.left);
            CHECK(g["top"] == glyph->bitmap.top - glyph->ascender);
            CHECK(g["advance"] == glyph->advance);
            CHECK(g["bitmap"] == hex(glyph->bitmap.sdf));
            auto w = g["width"].get<std::size_t>(), h = g["height"].get<std::size_t>();
            CHECK(g["bitmap"].get<std::string>().size() == (w ? 2 * (w + 6) * (h + 6) : 0));
        }
        start = 7680;
    }
    // The Vietnamese letters of the old town's street names are in their range.
    std::set<std::uint32_t> ids;
    for (const auto& g : decoded[1]["stacks"][0]["glyphs"])
        ids.insert(g["id"].get<std::uint32_t>());
    for (char32_t c : {U'ầ', U'ú', U'ạ', U'ọ', U'ợ', U'ễ', U'ộ', U'ẵ'})
        if (c >= 7680)
            CHECK(ids.count(static_cast<std::uint32_t>(c)));
}

TEST_CASE("glyph ranges agree with node-fontnik's from the same font: boxes exactly, fields within a unit")
{
    static const auto fonts = core::FontCatalog::from_fontconfig();
    const auto* face = fonts.find("Noto Sans Regular");
    REQUIRE(face);
    ServerProcess server(sample_city());
    TempDir dir;
    auto files = save_noto_ranges(server.port(), dir, "lantern");
    run_node_script("fontnik_range.mjs",
                    {face->path, "0", dir.file("fontnik-0.pbf"), "7680", dir.file("fontnik-7680.pbf")}, {"fontnik"});
    files.push_back(dir.file("fontnik-0.pbf"));
    files.push_back(dir.file("fontnik-7680.pbf"));
    auto decoded = run_node_script("decode_glyphs.mjs", files, {"protobufjs"});
    REQUIRE(decoded.size() == 4);

    for (std::size_t r = 0; r < 2; ++r) {
        const auto& ours = decoded[r]["stacks"][0];
        const auto& theirs = decoded[r + 2]["stacks"][0];
        INFO("range " << ours["range"]);
        CHECK(ours["range"] == theirs["range"]);
        std::map<std::uint32_t, json> by_id;
        for (const auto& g : theirs["glyphs"])
            by_id[g["id"].get<std::uint32_t>()] = g;
        REQUIRE(ours["glyphs"].size() == by_id.size());
        double difference = 0;
        std::size_t values = 0, ink_differs = 0;
        for (const auto& g : ours["glyphs"]) {
            auto id = g["id"].get<std::uint32_t>();
            INFO("U+" << std::hex << id);
            REQUIRE(by_id.count(id));
            const auto& f = by_id[id];
            for (const char* field : {"width", "height", "left", "top"})
                CHECK(g[field] == f[field]);
            // node-fontnik truncates the advance where Lantern rounds it.
            auto advance = g["advance"].get<int>() - f["advance"].get<int>();
            CHECK((advance == 0 || advance == 1));
            auto a = g["bitmap"].get<std::string>(), b = f["bitmap"].get<std::string>();
            REQUIRE(a.size() == b.size());
            for (std::size_t i = 0; i + 1 < a.size(); i += 2) {
                int x = std::stoi(a.substr(i, 2), nullptr, 16), y = std::stoi(b.substr(i, 2), nullptr, 16);
                difference += std::abs(x - y);
                ink_differs += (x >= 192) != (y >= 192);
                ++values;
            }
        }
        // The two measure distances to curves flattened apart and round
        // them apart: most values agree within one, and ink and paper (the
        // outline at 192) almost everywhere.
        REQUIRE(values > 10000);
        CHECK(difference / static_cast<double>(values) < 1.0);
        CHECK(static_cast<double>(ink_differs) / static_cast<double>(values) < 0.01);
    }
}
