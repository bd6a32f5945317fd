#pragma once
// The tile server's HTTP application: answers one parsed request through
// the routing table (routes.hpp). It knows no socket; the session
// (server.hpp) reads requests, hands them here and writes what comes back.
//
//   GET/HEAD /health, /metrics, /catalog, /tiles/LAYERS.json, /tiles/LAYERS/Z/X/Y.mvt,
//            /api/lookup, /api/parcels/ID, /api/search (lookup_api.hpp),
//            /api/openapi.json (openapi.hpp), /ogc/... (ogc_api.hpp),
//            / and /portal/FILE (portal.hpp), /api/devices/summary,
//            /fonts and /fonts/STACK/RANGE.pbf (glyph_api.hpp)
//   PUT      /api/devices/CLASS/ID/status, when writable (device_api.hpp)
//   POST     /api/permit-check (permit_api.hpp)
//   OPTIONS  any path: the CORS preflight
//   others   405

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/tiles.hpp>
#include <lantern/tileserver/attribution.hpp>
#include <lantern/tileserver/city_watcher.hpp>
#include <lantern/tileserver/device_api.hpp>
#include <lantern/tileserver/glyph_api.hpp>
#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/lookup_api.hpp>
#include <lantern/tileserver/metrics.hpp>
#include <lantern/tileserver/ogc_api.hpp>
#include <lantern/tileserver/permit_api.hpp>
#include <lantern/tileserver/portal.hpp>
#include <lantern/tileserver/routes.hpp>
#include <lantern/tileserver/tile_cache.hpp>

namespace lantern::tileserver {

struct ServiceOptions {
    std::string city_path;
    // host[:port] for absolute URLs when a request's Host header is missing
    // or is not a plain host and port.
    std::string fallback_host = "127.0.0.1";
    // The scheme of absolute URLs: "https" when the server speaks TLS.
    std::string scheme = "http";
    // How often the city watcher looks for changes to the database (an
    // import, a new result); what a change touches is read again beside
    // what is served and swapped in (city_watcher.hpp).
    std::chrono::milliseconds change_check_interval{100};
    // Where the portal's files are (portal.hpp).
    std::string portal_directory = default_portal_directory();
    // Device status writes (device_api.hpp): off unless writable.
    DeviceApiOptions devices;
    // Runs work too long for an io thread (a permit check) on the render
    // pool; empty: on the calling thread.
    PermitApi::Submit submit;
};

class Service {
public:
    // Called exactly once per request with the response and the route's
    // metrics label, on the calling thread or (a tile rendered now) on a
    // render worker.
    using Respond = std::function<void(Response, std::string_view route)>;

    // Tiles are kept in `cache`, glyph ranges in `glyph_ranges`.
    Service(layers::TileSet& tiles, TileCache& cache, TileCache& glyph_ranges, const Metrics& metrics,
            ServiceOptions options);
    ~Service();

    // Never throws: an exception while answering becomes a 500 for this request.
    void handle(const Request& request, const Respond& respond);

    // Why the portal page cannot be shown; empty when it can.
    const std::string& portal_problem() const { return m_portal.problem(); }

private:
    // Finishes a response (finish_response) and hands it on, once.
    using Answer = std::function<void(Response, std::string_view route)>;

    // The tile through the cache, answered when it is ready; an answer that
    // needs no tile (an unknown layer, a tile off the grid) is returned.
    std::optional<Response> tile(const Request& request, const Route& route, const Answer& answer);
    Response preflight(const Request& request, const Route& route) const;
    // The device status route: PUT when writable; none otherwise.
    void device_status(const Request& request, const Route& route, const Answer& answer);
    // The permit pre-check: POST.
    void permit_check(const Request& request, const Answer& answer);
    Response health() const;
    Response metrics_page() const;
    Response catalog(const Request& request);
    Response tilejson(const Request& request, const std::vector<std::string>& names);
    std::string base_url(const Request& request) const;
    // Which results cannot be read now, for the catalog (on the watcher's
    // thread after the start).
    void check_results();

    layers::TileSet& m_tiles;
    TileCache& m_cache;
    const Metrics& m_metrics;
    ServiceOptions m_options;
    // Before what it reloads: it reads the city's change counter before
    // they read the city.
    CityWatcher m_watcher;
    Attribution m_attribution;
    LookupApi m_lookup;
    PermitApi m_permits;
    OgcApi m_ogc;
    Portal m_portal;
    DeviceApi m_devices;
    GlyphApi m_glyphs;
    std::unique_ptr<core::Storage> m_results_storage;  // check_results()
    std::atomic<std::shared_ptr<const nlohmann::json>> m_unavailable;

};

// A JSON error body ({"error": message}) with its status.
Response error_response(http::status status, std::string_view message);

// What every response carries and the rules of the request's method: CORS,
// Server, the HTTP version, keep-alive, Content-Length (none for 204 and
// 304), and for HEAD the headers of a GET without its body.
void finish_response(Response& response, unsigned version, bool keep_alive, bool head);

}  // namespace lantern::tileserver
