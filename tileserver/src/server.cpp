#include <lantern/tileserver/server.hpp>

#include <sys/resource.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/executor_work_guard.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/parallel.hpp>
#include <lantern/layers/tiles.hpp>
#include <lantern/tileserver/service.hpp>

#include "session.hpp"
#include "tls_context.hpp"

namespace lantern::tileserver {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// How long to wait before accepting again after a failed accept (too many
// open files, out of memory): long enough not to spin, short enough that
// clients barely notice.
constexpr std::chrono::milliseconds accept_retry_delay{100};
// Accept errors come in bursts: one line per burst, at most one a minute.
constexpr std::chrono::minutes accept_log_interval{1};

void log(const std::string& message)
{
    std::cerr << ("lantern serve: " + message + '\n') << std::flush;
}

// Every connection takes a file descriptor: use all the system allows
// (the hard limit) rather than the usual soft 1024.
void raise_open_file_limit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

net::ip::address listen_address(const std::string& bind)
{
    if (bind == "localhost")
        return net::ip::address_v4::loopback();
    boost::system::error_code ec;
    auto address = net::ip::make_address(bind, ec);
    if (ec)
        throw core::UsageError("--bind " + bind + " is not an IP address (such as 127.0.0.1 or ::)");
    return address;
}

// host:port for URLs; a wildcard address is reached through the loopback.
std::string url_host(net::ip::address address, unsigned short port)
{
    if (address.is_unspecified())
        address = address.is_v6() ? net::ip::address(net::ip::address_v6::loopback())
                                  : net::ip::address(net::ip::address_v4::loopback());
    auto host = address.to_string();
    if (address.is_v6())
        host = '[' + host + ']';
    return host + ':' + std::to_string(port);
}

std::optional<net::ssl::context> tls_context(const ServerOptions& options)
{
    if (options.tls_certificate.empty() != options.tls_key.empty())
        throw core::UsageError(options.tls_certificate.empty()
                                   ? "--tls-key needs --tls-cert, the certificate of the key"
                                   : "--tls-cert needs --tls-key, the private key of the certificate");
    if (options.tls_certificate.empty())
        return std::nullopt;
    return detail::make_tls_context(options.tls_certificate, options.tls_key);
}

}  // namespace

struct Server::State {
    State(const std::string& city_path, const ServerOptions& options)
        : threads(options.threads ? options.threads : core::default_threads()),
          tiles(city_path),
          render_pool(threads),
          cache(options.cache_bytes,
                [this](std::function<void()> job) { render_pool.submit(std::move(job)); }),
          glyph_cache(options.glyph_cache_bytes,
                      [this](std::function<void()> job) { render_pool.submit(std::move(job)); }),
          client_slots(options.max_connections_per_client),
          tls(tls_context(options)),
          io(threads),
          acceptor(io.front().context),
          signals(io.front().context, SIGINT, SIGTERM),
          retry_timer(io.front().context)
    {
        limits.read_timeout = options.read_timeout;
        limits.write_timeout = options.write_timeout;
        limits.header_limit = options.header_limit;
        limits.body_limit = options.body_limit;
        raise_open_file_limit();

        tcp::endpoint endpoint(listen_address(options.bind), options.port);
        boost::system::error_code ec;
        acceptor.open(endpoint.protocol(), ec);
        if (!ec)
            acceptor.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec)
            acceptor.bind(endpoint, ec);
        if (!ec)
            acceptor.listen(net::socket_base::max_listen_connections, ec);
        if (ec)
            throw core::UsageError("cannot listen on " + url_host(endpoint.address(), options.port) +
                                   ": " + ec.message());
        host = url_host(endpoint.address(), acceptor.local_endpoint().port());
        ServiceOptions service_options;
        service_options.city_path = city_path;
        service_options.fallback_host = host;
        service_options.devices = options.devices;
        service_options.submit = [this](std::function<void()> job) { render_pool.submit(std::move(job)); };
        service_options.scheme = scheme();
        if (!options.portal_directory.empty())
            service_options.portal_directory = options.portal_directory;
        service.emplace(tiles, cache, glyph_cache, metrics, std::move(service_options));
        if (!service->portal_problem().empty())
            log("the portal page is not served: " + service->portal_problem());
    }

    ~State()
    {
        // Renders in flight finish; their answers and the waiting requests
        // are dropped before the connections they belong to are.
        render_pool.stop();
        cache.drop_waiters();
        glyph_cache.drop_waiters();
    }

    void accept()
    {
        // Connections are dealt to the io threads in turn.
        auto& context = io[next_io++ % io.size()].context;
        acceptor.async_accept(context, [this](boost::system::error_code ec, detail::Socket socket) {
            if (ec == net::error::operation_aborted)
                return;
            if (ec) {
                // Too many open files and the like pass when connections
                // close: report it once, wait a little, keep accepting.
                metrics.accept_failed();
                auto now = std::chrono::steady_clock::now();
                if (!last_accept_log || now - *last_accept_log > accept_log_interval) {
                    log("cannot accept a connection (" + ec.message() + "); retrying every " +
                        std::to_string(accept_retry_delay.count()) +
                        " ms (lantern_http_accept_errors_total counts them)");
                    last_accept_log = now;
                }
                retry_timer.expires_after(accept_retry_delay);
                retry_timer.async_wait([this](boost::system::error_code wait_ec) {
                    if (!wait_ec)
                        accept();
                });
                return;
            }
            start_session(std::move(socket));
            accept();
        });
    }

    // A client already at its cap of connections gets this one closed at
    // once: one address cannot take every descriptor the server has.
    void start_session(detail::Socket socket)
    {
        boost::system::error_code ec;
        auto client = socket.remote_endpoint(ec);
        if (ec)
            return;  // gone already
        auto slot = client_slots.take(client.address());
        if (!slot) {
            metrics.connection_refused();
            return;
        }
        try {
            socket.set_option(tcp::no_delay(true), ec);
            if (tls)
                std::make_shared<detail::Session<detail::TlsStream>>(
                    detail::TlsStream(std::move(socket), *tls), std::move(*slot), *service, metrics, limits)
                    ->start();
            else
                std::make_shared<detail::Session<detail::Socket>>(std::move(socket), std::move(*slot),
                                                                  *service, metrics, limits)
                    ->start();
        } catch (const std::exception& e) {
            log(std::string("cannot start a connection: ") + e.what());
        }
    }

    std::string scheme() const { return tls ? "https" : "http"; }

    static void run_io(net::io_context& context)
    {
        while (true) {
            try {
                context.run();
                return;
            } catch (const std::exception& e) {
                log(std::string("a connection failed: ") + e.what());
            }
        }
    }

    unsigned threads;
    layers::TileSet tiles;
    Metrics metrics;
    // Renders on a pool of their own: the io threads are the event loop and
    // never wait on a parallel_for, so every render thread is a worker.
    core::ThreadPool render_pool;
    TileCache cache;
    TileCache glyph_cache;
    // Before the io threads: the sessions they destroy give their slots back here.
    detail::ClientSlots client_slots;
    // With --tls-cert: shared by every connection's TLS stream.
    std::optional<net::ssl::context> tls;
    // One io_context per io thread: a connection's handlers all run on
    // the thread it was dealt to, with no strand, and a thread never wakes
    // another to hand over a ready socket.
    struct IoThread {
        net::io_context context{1};
        // Keeps run() going while the thread has no connection.
        net::executor_work_guard<net::io_context::executor_type> work{context.get_executor()};
    };
    std::vector<IoThread> io;
    std::size_t next_io = 0;
    tcp::acceptor acceptor;
    net::signal_set signals;
    net::steady_timer retry_timer;
    detail::SessionLimits limits;
    std::string host;
    std::optional<Service> service;
    std::optional<std::chrono::steady_clock::time_point> last_accept_log;
};

Server::Server(const std::string& city_path, const ServerOptions& options)
    : m_state(std::make_unique<State>(city_path, options))
{
}

Server::~Server() = default;

std::string Server::url() const
{
    return m_state->scheme() + "://" + m_state->host;
}

std::string Server::city_name() const
{
    return m_state->tiles.city_name();
}

std::string Server::example_layer() const
{
    for (const auto& layer : m_state->tiles.layers())
        if (layer.feature_count > 0)
            return layer.name;
    return {};
}

void Server::run()
{
    auto& state = *m_state;
    state.signals.async_wait([this](boost::system::error_code ec, int) {
        if (!ec)
            stop();
    });
    state.accept();
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < state.io.size(); ++i)
        threads.emplace_back([&context = state.io[i].context] { State::run_io(context); });
    State::run_io(state.io.front().context);
    for (auto& thread : threads)
        thread.join();
}

void Server::stop()
{
    for (auto& thread : m_state->io)
        thread.context.stop();
}

}  // namespace lantern::tileserver
