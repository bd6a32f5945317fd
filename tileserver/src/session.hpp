#pragma once
// One client connection: reads a request (within the limits), hands it to
// the service, writes the response, and reads the next while the client
// keeps the connection alive. A connection stays on the io thread it was
// dealt to for its whole life, so its handlers need no strand.
// The session is a template on its stream, a plain socket or TLS over one,
// chosen at accept: plain connections pay nothing for TLS, and both share
// every limit and deadline.

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/asio/basic_waitable_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/metrics.hpp>
#include <lantern/tileserver/service.hpp>

#include "client_slots.hpp"

namespace lantern::tileserver::detail {

struct SessionLimits {
    std::chrono::milliseconds read_timeout{30000};
    std::chrono::milliseconds write_timeout{30000};
    std::uint32_t header_limit = 16 * 1024;
    std::uint64_t body_limit = 64 * 1024;
};

// The most a connection's read buffer holds: the header limit and a little
// more (session.cpp says why).
std::size_t read_buffer_limit(const SessionLimits& limits);

// Sockets and timers bound to one io_context's executor: no type-erased
// executor on the way of every read and write.
using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp,
                                                boost::asio::io_context::executor_type>;
using Timer = boost::asio::basic_waitable_timer<std::chrono::steady_clock,
                                                boost::asio::wait_traits<std::chrono::steady_clock>,
                                                boost::asio::io_context::executor_type>;
// HTTPS: TLS over the socket (OpenSSL through Asio). Asio's stream, not
// beast::ssl_stream: Boost 1.74's flat_stream under it ends a gather write
// early once the first buffer is sent (it writes zero bytes), which cut
// every response over 16 KiB to its header.
using TlsStream = boost::asio::ssl::stream<Socket>;

// Stream: Socket or TlsStream (both instantiated in session.cpp).
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
public:
    Session(Stream stream, ClientSlots::Slot slot, Service& service, Metrics& metrics,
            const SessionLimits& limits);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    void start();

private:
    using Clock = std::chrono::steady_clock;
    static constexpr bool tls = std::is_same_v<Stream, TlsStream>;
    // What the deadline, when there is one, is waiting for.
    enum class Waiting { nothing, request, write, drain };

    void begin();
    void on_handshake(boost::beast::error_code ec, Clock::time_point deadline);
    void read(Clock::time_point deadline);
    void on_header(boost::beast::error_code ec);
    void on_read(boost::beast::error_code ec);
    void reject(http::status status, std::string_view message);
    void write(Response response, std::string route, bool linger_after);
    void on_write(boost::beast::error_code ec, std::size_t bytes);
    void linger();
    void drain();
    void drop_input();
    void close();

    void expect(Waiting what, Clock::time_point deadline);
    void watch(Clock::time_point when);
    void on_watch();

    Stream m_stream;
    ClientSlots::Slot m_slot;  // the client's place among its open connections
    boost::beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    Service& m_service;
    Metrics& m_metrics;
    SessionLimits m_limits;

    // The deadline is a time kept here; one timer per connection wakes at
    // most once per timeout to compare it with the clock, so a request
    // costs no timer operation.
    Timer m_watch;
    bool m_watching = false;  // a wait of m_watch is pending
    Waiting m_waiting = Waiting::nothing;
    Clock::time_point m_deadline;

    Response m_response;  // the one being written
    std::string m_head;   // its status line and header fields
    std::string m_route;
    bool m_linger_after = false;
    Clock::time_point m_started;
    std::array<char, 8192> m_discard{};
    std::size_t m_discarded = 0;
};

}  // namespace lantern::tileserver::detail
