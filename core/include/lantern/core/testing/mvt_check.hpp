#pragma once
// Checks an encoded tile against the Mapbox Vector Tile 2.1 specification
// (github.com/mapbox/vector-tile-spec, 2.1) and the OGC validity of its
// polygons (GEOS), for Lantern's own tiles and for comparing tiles made by
// other tools (the benchmark's share of invalid polygons).

#include <cstddef>
#include <string_view>
#include <vector>

#include <lantern/core/testing/mvt_decode.hpp>

namespace lantern::core {

struct MvtCheckResult {
    // Every departure found: what the decoder meets in the encoding
    // (mvt_decode.hpp), plus per layer a version other than 2, a missing
    // extent, a name used twice, repeated keys or values in the layer's
    // tables, repeated feature ids; per ring fewer than 4 points (3 distinct
    // and the closing one), zero area, a polygon whose first ring is not
    // positive (exterior rings are clockwise as drawn, y down; holes, negative,
    // follow their exterior); per polygon and multipolygon what GEOS finds
    // not valid, with its reason.
    std::vector<MvtProblem> problems;
    std::size_t layers = 0;
    std::size_t features = 0;
    std::size_t polygons = 0;          // polygons checked (a multipolygon counts its parts)
    std::size_t invalid_polygons = 0;  // of those, the ones GEOS finds not valid
    std::size_t rings = 0;
    bool ok() const { return problems.empty(); }
};

// Never throws for bad tile content: a tile that is not a protocol buffer
// comes back as a problem.
MvtCheckResult check_mvt(std::string_view tile);

}  // namespace lantern::core
