#pragma once
// Reading and writing Grids as GeoTIFF (or any raster GDAL reads).

#include <cstdint>
#include <optional>
#include <string>

#include <lantern/core/raster/grid.hpp>

namespace lantern::core {

// Band 1 of a raster as float32; its no-data value becomes NaN. Throws
// FileError when the file is missing, DataError when GDAL cannot read it.
FloatGrid read_float_grid(const std::string& path);

// The frame of a raster without reading its cells.
GridFrame read_grid_frame(const std::string& path);

// Writes a tiled, DEFLATE-compressed GeoTIFF, replacing the file once it is
// written whole (TemporaryOutput). Float NaN cells are written as -9999 and
// declared no-data; for the integer types the caller names the no-data value,
// if any. Throws FileError on failure.
void write_geotiff(const std::string& path, const Grid<float>& grid);
void write_geotiff(const std::string& path, const Grid<std::uint8_t>& grid, std::optional<double> no_data_value);
void write_geotiff(const std::string& path, const Grid<std::int32_t>& grid, std::optional<double> no_data_value);
void write_geotiff(const std::string& path, const Grid<std::uint32_t>& grid, std::optional<double> no_data_value);

// The no-data value float grids carry in files.
inline constexpr double file_no_data = -9999;

}  // namespace lantern::core
