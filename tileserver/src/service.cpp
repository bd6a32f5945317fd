#include <lantern/tileserver/service.hpp>

#include <atomic>
#include <iostream>

#include <nlohmann/json.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/result_availability.hpp>
#include <lantern/tileserver/http_headers.hpp>
#include <lantern/tileserver/openapi.hpp>
#include <lantern/tileserver/request_target.hpp>
#include <lantern/tileserver/routes.hpp>
#include <lantern/tileserver/tile_response.hpp>
#include <lantern/tileserver/tilejson.hpp>

namespace lantern::tileserver {

namespace {

constexpr const char* allowed_methods = "GET, HEAD, OPTIONS";
constexpr const char* write_methods = "PUT, OPTIONS";
constexpr const char* post_methods = "POST, OPTIONS";

// TileJSON and the catalog change with the data: clients revalidate them
// every time (cheaply, by ETag).
Response json_response(const nlohmann::json& document, const Request& request)
{
    Response response;
    response.body() = document.dump();
    auto etag = entity_tag(response.body());
    response.set(http::field::etag, etag);
    response.set(http::field::cache_control, "no-cache");
    if (if_none_match_matches(text(request[http::field::if_none_match]), etag)) {
        response.result(http::status::not_modified);
        response.body().clear();
        return response;
    }
    response.result(http::status::ok);
    response.set(http::field::content_type, "application/json");
    return response;
}

void log_failure(const std::string& request, const char* what)
{
    std::cerr << ("lantern serve: " + request + " failed: " + what + '\n') << std::flush;
}

void log_failure(const Request& request, const char* what)
{
    log_failure(std::string(request.method_string()) + ' ' + std::string(request.target()), what);
}

}  // namespace

Response error_response(http::status status, std::string_view message)
{
    Response response{status, 11};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-cache");
    response.body() = nlohmann::json{{"error", message}}.dump();
    return response;
}

void finish_response(Response& response, unsigned version, bool keep_alive, bool head)
{
    response.version(version);
    response.set(http::field::server, "lantern/0.1.0");
    response.set(http::field::access_control_allow_origin, "*");
    response.set(http::field::access_control_expose_headers, "ETag");
    response.keep_alive(keep_alive);
    auto status = response.result();
    if (status == http::status::no_content || status == http::status::not_modified) {
        response.body().clear();
        response.erase(http::field::content_length);
        return;
    }
    response.prepare_payload();
    if (head)
        response.body().clear();  // Content-Length stays that of the GET
}

Service::Service(layers::TileSet& tiles, TileCache& cache, TileCache& glyph_ranges, const Metrics& metrics,
                 ServiceOptions options)
    : m_tiles(tiles), m_cache(cache), m_metrics(metrics), m_options(std::move(options)),
      m_watcher(m_options.city_path, m_options.change_check_interval,
                {[this] { m_tiles.refresh(); }, [this] { m_ogc.reload(); }, [this] { m_lookup.reload(); },
                 [this] { m_permits.reload(); }, [this] { m_devices.reload(); }, [this] { check_results(); }}),
      m_attribution(m_options.city_path), m_lookup(m_options.city_path),
      m_permits(m_options.city_path, m_options.submit), m_ogc(m_options.city_path, tiles),
      m_portal(m_options.portal_directory), m_devices(m_options.city_path, m_options.devices),
      m_glyphs(glyph_ranges)
{
    // Everything is read by now (the lookup at its construction, the tiles'
    // catalogue at theirs), before the server listens; from here on the
    // watcher reads the city again beside what is served.
    m_tiles.refresh();
    check_results();
    m_watcher.start();
}

void Service::check_results()
{
    if (!m_results_storage)
        m_results_storage = core::open_city(m_options.city_path, core::Access::read_only);
    m_unavailable.store(
        std::make_shared<const nlohmann::json>(layers::to_json(layers::unavailable_results(*m_results_storage))));
}

Service::~Service()
{
    m_watcher.stop();  // before what its reloads touch goes
    m_devices.stop();  // the writes in hand answered, before the sessions go
}

void Service::handle(const Request& request, const Respond& respond)
{
    // Exactly one answer per request, whichever path gets there first.
    auto answered = std::make_shared<std::atomic<bool>>(false);
    Answer answer = [answered, respond, version = request.version(), keep_alive = request.keep_alive(),
                     head = request.method() == http::verb::head](Response response,
                                                                   std::string_view route) {
        if (answered->exchange(true))
            return;
        finish_response(response, version, keep_alive, head);
        respond(std::move(response), route);
    };

    std::string_view label = "no_route";
    try {
        auto route = match_route(text(request.target()));
        label = route_label(route.kind);
        if (route.kind == RouteKind::device_status && !m_devices.writable()) {
            route.kind = RouteKind::no_route;  // no write route on a read-only server
            label = route_label(route.kind);
        }
        if (request.method() == http::verb::options)
            return answer(preflight(request, route), "preflight");
        if (route.kind == RouteKind::device_status)
            return device_status(request, route, answer);
        if (route.kind == RouteKind::permit_check)
            return permit_check(request, answer);
        if (request.method() != http::verb::get && request.method() != http::verb::head) {
            auto response = error_response(http::status::method_not_allowed,
                                           "only GET, HEAD and OPTIONS are served");
            response.set(http::field::allow, allowed_methods);
            return answer(std::move(response), label);
        }
        switch (route.kind) {
        case RouteKind::health:
            return answer(health(), label);
        case RouteKind::metrics:
            return answer(metrics_page(), label);
        case RouteKind::catalog:
            return answer(catalog(request), label);
        case RouteKind::tilejson:
            return answer(tilejson(request, route.layers), label);
        case RouteKind::lookup:
            return answer(m_lookup.lookup(route.target), label);
        case RouteKind::parcel:
            return answer(m_lookup.parcel(route.parcel_id), label);
        case RouteKind::search:
            return answer(m_lookup.search(route.target), label);
        case RouteKind::openapi:
            return answer(json_response(openapi_document(base_url(request)), request), label);
        case RouteKind::ogc:
            return answer(m_ogc.handle(route.ogc_path, route.target,
                                       base_url(request)),
                          label);
        case RouteKind::portal:
            return answer(m_portal.respond(route.portal_file, request), label);
        case RouteKind::device_summary:
            return answer(m_devices.summary(), label);
        case RouteKind::fonts:
            return answer(json_response(m_glyphs.font_names(), request), label);
        case RouteKind::glyphs:
            if (auto now = m_glyphs.range(request, route,
                                          [answer](Response response) { answer(std::move(response), "glyphs"); }))
                answer(std::move(*now), label);
            return;
        case RouteKind::device_status:  // answered above
        case RouteKind::permit_check:
        case RouteKind::malformed:
            return answer(error_response(http::status::bad_request, route.problem), label);
        case RouteKind::no_route:
            return answer(error_response(http::status::not_found,
                                         "no such path: see /catalog for the tile layers"),
                          label);
        case RouteKind::tile:
            if (auto now = tile(request, route, answer))
                answer(std::move(*now), label);
            return;
        }
    } catch (const std::exception& e) {
        log_failure(request, e.what());
        answer(error_response(http::status::internal_server_error,
                              "the request could not be answered"),
               label);
    }
}

std::optional<Response> Service::tile(const Request& request, const Route& route,
                                      const Answer& answer)
{
    // The route's layers must exist and one of them must be drawn at z.
    std::shared_ptr<const layers::TileSelection> selection;
    try {
        selection = m_tiles.select(route.layers);
    } catch (const core::UsageError& e) {
        return error_response(http::status::not_found, std::string(e.what()) + " (see /catalog)");
    }
    if (!route.tile_exists)
        return error_response(
            http::status::not_found,
            "no such tile: zoom is 0 to 24 and x and y are below 2 to the power of the zoom");
    if (!selection->drawn_at(route.tile.z))
        return error_response(http::status::not_found,
                              "zoom " + std::to_string(route.tile.z) +
                                  " is outside the zoom range of the layers (see their TileJSON)");

    const auto& data_version = selection->version();
    auto key = layer_list(route.layers) + '/' + std::to_string(route.tile.z) + '/' +
               std::to_string(route.tile.x) + '/' + std::to_string(route.tile.y) + '@' +
               data_version;
    TileRequest tile_request{accepts_gzip(text(request[http::field::accept_encoding])),
                             std::string(request[http::field::if_none_match]),
                             route.version == data_version};
    auto what = std::string(request.method_string()) + ' ' + std::string(request.target());
    m_cache.fetch(
        key,
        [&tiles = m_tiles, selection, tile = route.tile] {
            return CachedTile::from_mvt(tiles.render(*selection, tile));
        },
        [tile_request, answer, what](TileCache::Tile tile, std::exception_ptr error) {
            try {
                if (!tile)
                    std::rethrow_exception(
                        error ? error : std::make_exception_ptr(std::runtime_error("no tile")));
                answer(tile_response(*tile, tile_request), "tile");
            } catch (const std::exception& e) {
                log_failure(what, e.what());
                answer(error_response(http::status::internal_server_error,
                                      "the tile could not be made"),
                       "tile");
            }
        });
    return std::nullopt;
}

void Service::device_status(const Request& request, const Route& route, const Answer& answer)
{
    if (request.method() != http::verb::put) {
        auto response = error_response(http::status::method_not_allowed, "a device's status is changed by PUT");
        response.set(http::field::allow, write_methods);
        return answer(std::move(response), "device_status");
    }
    m_devices.put_status(request, route, [answer](Response response) { answer(std::move(response), "device_status"); });
}

void Service::permit_check(const Request& request, const Answer& answer)
{
    if (request.method() != http::verb::post) {
        auto response = error_response(http::status::method_not_allowed, "a proposal is checked by POST");
        response.set(http::field::allow, post_methods);
        return answer(std::move(response), "permit_check");
    }
    m_permits.check(request, [answer](Response response) { answer(std::move(response), "permit_check"); });
}

Response Service::preflight(const Request& request, const Route& route) const
{
    Response response{http::status::no_content, request.version()};
    const char* methods = allowed_methods;
    if (route.kind == RouteKind::device_status)
        methods = write_methods;
    else if (route.kind == RouteKind::permit_check)
        methods = post_methods;
    response.set(http::field::access_control_allow_methods, methods);
    auto asked = text(request[http::field::access_control_request_headers]);
    if (!asked.empty() && is_header_list(asked))
        response.set(http::field::access_control_allow_headers, std::string(asked));
    response.set(http::field::access_control_max_age, "86400");
    return response;
}

Response Service::health() const
{
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-store");
    response.body() = nlohmann::json{{"status", "ok"}, {"city", m_tiles.city_name()}}.dump();
    return response;
}

Response Service::metrics_page() const
{
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    response.set(http::field::cache_control, "no-store");
    response.body() = m_metrics.prometheus_text(m_cache.stats(), m_tiles.rendered_count());
    return response;
}

Response Service::catalog(const Request& request)
{
    auto layers = m_tiles.layers();
    return json_response(catalog_json(m_tiles.city_name(), layers, m_attribution.sources(layers),
                                      base_url(request), *m_unavailable.load()),
                         request);
}

Response Service::tilejson(const Request& request, const std::vector<std::string>& names)
{
    std::shared_ptr<const layers::TileSelection> selection;
    try {
        selection = m_tiles.select(names);
    } catch (const core::UsageError& e) {
        return error_response(http::status::not_found, std::string(e.what()) + " (see /catalog)");
    }
    TileJsonInput input;
    input.layers = selection->layers();
    input.city_name = m_tiles.city_name();
    input.base_url = base_url(request);
    input.data_version = selection->version();
    input.attribution = m_attribution.text(input.city_name, input.layers);
    return json_response(tileserver::tilejson(input), request);
}

std::string Service::base_url(const Request& request) const
{
    // Behind a proxy that ends TLS, its X-Forwarded-Proto says https.
    auto scheme = forwarded_scheme(text(request["X-Forwarded-Proto"])).value_or(m_options.scheme);
    return scheme + "://" + valid_host(text(request[http::field::host])).value_or(m_options.fallback_host);
}

}  // namespace lantern::tileserver
