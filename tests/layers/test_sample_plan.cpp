// The compliance audit and the land fund on a copy of the sample city,
// computed by the CTest fixture "sample_plan" with the commands users run
// (tests/CMakeLists.txt). Their results are checked against the same rules
// written as SpatiaLite SQL (tests/layers/sql, run here through SQLite and
// mod_spatialite, none of Lantern's storage or GEOS code), against the
// labels the generator gives on purpose, against their own ward totals, on
// their maps, and as the server serves them. Relations only: no count or
// place that a regeneration of the sample city would move.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/png_image.hpp"
#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/mvt_layers.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using nlohmann::json;

namespace {

const std::string plan_dir = LANTERN_SAMPLE_PLAN_DIR;
const std::string city_path = plan_dir + "/hoian.sqlite";

// One value of a result row: null, a number or a text.
struct Cell {
    bool null = true;
    double number = 0;
    std::string text;
};
using Row = std::vector<Cell>;

// A query of tests/layers/sql, written apart from Lantern (shared with
// tests/bench/plan_bench.sh).
std::string query(const std::string& name)
{
    return test::read_file(std::string(LANTERN_SOURCE_DIR) + "/tests/layers/sql/" + name);
}

// The city database through the raw SQLite API with mod_spatialite loaded,
// read only, with the temporary views the queries share.
class SpatiaLite {
public:
    SpatiaLite()
    {
        REQUIRE(sqlite3_open_v2(city_path.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        sqlite3_enable_load_extension(m_db, 1);
        char* error = nullptr;
        int rc = sqlite3_load_extension(m_db, "mod_spatialite", nullptr, &error);
        std::string message = error ? error : "";
        sqlite3_free(error);
        INFO(message);
        REQUIRE(rc == SQLITE_OK);
        rc = sqlite3_exec(m_db, query("plan_views.sql").c_str(), nullptr, nullptr, &error);
        message = error ? error : "";
        sqlite3_free(error);
        INFO(message);
        REQUIRE(rc == SQLITE_OK);
    }
    ~SpatiaLite() { sqlite3_close(m_db); }
    SpatiaLite(const SpatiaLite&) = delete;
    SpatiaLite& operator=(const SpatiaLite&) = delete;

    std::vector<Row> rows(const std::string& sql) const
    {
        sqlite3_stmt* stmt = nullptr;
        int prepared = sqlite3_prepare_v2(m_db, sql.c_str(), -1, &stmt, nullptr);
        INFO(sql);
        INFO(sqlite3_errmsg(m_db));
        REQUIRE(prepared == SQLITE_OK);
        std::vector<Row> out;
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            Row row(static_cast<std::size_t>(sqlite3_column_count(stmt)));
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                auto& cell = row[static_cast<std::size_t>(c)];
                int type = sqlite3_column_type(stmt, c);
                cell.null = type == SQLITE_NULL;
                if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
                    cell.number = sqlite3_column_double(stmt, c);
                if (type == SQLITE_TEXT)
                    cell.text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            }
            out.push_back(std::move(row));
        }
        std::string error = sqlite3_errmsg(m_db);
        sqlite3_finalize(stmt);
        INFO(error);
        REQUIRE(rc == SQLITE_DONE);
        return out;
    }

    // The single number a query gives.
    double number(const std::string& sql) const
    {
        auto found = rows(sql);
        REQUIRE(found.size() == 1);
        REQUIRE(found[0].size() == 1);
        return found[0][0].number;
    }

private:
    sqlite3* m_db = nullptr;
};

struct Violation {
    std::string zone_id;
    double limit = 0, value = 0;
};
using ViolationKey = std::pair<std::string, std::string>;  // id, rule

std::map<ViolationKey, Violation> violations_of(const std::vector<Row>& rows)
{
    std::map<ViolationKey, Violation> out;
    for (const auto& r : rows) {
        bool fresh = out.emplace(ViolationKey{r[0].text, r[2].text}, Violation{r[1].text, r[3].number, r[4].number}).second;
        INFO(r[0].text << " " << r[2].text);
        CHECK(fresh);
    }
    return out;
}

// Lantern's rows against SQL's: the same (id, rule) set, each with the same
// zone and limit and a value equal within 1e-6 relative (the audit stores
// ratios rounded to 1e-6, hence absolute below 1).
void check_same(const std::map<ViolationKey, Violation>& lantern, const std::map<ViolationKey, Violation>& sql)
{
    std::size_t only_lantern = 0, only_sql = 0, different = 0;
    for (const auto& [key, v] : lantern)
        if (!sql.count(key)) {
            ++only_lantern;
            UNSCOPED_INFO("only in the audit: " << key.first << " " << key.second << " " << v.value << " > " << v.limit);
        }
    for (const auto& [key, v] : sql) {
        auto found = lantern.find(key);
        if (found == lantern.end()) {
            ++only_sql;
            UNSCOPED_INFO("only in SQL: " << key.first << " " << key.second << " " << v.value << " > " << v.limit);
            continue;
        }
        const auto& l = found->second;
        if (l.zone_id != v.zone_id || l.limit != v.limit ||
            std::abs(l.value - v.value) > 1e-6 * std::max(1.0, std::abs(v.value))) {
            ++different;
            UNSCOPED_INFO(key.first << " " << key.second << ": audit " << l.zone_id << " " << l.value << " > "
                                    << l.limit << ", SQL " << v.zone_id << " " << v.value << " > " << v.limit);
        }
    }
    INFO(lantern.size() << " rows in the audit, " << sql.size() << " from SQL");
    CHECK(!sql.empty());
    CHECK(only_lantern == 0);
    CHECK(only_sql == 0);
    CHECK(different == 0);
}

std::set<std::string> texts(const SpatiaLite& db, const std::string& sql)
{
    std::set<std::string> out;
    for (const auto& r : db.rows(sql))
        out.insert(r[0].text);
    return out;
}

json summary(const std::string& name)
{
    return json::parse(test::read_file(plan_dir + "/" + name));
}

}  // namespace

TEST_CASE("the audit's building violations are those an SQL query over the city finds")
{
    SpatiaLite db;
    check_same(violations_of(db.rows("SELECT building_id, zone_id, rule, \"limit\", value FROM result_building_violations")),
               violations_of(db.rows(query("audit_buildings.sql"))));
}

TEST_CASE("the audit's parcel violations are those an SQL query over the city finds")
{
    SpatiaLite db;
    check_same(violations_of(db.rows("SELECT parcel_id, zone_id, rule, \"limit\", value FROM result_parcel_violations")),
               violations_of(db.rows(query("audit_parcels.sql"))));
}

TEST_CASE("every building the sample labels unpermitted is in the audit, and no permitted one")
{
    SpatiaLite db;
    auto over = texts(db, "SELECT DISTINCT building_id FROM result_building_violations");
    auto unpermitted = texts(db, "SELECT building_id FROM buildings WHERE permit = 'unpermitted'");
    auto permitted = texts(db, "SELECT building_id FROM buildings WHERE permit = 'permitted'");
    REQUIRE(!unpermitted.empty());
    REQUIRE(!permitted.empty());
    std::size_t missed = 0, wrongly = 0;
    for (const auto& id : unpermitted)
        if (!over.count(id)) {
            ++missed;
            UNSCOPED_INFO("unpermitted, not in the audit: " << id);
        }
    for (const auto& id : permitted)
        if (over.count(id)) {
            ++wrongly;
            UNSCOPED_INFO("permitted, in the audit: " << id);
        }
    CHECK(missed == 0);
    CHECK(wrongly == 0);
}

TEST_CASE("the land fund is the one an SQL query over the city finds, with every labelled plot")
{
    SpatiaLite db;
    // Lantern's rows: parcel_id, status, land_use, zone_id, area_m2,
    // free_m2, floor_area_m2, allowed_floor_area_m2, remaining_floor_area_m2.
    std::map<std::string, Row> fund;
    for (auto& r : db.rows("SELECT parcel_id, status, land_use, zone_id, area_m2, free_m2, floor_area_m2, "
                           "allowed_floor_area_m2, remaining_floor_area_m2 FROM result_land_fund"))
        fund[r[0].text] = std::move(r);
    REQUIRE(!fund.empty());

    SECTION("the generator's labels")
    {
        auto labelled = db.rows("SELECT parcel_id, land_status FROM parcels WHERE land_status IS NOT NULL");
        REQUIRE(!labelled.empty());
        std::size_t missed = 0;
        for (const auto& r : labelled) {
            REQUIRE((r[1].text == "vacant" || r[1].text == "underbuilt"));
            std::string expected = r[1].text == "vacant" ? "vacant" : "underused";
            auto found = fund.find(r[0].text);
            if (found == fund.end() || found->second[1].text != expected) {
                ++missed;
                UNSCOPED_INFO(r[0].text << " labelled " << r[1].text << ", in the land fund as "
                                        << (found == fund.end() ? "nothing" : found->second[1].text));
            }
        }
        CHECK(missed == 0);
    }

    SECTION("each row against SQL's: status, zone, area, free land, floor area")
    {
        // parcel_id, status, land_use, zone_id, max_floors, area_m2,
        // free_m2, floor_area_m2, allowed_floor_area_m2, remaining.
        std::map<std::string, Row> sql;
        for (auto& r : db.rows(query("land_fund.sql")))
            sql[r[0].text] = std::move(r);
        // Agricultural land: the law's first group, LUC to NKH.
        const std::set<std::string> farmland = {"LUC", "LUK", "LUN", "BHK", "NHK", "CLN",
                                                "RSX", "RPH", "RDD", "NTS", "LMU", "NKH"};
        std::size_t only_lantern = 0, only_sql = 0, vacant = 0, underused = 0;
        for (const auto& [id, l] : fund) {
            INFO(id << " (" << l[1].text << ")");
            const bool is_vacant = l[1].text == "vacant";
            REQUIRE((is_vacant || l[1].text == "underused"));
            (is_vacant ? vacant : underused) += 1;
            // Stored to the centimetre, so two of them for a difference.
            CHECK(l[8].number == Approx(l[7].number - l[6].number).margin(0.02));
            if (is_vacant) {
                CHECK(l[5].number == l[4].number);
                CHECK(l[6].number == 0);
                CHECK(farmland.count(l[2].text) == 0);
            } else {
                CHECK(l[5].number < l[4].number);
                CHECK(l[6].number > 0);
                CHECK(l[6].number < 0.25 * l[7].number + 0.01);
            }
            auto found = sql.find(id);
            if (found == sql.end()) {
                ++only_lantern;
                UNSCOPED_INFO("only in the land fund: " << id << " " << l[1].text);
                continue;
            }
            const auto& q = found->second;
            CHECK(l[1].text == q[1].text);
            CHECK(l[2].text == q[2].text);
            CHECK(l[3].text == q[3].text);
            if (is_vacant)
                CHECK((q[4].null || q[4].number > 0));
            CHECK(l[4].number == Approx(q[5].number).margin(0.01));
            CHECK(l[5].number == Approx(q[6].number).margin(0.01));
            CHECK(l[6].number == Approx(q[7].number).margin(0.01));
            CHECK(l[7].number == Approx(q[8].number).margin(0.01));
        }
        for (const auto& [id, q] : sql)
            if (!fund.count(id)) {
                ++only_sql;
                UNSCOPED_INFO("only in SQL: " << id << " " << q[1].text);
            }
        INFO(fund.size() << " rows in the land fund, " << sql.size() << " from SQL");
        CHECK(only_lantern == 0);
        CHECK(only_sql == 0);
        CHECK(vacant > 0);
        CHECK(underused > 0);
    }
}

TEST_CASE("the ward totals add up to the audit's and the land fund's rows")
{
    SpatiaLite db;
    auto audit = summary("audit.json");
    auto land = summary("land.json");
    // What the audit counted, and every feature of the city.
    CHECK(audit["buildings"]["checked"].get<double>() == db.number("SELECT count(*) FROM buildings"));
    CHECK(audit["parcels"]["checked"].get<double>() == db.number("SELECT count(*) FROM parcels"));
    CHECK(land["parcels_checked"].get<double>() == db.number("SELECT count(*) FROM parcels"));
    CHECK(audit["buildings"]["violations"].get<double>() == db.number("SELECT count(*) FROM result_building_violations"));
    CHECK(audit["parcels"]["violations"].get<double>() == db.number("SELECT count(*) FROM result_parcel_violations"));
    CHECK(audit["buildings"]["over"].get<double>() ==
          db.number("SELECT count(DISTINCT building_id) FROM result_building_violations"));
    CHECK(audit["parcels"]["over"].get<double>() ==
          db.number("SELECT count(DISTINCT parcel_id) FROM result_parcel_violations"));

    SECTION("audit_wards")
    {
        auto wards = db.rows("SELECT ward_code, buildings, buildings_over, parcels, parcels_over FROM result_audit_wards");
        REQUIRE(!wards.empty());
        double buildings = 0, parcels = 0;
        for (const auto& w : wards) {
            INFO("ward " << w[0].text);
            buildings += w[1].number;
            parcels += w[3].number;
            CHECK(w[2].number == db.number("SELECT count(DISTINCT building_id) FROM result_building_violations "
                                           "WHERE ward = '" + w[0].text + "'"));
            CHECK(w[4].number == db.number("SELECT count(DISTINCT parcel_id) FROM result_parcel_violations "
                                           "WHERE ward = '" + w[0].text + "'"));
            CHECK(w[2].number <= w[1].number);
            CHECK(w[4].number <= w[3].number);
        }
        // Every building and parcel lies in a ward.
        CHECK(buildings == audit["buildings"]["checked"].get<double>());
        CHECK(parcels == audit["parcels"]["checked"].get<double>());
        CHECK(db.number("SELECT count(*) FROM result_building_violations WHERE ward IS NULL OR ward = ''") == 0);
        CHECK(db.number("SELECT count(*) FROM result_parcel_violations WHERE ward IS NULL OR ward = ''") == 0);
    }

    SECTION("land_fund_wards")
    {
        auto wards = db.rows("SELECT ward_code, vacant, vacant_m2, underused, underused_m2, remaining_floor_area_m2 "
                             "FROM result_land_fund_wards");
        REQUIRE(!wards.empty());
        double vacant = 0, underused = 0, remaining = 0;
        for (const auto& w : wards) {
            INFO("ward " << w[0].text);
            vacant += w[1].number;
            underused += w[3].number;
            remaining += w[5].number;
            auto of_ward = [&](const std::string& what, const std::string& status) {
                return db.number("SELECT coalesce(" + what + ", 0) FROM result_land_fund WHERE ward = '" + w[0].text +
                                 "' AND status = '" + status + "'");
            };
            CHECK(w[1].number == of_ward("count(*)", "vacant"));
            CHECK(w[3].number == of_ward("count(*)", "underused"));
            // Sums of areas each stored to the centimetre.
            CHECK(w[2].number == Approx(of_ward("sum(area_m2)", "vacant")).margin(0.01 * (w[1].number + 1)));
            CHECK(w[4].number == Approx(of_ward("sum(area_m2)", "underused")).margin(0.01 * (w[3].number + 1)));
        }
        CHECK(vacant == db.number("SELECT count(*) FROM result_land_fund WHERE status = 'vacant'"));
        CHECK(underused == db.number("SELECT count(*) FROM result_land_fund WHERE status = 'underused'"));
        CHECK(vacant == land["totals"]["vacant"].get<double>());
        CHECK(underused == land["totals"]["underused"].get<double>());
        double rows = db.number("SELECT count(*) FROM result_land_fund");
        CHECK(remaining == Approx(db.number("SELECT sum(remaining_floor_area_m2) FROM result_land_fund")).margin(0.01 * rows));
        CHECK(remaining == Approx(land["totals"]["remaining_floor_area_m2"].get<double>()).margin(0.01 * rows));
    }
}

TEST_CASE("the audit and land fund maps are PNGs of the width asked, with what they found drawn")
{
    auto audit = test::read_png(plan_dir + "/audit.png");
    auto land = test::read_png(plan_dir + "/land.png");
    // --width 1200 --bounds 108.322,15.876,108.333,15.885 (tests/CMakeLists.txt):
    // the height follows the area's shape, within 5 % of its ground size.
    const double pi = std::acos(-1.0);
    const double shape = (15.885 - 15.876) / ((108.333 - 108.322) * std::cos(15.8805 * pi / 180));
    for (const auto* image : {&audit, &land}) {
        CHECK(image->width == 1200);
        CHECK(image->height == Approx(1200 * shape).epsilon(0.05));
    }
    // The violation colour appears (the legend's swatch is drawn in it).
    const test::Rgb violation = {215, 25, 28};
    int exact = 0;
    for (bool right : {false, true})
        for (bool bottom : {false, true})
            exact += audit.count_in_quarter(violation, right, bottom);
    CHECK(exact > 0);
    // On the map itself, in its top half (the legend and scale bar are at
    // the bottom), the marks are drawn under the zones' translucent fills,
    // which tint them: buildings over their limits still red, vacant
    // parcels still green.
    auto top_half = [](const test::Image& image, auto wanted) {
        int n = 0;
        for (int row = 0; row < image.height / 2; ++row)
            for (int col = 0; col < image.width; ++col)
                n += wanted(image.at(col, row));
        return n;
    };
    CHECK(top_half(audit, [](const test::Rgb& p) { return p[0] >= 200 && p[1] <= 90 && p[2] <= 80; }) > 0);
    CHECK(top_half(land, [](const test::Rgb& p) { return p[1] > p[0] + 15 && p[1] > p[2] + 50; }) > 0);
}

TEST_CASE("the server lists and serves the audit's and land fund's results")
{
    test::ServerProcess server(city_path);
    auto port = server.port();

    auto collections = test::get_json(port, "/ogc/collections");
    std::set<std::string> ids;
    for (const auto& c : collections["collections"])
        ids.insert(c["id"].get<std::string>());
    for (const char* result : {"land_fund", "building_violations", "parcel_violations"}) {
        INFO(result);
        CHECK(ids.count(result) == 1);
    }

    auto page = test::fetch(port, "/ogc/collections/land_fund/items?limit=5");
    REQUIRE(page.status == 200);
    CHECK(page.header("content-type") == "application/geo+json");
    auto items = json::parse(page.body);
    CHECK(items["type"] == "FeatureCollection");
    REQUIRE(items["features"].size() == 5);
    for (const auto& f : items["features"]) {
        CHECK(f["geometry"]["type"].get<std::string>().find("Polygon") != std::string::npos);
        auto status = f["properties"]["status"].get<std::string>();
        CHECK((status == "vacant" || status == "underused"));
    }

    // The Ancient Town, at zoom 15.
    auto tile = test::tile_at(108.3275, 15.8770, 15);
    auto response = test::fetch(port, test::tile_path("building_violations,land_fund", tile));
    REQUIRE(response.status == 200);
    std::set<std::string> names;
    for (const auto& layer : test::mvt_layer_counts(response.body))
        if (layer.features > 0)
            names.insert(layer.name);
    CHECK((names.count("building_violations") == 1 || names.count("land_fund") == 1));
}
