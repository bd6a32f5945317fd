// Fire access on a copy of the sample city, computed by the CTest fixture
// "sample_fire" with the command users run (tests/CMakeLists.txt), against
// pgRouting: route_m, hydrant_m and the hose's run for every building, the
// edges the engine uses and reaches, and the nearest points' distances.
// The results fire_streets and fire_access, and the classes
// fire_stations and hydrants, are copied by GDAL into a schema of the
// throwaway PostgreSQL cluster (fixture postgis), where the queries of
// tests/layers/sql/fire_*.sql (shared with tests/bench/fire_bench.sh) route
// the same edges with pgRouting and measure the gaps with PostGIS. Where the
// cluster has no pgRouting (.ci/install-references installs it) the test
// warns and passes, as the other reference tests do where their tool is
// missing.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "reference/reference_tools.hpp"
#include "support/backend.hpp"
#include "support/support.hpp"

using namespace lantern;

namespace {

const std::string fire_dir = LANTERN_SAMPLE_FIRE_DIR;
const std::string city_path = fire_dir + "/hoian.sqlite";
const std::string sql_dir = std::string(LANTERN_SOURCE_DIR) + "/tests/layers/sql/";
const std::string schema = "fire_reference";

// The cluster's socket folder, from its URI.
std::string socket_folder()
{
    auto uri = test::postgres_uri();
    auto at = uri.find("host=") + 5;
    return uri.substr(at, uri.find('&', at) - at);
}

// Runs psql on the cluster as its superuser, with the schema first on the
// search path: SQL text, or files (-f) in one session; the rows unaligned,
// '|' between fields.
test::ShellResult psql(const test::TempDir& dir, const std::string& arguments)
{
    return test::run_shell(dir, "PGOPTIONS='-c search_path=" + schema + ",public' psql -X -q -t -A -F '|' "
                                "-v ON_ERROR_STOP=1 '" + test::postgres_uri() + "' " + arguments);
}

std::string sql_text(const test::TempDir& dir, const std::string& sql)
{
    test::write_file(dir.file("query.sql"), sql);
    auto r = psql(dir, "-f query.sql");
    INFO(sql << "\n" << r.output);
    REQUIRE(r.exit_code == 0);
    return r.output;
}

// One row of fire_compare.sql.
struct Check {
    long rows = 0, both_null = 0, one_null = 0;
    double max_difference = -1;  // -1: no row has both values
    std::string worst;
};

std::map<std::string, Check> checks_of(const std::string& output)
{
    std::map<std::string, Check> out;
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        std::vector<std::string> f;
        std::istringstream fields(line);
        std::string field;
        while (std::getline(fields, field, '|'))
            f.push_back(field);
        if (f.size() == 5)
            f.emplace_back();  // no worst row
        INFO(line);
        REQUIRE(f.size() == 6);
        Check c;
        c.rows = std::stol(f[1]);
        c.both_null = std::stol(f[2]);
        c.one_null = std::stol(f[3]);
        c.max_difference = f[4].empty() ? -1 : std::stod(f[4]);
        c.worst = f[5];
        out[f[0]] = c;
    }
    return out;
}

}  // namespace

TEST_CASE("fire access on the sample city routes as pgRouting does, for every building")
{
    test::TempDir dir;
    auto available = sql_text(dir, "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgrouting'");
    if (available != "1\n") {
        WARN("pgRouting is not installed (bash .ci/install-references): pgRouting comparison skipped");
        return;
    }
    sql_text(dir, "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema +
                      "; CREATE EXTENSION IF NOT EXISTS pgrouting SCHEMA " + schema);
    const std::string target = "PG:host=" + socket_folder() + " dbname=lantern user=lantern";
    for (const auto& [layer, table] : std::vector<std::pair<std::string, std::string>>{
             {"result_fire_streets", "fire_streets"},
             {"result_fire_access", "fire_access"},
             {"fire_stations", "fire_stations"},
             {"hydrants", "hydrants"}}) {
        INFO(layer);
        test::translate(city_path, target,
                        {"-update", "-nln", table, "-lco", "SCHEMA=" + schema, "-lco", "GEOMETRY_NAME=geom",
                         layer});
    }

    auto r = psql(dir, "-f " + sql_dir + "fire_graph.sql -f " + sql_dir + "fire_buildings.sql -f " + sql_dir +
                           "fire_withpoints.sql -f " + sql_dir + "fire_withpoints_hydrants.sql -f " + sql_dir +
                           "fire_split.sql -f " + sql_dir + "fire_compare.sql");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    // Kept beside the fixture's city for a look after the run.
    test::write_file(fire_dir + "/pgrouting_checks.txt", r.output);
    auto checks = checks_of(r.output);
    REQUIRE(checks.size() == 11);

    auto buildings = std::stol(sql_text(dir, "SELECT count(*) FROM fire_access"));
    auto edges = std::stol(sql_text(dir, "SELECT count(*) FROM fire_streets"));
    REQUIRE(buildings > 20000);
    REQUIRE(edges > 1000);

    // Within 0.1 m for every building (lantern fire gives routes to the
    // millimetre, hoses to the centimetre), both sides null for the same ones.
    for (const auto* name : {"route_m against pgr_withPointsCost", "route_m against pgr_dijkstraCost",
                             "hydrant_m against pgr_withPointsCost", "hydrant_m against pgr_dijkstraCost",
                             "hose_m against pgr_dijkstraCost and ST_Distance"}) {
        INFO(name);
        const auto& c = checks.at(name);
        INFO(c.rows << " buildings, " << c.both_null << " null on both sides, " << c.one_null
                    << " on one side only; largest difference " << c.max_difference << " m at building "
                    << c.worst);
        CHECK(c.rows == buildings);
        CHECK(c.one_null == 0);
        CHECK(c.max_difference >= 0);
        CHECK(c.max_difference <= 0.1);
        // Most buildings are reached: the station's engine and the hydrants
        // serve the town.
        CHECK(c.both_null * 2 < c.rows);
    }
    // The nearest points: the same distances (the edge is free where two tie).
    for (const auto* name : {"access_gap_m against ST_Distance", "street_gap_m against ST_Distance"}) {
        INFO(name);
        const auto& c = checks.at(name);
        INFO(c.rows << " buildings, " << c.both_null << " null on both sides, " << c.one_null
                    << " on one side only; largest difference " << c.max_difference << " m at building "
                    << c.worst);
        CHECK(c.rows == buildings);
        CHECK(c.both_null == 0);
        CHECK(c.one_null == 0);
        CHECK(c.max_difference <= 1e-6);
    }
    // The graph: lengths, the standard engine's edges, junctions (noded with
    // a merge of 1 cm).
    const auto& lengths = checks.at("length_m against ST_Length");
    CHECK(lengths.rows == edges);
    CHECK(lengths.max_difference <= 1e-6);
    const auto& usable = checks.at("usable against the width and class");
    CHECK(usable.rows == edges);
    CHECK(usable.one_null == 0);
    INFO("edge " << usable.worst);
    CHECK(usable.max_difference == 0);
    const auto& reachable = checks.at("reachable against pgr_dijkstraCost");
    CHECK(reachable.rows == edges);
    CHECK(reachable.one_null == 0);
    INFO("edge " << reachable.worst);
    CHECK(reachable.max_difference == 0);
    const auto& ends = checks.at("edge ends at a junction, spread");
    INFO("junction " << ends.worst);
    CHECK(ends.max_difference <= 0.01);

    sql_text(dir, "DROP SCHEMA " + schema + " CASCADE");
}
