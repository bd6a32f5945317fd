#include <lantern/tileserver/throttle.hpp>

namespace lantern::tileserver {

bool Throttle::due()
{
    auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    auto next = m_next.load(std::memory_order_relaxed);
    if (now < next)
        return false;
    // Of the callers that find it due, the one that moves it on goes.
    return m_next.compare_exchange_strong(next, now + m_interval.count(), std::memory_order_relaxed);
}

}  // namespace lantern::tileserver
