#pragma once
// A vector source opened through GDAL: any format it reads (GeoJSON,
// Shapefile, GeoPackage, CSV with WKT or lon/lat columns, KML, DXF, DGN, ...).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/crs.hpp>

namespace lantern::core {

struct SourceOptions {
    std::string path;
    std::string layer;                      // empty: the only layer
    std::vector<std::string> open_options;  // GDAL open options KEY=VALUE
};

class VectorSource {
public:
    // Throws FileError when the file is missing, DataError when GDAL cannot
    // read it, UsageError when the layer does not exist or must be chosen.
    explicit VectorSource(const SourceOptions& options);

    OGRLayer& layer() { return *m_layer; }
    // "parcels.gpkg" or "city.gpkg:parcels" for messages and metadata.
    const std::string& label() const { return m_label; }
    std::optional<Crs> crs() const;
    // Number of features, or -1 when the driver cannot tell cheaply.
    std::int64_t feature_count() const;
    std::vector<std::string> field_names() const;

private:
    GDALDatasetUniquePtr m_dataset;
    OGRLayer* m_layer = nullptr;
    std::string m_label;
};

}  // namespace lantern::core
