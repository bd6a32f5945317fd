#pragma once
// A raster opened for reading: one the city holds (Storage::open_raster) or a
// file of the caller's (open_raster_file). Callers read its frame, no-data
// value and cells, whole or by window, without knowing where it is kept.
// Underneath is a GDAL dataset, which core's map renderer and raster export
// use directly.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include <lantern/core/raster/grid.hpp>

class GDALDataset;

namespace lantern::core {

class RasterDataset {
public:
    // Takes an open GDAL raster dataset (not null); label names it in
    // messages, e.g. "hoian.sqlite: result flood_depth_2.0m". Throws
    // DataError when it has no band or does not lie north up.
    RasterDataset(std::unique_ptr<GDALDataset> dataset, std::string label);
    ~RasterDataset();
    RasterDataset(RasterDataset&&) noexcept;
    RasterDataset& operator=(RasterDataset&&) noexcept;

    const std::string& label() const;
    const GridFrame& frame() const;
    // Band 1's no-data value, if it has one.
    std::optional<double> no_data() const;

    // Band 1's cells in columns [col, col + cols) and rows [row, row + rows)
    // as float: cell (col + c, row + r) at out[(r * cols + c) * stride], so
    // several rasters of one shape can be read interleaved. Throws DataError.
    void read(int col, int row, int cols, int rows, float* out, std::size_t stride = 1) const;
    // Band 1 whole as float; its no-data value becomes NaN. Throws DataError.
    FloatGrid read_float_grid() const;

    GDALDataset& gdal() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// A raster file of the caller's (not one the city holds). Throws FileError
// when it is missing, DataError when GDAL cannot read it as a raster.
RasterDataset open_raster_file(const std::string& path);

}  // namespace lantern::core
