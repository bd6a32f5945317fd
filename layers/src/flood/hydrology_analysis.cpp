// lantern hydrology: the terrain's drainage from the DEM, stored as rasters.

#include <lantern/layers/flood.hpp>

#include <chrono>
#include <iostream>

#include <lantern/core/hydrology/hydrology.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/storage/results.hpp>

#include "flood_internal.hpp"

namespace lantern::layers {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

nlohmann::json run_hydrology(core::Storage& storage, const HydrologyOptions& options)
{
    auto dem = flood::load_dem(storage);
    const double cells = static_cast<double>(dem.cells());
    nlohmann::json steps = nlohmann::json::array();
    auto step = [&](const std::string& name, const char* method, Clock::time_point start) {
        double s = seconds_since(start);
        steps.push_back({{"step", name}, {"method", method}, {"seconds", s}});
        if (options.log)
            std::clog << "lantern: " << name << ": " << method << ", " << dem.width() << " x "
                      << dem.height() << " cells in " << s << " s\n";
    };

    core::ResultBatch batch(storage, "hydrology",
                            {{"stream_threshold_cells", options.stream_threshold}},
                            core::current_inputs(storage, {"dem"}));

    auto start = Clock::now();
    auto filled = dem;
    auto fill = core::fill_depressions(filled, {true});
    step("fill", core::fill_epsilon_method, start);
    flood::add_raster_result(batch, "dem_filled",
                             "DEM with every depression filled to its spill level, with a "
                             "minimal gradient so that filled areas drain",
                             "m", filled);

    start = Clock::now();
    auto directions = core::flow_directions(filled);
    step("flow directions", core::flow_directions_method, start);
    batch.add_raster("flow_dir", "D8 flow direction (1 E, 2 SE, 4 S, 8 SW, 16 W, 32 NW, 64 N, 128 NE)",
                     "code", directions, 0);

    start = Clock::now();
    auto accumulation = core::flow_accumulation(directions);
    step("flow accumulation", core::flow_accumulation_method, start);
    batch.add_raster("flow_acc", "cells draining through each cell, itself included", "cells", accumulation, 0);

    auto streams = core::stream_cells(accumulation, options.stream_threshold);
    batch.add_raster("streams", "1 where the accumulation reaches the stream threshold", "flag", streams,
                     std::nullopt);

    start = Clock::now();
    auto hand = core::height_above_drainage(filled, directions, streams);
    step("height above nearest drainage", core::hand_method, start);
    flood::add_raster_result(batch, "hand", "height above the stream cell each cell drains to", "m", hand);

    start = Clock::now();
    auto basins = core::watersheds(directions);
    step("watersheds", core::watershed_method, start);
    batch.add_raster("watersheds", "drainage basin label of each cell", "label", basins, 0);
    batch.commit();

    std::uint64_t stream_count = 0;
    for (auto s : streams.values)
        stream_count += s;
    std::int32_t basin_count = 0;
    for (auto b : basins.values)
        basin_count = std::max(basin_count, b);
    return {{"cells", cells},
            {"cells_raised", fill.cells_raised},
            {"depression_volume_m3", fill.volume_cells * dem.frame.cell_area()},
            {"stream_cells", stream_count},
            {"watersheds", basin_count},
            {"steps", steps},
            {"results", {"dem_filled", "flow_dir", "flow_acc", "streams", "hand", "watersheds"}}};
}

}  // namespace lantern::layers
