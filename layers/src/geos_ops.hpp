#pragma once
// The GEOS operations the analyses need (coverage, permits, audit, land fund),
// on one GEOS context. One GeosOps per thread.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <lantern/core/geometry/visibility.hpp>
#include <lantern/core/io/grid_vector.hpp>

namespace lantern::layers {

class GeosOps {
public:
    struct Deleter {
        GEOSContextHandle_t context = nullptr;
        void operator()(GEOSGeometry* geometry) const;
    };
    using Geometry = std::unique_ptr<GEOSGeometry, Deleter>;

    GeosOps();
    ~GeosOps();
    GeosOps(const GeosOps&) = delete;
    GeosOps& operator=(const GeosOps&) = delete;

    // Throw core::Error when GEOS fails.
    Geometry read(const core::Wkb& wkb) const;
    Geometry polygon(const core::PlaneRing& ring) const;
    Geometry union_of(const std::vector<const core::PlaneRing*>& rings) const;
    Geometry intersection(const GEOSGeometry* a, const GEOSGeometry* b) const;
    Geometry difference(const GEOSGeometry* a, const GEOSGeometry* b) const;
    double area(const GEOSGeometry* geometry) const;
    bool is_empty(const GEOSGeometry* geometry) const;
    core::Wkb write(const GEOSGeometry* geometry) const;
    // The union of several geometries (taken), or an empty polygon for none.
    Geometry union_all(std::vector<Geometry> parts) const;
    // GEOS's reason the geometry is not valid ("Self-intersection[3 4]"),
    // empty when it is valid.
    std::string invalid_reason(const GEOSGeometry* geometry) const;
    double distance(const GEOSGeometry* a, const GEOSGeometry* b) const;
    bool intersects(const GEOSGeometry* a, const GEOSGeometry* b) const;
    Geometry point_on_surface(const GEOSGeometry* geometry) const;
    Geometry point(double x, double y) const;
    // The geometry scaled by `factor` about (cx, cy).
    Geometry scaled(const GEOSGeometry* geometry, double factor, double cx, double cy) const;
    // Every distinct vertex, as x, y pairs.
    std::vector<std::pair<double, double>> vertices(const GEOSGeometry* geometry) const;
    // x and y of a point.
    std::pair<double, double> xy(const GEOSGeometry* point) const;
    // The polygons of a polygon, multipolygon or collection.
    std::vector<Geometry> polygons(const GEOSGeometry* geometry) const;
    GEOSContextHandle_t context() const { return m_context; }

private:
    enum class Overlay { intersection, difference };
    Geometry overlay(const GEOSGeometry* a, const GEOSGeometry* b, Overlay operation) const;
    Geometry own(GEOSGeometry* geometry, const char* operation) const;

    GEOSContextHandle_t m_context;
};

}  // namespace lantern::layers
