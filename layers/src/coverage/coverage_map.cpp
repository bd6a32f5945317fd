// A coverage map a planner can paste into a report: the town over its
// relief, the footprints in colour (camera detail bands, lit areas), the
// gaps in red and the suggested sites' views in green, with a legend.

#include "coverage_internal.hpp"

#include <algorithm>
#include <filesystem>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/coverage/coverage_models.hpp>
#include <lantern/core/geometry/ring_measure.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/render/render.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/map_pages.hpp>
#include <lantern/layers/map_styles.hpp>

namespace lantern::layers::coverage {

namespace fs = std::filesystem;

namespace {

// Cell values of the overlay raster.
constexpr std::int32_t gap_value = 10;
constexpr std::int32_t suggested_value = 11;

// Coarse to fine: detect, observe, recognise, identify.
const core::Rgba band_colours[] = {
    {107, 174, 214, 230}, {49, 130, 189, 235}, {8, 81, 156, 240}, {8, 48, 107, 245}};
const core::Rgba lit_colour = {254, 196, 79, 210};
const core::Rgba gap_colour = {215, 25, 28, 255};
const core::Rgba suggested_colour = {26, 152, 80, 230};

// The map's area: the devices with a margin.
core::Bounds map_bounds(const std::vector<Device>& devices, const std::vector<Device>& suggested)
{
    core::Bounds b{devices.front().at.x, devices.front().at.y, devices.front().at.x, devices.front().at.y};
    for (const auto* list : {&devices, &suggested})
        for (const auto& d : *list) {
            b.min_x = std::min(b.min_x, d.at.x);
            b.min_y = std::min(b.min_y, d.at.y);
            b.max_x = std::max(b.max_x, d.at.x);
            b.max_y = std::max(b.max_y, d.at.y);
        }
    double margin = std::max(150.0, 0.03 * std::max(b.max_x - b.min_x, b.max_y - b.min_y));
    return {b.min_x - margin, b.min_y - margin, b.max_x + margin, b.max_y + margin};
}

// A temporary GeoTIFF, removed with this object.
struct TemporaryRaster {
    fs::path path;
    ~TemporaryRaster()
    {
        std::error_code ec;
        fs::remove(path, ec);
    }
};

std::string percent(double share)
{
    return core::fixed_text(share * 100, 1) + " %";
}

}  // namespace

void draw_coverage_map(const core::Storage& storage, const std::vector<Device>& devices,
                       const std::vector<Footprint>& footprints, const CoverageMeasure& measure,
                       CoverageNetwork network, const std::vector<Device>& suggested,
                       const std::vector<Footprint>& suggested_footprints, const CoverageOptions& options)
{
    if (devices.empty())
        throw core::DataError("no devices to draw");
    const bool cameras = network == CoverageNetwork::cameras;
    auto bounds = options.png_bounds ? *options.png_bounds : map_bounds(devices, suggested);

    core::GridFrame frame;
    frame.cell_x = frame.cell_y = (bounds.max_x - bounds.min_x) / options.png_width;
    frame.width = options.png_width;
    frame.height = std::max(1, static_cast<int>(std::ceil((bounds.max_y - bounds.min_y) / frame.cell_y)));
    frame.origin_x = bounds.min_x;
    frame.origin_y = bounds.max_y;
    frame.crs_wkt = core::Crs::from_user(storage.city().crs).wkt();

    // Coarser levels first, so that finer ones are drawn over them.
    std::vector<core::Wkb> shapes;
    std::vector<std::int32_t> values;
    std::size_t levels = cameras ? core::detail_levels().size() : 1;
    for (std::size_t k = levels; k-- > 0;)
        for (const auto& f : footprints)
            if (k < f.reach.size() && f.reach[k].size() >= 3) {
                shapes.push_back(polygon_wkb(f.reach[k]));
                values.push_back(static_cast<std::int32_t>(levels - k));
            }
    auto overlay_grid = core::burn_geometries(frame, shapes, values, false);
    if (!suggested.empty()) {
        std::vector<core::Wkb> views;
        for (const auto& f : suggested_footprints)
            if (!f.empty())
                views.push_back(polygon_wkb(f.outer()));
        auto drawn = core::burn_geometries(frame, views, std::vector<std::int32_t>(views.size(), suggested_value),
                                           false);
        for (std::size_t i = 0; i < drawn.cells(); ++i)
            if (drawn.values[i])
                overlay_grid.values[i] = drawn.values[i];
    }
    std::vector<core::Wkb> gaps;
    for (const auto& gap : measure.gaps)
        gaps.push_back(line_wkb(gap.points));
    auto drawn_gaps = core::burn_geometries(frame, gaps, std::vector<std::int32_t>(gaps.size(), gap_value), true);
    for (std::size_t i = 0; i < drawn_gaps.cells(); ++i)
        if (drawn_gaps.values[i])
            overlay_grid.values[i] = gap_value;

    TemporaryRaster raster{fs::path(options.png->empty() ? "." : *options.png).replace_extension(".overlay.tif")};
    core::write_geotiff(raster.path.string(), overlay_grid, 0.0);

    core::RenderOptions render;
    render.path = *options.png;
    render.width = options.png_width;
    render.labels = map_labels();
    // No road symbols: the gaps, drawn under the classes, would vanish beneath them.
    render.classes = {"dem", "water", "wards", "buildings", "heritage_sites"};
    render.bounds = bounds;
    render.scale_bar = true;
    render.north_arrow = true;
    core::RasterOverlay overlay{raster.path.string(), {}, 255, {}};
    core::Legend legend;
    const std::string name = storage.city().name;
    const auto& roads = measure.summary["roads"];
    if (cameras) {
        legend.title = name + ": what the cameras see";
        for (std::size_t k = 0; k < levels; ++k) {
            const auto& level = core::detail_levels()[levels - 1 - k];
            overlay.bands.push_back({static_cast<double>(k + 1), static_cast<double>(k + 2), band_colours[k]});
            std::string label = std::string(level.name) + " (" + core::general_text(level.min_pixels_per_metre) +
                                " px/m or more)";
            legend.entries.push_back({label, band_colours[k], {}});
        }
        legend.entries.push_back({"street no camera sees", gap_colour, {}});
    } else {
        legend.title = name + ": what the street lights light";
        overlay.bands.push_back({1, 2, lit_colour});
        legend.entries.push_back({"lit to the road's EN 13201 class", lit_colour, {}});
        legend.entries.push_back({"dark street", gap_colour, {}});
    }
    overlay.bands.push_back({gap_value, gap_value + 1, gap_colour});
    if (!suggested.empty()) {
        overlay.bands.push_back({suggested_value, suggested_value + 1, suggested_colour});
        legend.entries.push_back({"suggested new camera", suggested_colour, {}});
    }
    render.overlays.push_back(overlay);
    legend.lines = {std::to_string(devices.size()) + (cameras ? " cameras online" : " lamps on") +
                        ", occluded by buildings",
                    "Roads covered: " + percent(roads["covered_share"].get<double>())};
    render.legend = legend;
    if (options.layout)
        print_on(render, *options.layout, storage);
    render.dpi = options.dpi > 0 ? options.dpi : render.layout ? 150 : 96;
    core::render_overview(storage, feature_classes(), map_styles(), render);
}

}  // namespace lantern::layers::coverage
