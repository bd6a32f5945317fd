#pragma once
// Keeps what the server answers from in step with the city database without
// making a request wait: a thread of its own looks at the city's change
// counter every interval and, once another process has committed to the city
// (an import, an analysis result), calls each reload in turn. A reload builds
// the new state beside the one served and swaps it in, so requests go on
// with the city as it was until the new one is ready.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lantern::core {
class Storage;
}

namespace lantern::tileserver {

class CityWatcher {
public:
    using Reload = std::function<void()>;

    // Opens the city and reads its change counter: build the state the
    // reloads keep after this and start() once it is built, so that no
    // commit in between is missed.
    CityWatcher(std::string city_path, std::chrono::milliseconds interval, std::vector<Reload> reloads);
    ~CityWatcher();  // stops the thread and waits for it
    CityWatcher(const CityWatcher&) = delete;
    CityWatcher& operator=(const CityWatcher&) = delete;

    void start();
    // Stops the thread and waits for it; the destructor does too.
    void stop();

    // How many changes have been taken in (every reload done) since start.
    std::uint64_t changes_taken() const;

private:
    void run(std::stop_token stop);
    // Every reload once; false (and a line on stderr) when one failed, to
    // be tried again at the next interval.
    bool reload_all();

    std::string m_city_path;
    std::chrono::milliseconds m_interval;
    std::vector<Reload> m_reloads;
    // Its own connection: SQLite's data_version compares only within one.
    std::unique_ptr<core::Storage> m_storage;
    std::int64_t m_seen = 0;  // the counter when the state was last built
    mutable std::mutex m_mutex;
    std::condition_variable_any m_wake;
    std::uint64_t m_changes_taken = 0;
    std::jthread m_thread;
};

}  // namespace lantern::tileserver
