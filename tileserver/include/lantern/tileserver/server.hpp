#pragma once
// `lantern serve`: the city's vector tiles over HTTP/1.1, or HTTPS only
// when given a certificate and key (OpenSSL through Asio). Boost.Beast on
// Asio: io threads read and write connections (each thread its own
// io_context, each connection on one thread from accept to close),
// tiles render on a separate pool, so a slow render never holds up a cached
// answer. Read-only on the city database unless device status writes are on
// (--writable); another process may import while it serves (SQLite's
// write-ahead log keeps readers reading).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <lantern/tileserver/device_api.hpp>

namespace lantern::tileserver {

struct ServerOptions {
    std::string bind = "127.0.0.1";  // an IP address, or localhost
    unsigned short port = 8080;       // 0: a free port the system picks
    unsigned threads = 0;             // io threads and as many render threads; 0: core::default_threads()
    std::size_t cache_bytes = std::size_t{256} * 1024 * 1024;
    // Glyph ranges kept in memory (glyph_api.hpp); one is some 50 kB.
    std::size_t glyph_cache_bytes = std::size_t{16} * 1024 * 1024;
    // A request must arrive whole within this; an idle keep-alive connection
    // is closed after it.
    std::chrono::milliseconds read_timeout{30000};
    // A response must be written whole within this.
    std::chrono::milliseconds write_timeout{30000};
    std::uint32_t header_limit = 16 * 1024;  // larger request headers: 431
    std::uint64_t body_limit = 64 * 1024;    // larger request bodies: 413
    // Connections one client address may have open at once; more are
    // closed at accept. Loopback addresses (the host itself, such as a proxy
    // in front) have no cap. 0: no cap for any (a proxy on another host).
    std::size_t max_connections_per_client = 256;
    // The portal's files (portal.hpp); empty: the source tree's.
    std::string portal_directory;
    // PEM files of the certificate chain and its private key: both given,
    // the port speaks HTTPS only (TLS 1.2 and later); both empty, plain HTTP.
    std::string tls_certificate;
    std::string tls_key;
    // Device status writes from the operations centre: off unless writable.
    DeviceApiOptions devices;
};

class Server {
public:
    // Opens the city (StorageError when it is missing or not a city
    // database), loads the TLS certificate and key when given (UsageError
    // when only one is; FileError or DataError naming a file it cannot
    // use) and starts listening (UsageError when the address is bad or
    // taken). Connections queue until run().
    Server(const std::string& city_path, const ServerOptions& options);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // "http://127.0.0.1:8080" ("https://" with TLS): where it listens, with the port it got.
    std::string url() const;
    std::string city_name() const;
    // The first tile layer with features (for the start-up line); empty when none has.
    std::string example_layer() const;

    // Serves until SIGINT, SIGTERM or stop().
    void run();
    // Thread-safe; run() returns soon after.
    void stop();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace lantern::tileserver
