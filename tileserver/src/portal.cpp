#include <lantern/tileserver/portal.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <lantern/core/base/gzip.hpp>
#include <lantern/tileserver/http_headers.hpp>

namespace lantern::tileserver {

namespace {

constexpr const char* maplibre_dist = "node_modules/maplibre-gl/dist/";

bool read_file(const std::string& path, std::string& content)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    content = std::move(buffer).str();
    return !in.bad();
}

// Says what is missing and how to get it, in the page a browser shows.
Response unavailable(const std::string& problem)
{
    Response response{http::status::service_unavailable, 11};
    response.set(http::field::content_type, "text/html; charset=utf-8");
    response.set(http::field::cache_control, "no-cache");
    std::string escaped;
    for (char c : problem) {
        if (c == '<')
            escaped += "&lt;";
        else if (c == '&')
            escaped += "&amp;";
        else
            escaped += c;
    }
    response.body() = "<!doctype html><meta charset=\"utf-8\"><title>Lantern</title>"
                      "<h1>The portal is not installed</h1><p>" +
                      escaped +
                      "</p><p>Tiles (<a href=\"/catalog\">/catalog</a>), the lookup API and "
                      "<a href=\"/ogc\">OGC API - Features</a> are served.</p>";
    return response;
}

}  // namespace

const std::vector<PortalFile>& portal_files()
{
    static const std::vector<PortalFile> files = {
        {"index.html", "index.html", "text/html; charset=utf-8"},
        {"portal.js", "portal.js", "text/javascript; charset=utf-8"},
        {"map_style.js", "map_style.js", "text/javascript; charset=utf-8"},
        {"area_labels.js", "area_labels.js", "text/javascript; charset=utf-8"},
        {"panel.js", "panel.js", "text/javascript; charset=utf-8"},
        {"permit_panel.js", "permit_panel.js", "text/javascript; charset=utf-8"},
        {"strings.js", "strings.js", "text/javascript; charset=utf-8"},
        {"portal.css", "portal.css", "text/css; charset=utf-8"},
        {"maplibre-gl.mjs", std::string(maplibre_dist) + "maplibre-gl.mjs",
         "text/javascript; charset=utf-8"},
        {"maplibre-gl-worker.mjs", std::string(maplibre_dist) + "maplibre-gl-worker.mjs",
         "text/javascript; charset=utf-8"},
        {"maplibre-gl.css", std::string(maplibre_dist) + "maplibre-gl.css", "text/css; charset=utf-8"},
        {"maplibre-gl-LICENSE.txt", "node_modules/maplibre-gl/LICENSE.txt",
         "text/plain; charset=utf-8"},
    };
    return files;
}

std::string default_portal_directory()
{
    return LANTERN_PORTAL_DIR;
}

Portal::Portal(const std::string& directory)
{
    std::vector<std::string> missing;
    for (const auto& file : portal_files()) {
        Loaded loaded;
        loaded.file = &file;
        if (!read_file(directory + "/" + file.source, loaded.content)) {
            missing.push_back(file.source);
            continue;
        }
        loaded.gzip = core::gzip_compress(loaded.content, 9);
        loaded.etag = entity_tag(loaded.content);
        m_files.push_back(std::move(loaded));
    }
    if (!missing.empty()) {
        m_problem = "missing in " + directory + ": ";
        for (std::size_t i = 0; i < missing.size(); ++i)
            m_problem += (i ? ", " : "") + missing[i];
        m_problem += " (bash .ci/install-portal installs MapLibre GL JS from npm)";
    }
}

Response Portal::respond(std::string_view name, const Request& request) const
{
    if (name.empty())
        name = "index.html";
    auto it = std::find_if(m_files.begin(), m_files.end(),
                           [&](const Loaded& loaded) { return loaded.file->name == name; });
    if (it == m_files.end()) {
        bool listed = std::any_of(portal_files().begin(), portal_files().end(),
                                  [&](const PortalFile& file) { return file.name == name; });
        if (listed)
            return unavailable(m_problem);
        Response response{http::status::not_found, 11};
        response.set(http::field::content_type, "application/json");
        response.set(http::field::cache_control, "no-cache");
        response.body() = R"({"error":"no such portal file"})";
        return response;
    }
    if (!m_problem.empty() && name == "index.html")
        return unavailable(m_problem);

    Response response;
    // Revalidated on every load (cheaply, by ETag), so a new Lantern's
    // portal is never mixed with an old one's cached script.
    response.set(http::field::cache_control, "no-cache");
    response.set(http::field::etag, it->etag);
    response.set(http::field::vary, "Accept-Encoding");
    if (if_none_match_matches(text(request[http::field::if_none_match]), it->etag)) {
        response.result(http::status::not_modified);
        return response;
    }
    response.result(http::status::ok);
    response.set(http::field::content_type, it->file->content_type);
    response.set("X-Content-Type-Options", "nosniff");
    if (accepts_gzip(text(request[http::field::accept_encoding]))) {
        response.set(http::field::content_encoding, "gzip");
        response.body() = it->gzip;
    } else {
        response.body() = it->content;
    }
    return response;
}

}  // namespace lantern::tileserver
