#include "coverage_internal.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace lantern::layers::coverage {

void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work)
{
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto run = [&] {
        try {
            for (std::size_t i = next++; i < count; i = next++)
                work(i);
        } catch (...) {
            std::lock_guard lock(failure_mutex);
            if (!failure)
                failure = std::current_exception();
            next = count;  // the others stop at their next index
        }
    };
    unsigned wanted = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    auto pool_size = static_cast<unsigned>(std::min<std::size_t>(wanted, std::max<std::size_t>(1, count)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < pool_size; ++t)
        pool.emplace_back(run);
    run();
    for (auto& thread : pool)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
}

}  // namespace lantern::layers::coverage
