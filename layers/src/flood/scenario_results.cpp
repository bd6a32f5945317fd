// A scenario's grids and polygons as results: depth rasters, extent polygons
// by depth band, and low-lying pockets.

#include "flood_internal.hpp"

#include <lantern/core/base/numbers.hpp>
#include <lantern/core/raster_io/grid_io.hpp>

#include "../field_builders.hpp"

namespace lantern::layers::flood {

void add_raster_result(core::ResultBatch& batch, const std::string& name,
                       const std::string& description, const std::string& unit,
                       const core::FloatGrid& grid)
{
    batch.add_raster(name, description, unit, grid);
}

void add_extent_result(core::ResultBatch& batch, const std::string& name, const core::FloatGrid& depth,
                       double stage)
{
    core::Grid<std::int32_t> bands(depth.frame, 0);
    for (std::size_t i = 0; i < depth.cells(); ++i)
        if (depth[i] > 0)
            bands[i] = depth_band(depth[i]) + 1;

    core::ClassSchema s;
    s.name = name;
    s.layer = "results";
    s.description = "Flooded land at a stage of " + core::fixed_text(stage, 6) +
                    " m, one polygon per connected area of a depth band.";
    s.geometry = core::GeometryKind::polygon;
    s.fields = {detail::text("band", "depth band"),
                detail::real("min_depth_m", "least depth of the band, metres", std::nullopt, std::nullopt),
                detail::real("max_depth_m", "greatest depth of the band, metres (none for the top band)",
                             std::nullopt, std::nullopt),
                detail::text("risk", "risk class of the band"),
                detail::real("area_m2", "area, square metres", std::nullopt, std::nullopt),
                detail::real("stage_m", "water level at the gauge, metres", std::nullopt, std::nullopt)};
    auto& sink = batch.add_features(name, s.description, s);
    const auto& table = depth_bands();
    core::polygonize(bands, [&](std::int32_t cls, const core::Wkb& polygon) {
        const auto& band = table[static_cast<std::size_t>(cls - 1)];
        std::vector<core::Value> values{band.label, band.from, band.to, band.risk, core::area_of(polygon), stage};
        if (band.to > 1e8)
            values[2] = std::monostate{};  // the top band has no upper bound
        sink.insert(polygon, values);
    });
}

double add_pockets_result(core::ResultBatch& batch, const std::string& name,
                          const core::Grid<std::uint8_t>& pockets, const core::FloatGrid& dem, double stage)
{
    core::Grid<std::int32_t> cells(pockets.frame, 0);
    std::size_t count = 0;
    for (std::size_t i = 0; i < pockets.cells(); ++i)
        if (pockets[i]) {
            cells[i] = 1;
            ++count;
        }
    core::ClassSchema s;
    s.name = name;
    s.layer = "results";
    s.description = "Low-lying pockets: land below the stage that no path below it joins to open "
                    "water; dry from the river, at risk from rain.";
    s.geometry = core::GeometryKind::polygon;
    s.fields = {detail::real("area_m2", "area, square metres", std::nullopt, std::nullopt),
                detail::real("lowest_m", "lowest ground, metres above datum", std::nullopt, std::nullopt),
                detail::real("stage_m", "water level at the gauge, metres", std::nullopt, std::nullopt)};
    auto& sink = batch.add_features(name, s.description, s);
    core::polygonize(cells, [&](std::int32_t, const core::Wkb& polygon) {
        double lowest = stage;
        for (const auto& p : core::sample_geometry(polygon, dem.frame.cell_x)) {
            int col = dem.frame.col_of(p.x), row = dem.frame.row_of(p.y);
            if (dem.frame.contains(col, row) && dem.at(col, row) < lowest)
                lowest = dem.at(col, row);
        }
        sink.insert(polygon, {core::area_of(polygon), lowest, stage});
    });
    return static_cast<double>(count) * dem.frame.cell_area();
}

}  // namespace lantern::layers::flood
