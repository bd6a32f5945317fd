#pragma once
// Writes a raster result to a file: a GeoTIFF, or any raster format GDAL
// writes. The cells are copied as they are, in the city CRS.

#include <string>

#include <lantern/core/io/vector_export.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

// Throws UsageError for an unknown format or a target CRS (not supported for
// rasters), FileError when the output exists (without overwrite), the
// result's file is missing, or the output cannot be written. Does not look at
// staleness (see require_current).
void export_raster_result(const Storage& storage, const ResultRecord& record,
                          const ExportOptions& options);

// The GDAL raster driver for an output file name, e.g. "GTiff" for "depth.tif".
std::string raster_driver_for_path(const std::string& path);

}  // namespace lantern::core
