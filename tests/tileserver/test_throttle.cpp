// The throttle on costly checks: one caller per interval.

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include <lantern/tileserver/throttle.hpp>

using lantern::tileserver::Throttle;

TEST_CASE("a throttle lets the first caller through and then no one within its interval")
{
    Throttle hourly(std::chrono::hours(1));
    CHECK(hourly.due());
    CHECK_FALSE(hourly.due());
    CHECK_FALSE(hourly.due());

    // Of many threads calling at once, exactly one goes.
    Throttle daily(std::chrono::hours(24));
    std::atomic<int> went{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 8; ++t)
        callers.emplace_back([&] {
            for (int i = 0; i < 1000; ++i)
                went += daily.due() ? 1 : 0;
        });
    for (auto& caller : callers)
        caller.join();
    CHECK(went == 1);
}

TEST_CASE("a throttle without an interval lets every caller in turn through")
{
    Throttle always(std::chrono::seconds(0));
    for (int i = 0; i < 100; ++i)
        REQUIRE(always.due());
}
