#include <iostream>

#include <lantern/tileserver/server.hpp>

#include "command.hpp"

namespace lantern::cli {

namespace {

class ServeCommand : public Command {
public:
    std::string name() const override { return "serve"; }
    std::string summary() const override
    {
        return "Serve the planning portal, the lookup API, OGC API - Features and the city's "
               "vector tiles over HTTP (docs/tileserver.md, docs/portal.md)";
    }

    void setup(CLI::App& app, GlobalOptions&) override
    {
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("--bind", m_options.bind, "IP address to listen on (0.0.0.0: every interface)")
            ->capture_default_str();
        app.add_option("--port", m_options.port, "TCP port; 0 picks a free one")
            ->capture_default_str();
        add_threads_option(app, m_options.threads, "threads for connections and as many for rendering tiles");
        app.add_option("--cache-mb", m_cache_mb, "memory for rendered tiles, in MiB (0: no cache)")
            ->capture_default_str()
            ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 20));
        app.add_option("--portal", m_options.portal_directory,
                       "folder of the portal's files (default: the source tree's tileserver/portal)");
        app.add_option("--read-timeout-ms", m_read_timeout_ms,
                       "a request must arrive within this; idle connections close after it")
            ->capture_default_str()
            ->check(CLI::Range(1, 3600 * 1000));
        app.add_option("--write-timeout-ms", m_write_timeout_ms,
                       "a response must be written within this")
            ->capture_default_str()
            ->check(CLI::Range(1, 3600 * 1000));
        app.add_option("--max-connections-per-client", m_options.max_connections_per_client,
                       "connections one client address other than loopback may have open; more "
                       "are closed at once (0: no cap, for a proxy on another host)")
            ->capture_default_str()
            ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 20));
        auto* cert = app.add_option("--tls-cert", m_options.tls_certificate,
                                    "serve HTTPS only, with this PEM certificate chain (the server's "
                                    "certificate first); needs --tls-key")
                         ->type_name("FILE");
        auto* key = app.add_option("--tls-key", m_options.tls_key,
                                   "the PEM private key of --tls-cert (unencrypted); needs --tls-cert")
                        ->type_name("FILE");
        cert->needs(key);
        key->needs(cert);
        app.add_flag("--writable", m_options.devices.writable,
                     "accept device status changes: PUT /api/devices/CLASS/ID/status with a token from "
                     "lantern tokens add (docs/api.md); opens the city for writing");
        app.add_option("--writes-per-second", m_options.devices.writes_per_second,
                       "device status changes one token may make a second, on average; more get 429")
            ->capture_default_str()
            ->check(CLI::Range(0.1, 10000.0));
    }

    int run() override
    {
        m_options.cache_bytes = m_cache_mb * 1024 * 1024;
        m_options.read_timeout = std::chrono::milliseconds(m_read_timeout_ms);
        m_options.write_timeout = std::chrono::milliseconds(m_write_timeout_ms);
        tileserver::Server server(m_city, m_options);

        // One line, flushed, that scripts read the URL from.
        auto url = server.url();
        std::cout << "Serving " << server.city_name() << ": portal " << url << "/ - catalog " << url
                  << "/catalog";
        if (auto layer = server.example_layer(); !layer.empty())
            std::cout << ", TileJSON " << url << "/tiles/" << layer << ".json";
        if (m_options.devices.writable)
            std::cout << "; device status writes on";
        std::cout << " (Ctrl-C stops)" << std::endl;

        server.run();
        std::cout << "Stopped" << std::endl;
        return 0;
    }

private:
    std::string m_city;
    tileserver::ServerOptions m_options;
    std::size_t m_cache_mb = 256;
    int m_read_timeout_ms = 30000;
    int m_write_timeout_ms = 30000;
};

}  // namespace

std::unique_ptr<Command> make_serve_command()
{
    return std::make_unique<ServeCommand>();
}

}  // namespace lantern::cli
