#include "session.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include <lantern/tileserver/http_headers.hpp>

namespace lantern::tileserver::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

// After an error answer the client may still be sending (a huge header, a
// body we refused): read and drop up to this much for up to this long so
// that closing does not reset the connection before the answer is read.
constexpr std::size_t max_drain_bytes = 16 * 1024 * 1024;
constexpr std::chrono::seconds max_drain_time{2};

// The read buffer holds a request's header, one chunk line or the trailer,
// each whole, and what a pipelining client sent after it. A header at the
// limit still fits, so it gets its 431; a chunk line or trailer that does
// not fit gets a 400. Nothing a client sends makes it grow further.
constexpr std::size_t read_buffer_margin = 4 * 1024;

// The status line and the header fields as the text that goes out before
// the body: written here in one pass rather than by Beast's serializer,
// whose buffer sequences cost more than the text itself.
void write_head(const Response& response, std::string& out)
{
    out.clear();
    out += response.version() == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(response.result_int());
    out += ' ';
    auto reason = response.reason();
    out += text(reason.empty() ? http::obsolete_reason(response.result()) : reason);
    out += "\r\n";
    for (const auto& field : response) {
        out += text(field.name_string());
        out += ": ";
        out += text(field.value());
        out += "\r\n";
    }
    out += "\r\n";
}

}  // namespace

template <class Stream>
Session<Stream>::Session(Stream stream, ClientSlots::Slot slot, Service& service, Metrics& metrics,
                         const SessionLimits& limits)
    : m_stream(std::move(stream)), m_slot(std::move(slot)), m_buffer(read_buffer_limit(limits)),
      m_service(service), m_metrics(metrics), m_limits(limits), m_watch(m_stream.get_executor())
{
    m_metrics.connection_opened();
}

std::size_t read_buffer_limit(const SessionLimits& limits)
{
    return std::size_t{limits.header_limit} + read_buffer_margin;
}

template <class Stream>
Session<Stream>::~Session()
{
    m_metrics.connection_closed();
}

template <class Stream>
void Session<Stream>::start()
{
    net::dispatch(m_stream.get_executor(), [self = this->shared_from_this()] { self->begin(); });
}

template <class Stream>
void Session<Stream>::begin()
{
    auto deadline = Clock::now() + m_limits.read_timeout;
    if constexpr (tls) {
        // The handshake counts towards the first request's deadline: a
        // client that connects and never says hello is cut off like a
        // silent one, and a slow handshake leaves less time for the request.
        expect(Waiting::request, deadline);
        m_stream.async_handshake(net::ssl::stream_base::server,
                                 [self = this->shared_from_this(), deadline](beast::error_code ec) {
                                     self->on_handshake(ec, deadline);
                                 });
    } else {
        read(deadline);
    }
}

template <class Stream>
void Session<Stream>::on_handshake(beast::error_code ec, Clock::time_point deadline)
{
    if (ec) {
        // Not TLS (plain HTTP, a scanner), no common protocol version or
        // cipher, or the client gave up: counted, never logged. A handshake
        // cut off by the deadline counts as a read timeout already.
        if (ec != net::error::operation_aborted)
            m_metrics.tls_handshake_failed();
        return close();
    }
    read(deadline);
}

template <class Stream>
void Session<Stream>::expect(Waiting what, Clock::time_point deadline)
{
    m_waiting = what;
    m_deadline = deadline;
    if (!m_watching || m_deadline < m_watch.expiry())
        watch(m_deadline);
}

template <class Stream>
void Session<Stream>::watch(Clock::time_point when)
{
    // Setting the expiry cancels a wait already pending; its handler sees
    // operation_aborted and does nothing.
    m_watch.expires_at(when);
    m_watching = true;
    m_watch.async_wait([weak = this->weak_from_this()](beast::error_code ec) {
        if (ec)
            return;
        if (auto self = weak.lock())
            self->on_watch();
    });
}

template <class Stream>
void Session<Stream>::on_watch()
{
    m_watching = false;
    if (m_waiting == Waiting::nothing)
        return;
    if (Clock::now() < m_deadline)
        return watch(m_deadline);
    if (m_waiting == Waiting::request)
        m_metrics.read_timed_out();
    // The pending read or write ends with operation_aborted and lets go of
    // the session.
    close();
}

template <class Stream>
void Session<Stream>::read(Clock::time_point deadline)
{
    m_parser.emplace();
    m_parser->header_limit(m_limits.header_limit);
    m_parser->body_limit(m_limits.body_limit);
    // One deadline for the whole request, not per byte: a client that
    // trickles bytes (slowloris) is cut off like a silent one.
    expect(Waiting::request, deadline);
    // The header first: whether and how the body is framed is checked
    // before a byte of it is read.
    http::async_read_header(m_stream, m_buffer, *m_parser,
                            [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                                self->on_header(ec);
                            });
}

template <class Stream>
void Session<Stream>::on_header(beast::error_code ec)
{
    // The body is read only when the header frames it one way; on_read
    // answers the rest.
    if (ec || m_parser->is_done() || header_problem(m_parser->get()))
        return on_read(ec);
    http::async_read(m_stream, m_buffer, *m_parser,
                     [self = this->shared_from_this()](beast::error_code read_ec, std::size_t) {
                         self->on_read(read_ec);
                     });
}

template <class Stream>
void Session<Stream>::on_read(beast::error_code ec)
{
    m_waiting = Waiting::nothing;
    m_started = Clock::now();
    if (ec == http::error::end_of_stream)
        return close();
    if (ec == http::error::header_limit)
        return reject(http::status::request_header_fields_too_large,
                      "the request's header is too large");
    if (ec == http::error::body_limit)
        return reject(http::status::payload_too_large, "the request's body is too large");
    if (ec == http::error::buffer_overflow)
        return reject(http::status::bad_request,
                      "a chunk line or the trailer of the request is too long");
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::partial_message)
        return reject(http::status::bad_request, "the request is not valid HTTP/1.1");
    if (ec)
        return close();  // the client went away, or the deadline passed
    // Checked on the whole message: Beast adds a chunked body's trailer
    // fields to the header, and a Host there is as wrong as in the header.
    if (auto problem = header_problem(m_parser->get()))
        return reject(problem->status, problem->message);

    auto request = m_parser->release();
    m_service.handle(request, [self = this->shared_from_this()](Response response, std::string_view route) {
        // A cached tile is answered on the session's thread, inside
        // on_read: written at once. A rendered one arrives from a render
        // worker and is queued to the session's io_context.
        net::dispatch(self->m_stream.get_executor(),
                      [self, response = std::move(response), route = std::string(route)]() mutable {
                          self->write(std::move(response), std::move(route), false);
                      });
    });
}

template <class Stream>
void Session<Stream>::reject(http::status status, std::string_view message)
{
    auto response = error_response(status, message);
    finish_response(response, 11, false, false);
    write(std::move(response), "invalid", true);
}

template <class Stream>
void Session<Stream>::write(Response response, std::string route, bool linger_after)
{
    m_response = std::move(response);
    m_route = std::move(route);
    m_linger_after = linger_after;
    // Counted before the first byte leaves, so a client that has its answer
    // finds it counted.
    auto now = Clock::now();
    std::chrono::duration<double> elapsed = now - m_started;
    m_metrics.record_request(m_route, m_response.result_int(), elapsed.count());
    expect(Waiting::write, now + m_limits.write_timeout);
    write_head(m_response, m_head);
    std::array<net::const_buffer, 2> message{net::buffer(m_head), net::buffer(m_response.body())};
    net::async_write(m_stream, message,
                     [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
                         self->on_write(ec, bytes);
                     });
}

template <class Stream>
void Session<Stream>::on_write(beast::error_code ec, std::size_t bytes)
{
    m_waiting = Waiting::nothing;
    m_metrics.bytes_sent(bytes);
    if (ec) {
        m_metrics.write_failed();
        return close();
    }
    if (m_linger_after)
        return linger();
    if (m_response.need_eof()) {
        // TLS says goodbye with a close_notify, sent and waited for like a drain.
        if constexpr (tls) {
            linger();
        } else {
            beast::error_code ignored;
            m_stream.shutdown(tcp::socket::shutdown_send, ignored);
        }
        return;
    }
    m_response = {};
    read(Clock::now() + m_limits.read_timeout);
}

template <class Stream>
void Session<Stream>::linger()
{
    expect(Waiting::drain, Clock::now() + std::min<Clock::duration>(max_drain_time, m_limits.read_timeout));
    if constexpr (tls) {
        // The close_notify goes out first. OpenSSL then waits for the
        // client's, but gives up at the first record of data: what the
        // client still sends is dropped beneath TLS, as on a plain connection.
        m_stream.async_shutdown([self = this->shared_from_this()](beast::error_code) {
            if (self->m_waiting == Waiting::drain)  // not closed by the deadline meanwhile
                self->drain();
        });
    } else {
        drain();
    }
}

template <class Stream>
void Session<Stream>::drain()
{
    auto& socket = beast::get_lowest_layer(m_stream);
    beast::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    drop_input();
}

template <class Stream>
void Session<Stream>::drop_input()
{
    beast::get_lowest_layer(m_stream).async_read_some(
        net::buffer(m_discard), [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
            self->m_discarded += bytes;
            if (ec || self->m_discarded > max_drain_bytes)
                return self->close();
            self->drop_input();
        });
}

template <class Stream>
void Session<Stream>::close()
{
    m_waiting = Waiting::nothing;
    beast::error_code ignored;
    m_watch.cancel();
    auto& socket = beast::get_lowest_layer(m_stream);
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
}

template class Session<Socket>;
template class Session<TlsStream>;

}  // namespace lantern::tileserver::detail
