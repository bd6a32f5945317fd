#pragma once
// One client connection: reads a request (within the limits), hands it to
// the service, writes the response, and reads the next while the client
// keeps the connection alive. Runs on its own strand.

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>

#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/metrics.hpp>
#include <lantern/tileserver/service.hpp>

namespace lantern::tileserver::detail {

struct SessionLimits {
    std::chrono::milliseconds read_timeout{30000};
    std::chrono::milliseconds write_timeout{30000};
    std::uint32_t header_limit = 16 * 1024;
    std::uint64_t body_limit = 64 * 1024;
};

class Session : public std::enable_shared_from_this<Session> {
public:
    Session(boost::asio::ip::tcp::socket socket, Service& service, Metrics& metrics,
            const SessionLimits& limits);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start();

private:
    void read();
    void on_read(boost::beast::error_code ec);
    void reject(http::status status, const char* message);
    void write(Response response, std::string route, bool linger_after);
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void linger();
    void drain();
    void close();

    boost::beast::tcp_stream m_stream;
    boost::beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    Service& m_service;
    Metrics& m_metrics;
    SessionLimits m_limits;

    Response m_response;  // the one being written
    std::string m_route;
    bool m_linger_after = false;
    std::chrono::steady_clock::time_point m_started;
    std::array<char, 8192> m_discard{};
    std::size_t m_discarded = 0;
};

}  // namespace lantern::tileserver::detail
