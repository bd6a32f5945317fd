#pragma once
// The few GEOS operations the coverage analysis needs, on one GEOS context:
// unions of footprints and their overlay with areas. One GeosOps per thread.

#include <memory>
#include <vector>

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <lantern/core/geometry/visibility.hpp>
#include <lantern/core/io/grid_vector.hpp>

namespace lantern::layers::coverage {

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
    // The polygons of a polygon, multipolygon or collection.
    std::vector<Geometry> polygons(const GEOSGeometry* geometry) const;
    GEOSContextHandle_t context() const { return m_context; }

private:
    enum class Overlay { intersection, difference };
    Geometry overlay(const GEOSGeometry* a, const GEOSGeometry* b, Overlay operation) const;
    Geometry own(GEOSGeometry* geometry, const char* operation) const;

    GEOSContextHandle_t m_context;
};

}  // namespace lantern::layers::coverage
