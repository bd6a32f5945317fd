#pragma once
// Registers a raster (the DEM) with the city: warps any raster GDAL reads into
// the city CRS as a tiled, compressed Float32 GeoTIFF, kept by the storage,
// and records its size, resolution and checksum in the metadata.

#include <optional>
#include <string>

#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

struct RasterImportOptions {
    std::string name = "dem";
    std::string path;
    std::optional<std::string> source_crs;  // when the raster has none, or to override
    std::optional<double> resolution;       // target cell size in metres; default: GDAL's choice
    bool progress = false;
};

RasterRecord import_raster(Storage& storage, const RasterImportOptions& options);

}  // namespace lantern::core
