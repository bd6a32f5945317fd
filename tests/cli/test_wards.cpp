// One ward for a point, whichever path asks: the core locator, flood
// exposure (each site's ward and the per-ward totals), coverage totals and
// the lookup, on a small hand-made city of four wards meeting at one vertex,
// with points on their shared edges, on the vertex and a millimetre either
// side. The wards are imported out of map order, so that "the lowest fid
// wins" (docs/wards.md) is not the same as "the west or north one wins".

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/lookup.hpp>
#include <lantern/layers/ward_locator.hpp>

#include "reference/reference_tools.hpp"
#include "support/backend.hpp"
#include "support/city_files.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::result_rows;
using lantern::test::run_lantern;
using lantern::test::geojson_box;
using lantern::test::geojson_feature;
using lantern::test::geojson_point;
using lantern::test::import_utm;
using lantern::test::TempDir;
using lantern::test::write_collection;
using lantern::test::value_real;
using lantern::test::value_text;

namespace {

// A 400 m x 200 m town of 10 m cells in UTM 49N: a river in columns 0-4,
// a floodplain at 0.5 m elsewhere, all flooded at a stage of 1 m. The wards
// meet at V, the centre of cell (20, 10), so their edges run through the
// centres of column 20 and row 10.
struct Town {
    double x0 = 0, y0 = 0;  // north-west corner
    double x(double col) const { return x0 + col * 10.0; }
    double y(double row) const { return y0 - row * 10.0; }
    double vx() const { return x(20.5); }
    double vy() const { return y(10.5); }
};

Town town()
{
    double x = 108.32, y = 15.87;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    return {std::floor(x / 10) * 10, std::floor(y / 10) * 10 + 200};
}

// Imported in this order, so fids 1 to 4.
const std::vector<std::string> ward_codes = {"SE", "NW", "NE", "SW"};

// The rule worked by hand: a point strictly inside a quadrant is its ward; on
// an edge or the vertex, the lowest fid of the wards that meet there.
std::string ward_by_hand(double dx, double dy)  // from V
{
    auto lowest = [](std::vector<std::string> codes) {
        for (const auto& code : ward_codes)
            for (const auto& c : codes)
                if (c == code)
                    return code;
        return std::string();
    };
    std::vector<std::string> holding;
    if (dx <= 0 && dy >= 0)
        holding.push_back("NW");
    if (dx >= 0 && dy >= 0)
        holding.push_back("NE");
    if (dx <= 0 && dy <= 0)
        holding.push_back("SW");
    if (dx >= 0 && dy <= 0)
        holding.push_back("SE");
    return lowest(holding);
}

struct Place {
    std::string id;
    double dx, dy;  // metres from V
};

std::vector<Place> places()
{
    const double mm = 0.001;
    return {{"vertex", 0, 0},          {"vertex-nw", -mm, mm}, {"vertex-ne", mm, mm},
            {"vertex-sw", -mm, -mm},   {"vertex-se", mm, -mm}, {"north-edge", 0, 35},
            {"north-edge-w", -mm, 35}, {"north-edge-e", mm, 35}, {"south-edge", 0, -35},
            {"south-edge-w", -mm, -35}, {"south-edge-e", mm, -35}, {"west-edge", -55, 0},
            {"west-edge-n", -55, mm},  {"west-edge-s", -55, -mm}, {"east-edge", 55, 0},
            {"east-edge-n", 55, mm},   {"east-edge-s", 55, -mm}};
}

// More members of each ward's properties, by ward code (",\"unit_code\":...").
using WardMembers = std::map<std::string, std::string>;

std::string build_town(const TempDir& dir, const WardMembers& more = {})
{
    const Town t = town();
    std::string city = lantern::test::city_location(dir, "city.sqlite");
    lantern::test::new_city(dir);

    lantern::test::import_dem(dir, city, t.x0, t.y0, 40, 20, [](int col, int) { return col < 5 ? -1.0f : 0.5f; });

    write_collection(dir.file("water.geojson"),
                     {geojson_feature(geojson_box(t.x(0), t.y(20), t.x(5), t.y(0)),
                                      R"({"name":"river","kind":"river"})")});
    import_utm(city, "water", dir.file("water.geojson"));
    const double vx = t.vx(), vy = t.vy();
    std::map<std::string, std::string> quadrant = {{"NW", geojson_box(t.x(0), vy, vx, t.y(0))},
                                                   {"NE", geojson_box(vx, vy, t.x(40), t.y(0))},
                                                   {"SW", geojson_box(t.x(0), t.y(20), vx, vy)},
                                                   {"SE", geojson_box(vx, t.y(20), t.x(40), vy)}};
    std::vector<std::string> wards;
    for (const auto& code : ward_codes) {
        auto members = more.find(code);
        wards.push_back(geojson_feature(quadrant[code], R"({"ward_code":")" + code + R"(","name":"Ward )" + code +
                                                            "\"" + (members == more.end() ? "" : members->second) +
                                                            "}"));
    }
    write_collection(dir.file("wards.geojson"), wards);
    import_utm(city, "wards", dir.file("wards.geojson"));
    std::vector<std::string> sites;
    for (const auto& p : places())
        sites.push_back(geojson_feature(geojson_point(vx + p.dx, vy + p.dy),
                                        R"({"site_id":")" + p.id + R"(","name":")" + p.id +
                                            R"(","rank":"provincial"})"));
    write_collection(dir.file("sites.geojson"), sites);
    import_utm(city, "heritage_sites", dir.file("sites.geojson"));
    // A street along the edge between the north wards and the south ones' edge.
    std::ostringstream line;
    line.precision(15);
    line << R"({"type":"LineString","coordinates":[[)" << vx << ',' << t.y(20) << "],[" << vx << ',' << t.y(0) << "]]}";
    write_collection(dir.file("roads.geojson"),
                     {geojson_feature(line.str(), R"({"road_id":"R-1","class":"residential"})")});
    import_utm(city, "roads", dir.file("roads.geojson"));
    return city;
}

}  // namespace

TEST_CASE("a point on or beside a shared ward boundary gets one ward through every path")
{
    TempDir dir;
    auto city = build_town(dir);
    const Town t = town();
    std::map<std::string, std::string> expected;  // site id: ward code
    std::map<std::string, int> sites_per_ward;
    for (const auto& p : places()) {
        expected[p.id] = ward_by_hand(p.dx, p.dy);
        ++sites_per_ward[expected[p.id]];
    }
    CHECK(expected["vertex"] == "SE");
    CHECK(expected["north-edge"] == "NW");
    CHECK(expected["east-edge"] == "SE");

    SECTION("the ward locator")
    {
        auto storage = core::open_city(city, core::Access::read_only);
        auto locator = layers::WardLocator::read(*storage);
        REQUIRE(locator.size() == 4);
        for (const auto& p : places()) {
            INFO(p.id);
            int w = locator.ward_at({t.vx() + p.dx, t.vy() + p.dy});
            REQUIRE(w >= 0);
            CHECK(locator.wards()[static_cast<std::size_t>(w)].code == expected[p.id]);
        }
    }

    SECTION("flood exposure: each site's ward, and the totals per ward")
    {
        auto r = run_lantern({"flood", city, "--stage", "1.0", "--json", "-q"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto sites = result_rows(city, "flood_heritage_sites_1.0m");
        REQUIRE(sites.size() == places().size());
        for (const auto& site : sites) {
            INFO(value_text(site.at("site_id")));
            CHECK(value_text(site.at("ward")) == expected[value_text(site.at("site_id"))]);
        }
        // Every land cell floods (the river's own, columns 0-4, are open
        // water, not flooded land); a cell's land is its centre's ward's, and
        // the centres of column 20 and row 10 lie on the edges.
        std::map<std::string, int> cells;
        for (int row = 0; row < 20; ++row)
            for (int col = 5; col < 40; ++col)
                ++cells[ward_by_hand((col - 20) * 10.0, (10 - row) * 10.0)];
        CHECK(cells["NW"] == 175);  // 15 x 10 inside, 10 on the NW-NE edge, 15 on the NW-SW edge
        CHECK(cells["SE"] == 200);  // 19 x 9 inside, 9 + 19 on its edges, and the vertex
        // The street runs along the edges: 5 m pieces, their middles north of
        // V on the NW-NE edge (105 m), south of it on the SW-SE edge (95 m).
        std::map<std::string, double> road_km = {{"NW", 0.11}, {"SE", 0.1}, {"NE", 0}, {"SW", 0}};
        auto wards = result_rows(city, "flood_wards_1.0m");
        REQUIRE(wards.size() == 4);
        for (const auto& ward : wards) {
            auto code = value_text(ward.at("ward_code"));
            INFO(code);
            CHECK(value_real(ward.at("heritage_sites")) == sites_per_ward[code]);
            CHECK(value_real(ward.at("flooded_ha")) == Approx(cells[code] * 100 / 1e4));
            CHECK(value_real(ward.at("road_km")) == Approx(road_km[code]));
            CHECK(std::holds_alternative<std::monostate>(ward.at("unit_code")));
        }
    }

    SECTION("coverage totals: a lamp at each place counts in its ward")
    {
        for (const auto& p : places()) {
            INFO(p.id);
            write_collection(
                dir.file("lamps.geojson"),
                {geojson_feature(geojson_point(t.vx() + p.dx, t.vy() + p.dy),
                                 R"({"lamp_id":"L-1","lamp_type":"LED","height_m":8,"lumens":7200,"status":"on"})")});
            import_utm(city, "lamps", dir.file("lamps.geojson"), {"--replace"});
            auto r = run_lantern({"coverage", city, "lighting", "--json", "-q"});
            INFO(r.err);
            REQUIRE(r.exit_code == 0);
            auto wards = result_rows(city, "lighting_coverage_wards");
            REQUIRE(wards.size() == 4);
            for (const auto& ward : wards) {
                auto code = value_text(ward.at("ward_code"));
                CHECK(value_real(ward.at("devices")) == (code == expected[p.id] ? 1 : 0));
                // The street in 25 m pieces by their middles: four south of V
                // (to 100 m from its south end), four north.
                double road = code == "NW" || code == "SE" ? 100 : 0;
                CHECK(value_real(ward.at("road_m")) == Approx(road));
            }
        }
    }

    SECTION("the lookup")
    {
        auto storage = core::open_city(city, core::Access::read_only);
        layers::CityLookup lookup(*storage);
        auto locator = layers::WardLocator::read(*storage);
        core::Transform to_wgs84(core::Crs::from_user("EPSG:32649"), core::Crs::wgs84());
        core::Transform to_city(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649"));
        for (const auto& p : places()) {
            INFO(p.id);
            double lon = t.vx() + p.dx, lat = t.vy() + p.dy;
            to_wgs84.apply(lon, lat);
            auto answer = lookup.at(lon, lat);
            REQUIRE(answer);
            auto answer_ward = nlohmann::json::parse(*answer)["ward"];
            auto ward = answer_ward["ward_code"].get<std::string>();
            // A city whose wards are all current: no unit, the name as the label.
            CHECK(answer_ward["unit"].is_null());
            CHECK_FALSE(answer_ward.contains("former"));
            CHECK(answer_ward["label"] == answer_ward["name"]);
            // The lookup takes longitude and latitude: the point it tests is
            // the round trip through them, off by nanometres at most.
            double x = lon, y = lat;
            to_city.apply(x, y);
            INFO("round trip off by " << std::hypot(x - (t.vx() + p.dx), y - (t.vy() + p.dy)) << " m");
            int w = locator.ward_at({x, y});
            REQUIRE(w >= 0);
            CHECK(ward == locator.wards()[static_cast<std::size_t>(w)].code);
            // A millimetre off every edge, or back on the very point: the ward worked by hand.
            bool exact = x == t.vx() + p.dx && y == t.vy() + p.dy;
            if ((p.dx != 0 && p.dy != 0) || exact)
                CHECK(ward == expected[p.id]);
        }
    }
}

namespace {

// The hand-made town reorganised: Ward NW and Ward NE now form Phường Bắc,
// Ward SE (on its own, renamed) Xã Nam; Ward SW is current as it is.
const WardMembers units = {
    {"NW", R"(,"unit_code":"bac","unit_name":"Phường Bắc","unit_kind":"ward")"},
    {"NE", R"(,"unit_code":"bac","unit_name":"Phường Bắc","unit_kind":"ward")"},
    {"SE", R"(,"unit_code":"nam","unit_name":"Xã Nam","unit_kind":"commune")"},
};

std::string unit_by_hand(const std::string& ward)
{
    return ward == "NW" || ward == "NE" ? "bac" : ward == "SE" ? "nam" : "";
}

std::string unit_name_by_hand(const std::string& ward)
{
    auto unit = unit_by_hand(ward);
    return unit == "bac" ? "Phường Bắc" : unit == "nam" ? "Xã Nam" : "";
}

// What the lookup should say of a ward: its unit, the ward as it was, both in a label.
void check_ward_answer(const nlohmann::json& ward, const std::string& code)
{
    INFO(ward.dump());
    CHECK(ward["ward_code"] == code);
    CHECK(ward["name"] == "Ward " + code);
    CHECK_FALSE(ward.contains("unit_code"));  // the unit's fields make "unit"
    auto unit = unit_by_hand(code);
    if (unit.empty()) {
        CHECK(ward["unit"].is_null());
        CHECK_FALSE(ward.contains("former"));
        CHECK(ward["label"] == "Ward " + code);
        return;
    }
    CHECK(ward["unit"]["code"] == unit);
    CHECK(ward["unit"]["name"] == unit_name_by_hand(code));
    CHECK(ward["unit"]["kind"] == (unit == "bac" ? "ward" : "commune"));
    CHECK(ward["former"]["code"] == code);
    CHECK(ward["former"]["name"] == "Ward " + code);
    CHECK(ward["label"] == unit_name_by_hand(code) + ", formerly Ward " + code);
}

}  // namespace

TEST_CASE("a reorganised city names each ward's unit and keeps the ward it was")
{
    TempDir dir;
    auto city = build_town(dir, units);
    const Town t = town();
    // A parcel well inside Ward NW.
    write_collection(dir.file("parcels.geojson"),
                     {geojson_feature(geojson_box(t.vx() - 80, t.vy() + 20, t.vx() - 20, t.vy() + 80),
                                      R"({"parcel_id":"P-1","land_use":"ODT"})")});
    import_utm(city, "parcels", dir.file("parcels.geojson"));
    core::Transform to_wgs84(core::Crs::from_user("EPSG:32649"), core::Crs::wgs84());
    auto lonlat = [&](double dx, double dy) {
        double lon = t.vx() + dx, lat = t.vy() + dy;
        to_wgs84.apply(lon, lat);
        return std::make_pair(lon, lat);
    };

    SECTION("the ward locator: the current unit, else the ward itself")
    {
        auto storage = core::open_city(city, core::Access::read_only);
        auto locator = layers::WardLocator::read(*storage);
        REQUIRE(locator.size() == 4);
        for (const auto& ward : locator.wards()) {
            INFO(ward.code);
            auto unit = unit_by_hand(ward.code);
            CHECK(ward.unit_code == unit);
            CHECK(ward.has_unit() == !unit.empty());
            CHECK(ward.current_code() == (unit.empty() ? ward.code : unit));
            CHECK(ward.current_name() == (unit.empty() ? ward.name : unit_name_by_hand(ward.code)));
            CHECK(ward.label() ==
                  (unit.empty() ? ward.name : unit_name_by_hand(ward.code) + ", formerly " + ward.name));
        }
    }

    SECTION("the lookup and the parcel sheet")
    {
        auto storage = core::open_city(city, core::Access::read_only);
        layers::CityLookup lookup(*storage);
        for (auto [code, dx, dy] : {std::tuple{"NW", -50.0, 50.0}, std::tuple{"NE", 50.0, 50.0},
                                    std::tuple{"SW", -50.0, -50.0}, std::tuple{"SE", 50.0, -50.0},
                                    std::tuple{"SE", 0.0, 0.0}}) {  // the vertex: the lowest fid's
            auto [lon, lat] = lonlat(dx, dy);
            auto answer = lookup.at(lon, lat);
            REQUIRE(answer);
            check_ward_answer(nlohmann::json::parse(*answer)["ward"], code);
        }
        auto sheet = lookup.parcel("P-1");
        REQUIRE(sheet);
        check_ward_answer((*sheet)["ward"], "NW");
        CHECK((*sheet)["ward"]["share"] == 1.0);
    }

    SECTION("search finds the units by their names and the former wards by theirs")
    {
        auto storage = core::open_city(city, core::Access::read_only);
        layers::CityLookup lookup(*storage);
        auto first = [&](const char* query) {
            auto hits = lookup.search(query, 10);
            INFO(query << ": " << hits.dump());
            REQUIRE_FALSE(hits.empty());
            return hits.front();
        };
        for (auto [query, unit, name] : {std::tuple{"phuong bac", "bac", "Phường Bắc"},
                                         std::tuple{"Bắc", "bac", "Phường Bắc"},
                                         std::tuple{"xa nam", "nam", "Xã Nam"}}) {
            auto hit = first(query);
            CHECK(hit["kind"] == "ward");
            CHECK(hit["id"] == unit);
            CHECK(hit["label"] == name);
            // Its place lies in the unit: the lookup there names it.
            auto answer = lookup.at(hit["lon"].get<double>(), hit["lat"].get<double>());
            REQUIRE(answer);
            CHECK(nlohmann::json::parse(*answer)["ward"]["unit"]["code"] == unit);
        }
        for (const auto& code : ward_codes) {
            auto hit = first(("ward " + code).c_str());
            INFO(hit.dump());
            CHECK(hit["kind"] == "ward");
            CHECK(hit["id"] == code);
            // A former ward's hit says what the lookup does of it.
            nlohmann::json as_ward = {{"ward_code", hit["id"]},
                                      {"name", "Ward " + code},
                                      {"unit", hit.value("unit", nlohmann::json())},
                                      {"label", hit["label"]}};
            if (hit.contains("former"))
                as_ward["former"] = hit["former"];
            check_ward_answer(as_ward, code);
        }
    }

    SECTION("ward totals name the units, a row per ward; the atlas adds them up")
    {
        std::string atlas = dir.file("atlas.pdf");
        auto r = run_lantern({"flood", city, "--stage", "1.0", "--atlas", atlas, "--json", "-q"});
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        auto summary = nlohmann::json::parse(r.out);
        std::map<std::string, double> flooded_ha;
        for (const auto& ward : summary["scenarios"][0]["exposure"]["wards"]) {
            std::string code = ward["ward_code"];
            INFO(code);
            auto unit = unit_by_hand(code);
            CHECK(ward["unit_code"] == (unit.empty() ? nlohmann::json() : nlohmann::json(unit)));
            flooded_ha[code] = ward["flooded_ha"].get<double>();
        }
        // A result's rows, one per ward, each naming its ward's unit.
        auto rows_with_units = [&](const std::string& result) {
            auto rows = result_rows(city, result);
            REQUIRE(rows.size() == 4);
            for (const auto& row : rows) {
                auto code = value_text(row.at("ward_code"));
                INFO(result << ": " << code);
                CHECK(value_text(row.at("unit_code")) == unit_by_hand(code));
                CHECK(value_text(row.at("unit_name")) == unit_name_by_hand(code));
            }
            return rows;
        };
        rows_with_units("flood_wards_1.0m");

        // A lamp in Ward NW.
        write_collection(
            dir.file("lamps.geojson"),
            {geojson_feature(geojson_point(t.vx() - 50, t.vy() + 50),
                             R"({"lamp_id":"L-1","lamp_type":"LED","height_m":8,"lumens":7200,"status":"on"})")});
        import_utm(city, "lamps", dir.file("lamps.geojson"));
        auto c = run_lantern({"coverage", city, "lighting", "-q"});
        INFO(c.err);
        REQUIRE(c.exit_code == 0);
        for (const auto& row : rows_with_units("lighting_coverage_wards"))
            CHECK(value_real(row.at("devices")) == (value_text(row.at("ward_code")) == "NW" ? 1 : 0));

        // The atlas's table: each unit in bold with its wards' total, then its
        // wards; Ward SW, current, in its place (fid order: SE, NW, NE, SW).
        if (!test::on_path("pdftotext")) {
            const char* ci = std::getenv("CI");
            if (ci && std::string(ci) == "true")
                FAIL("pdftotext is not installed (bash .ci/install-references)");
            WARN("pdftotext is not installed (bash .ci/install-references): the atlas's table is not read");
            return;
        }
        auto read = test::run_shell(dir, "pdftotext -raw -enc UTF-8 '" + atlas + "' atlas.txt");
        REQUIRE(read.exit_code == 0);
        auto text = test::read_file(dir.file("atlas.txt"));
        text = text.substr(std::min(text.size(), text.find("flooded land and buildings by ward")));
        INFO(text);
        auto total = [&](const char* name, double ha) {
            return text.find(std::string(name) + " " + core::fixed_text(ha, 2));
        };
        std::vector<std::size_t> at = {total("Xã Nam", flooded_ha["SE"]), text.find("Ward SE"),
                                       total("Phường Bắc", flooded_ha["NW"] + flooded_ha["NE"]),
                                       text.find("Ward NW"), text.find("Ward NE"), text.find("Ward SW")};
        for (std::size_t k = 0; k < at.size(); ++k) {
            INFO("line " << k);
            REQUIRE(at[k] != std::string::npos);
            if (k > 0)
                CHECK(at[k - 1] < at[k]);
        }
    }
}
