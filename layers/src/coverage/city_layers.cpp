// The classes the coverage analysis measures against, read once into plain
// geometry, and the WKB conversions it needs.

#include "coverage_internal.hpp"

#include <bit>
#include <cstdint>
#include <future>
#include <optional>
#include <type_traits>
#include <utility>

#include <ogr_api.h>
#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/geometry/convex_clip.hpp>
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

// Features parsed together on the threads when reading a large class.
constexpr std::size_t read_chunk = 16384;

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
    // Written directly: little-endian polygon, one ring, closed; no ring
    // for an empty one.
    static_assert(std::endian::native == std::endian::little);
    if (ring.empty())
        return {1, 3, 0, 0, 0, 0, 0, 0, 0};
    bool closed = ring.front().x == ring.back().x && ring.front().y == ring.back().y;
    auto points = static_cast<std::uint32_t>(ring.size() + (closed ? 0 : 1));
    core::Wkb wkb;
    wkb.reserve(13 + 16 * std::size_t{points});
    auto put = [&](const void* bytes, std::size_t size) {
        const auto* b = static_cast<const unsigned char*>(bytes);
        wkb.insert(wkb.end(), b, b + size);
    };
    const std::uint32_t polygon_type = 3, rings = 1;
    wkb.push_back(1);
    put(&polygon_type, 4);
    put(&rings, 4);
    put(&points, 4);
    for (std::uint32_t i = 0; i < points; ++i) {
        const auto& p = ring[i % ring.size()];
        put(&p.x, 8);
        put(&p.y, 8);
    }
    return wkb;
}

core::Wkb line_wkb(const std::vector<PlanePoint>& points)
{
    OGRLineString line;
    for (const auto& p : points)
        line.addPoint(p.x, p.y);
    return to_wkb(line);
}

CityLayers read_city_layers(const core::Storage& storage, CoverageNetwork network, unsigned threads)
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
    // The large classes: read in chunks, each chunk's geometry parsed on
    // every thread, in the order of the scan.
    auto read_parallel = [&](const std::string& name, auto&& convert, auto&& keep) {
        using Item = std::decay_t<decltype(convert(std::declval<const Fields&>(),
                                                   std::declval<const core::StoredFeature&>()))>;
        std::vector<core::StoredFeature> chunk;
        std::optional<Fields> chunk_fields;  // a copy: parsed after the scan too
        // Each chunk is parsed by a task of the pool while the scan reads the
        // next one (inline with no worker); one chunk at a time, so the
        // features are kept in the scan's order.
        std::future<void> parsing;
        // A scan that fails waits for the chunk being parsed, which uses its locals.
        struct WaitOnLeaving {
            std::future<void>& parsing;
            ~WaitOnLeaving()
            {
                if (parsing.valid())
                    parsing.wait();
            }
        } wait_on_leaving{parsing};
        auto flush = [&] {
            if (parsing.valid())
                parsing.get();
            auto parse = std::make_shared<std::packaged_task<void()>>([&, batch = std::move(chunk)] {
                std::vector<Item> items(batch.size());
                parallel_for(batch.size(), threads, [&](std::size_t i) { items[i] = convert(*chunk_fields, batch[i]); });
                for (auto& item : items)
                    keep(std::move(item));
            });
            parsing = parse->get_future();
            core::default_pool().submit([parse] { (*parse)(); });
            chunk = {};
            chunk.reserve(read_chunk);
        };
        read(name, [&](const Fields& fields, const core::StoredFeature& f) {
            if (!chunk_fields)
                chunk_fields.emplace(fields);
            chunk.push_back(f);
            if (chunk.size() == read_chunk)
                flush();
        });
        if (!chunk.empty())
            flush();
        if (parsing.valid())
            parsing.get();
    };
    read_parallel(
        "buildings", [](const Fields&, const core::StoredFeature& f) { return polygons_of(f.wkb); },
        [&](std::vector<core::PlanePolygon>&& polygons) {
            for (auto& polygon : polygons)
                city.buildings.push_back(std::move(polygon));
        });
    read("roads", [&](const Fields& fields, const core::StoredFeature& f) {
        city.roads.push_back({fields.text(f, "road_id"), fields.text(f, "name"),
                              fields.text(f, "class"), lines_of(f.wkb)});
    });
    read("wards", [&](const Fields& fields, const core::StoredFeature& f) {
        city.wards.push_back({f.fid, fields.text(f, "ward_code"), fields.text(f, "name"), f.wkb,
                              fields.text(f, "unit_code"), fields.text(f, "unit_name")});
    });
    read_parallel(
        "parcels",
        [](const Fields& fields, const core::StoredFeature& f) {
            return area_feature(f, fields.text(f, "parcel_id"), fields.text(f, "address"), fields.text(f, "land_use"));
        },
        [&](AreaFeature&& parcel) { city.parcels.push_back(std::move(parcel)); });
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
