// What the fire access analysis reads of the city: stations, hydrants,
// buildings with their heritage zone and ward, and the streets' nearest
// places to each building.

#include "fire_internal.hpp"

#include <array>

#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/parallel.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/geometry/polygon_locator.hpp>
#include <lantern/core/io/vector_source.hpp>
#include <lantern/layers/class_registry.hpp>

#include "../coverage/coverage_internal.hpp"
#include "../field_values.hpp"

namespace lantern::layers::fire {

namespace {

// Scans a class of the city (built-in or added) by its fields' names.
template <typename Visit>
bool scan_class(const core::Storage& storage, const ClassRegistry& classes, const std::string& name, Visit&& visit)
{
    const auto* description = classes.find(name);
    if (!description || !storage.has_class(name) || !storage.class_record(name))
        return false;
    const auto& schema = description->schema;
    auto field = [&](const core::StoredFeature& f, const std::string& field_name) -> const core::Value& {
        static const core::Value none;
        auto i = detail::find_field(schema, field_name);
        return i ? f.values[*i] : none;
    };
    storage.scan(schema, [&](const core::StoredFeature& f) { visit(f, field); });
    return true;
}

// A point inside the polygon's outer ring for "which zone is it in": the
// ring's vertex mean, which lies inside the convex and near-convex
// footprints of buildings.
PlanePoint centre_of(const core::PlanePolygon& polygon)
{
    PlanePoint c;
    for (const auto& p : polygon.exterior) {
        c.x += p.x;
        c.y += p.y;
    }
    auto n = static_cast<double>(std::max<std::size_t>(1, polygon.exterior.size()));
    return {c.x / n, c.y / n};
}

}  // namespace

FireCity read_fire_city(const core::Storage& storage)
{
    auto classes = city_classes(storage);
    FireCity city;
    bool has_stations = scan_class(storage, classes, "fire_stations", [&](const core::StoredFeature& f, auto field) {
        auto at = coverage::point_of(f.wkb);
        if (at)
            city.stations.push_back(
                {detail::text_value(field(f, "station_id")), detail::text_value(field(f, "name")), *at});
    });
    if (!has_stations || city.stations.empty())
        throw core::DataError("fire access needs the fire stations: add the class (lantern classes add CITY "
                              "data/classes/fire_stations.json) and import them");
    city.inputs = {"roads", "fire_stations", "buildings"};
    if (scan_class(storage, classes, "hydrants", [&](const core::StoredFeature& f, auto field) {
            auto at = coverage::point_of(f.wkb);
            if (at)
                city.hydrants.push_back({detail::text_value(field(f, "hydrant_id")),
                                         detail::text_value(field(f, "status")) != "faulty", false, *at});
        }))
        city.inputs.push_back("hydrants");

    std::vector<std::vector<core::PlanePolygon>> zones;
    std::vector<std::string> protections;
    if (scan_class(storage, classes, "heritage_zones", [&](const core::StoredFeature& f, auto field) {
            zones.push_back(coverage::polygons_of(f.wkb));
            protections.push_back(detail::text_value(field(f, "protection")));
        }))
        city.inputs.push_back("heritage_zones");
    core::PolygonLocator heritage(zones);
    city.wards = WardLocator::read(storage);
    if (storage.has_class("wards") && storage.class_record("wards"))
        city.inputs.push_back("wards");

    std::vector<core::StoredFeature> features;
    std::vector<std::array<std::string, 3>> texts;
    if (!scan_class(storage, classes, "buildings",
                    [&](const core::StoredFeature& f, auto field) {
                        texts.push_back({detail::text_value(field(f, "building_id")),
                                         detail::text_value(field(f, "use")), detail::text_value(field(f, "name"))});
                        features.push_back(f);
                    }) ||
        features.empty())
        throw core::DataError("fire access needs the buildings: import them first");
    city.buildings.resize(features.size());
    core::parallel_for_chunks(features.size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            auto& b = city.buildings[i];
            b.id = std::move(texts[i][0]);
            b.use = std::move(texts[i][1]);
            b.name = std::move(texts[i][2]);
            b.parts = coverage::polygons_of(features[i].wkb);
            b.wkb = std::move(features[i].wkb);
            if (b.parts.empty())
                continue;
            auto centre = centre_of(b.parts.front());
            if (auto zone = heritage.locate(centre))
                b.heritage = protections[*zone];
            b.ward = city.wards.ward_at(centre);
        }
    });
    return city;
}

std::vector<Hydrant> read_hydrant_file(const core::Storage& storage, const std::string& path)
{
    core::VectorSource source({path, "", {}});
    auto& layer = source.layer();
    core::Transform to_city(source.crs().value_or(core::Crs::wgs84()), core::Crs::from_user(storage.city().crs));
    const auto* defn = layer.GetLayerDefn();
    auto text = [&](OGRFeature& feature, const char* field) {
        int i = defn->GetFieldIndex(field);
        return i >= 0 && feature.IsFieldSetAndNotNull(i) ? std::string(feature.GetFieldAsString(i)) : std::string();
    };
    std::vector<Hydrant> out;
    std::int64_t number = 0;
    layer.ResetReading();
    for (auto& feature : layer) {
        ++number;
        auto* geometry = feature->GetGeometryRef();
        if (!geometry || wkbFlatten(geometry->getGeometryType()) != wkbPoint)
            throw core::DataError(source.label() + ", feature " + std::to_string(number) +
                                  ": the geometry must be a point");
        double x = geometry->toPoint()->getX(), y = geometry->toPoint()->getY();
        to_city.apply(x, y);
        Hydrant h{text(*feature, "hydrant_id"), true, true, {x, y}};
        if (h.id.empty())
            h.id = "added-" + std::to_string(number);
        auto status = text(*feature, "status");
        if (!status.empty() && status != "working" && status != "faulty")
            throw core::DataError(source.label() + ", feature " + std::to_string(number) + ", field status: '" +
                                  status + "' is not working or faulty");
        h.working = status != "faulty";
        out.push_back(std::move(h));
    }
    if (out.empty())
        throw core::DataError(source.label() + ": no hydrant (point) in the file");
    return out;
}

std::vector<Nearest> nearest_streets(const std::vector<Building>& buildings, const core::EdgeLocator& access_locator,
                                     const core::EdgeLocator* street_locator)
{
    std::vector<Nearest> out(buildings.size());
    auto nearest_to = [](const core::EdgeLocator& locator, const Building& b) {
        std::optional<core::NearestEdgePoint> best;
        for (const auto& part : b.parts) {
            auto found = locator.nearest(part);
            if (found && (!best || found->gap < best->gap))
                best = found;
        }
        return best;
    };
    core::parallel_for_chunks(buildings.size(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            out[i].access = nearest_to(access_locator, buildings[i]);
            if (street_locator)
                out[i].street = nearest_to(*street_locator, buildings[i]);
        }
    });
    return out;
}

}  // namespace lantern::layers::fire
