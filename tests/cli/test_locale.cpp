// Answers do not depend on the locale: a flood stage, a gauge hydrograph and a
// lookup give the same numbers whether the process reads "1.5" in the C locale
// or in a German one, where the C library reads it as 1 and writes "1,5".

#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/layers/flood.hpp>
#include <lantern/layers/lookup.hpp>

#include "support/flood_town.hpp"
#include "support/locale.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::TempDir;

namespace {

// Readings with decimals in both columns: every one misread under a decimal comma.
const char* gauge_csv = "hours,level_m\n0,0.25\n1.5,1.75\n3.25,2.5\n6,0.5\n";

nlohmann::json flood_summary(const std::string& city, const std::string& gauge, const std::string& locale)
{
    auto r = lantern::test::run_lantern(
        {"flood", city, "--stage", "1.5", "--hydrograph", gauge, "--json", "-q"}, {{"LC_ALL", locale}});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto summary = nlohmann::json::parse(r.out);
    summary.erase("ok");  // the command's, not the analysis's
    return summary;
}

// The lookup's answer on the floodplain (cell 10, 10), 0.5 m above the river.
std::optional<std::string> lookup_on_the_plain(const core::Storage& city)
{
    auto t = lantern::test::flood_town_grid();
    double x = t.x(10) + 5, y = t.y(10) - 5;
    core::Transform(core::Crs::from_user("EPSG:32649"), core::Crs::wgs84()).apply(x, y);
    return layers::CityLookup(city).at(x, y);
}

}  // namespace

TEST_CASE("a stage, a hydrograph and a lookup give the same answers in a German locale", "[locale]")
{
    if (!lantern::test::german_locale_installed())
        return;
    TempDir dir;
    auto city = lantern::test::build_flood_town(dir);
    auto gauge = dir.file("gauge.csv");
    lantern::test::write_file(gauge, gauge_csv);

    // The command, from an environment in the C locale and in the German one.
    auto in_c = flood_summary(city, gauge, "C");
    REQUIRE(in_c["scenarios"].size() == 2);
    CHECK(in_c["scenarios"][0]["suffix"] == "1.5m");
    CHECK(in_c["scenarios"][0]["stage_m"] == 1.5);
    CHECK(in_c["scenarios"][1]["peak_m"] == 2.5);
    CHECK(in_c["scenarios"][1]["peak_hours"] == 3.25);
    CHECK(flood_summary(city, gauge, lantern::test::german_locale) == in_c);

    auto storage = core::open_city(city, core::Access::read_write);
    auto answer_in_c = lookup_on_the_plain(*storage);
    REQUIRE(answer_in_c);
    // The plain (0.5 m) floods 1.0 m deep at the 1.5 m stage, and when the
    // gauge passes 0.5 m: a quarter of an hour into the hydrograph.
    auto flood = nlohmann::json::parse(*answer_in_c)["flood"];
    INFO(*answer_in_c);
    REQUIRE(flood["stages"].size() == 1);
    CHECK(flood["stages"][0]["level_m"] == 1.5);
    CHECK(flood["stages"][0]["depth_m"].get<double>() == Approx(1.0));
    REQUIRE(flood["hydrographs"].size() == 1);
    CHECK(flood["hydrographs"][0]["arrival_hours"].get<double>() == Approx(0.25).margin(0.05));

    // The library in a process whose C and C++ locales are German, as in a
    // program that adopts its environment's locale. SpatiaLite sets LC_NUMERIC
    // to "POSIX" whenever it opens a connection, so the locale is set once the
    // city is open.
    lantern::test::GlobalLocale german(lantern::test::german_locale);
    REQUIRE(std::strtod("1.5", nullptr) == 1.0);  // the C library reads "1.5" as 1
    CHECK(lookup_on_the_plain(*storage).value_or("no answer") == *answer_in_c);
    layers::FloodOptions options;
    options.stages.push_back(layers::parse_stage("1.5"));
    options.hydrograph = gauge;
    options.log = false;
    CHECK(layers::run_flood(*storage, options) == in_c);
    CHECK(std::strtod("1.5", nullptr) == 1.0);  // and still does: nothing reset the locale on the way
}
