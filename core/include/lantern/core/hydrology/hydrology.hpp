#pragma once
// Terrain hydrology on grids that fit in memory: depression filling, D8 flow
// directions with flats resolved, flow accumulation, streams, height above
// nearest drainage (HAND) and watershed labels. Generic: knows no class.
//
// Conventions shared by every function here:
// - elevations are float32, NaN is no-data;
// - cells on the grid's edge and cells next to no-data are where water
//   leaves the grid: such a cell drains out unless a neighbour on the grid
//   is lower, in which case it drains there like any cell (SAGA and GRASS
//   instead let all water on an edge cell leave; tests/reference compares
//   inner cells only);
// - a flow direction is one byte per cell in the ESRI D8 code (1 E, 2 SE,
//   4 S, 8 SW, 16 W, 32 NW, 64 N, 128 NE); 0 marks a no-data cell. A cell
//   that drains out points off the grid or into a no-data neighbour.

#include <cstdint>

#include <lantern/core/raster/grid.hpp>

namespace lantern::core {

using FlowGrid = Grid<std::uint8_t>;
using CountGrid = Grid<std::uint32_t>;
using LabelGrid = Grid<std::int32_t>;

// The D8 code of neighbour k (0..7, clockwise from east as in grid.hpp),
// and back; direction_index returns -1 for 0 or a code that is no direction.
inline constexpr std::uint8_t direction_code(int k) { return static_cast<std::uint8_t>(1u << k); }
int direction_index(std::uint8_t code);

struct FillOptions {
    // Raise filled cells by the smallest float steps along the way they were
    // reached, so that every filled area drains (Barnes, Lehman and Mulla
    // 2014, Algorithm 3). Off: filled areas are exactly flat.
    bool epsilon = false;
};

struct FillStats {
    std::uint64_t cells_raised = 0;
    double volume_cells = 0;  // sum of the raises, in elevation units x cells
};

// Fills every depression to its spill level in place.
FillStats fill_depressions(FloatGrid& dem, const FillOptions& options = {});

// D8 steepest descent (drop over distance) on a filled DEM; cells of a flat
// drain towards its lower edge and away from its higher edge (Barnes, Lehman
// and Mulla 2014, "An efficient assignment of drainage direction over flat
// surfaces"). Every data cell gets a direction. On a DEM that was not filled,
// the cells of a pit (no way down and no flat edge to leave by) get 0 like
// no-data: flow ends there.
FlowGrid flow_directions(const FloatGrid& filled);

// The number of cells that drain through each cell, itself included; 0 on
// no-data. Linear time: cells are visited in topological order.
CountGrid flow_accumulation(const FlowGrid& directions);

// 1 where the accumulation reaches the threshold, 0 elsewhere.
Grid<std::uint8_t> stream_cells(const CountGrid& accumulation, std::uint32_t threshold);

// Height above the stream cell each cell drains to, following the flow
// directions (Rennó et al. 2008); 0 on streams, NaN where a cell's path
// leaves the grid without meeting a stream and on no-data.
FloatGrid height_above_drainage(const FloatGrid& dem, const FlowGrid& directions,
                                const Grid<std::uint8_t>& streams);

// Each cell takes the label of the first seed cell (label > 0) on its flow
// path, itself included; 0 where the path meets none.
LabelGrid label_upstream(const FlowGrid& directions, const LabelGrid& seeds);

// Drainage basins: each cell that drains out labels the cells upstream of it,
// numbered 1, 2, ... in row-major order of those outlets; 0 on no-data.
LabelGrid watersheds(const FlowGrid& directions);

// The papers behind the functions above, for a caller to log.
extern const char* const fill_method;             // fill_depressions
extern const char* const fill_epsilon_method;     // fill_depressions with epsilon
extern const char* const flow_directions_method;  // flow_directions
extern const char* const flow_accumulation_method;
extern const char* const hand_method;             // height_above_drainage
extern const char* const watershed_method;        // label_upstream, watersheds

}  // namespace lantern::core
