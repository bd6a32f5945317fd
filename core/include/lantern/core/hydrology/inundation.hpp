#pragma once
// Inundation from open water on a terrain grid. Generic: the caller says
// which cells are open water (rivers, sea).
//
// A land cell floods at a stage when an 8-connected path of cells, each with
// its elevation below the stage, leads from it to open water. One
// priority-flood from the open water gives each cell its flood threshold, the
// lowest stage at which it floods (the least, over all paths to open water,
// of the highest elevation on the path), so every stage is one pass over the
// threshold grid and a hydrograph turns it into arrival times.

#include <cstdint>
#include <limits>
#include <vector>

#include <lantern/core/raster/grid.hpp>

namespace lantern::core {

// Thresholds of open-water cells: flooded at every stage.
inline constexpr float open_water_threshold = -std::numeric_limits<float>::infinity();
// Thresholds of cells no path of data cells joins to open water.
inline constexpr float unreachable_threshold = std::numeric_limits<float>::infinity();

// The flood threshold of every cell: open_water_threshold where open_water is
// set, NaN on other no-data cells (never flooded; paths do not cross them),
// unreachable_threshold where no path reaches open water. The grids share a frame.
FloatGrid flood_threshold(const FloatGrid& dem, const Grid<std::uint8_t>& open_water);

// True when a land cell floods at the stage: its threshold is below it.
inline bool floods(float threshold, double stage)
{
    return threshold != open_water_threshold && threshold < stage;
}

// Depth (stage minus elevation) of the land cells that flood at the stage,
// NaN elsewhere (dry land, open water, no-data).
FloatGrid stage_depth(const FloatGrid& dem, const FloatGrid& threshold, double stage);

// 1 on land cells below the stage that do not flood from open water (low-lying
// pockets at risk from rain), 0 elsewhere.
Grid<std::uint8_t> low_lying_pockets(const FloatGrid& dem, const FloatGrid& threshold, double stage);

// A gauge reading: hours since the start of the series, water level.
struct GaugeReading {
    double hours = 0;
    double level = 0;
};

// What a hydrograph (readings in time order, the level linear between them)
// does to each land cell: when it first floods, for how long it stays
// flooded and its greatest depth. NaN where the cell never floods.
struct FloodTiming {
    FloatGrid arrival_hours;
    FloatGrid duration_hours;
    FloatGrid max_depth;
};

// Throws UsageError when the readings are fewer than two or not in time order.
FloodTiming flood_timing(const FloatGrid& dem, const FloatGrid& threshold,
                         const std::vector<GaugeReading>& readings);

// The paper behind flood_threshold, for a caller to log.
extern const char* const flood_threshold_method;

}  // namespace lantern::core
