#pragma once
// Checks of the drainage network that a city needs beyond each feature's
// schema, for lantern validate (docs/flood.md): water cannot run in a pipe
// laid above the ground or up its slope, and a node no pipe reaches drains
// nothing.
//
//   error    a node's invert_m, or a pipe's up_invert_m or down_invert_m at
//            its end, above the DEM's ground there (the cell under it)
//   error    a pipe whose up_invert_m lies below its down_invert_m: it runs
//            uphill against its drawn direction (upstream to downstream)
//   warning  a node no pipe end reaches (within drainage_snap_m)
//
// Values that are not given are not checked; without a DEM the ground is
// not compared.

#include <lantern/core/base/report.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

// A pipe's end joins a node within this distance (metres), here as in the
// rain screening's routing.
constexpr double drainage_snap_m = 1.0;

void check_drainage(const core::Storage& storage, core::Report& report);

}  // namespace lantern::layers
