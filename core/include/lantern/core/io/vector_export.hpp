#pragma once
// Writes a feature class to any vector format GDAL writes: the open-data path.

#include <cstdint>
#include <optional>
#include <string>

#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

struct ExportOptions {
    std::string path;
    std::optional<std::string> format;      // GDAL driver name; default: from the extension
    std::optional<std::string> target_crs;  // default: the city CRS
    bool overwrite = false;
};

// Returns the number of features written. Throws UsageError for an unknown
// format, FileError when the output exists (without overwrite) or cannot be written.
std::int64_t export_class(const Storage& storage, const ClassSchema& schema,
                          const ExportOptions& options);

// The GDAL driver for an output file name, e.g. "GPKG" for "parcels.gpkg".
std::string driver_for_path(const std::string& path);

}  // namespace lantern::core
