#include <lantern/core/base/parallel.hpp>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace lantern::core {

namespace {

// Chunks per thread when the caller names no grain: enough that a thread
// slowed by another process hands its share to the others, few enough that
// a chunk of grid rows stays a long run of memory.
constexpr std::size_t chunks_per_thread = 8;

// One parallel_for: its chunks are claimed by number, by the caller and by
// the helper tasks it queued, whichever come.
struct Job {
    const std::function<void(std::size_t, std::size_t)>* work;
    std::size_t count, grain, chunks;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> finished{0};
    std::atomic<bool> failed{false};
    std::exception_ptr failure;
    std::mutex mutex;
    std::condition_variable done;

    // Runs chunks until none is left unclaimed.
    void run()
    {
        while (true) {
            std::size_t chunk = next.fetch_add(1);
            if (chunk >= chunks)
                return;
            if (!failed.load()) {  // after a failure the rest are only counted
                try {
                    std::size_t begin = chunk * grain;
                    (*work)(begin, std::min(count, begin + grain));
                } catch (...) {
                    std::lock_guard lock(mutex);
                    if (!failure)
                        failure = std::current_exception();
                    failed = true;
                }
            }
            if (finished.fetch_add(1) + 1 == chunks) {
                std::lock_guard lock(mutex);
                done.notify_all();
            }
        }
    }

    void wait()
    {
        std::unique_lock lock(mutex);
        done.wait(lock, [&] { return finished.load() == chunks; });
    }
};

unsigned one_per_core()
{
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace

struct ThreadPool::State {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<std::function<void()>> tasks;
    std::vector<std::thread> threads;
    bool stopping = false;

    void work()
    {
        while (true) {
            std::function<void()> task;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [&] { return stopping || !tasks.empty(); });
                if (stopping)
                    return;
                task = std::move(tasks.front());
                tasks.pop_front();
            }
            task();
        }
    }
};

ThreadPool::ThreadPool(unsigned workers) : m_state(std::make_unique<State>())
{
    for (unsigned i = 0; i < workers; ++i)
        m_state->threads.emplace_back([state = m_state.get()] { state->work(); });
}

ThreadPool::~ThreadPool()
{
    stop();
}

unsigned ThreadPool::workers() const
{
    return static_cast<unsigned>(m_state->threads.size());
}

void ThreadPool::stop()
{
    {
        std::lock_guard lock(m_state->mutex);
        m_state->stopping = true;
        m_state->tasks.clear();
    }
    m_state->wake.notify_all();
    for (auto& thread : m_state->threads)
        if (thread.joinable())
            thread.join();
    m_state->threads.clear();
}

void ThreadPool::submit(std::function<void()> task)
{
    {
        std::lock_guard lock(m_state->mutex);
        if (!m_state->threads.empty() && !m_state->stopping) {
            m_state->tasks.push_back(std::move(task));
            m_state->wake.notify_one();
            return;
        }
    }
    task();
}

void ThreadPool::parallel_for(std::size_t count, const std::function<void(std::size_t, std::size_t)>& work,
                              ParallelOptions options)
{
    if (count == 0)
        return;
    unsigned threads = workers() + 1;
    if (options.threads > 0)
        threads = std::min(threads, options.threads);
    std::size_t grain = options.grain;
    if (grain == 0) {
        std::size_t wanted = std::size_t{threads} * chunks_per_thread;
        grain = std::max<std::size_t>(1, (count + wanted - 1) / wanted);
    }
    std::size_t chunks = (count + grain - 1) / grain;
    if (threads == 1 || chunks == 1) {
        for (std::size_t begin = 0; begin < count; begin += grain)
            work(begin, std::min(count, begin + grain));
        return;
    }
    auto job = std::make_shared<Job>();
    job->work = &work;
    job->count = count;
    job->grain = grain;
    job->chunks = chunks;
    // A helper that starts after the chunks are gone finds none and returns:
    // the job outlives the call, the work is not touched again.
    auto helpers = static_cast<unsigned>(std::min<std::size_t>(threads - 1, chunks - 1));
    {
        std::lock_guard lock(m_state->mutex);
        if (!m_state->stopping)
            for (unsigned i = 0; i < helpers; ++i)
                m_state->tasks.push_back([job] { job->run(); });
    }
    m_state->wake.notify_all();
    job->run();
    job->wait();
    if (job->failure)
        std::rethrow_exception(job->failure);
}

namespace {

std::mutex default_mutex;
unsigned default_count = 0;  // 0: not set, one per core
std::unique_ptr<ThreadPool> default_instance;

}  // namespace

void set_default_threads(unsigned threads)
{
    std::lock_guard lock(default_mutex);
    default_count = threads;
    unsigned wanted = threads > 0 ? threads : one_per_core();
    if (default_instance && default_instance->workers() != wanted - 1)
        default_instance.reset();
}

unsigned default_threads()
{
    std::lock_guard lock(default_mutex);
    return default_count > 0 ? default_count : one_per_core();
}

ThreadPool& default_pool()
{
    std::lock_guard lock(default_mutex);
    if (!default_instance)
        default_instance = std::make_unique<ThreadPool>((default_count > 0 ? default_count : one_per_core()) - 1);
    return *default_instance;
}

}  // namespace lantern::core
