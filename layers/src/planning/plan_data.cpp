#include "plan_data.hpp"

#include <algorithm>
#include <memory>
#include <sstream>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/catalogue.hpp>

#include "../field_values.hpp"

namespace lantern::layers::planning {

namespace {

std::optional<std::int64_t> whole_value(const core::Value& v)
{
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return *i;
    if (const auto* d = std::get_if<double>(&v))
        return static_cast<std::int64_t>(*d);
    return std::nullopt;
}

std::vector<std::string> codes_in(const std::string& list)
{
    std::vector<std::string> out;
    std::stringstream in(list);
    std::string code;
    while (std::getline(in, code, ','))
        if (auto first = code.find_first_not_of(' '); first != std::string::npos)
            out.push_back(code.substr(first, code.find_last_not_of(' ') - first + 1));
    return out;
}

// A field's position, or none where the stored class predates the field.
std::optional<std::size_t> optional_field(const core::ClassSchema& schema, const std::string& name)
{
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        if (schema.fields[i].name == name)
            return i;
    return std::nullopt;
}

template <typename Record, typename Make>
Indexed<Record> read_class(const core::Storage& storage, const std::string& name, Make make)
{
    Indexed<Record> out;
    if (!storage.has_class(name))
        return out;
    const auto& schema = feature_class(name);
    std::vector<std::pair<BBox, std::size_t>> boxes;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        BBox box;
        try {
            box = box_of(f.wkb);
        } catch (const core::DataError&) {
            throw core::DataError(name + " feature " + std::to_string(f.fid) +
                                  ": the geometry could not be read (bad WKB)");
        }
        boxes.emplace_back(box, out.records.size());
        out.boxes.push_back(box);
        out.records.push_back(make(schema, f.values));
        out.wkb.push_back(f.wkb);
        out.fids.push_back(f.fid);
    });
    out.tree = decltype(out.tree)(boxes.begin(), boxes.end());  // packed
    return out;
}

}  // namespace

bool ZoneRules::allows(const std::string& land_use) const
{
    return land_uses.empty() || std::find(land_uses.begin(), land_uses.end(), land_use) != land_uses.end();
}

bool ZoneRules::allows_building() const
{
    auto above_zero = [](const auto& rule) { return !rule || *rule > 0; };
    return above_zero(max_floors) && above_zero(max_height_m) && above_zero(max_coverage_pct) &&
           above_zero(max_far);
}

std::string ZoneRules::source() const
{
    return plan_ref.empty() ? "zone " + id : plan_ref + ", zone " + id;
}

std::string HeritageRules::source() const
{
    std::string zone = "heritage zone " + protection + (name.empty() ? "" : " (" + name + ")");
    return rules.empty() ? zone : zone + ": " + rules;
}

template <typename Record>
std::vector<std::size_t> Indexed<Record>::touching(const BBox& box) const
{
    std::vector<std::pair<BBox, std::size_t>> found;
    tree.query(bgi::intersects(box), std::back_inserter(found));
    std::vector<std::size_t> out;
    out.reserve(found.size());
    for (const auto& f : found)
        out.push_back(f.second);
    std::sort(out.begin(), out.end());
    return out;
}

template struct Indexed<ZoneRules>;
template struct Indexed<HeritageRules>;
template struct Indexed<ParcelRecord>;
template struct Indexed<BuildingRecord>;
template struct Indexed<SiteRecord>;

BBox box_of(const core::Wkb& wkb)
{
    OGRGeometry* parsed = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &parsed, wkb.size()) != OGRERR_NONE || !parsed)
        throw core::DataError("bad WKB");
    std::unique_ptr<OGRGeometry> g(parsed);
    OGREnvelope e;
    g->getEnvelope(&e);
    return BBox({e.MinX, e.MinY}, {e.MaxX, e.MaxY});
}

BBox grown(const BBox& box, double by)
{
    return BBox({box.min_corner().x() - by, box.min_corner().y() - by},
                {box.max_corner().x() + by, box.max_corner().y() + by});
}

PlanData PlanData::read(const core::Storage& storage)
{
    using detail::field_index;
    using detail::real_value;
    using detail::text_value;
    PlanData d;
    d.crs = storage.city().crs;
    d.zones = read_class<ZoneRules>(storage, "zones", [](const core::ClassSchema& s, const auto& v) {
        ZoneRules z;
        z.id = text_value(v[field_index(s, "zone_id")]);
        z.type = text_value(v[field_index(s, "zone_type")]);
        z.plan_ref = text_value(v[field_index(s, "plan_ref")]);
        z.max_height_m = real_value(v[field_index(s, "max_height_m")]);
        z.max_floors = whole_value(v[field_index(s, "max_floors")]);
        z.max_coverage_pct = real_value(v[field_index(s, "max_coverage_pct")]);
        z.max_far = real_value(v[field_index(s, "max_far")]);
        z.land_uses = codes_in(text_value(v[field_index(s, "land_uses")]));
        return z;
    });
    d.heritage_zones = read_class<HeritageRules>(storage, "heritage_zones", [](const core::ClassSchema& s, const auto& v) {
        HeritageRules h;
        h.id = text_value(v[field_index(s, "zone_id")]);
        h.protection = text_value(v[field_index(s, "protection")]);
        h.name = text_value(v[field_index(s, "name")]);
        h.rules = text_value(v[field_index(s, "rules")]);
        if (auto i = optional_field(s, "max_height_m"))
            h.max_height_m = real_value(v[*i]);
        if (auto i = optional_field(s, "max_floors"))
            h.max_floors = whole_value(v[*i]);
        if (auto i = optional_field(s, "min_site_distance_m"))
            h.min_site_distance_m = real_value(v[*i]);
        return h;
    });
    d.parcels = read_class<ParcelRecord>(storage, "parcels", [](const core::ClassSchema& s, const auto& v) {
        return ParcelRecord{text_value(v[field_index(s, "parcel_id")]), text_value(v[field_index(s, "land_use")]),
                            text_value(v[field_index(s, "address")])};
    });
    d.buildings = read_class<BuildingRecord>(storage, "buildings", [](const core::ClassSchema& s, const auto& v) {
        BuildingRecord b;
        b.id = text_value(v[field_index(s, "building_id")]);
        b.height_m = real_value(v[field_index(s, "height_m")]);
        b.levels = whole_value(v[field_index(s, "levels")]);
        b.permit = text_value(v[field_index(s, "permit")]);
        return b;
    });
    d.heritage_sites = read_class<SiteRecord>(storage, "heritage_sites", [](const core::ClassSchema& s, const auto& v) {
        return SiteRecord{text_value(v[field_index(s, "site_id")]), text_value(v[field_index(s, "name")]),
                          text_value(v[field_index(s, "rank")])};
    });
    d.wards = WardLocator::read(storage);
    return d;
}

std::vector<std::string> PlanData::input_classes(const core::Storage& storage)
{
    std::vector<std::string> out;
    for (const char* name : {"zones", "heritage_zones", "parcels", "buildings", "heritage_sites", "wards"})
        if (storage.has_class(name))
            out.push_back(name);
    return out;
}

}  // namespace lantern::layers::planning
