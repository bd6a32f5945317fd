#pragma once
// Synthetic terrain for tests and benchmarks, deterministic from a seed so
// that a test failure or a benchmark number can be reproduced exactly, and
// of any size so that the same terrain serves a 1000-cell test and a
// 10000 x 10000 benchmark. Independent tools (SAGA, GRASS) read it from files.

#include <cstdint>

#include <lantern/core/raster/grid.hpp>

namespace lantern::test {

// The elevation of the sea strip and the river; land stays above 0 m.
inline constexpr float synthetic_water_elevation = -2.0f;

struct SyntheticDemOptions {
    std::uint64_t seed = 1;
    // Open water at synthetic_water_elevation: a sea strip along the west
    // edge (which holds the north-west corner) and a river meandering east
    // from it.
    bool water = true;
    // Round no-data holes scattered over the land.
    bool holes = false;
};

// The frame every synthetic DEM has: width x height cells of 10 m in
// WGS 84 / UTM zone 49N (EPSG:32649).
core::GridFrame synthetic_frame(int width, int height);

// A regional slope rising to the east, multi-octave value noise, many
// single-cell pits and bowls at three scales that nest in one another (so
// depressions within depressions), and the options' water and holes.
core::FloatGrid synthetic_dem(int width, int height, const SyntheticDemOptions& options = {});

// The open water of a synthetic DEM: 1 where the elevation is at or below
// synthetic_water_elevation.
core::ByteGrid synthetic_open_water(const core::FloatGrid& dem);

// The same kind of terrain with nothing ambiguous for D8: no water, no holes,
// no depressions (filled with a rising step), no two neighbouring cells at the
// same elevation, every cell off the edge with a strictly lower neighbour and
// every edge cell lower than its neighbours off the edge. Elevations are whole
// millimetres (tools that round to millimetres see the same terrain).
core::FloatGrid synthetic_dem_without_flats(int width, int height, std::uint64_t seed = 1);

}  // namespace lantern::test
