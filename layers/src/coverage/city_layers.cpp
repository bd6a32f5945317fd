// The classes the coverage analysis measures against, read once into plain
// geometry, and the WKB conversions it needs.

#include "coverage_internal.hpp"

#include <ogr_api.h>
#include <ogr_geometry.h>

#include <lantern/core/convex_clip.hpp>
#include <lantern/core/error.hpp>
#include <lantern/layers/catalogue.hpp>

#include "../field_values.hpp"

namespace lantern::layers::coverage {

namespace {

std::unique_ptr<OGRGeometry> parse(const core::Wkb& wkb)
{
    OGRGeometry* geometry = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geometry, wkb.size()) != OGRERR_NONE ||
        !geometry)
        throw core::DataError("a geometry could not be read (bad WKB)");
    return std::unique_ptr<OGRGeometry>(geometry);
}

std::optional<PlanePoint> point_in(const OGRGeometry& geometry)
{
    if (wkbFlatten(geometry.getGeometryType()) != wkbPoint || geometry.IsEmpty())
        return std::nullopt;
    return PlanePoint{geometry.toPoint()->getX(), geometry.toPoint()->getY()};
}

PlaneRing ring_of(const OGRLinearRing& ring)
{
    PlaneRing out;
    int n = ring.getNumPoints();
    for (int i = 0; i < n; ++i)
        out.push_back({ring.getX(i), ring.getY(i)});
    if (out.size() > 1 && out.front().x == out.back().x && out.front().y == out.back().y)
        out.pop_back();
    return out;
}

void add_polygon(const OGRPolygon& polygon, std::vector<core::PlanePolygon>& out)
{
    if (polygon.IsEmpty())
        return;
    core::PlanePolygon p;
    p.exterior = ring_of(*polygon.getExteriorRing());
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i)
        p.holes.push_back(ring_of(*polygon.getInteriorRing(i)));
    out.push_back(std::move(p));
}

std::vector<core::PlanePolygon> polygons_in(const OGRGeometry& geometry)
{
    std::vector<core::PlanePolygon> out;
    auto type = wkbFlatten(geometry.getGeometryType());
    if (type == wkbPolygon)
        add_polygon(*geometry.toPolygon(), out);
    else if (type == wkbMultiPolygon)
        for (const auto* part : *geometry.toMultiPolygon())
            add_polygon(*part, out);
    return out;
}

core::Wkb to_wkb(const OGRGeometry& geometry)
{
    core::Wkb wkb(static_cast<std::size_t>(geometry.WkbSize()));
    geometry.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

// The value of a field by name: text, number or nothing.
class Fields {
public:
    explicit Fields(const core::ClassSchema& schema) : m_schema(schema) {}

    std::string text(const core::StoredFeature& f, const std::string& name) const
    {
        return detail::text_value(f.values[detail::field_index(m_schema, name)]);
    }

private:
    const core::ClassSchema& m_schema;
};

AreaFeature area_feature(const core::StoredFeature& f, std::string id, std::string name, std::string kind)
{
    AreaFeature a;
    a.id = std::move(id);
    a.name = std::move(name);
    a.kind = std::move(kind);
    auto geometry = parse(f.wkb);
    OGREnvelope e;
    geometry->getEnvelope(&e);
    a.bounds = {e.MinX, e.MinY, e.MaxX, e.MaxY};
    a.point = point_in(*geometry);
    if (!a.point) {
        a.wkb = f.wkb;
        a.area_m2 = OGR_G_Area(OGRGeometry::ToHandle(geometry.get()));
        auto parts = polygons_in(*geometry);
        if (parts.size() == 1 && parts.front().holes.empty() && core::is_convex(parts.front().exterior))
            a.convex = std::move(parts.front().exterior);
    }
    return a;
}

}  // namespace

std::vector<core::PlanePolygon> polygons_of(const core::Wkb& wkb)
{
    return polygons_in(*parse(wkb));
}

std::vector<std::vector<PlanePoint>> lines_of(const core::Wkb& wkb)
{
    std::vector<std::vector<PlanePoint>> out;
    auto geometry = parse(wkb);
    auto add = [&](const OGRLineString& line) {
        std::vector<PlanePoint> points;
        for (int i = 0; i < line.getNumPoints(); ++i)
            points.push_back({line.getX(i), line.getY(i)});
        if (points.size() >= 2)
            out.push_back(std::move(points));
    };
    auto type = wkbFlatten(geometry->getGeometryType());
    if (type == wkbLineString)
        add(*geometry->toLineString());
    else if (type == wkbMultiLineString)
        for (const auto* part : *geometry->toMultiLineString())
            add(*part);
    return out;
}

std::optional<PlanePoint> point_of(const core::Wkb& wkb)
{
    return point_in(*parse(wkb));
}

core::Wkb polygon_wkb(const PlaneRing& ring)
{
    OGRLinearRing r;
    for (const auto& p : ring)
        r.addPoint(p.x, p.y);
    r.closeRings();
    OGRPolygon polygon;
    polygon.addRing(&r);
    return to_wkb(polygon);
}

core::Wkb line_wkb(const std::vector<PlanePoint>& points)
{
    OGRLineString line;
    for (const auto& p : points)
        line.addPoint(p.x, p.y);
    return to_wkb(line);
}

CityLayers read_city_layers(const core::Storage& storage, CoverageNetwork network)
{
    CityLayers city;
    auto read = [&](const std::string& name, auto&& visit) {
        if (!storage.has_class(name) || !storage.class_record(name))
            return;
        const auto& schema = feature_class(name);
        Fields fields(schema);
        storage.scan(schema, [&](const core::StoredFeature& f) { visit(fields, f); });
        city.classes_read.push_back(name);
    };
    read("buildings", [&](const Fields&, const core::StoredFeature& f) {
        for (auto& polygon : polygons_of(f.wkb))
            city.buildings.push_back(std::move(polygon));
    });
    read("roads", [&](const Fields& fields, const core::StoredFeature& f) {
        city.roads.push_back({fields.text(f, "road_id"), fields.text(f, "name"),
                              fields.text(f, "class"), lines_of(f.wkb)});
    });
    read("wards", [&](const Fields& fields, const core::StoredFeature& f) {
        city.wards.push_back({fields.text(f, "ward_code"), fields.text(f, "name"), f.wkb});
    });
    read("parcels", [&](const Fields& fields, const core::StoredFeature& f) {
        city.parcels.push_back(area_feature(f, fields.text(f, "parcel_id"), fields.text(f, "address"),
                                            fields.text(f, "land_use")));
    });
    if (network == CoverageNetwork::cameras) {
        read("heritage_zones", [&](const Fields& fields, const core::StoredFeature& f) {
            city.heritage_zones.push_back(area_feature(f, fields.text(f, "zone_id"),
                                                       fields.text(f, "name"), fields.text(f, "protection")));
        });
        read("heritage_sites", [&](const Fields& fields, const core::StoredFeature& f) {
            city.heritage_sites.push_back(area_feature(f, fields.text(f, "site_id"),
                                                       fields.text(f, "name"), fields.text(f, "rank")));
        });
    }
    return city;
}

}  // namespace lantern::layers::coverage
