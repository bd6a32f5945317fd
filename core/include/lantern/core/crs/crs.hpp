#pragma once
// Coordinate reference systems and transformations, all through PROJ (by way
// of OGRSpatialReference). Axis order is always x = easting/longitude,
// y = northing/latitude, whatever the authority says.

#include <memory>
#include <optional>
#include <string>

#include <ogr_spatialref.h>

#include <lantern/core/geometry/bounds.hpp>

class OGRGeometry;

namespace lantern::core {

class Crs {
public:
    // Accepts what a GIS officer types: "EPSG:32649", "WGS84", a PROJ string,
    // WKT, and Lantern's aliases for Vietnamese province zones on VN-2000:
    // "VN2000:TM3:107.75" or "VN2000:TM3:107d45" (the 3-degree zones of cadastral
    // and planning maps: transverse Mercator, k 0.9999, false easting 500 km) and
    // "VN2000:TM6:105" (the 6-degree zones, k 0.9996).
    // Throws UsageError for anything PROJ does not know.
    static Crs from_user(const std::string& text);
    static Crs wgs84();

    // The text it was made from, kept as its name in metadata ("EPSG:32649").
    const std::string& definition() const { return m_definition; }
    // PROJ's name of the CRS, e.g. "WGS 84 / UTM zone 49N".
    std::string name() const;
    std::string wkt() const;
    std::string proj4() const;
    std::optional<int> epsg() const;
    bool is_geographic() const;
    const OGRSpatialReference& srs() const { return *m_srs; }

    // Same CRS, ignoring names and metadata.
    bool same_as(const Crs& other) const;

    explicit Crs(std::string definition, std::unique_ptr<OGRSpatialReference> srs);

private:
    std::string m_definition;
    std::shared_ptr<const OGRSpatialReference> m_srs;
};

// The CRS a GDAL dataset or layer declares, or nothing when it has none.
std::optional<Crs> crs_from_srs(const OGRSpatialReference* srs);

// A coordinate operation between two CRSs, chosen by PROJ for the area of use
// (for VN-2000 this applies the official 7-parameter Helmert shift).
class Transform {
public:
    Transform(const Crs& from, const Crs& to);
    ~Transform();
    Transform(const Transform&) = delete;
    Transform& operator=(const Transform&) = delete;

    bool is_identity() const { return m_transform == nullptr; }
    // Transforms one point in place; throws DataError when PROJ cannot.
    void apply(double& x, double& y) const;
    // Transforms a geometry in place; returns false when PROJ cannot.
    bool apply(OGRGeometry& geometry) const;
    // Bounds of the transformed box, densified along its edges.
    Bounds apply(const Bounds& box) const;

private:
    OGRCoordinateTransformation* m_transform = nullptr;
};

}  // namespace lantern::core
