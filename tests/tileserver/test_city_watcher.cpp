// The server reads the city again beside what it serves: a request during a
// read is answered from the city as it was, the new state is swapped in once
// it is ready, and a read that fails leaves the old state served and is
// tried again. No timing: the read under way is held by the test.

#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include <lantern/tileserver/city_watcher.hpp>
#include <lantern/tileserver/lookup_api.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

namespace {

// A city of one ward, and the parcel in it that each later import puts there.
struct WardCity {
    TempDir dir;
    std::string city = city_location(dir, "city.sqlite");

    WardCity()
    {
        new_city(dir).reset();
        write_collection(dir.file("ward.geojson"),
                         {square_feature(108.32, 15.87, 0.01, R"({"ward_code":"W-1","name":"Minh An","kind":"ward"})")});
        REQUIRE(run_lantern({"import", city, "wards", dir.file("ward.geojson"), "-q"}).exit_code == 0);
    }

    void add_parcel(const std::string& id = "P-1", double lon = 108.325) const
    {
        write_collection(dir.file("parcel.geojson"),
                         {square_feature(lon, 15.875, 0.001, R"({"parcel_id":")" + id + R"(","land_use":"ODT"})")});
        REQUIRE(run_lantern({"import", city, "parcels", dir.file("parcel.geojson"), "--replace", "-q"}).exit_code == 0);
    }
};

json parcel_at_the_square(tileserver::LookupApi& api)
{
    auto target = tileserver::parse_request_target("/api/lookup?lon=108.3255&lat=15.8755");
    REQUIRE(target);
    auto response = api.lookup(*target);
    REQUIRE(response.result() == tileserver::http::status::ok);
    return json::parse(response.body())["parcel"];
}

}  // namespace

TEST_CASE("a lookup is answered from the city as it was while the server reads it again")
{
    WardCity town;
    std::promise<void> reading, release;
    auto released = release.get_future().share();
    int builds = 0;
    tileserver::LookupApi api(town.city, [&](const core::Storage& storage, const layers::CityLookup* previous) {
        if (++builds == 2) {  // the read after the import: held until the test lets it go
            reading.set_value();
            released.wait();
        }
        return tileserver::LookupApi::build_city_lookup(storage, previous);
    });
    CHECK(parcel_at_the_square(api).is_null());

    town.add_parcel();
    std::thread reload([&] { api.reload(); });
    reading.get_future().wait();
    // The read cannot finish: an answer now is the old city's, not a wait.
    CHECK(parcel_at_the_square(api).is_null());
    release.set_value();
    reload.join();
    CHECK(parcel_at_the_square(api)["parcel_id"] == "P-1");
    CHECK(builds == 2);
}

TEST_CASE("the city watcher reloads once per commit, and a reload that failed is tried again")
{
    WardCity town;
    std::atomic<int> calls{0};
    std::atomic<bool> fail_next{false};
    tileserver::CityWatcher watcher(town.city, std::chrono::milliseconds(10), {[&] {
                                        ++calls;
                                        if (fail_next.exchange(false))
                                            throw std::runtime_error("the disk is busy");
                                    }});
    watcher.start();
    auto wait_for_changes = [&](std::uint64_t n) {
        for (int i = 0; i < 3000 && watcher.changes_taken() < n; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return watcher.changes_taken();
    };

    town.add_parcel();
    REQUIRE(wait_for_changes(1) == 1);
    CHECK(calls == 1);

    // The next commit's first reload fails: the change is taken in on a
    // later try, once.
    fail_next = true;
    town.add_parcel("P-2", 108.322);
    REQUIRE(wait_for_changes(2) == 2);
    CHECK(calls == 3);
    watcher.stop();
    CHECK(watcher.changes_taken() == 2);
}
