#pragma once
// Between grids and vector geometries (WKB in the grid's CRS): burning
// geometries into cells, turning classified cells into polygons, and
// sampling a geometry on a grid so that per-feature statistics (flooded
// share, mean depth, lit length) weigh each part by its area or length.

#include <cstdint>
#include <functional>
#include <vector>

#include <lantern/core/raster/grid.hpp>

namespace lantern::core {

using Wkb = std::vector<unsigned char>;

// Burns each geometry's value into the cells whose centre it covers (or every
// cell it touches, when all_touched); later geometries overwrite earlier
// ones. Cells no geometry covers keep `background`.
Grid<std::int32_t> burn_geometries(const GridFrame& frame, const std::vector<Wkb>& geometries,
                                   const std::vector<std::int32_t>& values, bool all_touched,
                                   std::int32_t background = 0);

// Turns each 8-connected region of equal, non-zero class into one polygon
// (with holes) and hands it over as WKB with its class. Cell edges become
// polygon edges.
void polygonize(const Grid<std::int32_t>& classes,
                const std::function<void(std::int32_t cls, const Wkb& polygon)>& visit);

// A point standing for part of a geometry: an area (polygons), a length
// (lines) or 1 (points).
struct GeometrySample {
    double x = 0;
    double y = 0;
    double weight = 0;
};

// Samples a geometry: polygons at the centres of a square lattice of the
// given spacing that fall inside (even-odd rule), each weighing spacing²;
// a polygon too small to hold a lattice point gets one sample at a point on
// its surface weighing its area; lines at the midpoints of pieces at most
// `spacing` long, each weighing its length; points as themselves. Throws
// DataError for WKB that cannot be read.
std::vector<GeometrySample> sample_geometry(const Wkb& wkb, double spacing);

// The area of a geometry's polygons; 0 for points and lines.
double area_of(const Wkb& wkb);

}  // namespace lantern::core
