// Analyses cut short on a copy of the flooded sample city (CTest fixture
// "sample_flood"): a full disk while the results are stored, and kill -9 at
// several moments. The city must be as it was, or hold the run's whole
// result: lantern validate finds nothing, and every result is the old one or
// the new one, never a mix.

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "support/support.hpp"

using namespace lantern::test;
using nlohmann::json;

namespace {

std::string sample_city()
{
    return std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite";
}

// Each result's checksum, by name.
std::map<std::string, std::string> results_of(const std::string& city)
{
    auto run = run_lantern({"results", city, "--json"});
    REQUIRE(run.exit_code == 0);
    auto listed = json::parse(run.out);
    std::map<std::string, std::string> out;
    for (const auto& r : listed["results"])
        out[r["name"].get<std::string>()] = r["checksum"].get<std::string>();
    return out;
}

std::set<std::string> listing(const TempDir& dir)
{
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
        if (entry.path().extension() != ".sqlite-shm" && entry.path().extension() != ".sqlite-wal")
            names.insert(entry.path().filename().string());
    return names;
}

struct Analysis {
    std::string what;
    std::vector<std::string> args;  // after "lantern" and before the city
    std::vector<std::string> options;
};

const std::vector<Analysis>& analyses()
{
    static const std::vector<Analysis> list = {
        {"a flood stage", {"flood"}, {"--stage", "2.7", "--threads", "1"}},
        {"camera coverage", {"coverage"}, {"cameras", "--threads", "1"}},
    };
    return list;
}

std::vector<std::string> command(const Analysis& a, const std::string& city)
{
    auto args = a.args;
    args.push_back(city);
    args.insert(args.end(), a.options.begin(), a.options.end());
    args.push_back("-q");
    return args;
}

}  // namespace

TEST_CASE("a full disk while an analysis stores its results leaves the city as it was")
{
    for (const auto& analysis : analyses()) {
        INFO(analysis.what);
        TempDir dir;
        auto city = copy_city(sample_city(), dir);
        auto before = results_of(city);
        auto files = listing(dir);

        // 1 MB: less than one result raster, less than the database (a
        // page written past it fails).
        auto failed = run_lantern(command(analysis, city), Fault{1u << 20, {}});
        INFO(failed.err);
        CHECK(failed.exit_code != 0);
        CHECK(failed.exit_code < 128);  // an error it reported, not a crash
        CHECK_THAT(failed.err, Catch::Contains("lantern: error"));
        CHECK(results_of(city) == before);
        CHECK(listing(dir) == files);

        // With room the same run stores its results.
        REQUIRE(run_lantern(command(analysis, city)).exit_code == 0);
        CHECK(results_of(city) != before);
    }
}

TEST_CASE("kill -9 of an analysis at any moment leaves the old results or the new ones, and a valid city")
{
    for (const auto& analysis : analyses()) {
        INFO(analysis.what);
        // The results a whole run leaves, on a copy of its own.
        TempDir whole_dir;
        auto whole = copy_city(sample_city(), whole_dir);
        auto before = results_of(whole);
        REQUIRE(run_lantern(command(analysis, whole)).exit_code == 0);
        auto after = results_of(whole);
        REQUIRE(after != before);

        std::size_t killed = 0;
        for (int ms : {50, 200, 400, 800, 1500, 2500}) {
            INFO("killed after " << ms << " ms");
            TempDir dir;
            auto city = copy_city(sample_city(), dir);
            auto run = run_lantern(command(analysis, city), Fault{{}, std::chrono::milliseconds(ms)});
            killed += run.exit_code == 128 + 9;
            auto now = results_of(city);
            // Result by result: as before the run, or as a whole run leaves it.
            for (const auto& [name, checksum] : now) {
                INFO(name);
                bool old_one = before.count(name) && before.at(name) == checksum;
                bool new_one = after.count(name) && after.at(name) == checksum;
                CHECK((old_one || new_one));
            }
            CHECK((now == before || now == after));  // all of one run or none of it
            auto validated = run_lantern({"validate", city, "-q"});
            INFO(validated.err);
            CHECK(validated.exit_code == 0);
        }
        CHECK(killed > 0);  // at least one moment fell inside the run
    }
}
