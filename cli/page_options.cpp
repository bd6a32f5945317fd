#include <lantern/core/base/error.hpp>
#include <lantern/core/render/render.hpp>

#include "command.hpp"

namespace lantern::cli {

void add_page_options(CLI::App& app, std::string& layout, double& dpi)
{
    app.add_option("--layout", layout,
                   "draw the map on a printed page with title, legend, scale bar, north arrow, notes and a "
                   "locator map: a4-portrait, a4-landscape, a3-portrait or a3-landscape")
        ->check([](const std::string& name) {
            try {
                core::paper_layout(name);
                return std::string();
            } catch (const core::UsageError& e) {
                return std::string(e.what());
            }
        });
    app.add_option("--dpi", dpi,
                   "resolution in dots per inch: a PNG's pixels on a printed page, a PDF's or SVG's page "
                   "size (default 150 on a printed page, else 96)")
        ->check(CLI::Range(10.0, 2400.0));
}

}  // namespace lantern::cli
