#pragma once
// The public planning lookup portal's files: the page, its script and
// style, and MapLibre GL JS as npm installed it beside them
// (tileserver/portal/node_modules, by .ci/install-portal). A fixed list of
// names is read into memory when the server starts; a request names one of
// them and is never joined to a directory, so nothing else on disk is
// reachable. Each file is kept gzip-compressed too.
//
//   /                      index.html
//   /portal/{name}         the other files of the list (portal_files())

#include <string>
#include <string_view>
#include <vector>

#include <lantern/tileserver/http.hpp>

namespace lantern::tileserver {

struct PortalFile {
    std::string name;          // as requested: "index.html", "maplibre-gl.mjs"
    std::string source;        // relative to the portal directory
    std::string content_type;
};

// The files the portal serves, the page first.
const std::vector<PortalFile>& portal_files();

// The portal directory of the source tree this program was built from.
std::string default_portal_directory();

class Portal {
public:
    // Reads every file of the list from `directory`. A missing file is not
    // an error here: problem() says what is missing and the page answers
    // 503 with how to install it, while tiles and APIs serve on.
    explicit Portal(const std::string& directory);

    // Empty when every file was read.
    const std::string& problem() const { return m_problem; }

    // The file named so (index.html for "/"), with its ETag; 304 when the
    // client has it; 404 for a name not on the list; 503 for a listed file
    // that could not be read (and for the page while any is missing).
    Response respond(std::string_view name, const Request& request) const;

private:
    struct Loaded {
        const PortalFile* file = nullptr;
        std::string content;
        std::string gzip;
        std::string etag;
    };
    std::vector<Loaded> m_files;
    std::string m_problem;
};

}  // namespace lantern::tileserver
