#pragma once
// Lets one caller through at most once per interval, without a lock: for a
// check too costly to make on every request (has another process written to
// the city database since?). The others go on with what they have.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace lantern::tileserver {

class Throttle {
public:
    explicit Throttle(std::chrono::steady_clock::duration interval) : m_interval(interval) {}

    // True for the first caller, then for one caller once the interval has
    // passed since the last true.
    bool due();

private:
    std::chrono::steady_clock::duration m_interval;
    std::atomic<std::int64_t> m_next{0};  // steady clock, in its ticks
};

}  // namespace lantern::tileserver
