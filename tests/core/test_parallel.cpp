// The thread pool against a serial loop: every index once, the same sums;
// the first exception reaches the caller; parallel_for inside parallel_for
// finishes; one thread runs everything inline on the caller.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <numeric>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <lantern/core/base/parallel.hpp>

using namespace lantern::core;

TEST_CASE("parallel_for visits every index once and gives a serial loop's results")
{
    ThreadPool pool(3);
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1000}, std::size_t{100003}}) {
        for (std::size_t grain : {std::size_t{0}, std::size_t{1}, std::size_t{64}}) {
            std::vector<std::uint64_t> squares(count, 0);
            std::vector<std::atomic<int>> visits(count);
            pool.parallel_for(
                count,
                [&](std::size_t begin, std::size_t end) {
                    for (std::size_t i = begin; i < end; ++i) {
                        squares[i] = static_cast<std::uint64_t>(i) * i;
                        ++visits[i];
                    }
                },
                {.grain = grain});
            std::vector<std::uint64_t> serial(count);
            for (std::size_t i = 0; i < count; ++i)
                serial[i] = static_cast<std::uint64_t>(i) * i;
            INFO("count " << count << ", grain " << grain);
            CHECK(squares == serial);
            CHECK(std::all_of(visits.begin(), visits.end(), [](const std::atomic<int>& v) { return v == 1; }));
        }
    }
}

TEST_CASE("parallel_for uses the pool's threads and the caller's, and no more than asked")
{
    ThreadPool pool(3);
    std::mutex mutex;
    std::set<std::thread::id> seen;
    auto record = [&](unsigned threads) {
        seen.clear();
        pool.parallel_for(
            64,
            [&](std::size_t, std::size_t) {
                {
                    std::lock_guard lock(mutex);
                    seen.insert(std::this_thread::get_id());
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            },
            {.grain = 1, .threads = threads});
        return seen;
    };
    auto all = record(0);
    // The caller and workers (all three, unless the machine is too busy to
    // wake them within the 80 ms the chunks take when shared four ways).
    CHECK(all.size() > 1);
    CHECK(all.size() <= 4);
    CHECK(all.count(std::this_thread::get_id()) == 1);
    CHECK(record(2).size() <= 2);
    auto one = record(1);
    REQUIRE(one.size() == 1);
    CHECK(*one.begin() == std::this_thread::get_id());
}

TEST_CASE("the first exception of the work reaches the caller and the pool keeps working")
{
    ThreadPool pool(2);
    std::atomic<std::size_t> ran{0};
    CHECK_THROWS_WITH(pool.parallel_for(
                          1000,
                          [&](std::size_t begin, std::size_t) {
                              ++ran;
                              if (begin == 500)
                                  throw std::runtime_error("chunk 500 failed");
                              if (begin > 500)  // slow enough that the failure is seen first
                                  std::this_thread::sleep_for(std::chrono::milliseconds(1));
                          },
                          {.grain = 1}),
                      "chunk 500 failed");
    CHECK(ran < 1000);  // the chunks not started when it failed were skipped
    std::atomic<std::size_t> sum{0};
    pool.parallel_for(100, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            sum += i;
    });
    CHECK(sum == 4950);
}

TEST_CASE("a parallel_for inside another's work finishes, on a pool smaller than the work")
{
    ThreadPool pool(1);
    std::vector<std::vector<int>> cells(16, std::vector<int>(200, 0));
    pool.parallel_for(
        cells.size(),
        [&](std::size_t begin, std::size_t end) {
            for (std::size_t row = begin; row < end; ++row)
                pool.parallel_for(
                    cells[row].size(),
                    [&](std::size_t b, std::size_t e) {
                        for (std::size_t col = b; col < e; ++col)
                            cells[row][col] = static_cast<int>(row * 1000 + col);
                    },
                    {.grain = 7});
        },
        {.grain = 1});
    for (std::size_t row = 0; row < cells.size(); ++row)
        for (std::size_t col = 0; col < cells[row].size(); ++col)
            REQUIRE(cells[row][col] == static_cast<int>(row * 1000 + col));
}

TEST_CASE("with one thread the work runs inline on the caller in index order")
{
    ThreadPool pool(0);
    auto caller = std::this_thread::get_id();
    std::vector<std::size_t> order;
    std::set<std::thread::id> ran_on_threads;
    pool.parallel_for(
        10,
        [&](std::size_t begin, std::size_t end) {
            ran_on_threads.insert(std::this_thread::get_id());
            for (std::size_t i = begin; i < end; ++i)
                order.push_back(i);
        },
        {.grain = 3});
    std::vector<std::size_t> expected(10);
    std::iota(expected.begin(), expected.end(), 0);
    CHECK(order == expected);
    CHECK(ran_on_threads == std::set<std::thread::id>{caller});

    std::thread::id ran_on;
    pool.submit([&] { ran_on = std::this_thread::get_id(); });
    CHECK(ran_on == caller);

    // The default pool follows the default thread count.
    set_default_threads(1);
    CHECK(default_threads() == 1);
    CHECK(default_pool().workers() == 0);
    std::set<std::thread::id> seen;
    parallel_for(100, [&](std::size_t) { seen.insert(std::this_thread::get_id()); });
    CHECK(seen == std::set<std::thread::id>{caller});
    set_default_threads(3);
    CHECK(default_pool().workers() == 2);
    set_default_threads(0);
    CHECK(default_threads() == std::max(1u, std::thread::hardware_concurrency()));
}

TEST_CASE("submitted tasks run on the workers")
{
    ThreadPool pool(2);
    std::mutex mutex;
    std::condition_variable done;
    int finished = 0;
    std::set<std::thread::id> seen;
    for (int i = 0; i < 8; ++i)
        pool.submit([&] {
            std::lock_guard lock(mutex);
            seen.insert(std::this_thread::get_id());
            ++finished;
            done.notify_all();
        });
    std::unique_lock lock(mutex);
    done.wait(lock, [&] { return finished == 8; });
    CHECK(seen.count(std::this_thread::get_id()) == 0);
    CHECK(seen.size() >= 1);
}
