#pragma once
// The one way Lantern runs work in parallel: a pool of worker threads and a
// parallel_for over an index range cut into chunks, which the calling thread
// works on too. The process has a default pool of default_threads() threads
// (the caller's included), set once from --threads before any work starts
// (one per core unless told).
//
// parallel_for hands out chunks of consecutive indices as threads ask for
// them: rows of a grid go out in runs as OpenMP's static schedule would, while
// uneven items (a camera's sweep) can be given out one at a time. The first
// exception thrown by the work stops the chunks not yet started and is
// rethrown to the caller once the running ones end. A parallel_for inside
// another's work does not deadlock: its caller works through its own chunks
// and waits only for chunks that other threads are running. With one thread
// everything runs inline on the caller, in index order.

#include <cstddef>
#include <functional>
#include <memory>

namespace lantern::core {

struct ParallelOptions {
    std::size_t grain = 0;  // indices per chunk; 0: about eight chunks per thread
    unsigned threads = 0;   // at most this many threads, the caller's included; 0: all of the pool's
};

class ThreadPool {
public:
    // A pool of `workers` threads besides the callers'; none runs everything inline.
    explicit ThreadPool(unsigned workers);
    // Drops the tasks not started, waits for the running ones.
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    unsigned workers() const;

    // work(begin, end) over chunks covering [0, count), on the workers and the caller.
    void parallel_for(std::size_t count, const std::function<void(std::size_t, std::size_t)>& work,
                      ParallelOptions options = {});

    // Runs the task on a worker, later (inline when the pool has no worker).
    // A task's exception ends the process, as one escaping a thread would:
    // tasks handle their own errors.
    void submit(std::function<void()> task);

    // Drops the tasks not started and waits for the running ones; later
    // submissions run inline.
    void stop();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// The default thread count, the caller's thread included: 0 sets one per
// core. Call once, before any parallel work (the CLI does, from --threads).
void set_default_threads(unsigned threads);
unsigned default_threads();

// The process's pool, of default_threads() - 1 workers, made on first use.
ThreadPool& default_pool();

// work(begin, end) over chunks of [0, count) on the default pool.
inline void parallel_for_chunks(std::size_t count, const std::function<void(std::size_t, std::size_t)>& work,
                                ParallelOptions options = {})
{
    default_pool().parallel_for(count, work, options);
}

// work(i) for every i in [0, count) on the default pool.
template <typename Work>
void parallel_for(std::size_t count, Work&& work, ParallelOptions options = {})
{
    default_pool().parallel_for(
        count,
        [&](std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i)
                work(i);
        },
        options);
}

}  // namespace lantern::core
