#include <lantern/layers/ward_locator.hpp>

#include <memory>
#include <optional>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/catalogue.hpp>

#include "field_builders.hpp"
#include "field_values.hpp"

namespace lantern::layers {

namespace {

// A ward's polygons as plane rings, without the closing points.
std::vector<core::PlanePolygon> plane_polygons(const Ward& ward)
{
    OGRGeometry* parsed = nullptr;
    if (OGRGeometryFactory::createFromWkb(ward.wkb.data(), nullptr, &parsed, ward.wkb.size()) != OGRERR_NONE ||
        !parsed)
        throw core::DataError("wards feature " + std::to_string(ward.fid) + " (ward_code " + ward.code +
                              "): the geometry could not be read (bad WKB)");
    std::unique_ptr<OGRGeometry> geometry(parsed);
    auto ring = [](const OGRLinearRing& r) {
        core::PlaneRing out;
        for (int i = 0; i + 1 < r.getNumPoints(); ++i)
            out.push_back({r.getX(i), r.getY(i)});
        return out;
    };
    std::vector<core::PlanePolygon> out;
    auto add = [&](const OGRPolygon& polygon) {
        if (polygon.IsEmpty())
            return;
        out.push_back({ring(*polygon.getExteriorRing()), {}});
        for (int i = 0; i < polygon.getNumInteriorRings(); ++i)
            out.back().holes.push_back(ring(*polygon.getInteriorRing(i)));
    };
    auto type = wkbFlatten(geometry->getGeometryType());
    if (type == wkbPolygon)
        add(*geometry->toPolygon());
    else if (type == wkbMultiPolygon)
        for (const auto* part : *geometry->toMultiPolygon())
            add(*part);
    return out;
}

}  // namespace

std::string Ward::label() const
{
    const auto& now = current_name();
    return now == name ? name : now + ", formerly " + name;
}

std::vector<core::FieldDef> ward_unit_fields()
{
    return {detail::text("unit_code", "code of the unit the ward is part of now; empty where the ward is current"),
            detail::text("unit_name", "name of the unit the ward is part of now; empty where the ward is current")};
}

std::vector<core::Value> ward_unit_values(const Ward& ward)
{
    auto value = [&](const std::string& text) { return ward.has_unit() ? core::Value(text) : core::Value(); };
    return {value(ward.unit_code), value(ward.unit_name)};
}

WardLocator::WardLocator(std::vector<Ward> wards) : m_wards(std::move(wards))
{
    std::vector<std::vector<core::PlanePolygon>> polygons;
    polygons.reserve(m_wards.size());
    for (const auto& ward : m_wards)
        polygons.push_back(plane_polygons(ward));
    m_locator = core::PolygonLocator(polygons);
}

WardLocator WardLocator::read(const core::Storage& storage)
{
    std::vector<Ward> wards;
    if (!storage.has_class("wards"))
        return WardLocator();
    const auto& schema = feature_class("wards");
    auto code = detail::field_index(schema, "ward_code");
    auto name = detail::field_index(schema, "name");
    auto unit_code = detail::find_field(schema, "unit_code");
    auto unit_name = detail::find_field(schema, "unit_name");
    auto text = [](const core::StoredFeature& f, std::optional<std::size_t> field) {
        return field ? detail::text_value(f.values[*field]) : std::string();
    };
    storage.scan(schema, [&](const core::StoredFeature& f) {
        wards.push_back({f.fid, detail::text_value(f.values[code]), detail::text_value(f.values[name]), f.wkb,
                         text(f, unit_code), text(f, unit_name)});
    });
    return WardLocator(std::move(wards));
}

}  // namespace lantern::layers
