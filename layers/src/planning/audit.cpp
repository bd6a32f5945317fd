// The compliance audit (plan_compliance.hpp): buildings over their zone's
// floors or height, parcels over their zone's coverage or floor-area ratio.

#include <lantern/layers/plan_compliance.hpp>

#include <iostream>
#include <map>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/storage/results.hpp>

#include "../field_builders.hpp"
#include "compliance_map.hpp"
#include "plan_data.hpp"
#include "plan_measures.hpp"

namespace lantern::layers {

namespace {

using core::Value;
using json = nlohmann::json;
using namespace planning;

core::ClassSchema violation_schema(const std::string& id_field, const std::string& id_description)
{
    core::ClassSchema s;
    s.layer = "results";
    s.geometry = core::GeometryKind::polygon;
    s.fields = {
        detail::text(id_field, id_description),
        detail::text("zone_id", "the zone holding most of it"),
        detail::text("rule", "the rule broken: max_floors, max_height_m, max_coverage_pct or max_far"),
        detail::real("limit", "the zone's limit", std::nullopt, std::nullopt),
        detail::real("value", "what stands", std::nullopt, std::nullopt),
        detail::real("excess", "value minus limit", std::nullopt, std::nullopt),
        detail::text("plan_ref", "the plan that sets the rule"),
        detail::text("ward", "ward code"),
        detail::text("ward_name", "ward name"),
        detail::text("unit_name", "the unit the ward is part of now, where it was reorganised"),
    };
    return s;
}

struct Violation {
    std::size_t feature;
    std::string rule;
    double limit, value;
};

Value unit_value(const WardNames& ward)
{
    return ward.unit.empty() ? Value() : Value(ward.unit);
}

struct WardCounts {
    std::int64_t buildings = 0, buildings_over = 0, parcels = 0, parcels_over = 0;
};

}  // namespace

nlohmann::json run_audit(core::Storage& storage, const AuditOptions& options)
{
    auto log = [&](const std::string& line) {
        if (options.log)
            std::cerr << line << "\n";
    };
    if (!storage.has_class("zones"))
        throw core::DataError("the city has no zones: import the plan's zones first (lantern import CITY zones FILE)");
    auto inputs = core::current_inputs(storage, PlanData::input_classes(storage));
    log("reading the plan, parcels and buildings");
    auto plan = PlanData::read(storage);
    log("measuring " + std::to_string(plan.buildings.size()) + " buildings and " +
        std::to_string(plan.parcels.size()) + " parcels against their zones (GEOS overlays)");
    auto buildings = measure_buildings(plan);
    auto parcels = measure_parcels(plan);

    std::vector<Violation> building_violations, parcel_violations;
    std::vector<WardCounts> wards(plan.wards.size());
    auto count_in = [&](int ward) -> WardCounts* { return ward >= 0 ? &wards[static_cast<std::size_t>(ward)] : nullptr; };
    for (std::size_t i = 0; i < buildings.size(); ++i) {
        auto* counts = count_in(buildings[i].ward);
        if (counts)
            ++counts->buildings;
        if (buildings[i].zone == no_zone)
            continue;
        const auto& z = plan.zones.records[buildings[i].zone];
        const auto& b = plan.buildings.records[i];
        std::size_t before = building_violations.size();
        if (z.max_floors && b.levels && *b.levels > *z.max_floors)
            building_violations.push_back({i, "max_floors", static_cast<double>(*z.max_floors), static_cast<double>(*b.levels)});
        if (z.max_height_m && b.height_m && *b.height_m > *z.max_height_m + 1e-9)
            building_violations.push_back({i, "max_height_m", *z.max_height_m, *b.height_m});
        if (counts && building_violations.size() > before)
            ++counts->buildings_over;
    }
    for (std::size_t i = 0; i < parcels.size(); ++i) {
        const auto& m = parcels[i];
        auto* counts = count_in(m.ward);
        if (counts)
            ++counts->parcels;
        if (m.zone == no_zone || m.area_m2 <= 0)
            continue;
        const auto& z = plan.zones.records[m.zone];
        std::size_t before = parcel_violations.size();
        double coverage = 100 * m.built_m2 / m.area_m2, far = m.floor_area_m2 / m.area_m2;
        if (z.max_coverage_pct && coverage > *z.max_coverage_pct + 1e-9)
            parcel_violations.push_back({i, "max_coverage_pct", *z.max_coverage_pct, coverage});
        if (z.max_far && far > *z.max_far + 1e-9)
            parcel_violations.push_back({i, "max_far", *z.max_far, far});
        if (counts && parcel_violations.size() > before)
            ++counts->parcels_over;
    }

    log("storing building_violations, parcel_violations and audit_wards");
    json parameters = json::object();
    core::ResultBatch batch(storage, "audit", parameters, inputs);
    auto& building_sink = batch.add_features(
        "building_violations", "Buildings over their zone's floors or height: one row per rule broken.",
        violation_schema("building_id", "building identifier"));
    for (const auto& v : building_violations) {
        auto ward = ward_names(plan, buildings[v.feature].ward);
        const auto& z = plan.zones.records[buildings[v.feature].zone];
        building_sink.insert(plan.buildings.wkb[v.feature],
                             {Value(plan.buildings.records[v.feature].id), Value(z.id), Value(v.rule), Value(v.limit),
                              Value(v.value), Value(planning::rounded(v.value - v.limit, 6)), Value(z.plan_ref),
                              Value(ward.code), Value(ward.name), unit_value(ward)});
    }
    auto& parcel_sink = batch.add_features(
        "parcel_violations",
        "Parcels over their zone's site coverage (percent) or floor-area ratio: one row per rule broken.",
        violation_schema("parcel_id", "parcel identifier"));
    for (const auto& v : parcel_violations) {
        auto ward = ward_names(plan, parcels[v.feature].ward);
        const auto& z = plan.zones.records[parcels[v.feature].zone];
        parcel_sink.insert(plan.parcels.wkb[v.feature],
                           {Value(plan.parcels.records[v.feature].id), Value(z.id), Value(v.rule), Value(v.limit),
                            Value(planning::rounded(v.value, 6)), Value(planning::rounded(v.value - v.limit, 6)), Value(z.plan_ref),
                            Value(ward.code), Value(ward.name), unit_value(ward)});
    }
    core::ClassSchema ward_schema;
    ward_schema.layer = "results";
    ward_schema.geometry = core::GeometryKind::polygon;
    ward_schema.fields = {detail::text("ward_code", "ward code"), detail::text("name", "ward name")};
    auto unit_fields = ward_unit_fields();
    ward_schema.fields.insert(ward_schema.fields.end(), unit_fields.begin(), unit_fields.end());
    ward_schema.fields.insert(
        ward_schema.fields.end(),
        {detail::integer("buildings", "buildings in the ward", std::nullopt, std::nullopt),
         detail::integer("buildings_over", "buildings over their zone's floors or height", std::nullopt, std::nullopt),
         detail::integer("parcels", "parcels in the ward", std::nullopt, std::nullopt),
         detail::integer("parcels_over", "parcels over their zone's coverage or floor-area ratio", std::nullopt,
                         std::nullopt)});
    auto& ward_sink = batch.add_features("audit_wards", "The audit's counts by ward.", ward_schema);
    json ward_rows = json::array();
    for (std::size_t w = 0; w < wards.size(); ++w) {
        const auto& ward = plan.wards.wards()[w];
        const auto& c = wards[w];
        auto unit = ward_unit_values(ward);
        ward_sink.insert(ward.wkb, {Value(ward.code), Value(ward.name), unit[0], unit[1], Value(c.buildings),
                                    Value(c.buildings_over), Value(c.parcels), Value(c.parcels_over)});
        ward_rows.push_back({{"ward_code", ward.code}, {"name", ward.name}, {"label", ward.label()},
                             {"unit_name", ward.current_name()}, {"buildings", c.buildings},
                             {"buildings_over", c.buildings_over}, {"parcels", c.parcels},
                             {"parcels_over", c.parcels_over}});
    }
    batch.commit();

    std::map<std::string, std::int64_t> by_rule;
    std::vector<bool> building_over(buildings.size()), parcel_over(parcels.size());
    for (const auto& v : building_violations) {
        ++by_rule[v.rule];
        building_over[v.feature] = true;
    }
    for (const auto& v : parcel_violations) {
        ++by_rule[v.rule];
        parcel_over[v.feature] = true;
    }
    auto count = [](const std::vector<bool>& flags) { return std::count(flags.begin(), flags.end(), true); };
    json summary = {
        {"buildings", {{"checked", buildings.size()}, {"over", count(building_over)}, {"violations", building_violations.size()}}},
        {"parcels", {{"checked", parcels.size()}, {"over", count(parcel_over)}, {"violations", parcel_violations.size()}}},
        {"by_rule", by_rule},
        {"wards", ward_rows},
        {"results", {"building_violations", "parcel_violations", "audit_wards"}},
    };

    if (options.map.path) {
        MarkedKind parcel_kind{"parcel over its coverage or floor-area ratio", {253, 174, 97, 230}, {}};
        MarkedKind building_kind{"building over its floors or height", {215, 25, 28, 255}, {}};
        for (std::size_t i = 0; i < parcels.size(); ++i)
            if (parcel_over[i])
                parcel_kind.shapes.push_back(plan.parcels.wkb[i]);
        for (std::size_t i = 0; i < buildings.size(); ++i)
            if (building_over[i])
                building_kind.shapes.push_back(plan.buildings.wkb[i]);
        log("drawing " + *options.map.path);
        draw_compliance_map(storage, "buildings and parcels over the plan's limits",
                            {std::to_string(count(building_over)) + " of " + std::to_string(buildings.size()) +
                                 " buildings over their zone's floors or height",
                             std::to_string(count(parcel_over)) + " of " + std::to_string(parcels.size()) +
                                 " parcels over their coverage or floor-area ratio"},
                            {building_marks(plan.buildings.wkb), parcel_kind, building_kind}, options.map);
        summary["map"] = *options.map.path;
    }
    return summary;
}

}  // namespace lantern::layers
