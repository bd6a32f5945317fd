#pragma once
// The server's counters, exposed at /metrics in the Prometheus text format
// (version 0.0.4): requests by route and status, a latency histogram per
// route, bytes sent, connections, timeouts, failed TLS handshakes and
// accept errors; the tile cache's and the tile set's numbers are added when
// the page is written.

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include <lantern/tileserver/tile_cache.hpp>

namespace lantern::tileserver {

class Metrics {
public:
    // Upper bounds of the latency histogram's buckets, in seconds.
    static constexpr std::array<double, 12> latency_buckets = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5};

    // One answered request and the time from its last byte read to its
    // response being ready to write.
    void record_request(std::string_view route, unsigned status, double seconds);
    void bytes_sent(std::uint64_t bytes);
    void connection_opened();
    void connection_closed();
    void read_timed_out();
    void write_failed();
    void accept_failed();
    // A TLS connection that ended before its handshake completed (not TLS,
    // no common version or cipher, the client gave up).
    void tls_handshake_failed();
    // A connection closed at accept: its client had --max-connections-per-client open.
    void connection_refused();

    // The whole /metrics page.
    std::string prometheus_text(const TileCacheStats& cache, std::uint64_t tiles_rendered) const;

private:
    struct Histogram {
        std::array<std::uint64_t, latency_buckets.size()> counts{};  // per bucket, not cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };

    mutable std::mutex m_mutex;
    std::map<std::pair<std::string, unsigned>, std::uint64_t> m_requests;
    std::map<std::string, Histogram, std::less<>> m_latency;
    std::uint64_t m_bytes_sent = 0;
    std::uint64_t m_connections_open = 0;
    std::uint64_t m_connections_total = 0;
    std::uint64_t m_read_timeouts = 0;
    std::uint64_t m_write_failures = 0;
    std::uint64_t m_accept_errors = 0;
    std::uint64_t m_connections_refused = 0;
    std::uint64_t m_tls_handshake_failures = 0;
};

}  // namespace lantern::tileserver
