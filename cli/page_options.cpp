#include <lantern/core/base/error.hpp>
#include <lantern/core/render/render.hpp>

#include <lantern/core/crs/crs.hpp>

#include "command.hpp"
#include "output.hpp"

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

void add_compliance_map_options(CLI::App& app, ComplianceMapArguments& arguments)
{
    app.add_option("--map", arguments.path, "draw a map of what was found as .png, .pdf or .svg");
    app.add_option("--width", arguments.width, "map width in pixels")->capture_default_str()->check(CLI::Range(200, 8000));
    app.add_option("--bounds", arguments.bounds,
                   "map area as WEST,SOUTH,EAST,NORTH in WGS 84 degrees (default: what was found)");
    add_page_options(app, arguments.layout, arguments.dpi);
}

layers::ComplianceMapOptions ComplianceMapArguments::resolve(const core::Storage& storage) const
{
    layers::ComplianceMapOptions options;
    if (path.empty()) {
        if (!layout.empty() || !bounds.empty())
            throw core::UsageError("--layout and --bounds go with --map FILE");
        return options;
    }
    options.path = path;
    options.width = width;
    options.dpi = dpi;
    if (!layout.empty())
        options.layout = layout;
    if (!bounds.empty())
        options.bounds = core::Transform(core::Crs::wgs84(), core::Crs::from_user(storage.city().crs))
                             .apply(parse_lonlat_bounds(bounds));
    return options;
}

}  // namespace lantern::cli
