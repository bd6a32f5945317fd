#include "compliance_map.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <lantern/core/base/error.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/map_pages.hpp>
#include <lantern/layers/map_styles.hpp>

#include "plan_data.hpp"

namespace lantern::layers::planning {

namespace fs = std::filesystem;

namespace {

// The marked shapes' extent with a margin.
core::Bounds marked_bounds(const std::vector<MarkedKind>& kinds)
{
    std::optional<BBox> all;
    for (const auto& kind : kinds)
        for (const auto& shape : kind.shapes) {
            auto box = box_of(shape);
            if (!all)
                all = box;
            else
                bg::expand(*all, box);
        }
    if (!all)
        throw core::DataError("nothing to draw: no feature was found, and no --bounds were given");
    core::Bounds b{all->min_corner().x(), all->min_corner().y(), all->max_corner().x(), all->max_corner().y()};
    double margin = std::max(100.0, 0.03 * std::max(b.max_x - b.min_x, b.max_y - b.min_y));
    return {b.min_x - margin, b.min_y - margin, b.max_x + margin, b.max_y + margin};
}

struct RemovedFile {
    fs::path path;
    ~RemovedFile()
    {
        std::error_code ec;
        fs::remove(path, ec);
    }
};

}  // namespace

MarkedKind building_marks(const std::vector<core::Wkb>& buildings)
{
    return {"building", {200, 186, 166, 255}, buildings};
}

void draw_compliance_map(const core::Storage& storage, const std::string& title,
                         const std::vector<std::string>& lines, const std::vector<MarkedKind>& kinds,
                         const ComplianceMapOptions& options, const std::vector<std::string>& notes)
{
    auto bounds = options.bounds ? *options.bounds : marked_bounds(kinds);
    core::GridFrame frame;
    // Cells of at most a metre, so that a house is several cells across.
    int width = std::clamp(static_cast<int>(std::ceil(bounds.max_x - bounds.min_x)), options.width, 4000);
    frame.cell_x = frame.cell_y = (bounds.max_x - bounds.min_x) / width;
    frame.width = width;
    frame.height = std::max(1, static_cast<int>(std::ceil((bounds.max_y - bounds.min_y) / frame.cell_y)));
    frame.origin_x = bounds.min_x;
    frame.origin_y = bounds.max_y;
    frame.crs_wkt = core::Crs::from_user(storage.city().crs).wkt();

    core::Grid<std::int32_t> marks(frame, 0);
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        auto burnt = core::burn_geometries(frame, kinds[k].shapes,
                                           std::vector<std::int32_t>(kinds[k].shapes.size(), static_cast<std::int32_t>(k + 1)),
                                           true);
        for (std::size_t i = 0; i < burnt.cells(); ++i)
            if (burnt.values[i])
                marks.values[i] = burnt.values[i];
    }
    RemovedFile raster{fs::path(*options.path).replace_extension(".marks.tif")};
    core::write_geotiff(raster.path.string(), marks, 0.0);

    core::RenderOptions render;
    render.path = *options.path;
    render.width = options.width;
    render.labels = map_labels();
    // The buildings are the callers' first kind: a class is drawn over the
    // marks, and would hide a marked building. No zones: their tints would
    // change the marks' colours from the legend's.
    render.classes = {"dem", "water", "wards", "parcels", "roads", "heritage_zones", "heritage_sites"};
    render.bounds = bounds;
    render.scale_bar = true;
    render.north_arrow = true;
    core::RasterOverlay overlay{raster.path.string(), {}, 255, {}};
    core::Legend legend;
    legend.title = storage.city().name + ": " + title;
    legend.lines = lines;
    for (std::size_t k = 0; k < kinds.size(); ++k) {
        overlay.bands.push_back({static_cast<double>(k + 1), static_cast<double>(k + 2), kinds[k].colour});
        legend.entries.push_back({kinds[k].label, kinds[k].colour, {}});
    }
    render.overlays.push_back(overlay);
    render.legend = legend;
    if (options.layout) {
        print_on(render, *options.layout, storage);
        render.layout->notes.insert(render.layout->notes.begin(), notes.begin(), notes.end());
        render.layout->locator = notes.empty();  // the notes need the room
    }
    render.dpi = options.dpi > 0 ? options.dpi : render.layout ? 150 : 96;
    core::render_overview(storage, feature_classes(), map_styles(), render);
}

}  // namespace lantern::layers::planning
