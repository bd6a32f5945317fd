#include <lantern/tileserver/metrics.hpp>

#include <sstream>

namespace lantern::tileserver {

void Metrics::record_request(std::string_view route, unsigned status, double seconds)
{
    std::lock_guard lock(m_mutex);
    ++m_requests[{std::string(route), status}];
    auto found = m_latency.find(route);
    if (found == m_latency.end())
        found = m_latency.emplace(std::string(route), Histogram{}).first;
    auto& histogram = found->second;
    for (std::size_t i = 0; i < latency_buckets.size(); ++i)
        if (seconds <= latency_buckets[i]) {
            ++histogram.counts[i];
            break;
        }
    ++histogram.count;
    histogram.sum += seconds;
}

void Metrics::bytes_sent(std::uint64_t bytes)
{
    std::lock_guard lock(m_mutex);
    m_bytes_sent += bytes;
}

void Metrics::connection_opened()
{
    std::lock_guard lock(m_mutex);
    ++m_connections_open;
    ++m_connections_total;
}

void Metrics::connection_closed()
{
    std::lock_guard lock(m_mutex);
    --m_connections_open;
}

void Metrics::read_timed_out()
{
    std::lock_guard lock(m_mutex);
    ++m_read_timeouts;
}

void Metrics::write_failed()
{
    std::lock_guard lock(m_mutex);
    ++m_write_failures;
}

void Metrics::accept_failed()
{
    std::lock_guard lock(m_mutex);
    ++m_accept_errors;
}

void Metrics::tls_handshake_failed()
{
    std::lock_guard lock(m_mutex);
    ++m_tls_handshake_failures;
}

void Metrics::connection_refused()
{
    std::lock_guard lock(m_mutex);
    ++m_connections_refused;
}

namespace {

void header(std::ostream& out, const char* name, const char* type, const char* help)
{
    out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

}  // namespace

std::string Metrics::prometheus_text(const TileCacheStats& cache, std::uint64_t tiles_rendered) const
{
    std::ostringstream out;
    out.imbue(std::locale::classic());
    std::lock_guard lock(m_mutex);

    header(out, "lantern_http_requests_total", "counter", "HTTP requests answered, by route and status.");
    for (const auto& [key, count] : m_requests)
        out << "lantern_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second
            << "\"} " << count << '\n';

    header(out, "lantern_http_request_duration_seconds", "histogram",
           "Time from a request's last byte read to its response being ready to write.");
    for (const auto& [route, histogram] : m_latency) {
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
            cumulative += histogram.counts[i];
            out << "lantern_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\""
                << latency_buckets[i] << "\"} " << cumulative << '\n';
        }
        out << "lantern_http_request_duration_seconds_bucket{route=\"" << route
            << "\",le=\"+Inf\"} " << histogram.count << '\n'
            << "lantern_http_request_duration_seconds_sum{route=\"" << route << "\"} "
            << histogram.sum << '\n'
            << "lantern_http_request_duration_seconds_count{route=\"" << route << "\"} "
            << histogram.count << '\n';
    }

    header(out, "lantern_http_response_bytes_total", "counter", "Bytes of responses written, headers included.");
    out << "lantern_http_response_bytes_total " << m_bytes_sent << '\n';
    header(out, "lantern_http_connections_open", "gauge", "Client connections open now.");
    out << "lantern_http_connections_open " << m_connections_open << '\n';
    header(out, "lantern_http_connections_total", "counter", "Client connections accepted.");
    out << "lantern_http_connections_total " << m_connections_total << '\n';
    header(out, "lantern_http_read_timeouts_total", "counter",
           "Connections closed because a request did not arrive in time.");
    out << "lantern_http_read_timeouts_total " << m_read_timeouts << '\n';
    header(out, "lantern_http_write_failures_total", "counter",
           "Responses not delivered: the client went away or was too slow.");
    out << "lantern_http_write_failures_total " << m_write_failures << '\n';
    header(out, "lantern_http_accept_errors_total", "counter",
           "Failed accepts (such as too many open files), each retried.");
    out << "lantern_http_accept_errors_total " << m_accept_errors << '\n';
    header(out, "lantern_http_connections_refused_total", "counter",
           "Connections closed at accept: their client had as many open as allowed.");
    out << "lantern_http_connections_refused_total " << m_connections_refused << '\n';
    header(out, "lantern_http_tls_handshake_failures_total", "counter",
           "TLS connections closed before their handshake completed (with --tls-cert).");
    out << "lantern_http_tls_handshake_failures_total " << m_tls_handshake_failures << '\n';

    header(out, "lantern_tile_cache_hits_total", "counter", "Tiles served from the cache.");
    out << "lantern_tile_cache_hits_total " << cache.hits << '\n';
    header(out, "lantern_tile_cache_misses_total", "counter", "Tile requests that started a render.");
    out << "lantern_tile_cache_misses_total " << cache.misses << '\n';
    header(out, "lantern_tile_cache_waits_total", "counter",
           "Tile requests that waited for a render already in flight.");
    out << "lantern_tile_cache_waits_total " << cache.waits << '\n';
    header(out, "lantern_tile_cache_evictions_total", "counter", "Tiles evicted to stay within the cache size.");
    out << "lantern_tile_cache_evictions_total " << cache.evictions << '\n';
    header(out, "lantern_tile_render_failures_total", "counter", "Tile renders that failed (answered 500).");
    out << "lantern_tile_render_failures_total " << cache.failures << '\n';
    header(out, "lantern_tile_cache_entries", "gauge", "Tiles in the cache.");
    out << "lantern_tile_cache_entries " << cache.entries << '\n';
    header(out, "lantern_tile_cache_bytes", "gauge", "Bytes the cached tiles take.");
    out << "lantern_tile_cache_bytes " << cache.bytes << '\n';
    header(out, "lantern_tile_cache_max_bytes", "gauge", "The cache's size limit (--cache-mb).");
    out << "lantern_tile_cache_max_bytes " << cache.max_bytes << '\n';
    header(out, "lantern_tiles_rendered_total", "counter", "Tiles rendered from the city's data.");
    out << "lantern_tiles_rendered_total " << tiles_rendered << '\n';
    return out.str();
}

}  // namespace lantern::tileserver
