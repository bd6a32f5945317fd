#pragma once
// Device status from the operations centre (docs/api.md, "Device status"):
//
//   GET /api/devices/summary                 online and working shares per
//                                            class and ward, streets dark and
//                                            unwatched (always served)
//   PUT /api/devices/{class}/{id}/status     {"status": "offline"}, with
//                                            Authorization: Bearer TOKEN
//                                            (only with --writable)
//
// Writes run one at a time on a thread of their own, never on an io
// thread: each is one transaction (status, audit line, the coverage it
// changes; layers/device_status.hpp), answered when it has committed. The
// city watcher then serves what changed like any other commit.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/access_tokens.hpp>
#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/routes.hpp>

namespace lantern::layers {
class DeviceStatusWriter;
}

namespace lantern::tileserver {

struct DeviceApiOptions {
    bool writable = false;  // the PUT route exists
    // Writes one token may make: this many a second on average, and this
    // many at once after a pause; more get 429.
    double writes_per_second = 10;
    double write_burst = 20;
    // Writes waiting for the writer at most; more get 429.
    std::size_t max_queued_writes = 64;
};

class DeviceApi {
public:
    using Respond = std::function<void(Response)>;

    // Reads the tokens and the summary; with writable, opens the city for
    // writing (StorageError when it cannot) and starts the writer.
    DeviceApi(std::string city_path, DeviceApiOptions options);
    ~DeviceApi();
    DeviceApi(const DeviceApi&) = delete;
    DeviceApi& operator=(const DeviceApi&) = delete;

    bool writable() const { return m_options.writable; }

    // Reads the tokens and the summary again (the city watcher, after a commit).
    void reload();

    // 200 with the summary's JSON.
    Response summary() const;

    // Answers through `respond`, at once for a refused request (401, 403,
    // 400, 429) or from the writer once the change has committed (200) or
    // was refused there (404, 400; 503 when the database stays locked).
    void put_status(const Request& request, const Route& route, const Respond& respond);

    // Stops the writer after the write in hand; queued ones get 503.
    void stop();

private:
    struct Write {
        std::string device_class, device, status, token;
        Respond respond;
    };
    // A token's allowance of writes (token bucket).
    struct Allowance {
        double left = 0;
        std::chrono::steady_clock::time_point at;
    };

    bool allow_write(const std::string& token);
    void run_writer();
    Response write(const Write& job);

    std::string m_city_path;
    DeviceApiOptions m_options;
    std::unique_ptr<core::Storage> m_storage;  // the reads' own connection
    std::atomic<std::shared_ptr<const layers::TokenRegister>> m_tokens;
    std::atomic<std::shared_ptr<const std::string>> m_summary;

    std::mutex m_allowance_mutex;
    std::map<std::string, Allowance> m_allowances;

    std::unique_ptr<layers::DeviceStatusWriter> m_writer;
    std::mutex m_queue_mutex;
    std::condition_variable m_queue_ready;
    std::deque<Write> m_queue;
    bool m_stopping = false;
    std::thread m_thread;
};

}  // namespace lantern::tileserver
