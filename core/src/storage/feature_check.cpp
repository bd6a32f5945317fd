#include <lantern/core/storage/feature_check.hpp>

#include <bit>
#include <cstdint>
#include <cstring>
#include <iterator>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/utf8.hpp>

namespace lantern::core {

namespace {

constexpr const char* invalid_prefix = "invalid geometry";
constexpr const char* outside_bounds = "outside the city bounds (is the source CRS right?)";

int dimension_of(GeometryKind kind)
{
    switch (kind) {
    case GeometryKind::point: return 0;
    case GeometryKind::line: return 1;
    default: return 2;
    }
}

// The ISO WKB type code of little- or big-endian WKB, 2D part only.
std::uint32_t wkb_type(const std::vector<unsigned char>& wkb)
{
    if (wkb.size() < 5)
        return 0;
    std::uint32_t type = 0;
    if (wkb[0] == 1)
        std::memcpy(&type, &wkb[1], 4);
    else
        type = (std::uint32_t{wkb[1]} << 24) | (std::uint32_t{wkb[2]} << 16) |
               (std::uint32_t{wkb[3]} << 8) | wkb[4];
    return type % 1000;
}

bool type_allowed(GeometryKind kind, std::uint32_t type)
{
    switch (kind) {
    case GeometryKind::point: return type == 1;
    case GeometryKind::line: return type == 5;
    case GeometryKind::polygon: return type == 6;
    case GeometryKind::point_or_polygon: return type == 1 || type == 6;
    }
    return false;
}

std::string type_name(OGRwkbGeometryType type)
{
    return OGRGeometryTypeToName(type);
}

}  // namespace

FeatureRules::FeatureRules(const ClassSchema& schema, std::optional<Bounds> city_bounds)
    : m_schema(schema), m_bounds(city_bounds)
{
    for (std::size_t i = 0; i < m_schema.fields.size(); ++i)
        if (m_schema.fields[i].name == m_schema.id_field)
            m_id_index = static_cast<int>(i);
}

std::optional<Problem> FeatureRules::normalize(OGRGeometry& geometry,
                                               std::vector<unsigned char>& wkb) const
{
    std::unique_ptr<OGRGeometry> owned;
    OGRGeometry* g = &geometry;
    if (g->hasCurveGeometry()) {
        owned.reset(g->getLinearGeometry());
        g = owned.get();
    }
    g->flattenTo2D();
    auto type = wkbFlatten(g->getGeometryType());
    auto wrong_type = [&]() {
        return Problem{"geometry", type_name(type),
                       "wrong geometry type: " + m_schema.name + " takes " +
                           to_string(m_schema.geometry) + " features"};
    };
    if (g->IsEmpty())
        return Problem{"geometry", type_name(type), "empty geometry"};

    bool point_like = type == wkbPoint ||
                      (type == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() == 1);
    bool polygonal = type == wkbPolygon || type == wkbMultiPolygon;
    bool lineal = type == wkbLineString || type == wkbMultiLineString;

    switch (m_schema.geometry) {
    case GeometryKind::point:
    case GeometryKind::point_or_polygon:
        if (point_like) {
            if (type == wkbMultiPoint) {
                owned.reset(g->toMultiPoint()->getGeometryRef(0)->clone());
                g = owned.get();
            }
            break;
        }
        if (m_schema.geometry == GeometryKind::point || !polygonal)
            return wrong_type();
        [[fallthrough]];
    case GeometryKind::polygon:
        if (!polygonal)
            return wrong_type();
        if (type == wkbPolygon) {
            owned.reset(OGRGeometryFactory::forceToMultiPolygon(
                owned ? owned.release() : g->clone()));
            g = owned.get();
        }
        break;
    case GeometryKind::line:
        if (!lineal)
            return wrong_type();
        if (type == wkbLineString) {
            owned.reset(OGRGeometryFactory::forceToMultiLineString(
                owned ? owned.release() : g->clone()));
            g = owned.get();
        }
        break;
    }
    wkb.resize(g->WkbSize());
    g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return std::nullopt;
}

namespace {

// Walks little-endian 2D polygon WKB, growing the bounds; false where the
// bytes do not hold one (or hold an empty one), or hold a NaN coordinate,
// whose bounds are GDAL's to say (normalize's caller measures with it).
static_assert(std::endian::native == std::endian::little);
class PolygonWkbWalker {
public:
    explicit PolygonWkbWalker(const std::vector<unsigned char>& wkb) : m_wkb(wkb) {}

    bool polygons(std::uint32_t type)
    {
        std::uint32_t count = 1;
        if (type == 6 && !number(count))
            return false;
        for (std::uint32_t i = 0; i < count; ++i) {
            std::uint32_t part_type = 0;
            if (type == 6 && (!byte_order() || !number(part_type) || part_type != 3))
                return false;
            if (!polygon())
                return false;
        }
        return count > 0 && m_at == m_wkb.size();
    }

    bool header(std::uint32_t& type) { return byte_order() && number(type); }
    const Bounds& bounds() const { return m_bounds; }

private:
    bool byte_order() { return m_at < m_wkb.size() && m_wkb[m_at++] == 1; }

    bool number(std::uint32_t& value)
    {
        if (m_wkb.size() - m_at < 4)
            return false;
        std::memcpy(&value, &m_wkb[m_at], 4);
        m_at += 4;
        return true;
    }

    bool polygon()
    {
        std::uint32_t rings = 0;
        if (!number(rings) || rings == 0)
            return false;
        for (std::uint32_t r = 0; r < rings; ++r) {
            std::uint32_t points = 0;
            if (!number(points) || points < 4 || (m_wkb.size() - m_at) / 16 < points)
                return false;
            for (std::uint32_t k = 0; k < points; ++k) {
                double x = 0, y = 0;
                std::memcpy(&x, &m_wkb[m_at], 8);
                std::memcpy(&y, &m_wkb[m_at + 8], 8);
                m_at += 16;
                if (x != x || y != y)
                    return false;
                Bounds point{x, y, x, y};
                if (m_first)
                    m_bounds = point;
                else
                    m_bounds.expand(point);
                m_first = false;
            }
        }
        return true;
    }

    const std::vector<unsigned char>& m_wkb;
    std::size_t m_at = 0;
    Bounds m_bounds;
    bool m_first = true;
};

}  // namespace

std::optional<Bounds> FeatureRules::normalize_polygon_wkb(const std::vector<unsigned char>& in,
                                                          std::vector<unsigned char>& wkb) const
{
    if (m_schema.geometry != GeometryKind::polygon)
        return std::nullopt;
    PolygonWkbWalker walker(in);
    std::uint32_t type = 0;
    if (!walker.header(type) || (type != 3 && type != 6) || !walker.polygons(type))
        return std::nullopt;
    wkb.clear();
    if (type == 3) {
        // A multipolygon of one: its header, then the polygon as it is.
        const unsigned char multi_of_one[] = {1, 6, 0, 0, 0, 1, 0, 0, 0};
        wkb.assign(std::begin(multi_of_one), std::end(multi_of_one));
    }
    wkb.insert(wkb.end(), in.begin(), in.end());
    return walker.bounds();
}

std::vector<Problem> FeatureRules::check_geometry(const std::vector<unsigned char>& wkb,
                                                  std::optional<Bounds>* bounds) const
{
    std::vector<Problem> problems;
    if (wkb.empty()) {
        problems.push_back({"geometry", "", "no geometry"});
        return problems;
    }
    if (!type_allowed(m_schema.geometry, wkb_type(wkb)))
        problems.push_back({"geometry", "", "wrong geometry type: " + m_schema.name + " takes " +
                                               to_string(m_schema.geometry) + " features"});
    GeometryVerdict verdict;
    try {
        verdict = m_geos.inspect(wkb);
    } catch (const DataError& e) {
        problems.push_back({"geometry", "", e.what()});
        return problems;
    }
    if (verdict.empty) {
        problems.push_back({"geometry", "", "empty geometry"});
        return problems;
    }
    if (bounds)
        *bounds = verdict.bounds;
    if (!verdict.valid)
        problems.push_back({"geometry", "", std::string(invalid_prefix) + ": " + verdict.reason});
    if (m_bounds && !m_bounds->intersects(verdict.bounds))
        problems.push_back({"geometry", "", outside_bounds});
    return problems;
}

bool FeatureRules::is_outside_bounds(const std::string& reason)
{
    return reason == outside_bounds;
}

bool FeatureRules::is_invalidity(const Problem& problem)
{
    return problem.reason.rfind(invalid_prefix, 0) == 0;
}

std::vector<unsigned char> FeatureRules::repair(const std::vector<unsigned char>& wkb) const
{
    return m_geos.make_valid(wkb, dimension_of(m_schema.geometry));
}

std::vector<Problem> FeatureRules::check_values(const std::vector<Value>& values) const
{
    std::vector<Problem> problems;
    for (std::size_t i = 0; i < m_schema.fields.size(); ++i) {
        const auto& field = m_schema.fields[i];
        const auto& value = values.at(i);
        if (auto* text = std::get_if<std::string>(&value); text && !is_valid_utf8(*text)) {
            problems.push_back({field.name, printable(*text), "text is not valid UTF-8"});
            continue;
        }
        if (auto reason = check_value(field, value))
            problems.push_back({field.name, printable(to_display(value)), *reason});
    }
    return problems;
}

std::string FeatureRules::feature_label(const std::vector<Value>& values) const
{
    if (m_id_index < 0)
        return "";
    const auto& v = values.at(static_cast<std::size_t>(m_id_index));
    if (std::holds_alternative<std::monostate>(v))
        return "";
    return m_schema.id_field + "=" + printable(to_display(v));
}

}  // namespace lantern::core
