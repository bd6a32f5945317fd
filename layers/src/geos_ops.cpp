#include "geos_ops.hpp"

#include <string>

#include <lantern/core/base/error.hpp>

namespace lantern::layers {

void GeosOps::Deleter::operator()(GEOSGeometry* geometry) const
{
    GEOSGeom_destroy_r(context, geometry);
}

GeosOps::GeosOps() : m_context(GEOS_init_r()) {}


GeosOps::~GeosOps()
{
    GEOS_finish_r(m_context);
}

GeosOps::Geometry GeosOps::own(GEOSGeometry* geometry, const char* operation) const
{
    if (!geometry)
        throw core::Error(std::string("GEOS failed: ") + operation);
    return Geometry(geometry, Deleter{m_context});
}

GeosOps::Geometry GeosOps::read(const core::Wkb& wkb) const
{
    auto* reader = GEOSWKBReader_create_r(m_context);
    auto* geometry = GEOSWKBReader_read_r(m_context, reader, wkb.data(), wkb.size());
    GEOSWKBReader_destroy_r(m_context, reader);
    return own(geometry, "reading WKB");
}

GeosOps::Geometry GeosOps::polygon(const core::PlaneRing& ring) const
{
    auto* sequence = GEOSCoordSeq_create_r(m_context, static_cast<unsigned>(ring.size() + 1), 2);
    for (std::size_t i = 0; i <= ring.size(); ++i) {
        const auto& p = ring[i % ring.size()];
        GEOSCoordSeq_setXY_r(m_context, sequence, static_cast<unsigned>(i), p.x, p.y);
    }
    auto* shell = GEOSGeom_createLinearRing_r(m_context, sequence);
    return own(GEOSGeom_createPolygon_r(m_context, shell, nullptr, 0), "making a polygon");
}

GeosOps::Geometry GeosOps::union_of(const std::vector<const core::PlaneRing*>& rings) const
{
    std::vector<GEOSGeometry*> parts;
    for (const auto* ring : rings)
        if (ring->size() >= 3)
            parts.push_back(polygon(*ring).release());
    auto collection = own(GEOSGeom_createCollection_r(m_context, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                      static_cast<unsigned>(parts.size())),
                          "collecting footprints");
    if (auto* united = GEOSUnaryUnion_r(m_context, collection.get()))
        return own(united, "union");
    auto valid = own(GEOSMakeValid_r(m_context, collection.get()), "making footprints valid");
    return own(GEOSUnaryUnion_r(m_context, valid.get()), "union");
}

GeosOps::Geometry GeosOps::overlay(const GEOSGeometry* a, const GEOSGeometry* b, Overlay operation) const
{
    auto apply = [&](const GEOSGeometry* x, const GEOSGeometry* y) {
        return operation == Overlay::intersection ? GEOSIntersection_r(m_context, x, y)
                                                  : GEOSDifference_r(m_context, x, y);
    };
    if (auto* result = apply(a, b))
        return own(result, "overlay");
    // An input that is not valid (a parcel drawn with a bow tie, a view
    // polygon whose walls touch): overlay what MakeValid makes of it.
    auto valid_a = own(GEOSMakeValid_r(m_context, a), "making a geometry valid");
    auto valid_b = own(GEOSMakeValid_r(m_context, b), "making a geometry valid");
    return own(apply(valid_a.get(), valid_b.get()),
               operation == Overlay::intersection ? "intersection" : "difference");
}

GeosOps::Geometry GeosOps::intersection(const GEOSGeometry* a, const GEOSGeometry* b) const
{
    return overlay(a, b, Overlay::intersection);
}

GeosOps::Geometry GeosOps::difference(const GEOSGeometry* a, const GEOSGeometry* b) const
{
    return overlay(a, b, Overlay::difference);
}

double GeosOps::area(const GEOSGeometry* geometry) const
{
    double area = 0;
    GEOSArea_r(m_context, geometry, &area);
    return area;
}

bool GeosOps::is_empty(const GEOSGeometry* geometry) const
{
    return GEOSisEmpty_r(m_context, geometry) == 1;
}

core::Wkb GeosOps::write(const GEOSGeometry* geometry) const
{
    auto* writer = GEOSWKBWriter_create_r(m_context);
    std::size_t size = 0;
    unsigned char* bytes = GEOSWKBWriter_write_r(m_context, writer, geometry, &size);
    GEOSWKBWriter_destroy_r(m_context, writer);
    if (!bytes)
        throw core::Error("GEOS failed: writing WKB");
    core::Wkb wkb(bytes, bytes + size);
    GEOSFree_r(m_context, bytes);
    return wkb;
}

GeosOps::Geometry GeosOps::union_all(std::vector<Geometry> parts) const
{
    if (parts.empty())
        return own(GEOSGeom_createEmptyPolygon_r(m_context), "empty polygon");
    if (parts.size() == 1)
        return std::move(parts.front());
    std::vector<GEOSGeometry*> raw;
    for (auto& part : parts)
        raw.push_back(part.release());
    auto collection = own(GEOSGeom_createCollection_r(m_context, GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                      static_cast<unsigned>(raw.size())),
                          "collecting geometries");
    if (auto* united = GEOSUnaryUnion_r(m_context, collection.get()))
        return own(united, "union");
    auto valid = own(GEOSMakeValid_r(m_context, collection.get()), "making geometries valid");
    return own(GEOSUnaryUnion_r(m_context, valid.get()), "union");
}

std::string GeosOps::invalid_reason(const GEOSGeometry* geometry) const
{
    if (GEOSisValid_r(m_context, geometry) == 1)
        return {};
    char* reason = GEOSisValidReason_r(m_context, geometry);
    std::string out = reason ? reason : "not valid";
    GEOSFree_r(m_context, reason);
    return out;
}

double GeosOps::distance(const GEOSGeometry* a, const GEOSGeometry* b) const
{
    double d = 0;
    if (GEOSDistance_r(m_context, a, b, &d) != 1)
        throw core::Error("GEOS failed: distance");
    return d;
}

bool GeosOps::intersects(const GEOSGeometry* a, const GEOSGeometry* b) const
{
    return GEOSIntersects_r(m_context, a, b) == 1;
}

GeosOps::Geometry GeosOps::point_on_surface(const GEOSGeometry* geometry) const
{
    return own(GEOSPointOnSurface_r(m_context, geometry), "point on surface");
}

GeosOps::Geometry GeosOps::point(double x, double y) const
{
    return own(GEOSGeom_createPointFromXY_r(m_context, x, y), "making a point");
}

namespace {

struct Scale {
    double factor, cx, cy;
};

int scale_xy(double* x, double* y, void* user)
{
    const auto& s = *static_cast<const Scale*>(user);
    *x = s.cx + (*x - s.cx) * s.factor;
    *y = s.cy + (*y - s.cy) * s.factor;
    return 1;
}

}  // namespace

GeosOps::Geometry GeosOps::scaled(const GEOSGeometry* geometry, double factor, double cx, double cy) const
{
    Scale scale{factor, cx, cy};
    return own(GEOSGeom_transformXY_r(m_context, geometry, scale_xy, &scale), "scaling");
}

std::vector<std::pair<double, double>> GeosOps::vertices(const GEOSGeometry* geometry) const
{
    auto points = own(GEOSGeom_extractUniquePoints_r(m_context, geometry), "vertices");
    std::vector<std::pair<double, double>> out;
    int n = GEOSGetNumGeometries_r(m_context, points.get());
    for (int i = 0; i < n; ++i)
        out.push_back(xy(GEOSGetGeometryN_r(m_context, points.get(), i)));
    return out;
}

std::pair<double, double> GeosOps::xy(const GEOSGeometry* point) const
{
    double x = 0, y = 0;
    GEOSGeomGetX_r(m_context, point, &x);
    GEOSGeomGetY_r(m_context, point, &y);
    return {x, y};
}

std::vector<GeosOps::Geometry> GeosOps::polygons(const GEOSGeometry* geometry) const
{
    std::vector<Geometry> out;
    int type = GEOSGeomTypeId_r(m_context, geometry);
    if (type == GEOS_POLYGON) {
        if (!is_empty(geometry))
            out.push_back(own(GEOSGeom_clone_r(m_context, geometry), "clone"));
        return out;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(m_context, geometry);
        for (int i = 0; i < n; ++i)
            for (auto& part : polygons(GEOSGetGeometryN_r(m_context, geometry, i)))
                out.push_back(std::move(part));
    }
    return out;
}

}  // namespace lantern::layers
