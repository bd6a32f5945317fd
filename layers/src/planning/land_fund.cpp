// The land fund (plan_compliance.hpp): vacant and underused parcels with the
// floor area the plan still allows on them.

#include <lantern/layers/plan_compliance.hpp>

#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/layers/catalogue.hpp>

#include "../field_builders.hpp"
#include "compliance_map.hpp"
#include "plan_data.hpp"
#include "plan_measures.hpp"

namespace lantern::layers {

namespace {

using core::Value;
using json = nlohmann::json;
using namespace planning;

// The floor area a zone allows on a parcel: by its floor-area ratio, else by
// its coverage times its floors; none when it gives neither.
std::optional<double> allowed_floor_area(const ZoneRules& z, double parcel_m2)
{
    if (z.max_far)
        return *z.max_far * parcel_m2;
    if (z.max_coverage_pct && z.max_floors)
        return *z.max_coverage_pct / 100 * static_cast<double>(*z.max_floors) * parcel_m2;
    return std::nullopt;
}

struct Found {
    std::size_t parcel;
    bool vacant;
    double allowed;
};

struct WardFund {
    std::int64_t vacant = 0, underused = 0;
    double vacant_m2 = 0, underused_m2 = 0, remaining_floor_area_m2 = 0;
};

}  // namespace

nlohmann::json run_land_fund(core::Storage& storage, const LandFundOptions& options)
{
    auto log = [&](const std::string& line) {
        if (options.log)
            std::cerr << line << "\n";
    };
    if (!(options.underused_share > 0 && options.underused_share < 1))
        throw core::UsageError("--underused must be a share between 0 and 1 (default 0.25)");
    if (!storage.has_class("zones") || !storage.has_class("parcels"))
        throw core::DataError("the land fund needs the plan's zones and the parcels: import them first");
    auto inputs = core::current_inputs(storage, PlanData::input_classes(storage));
    log("reading the plan, parcels and buildings");
    auto plan = PlanData::read(storage);
    log("measuring " + std::to_string(plan.parcels.size()) + " parcels: buildings on them (GEOS overlays)");
    auto parcels = measure_parcels(plan);

    std::vector<Found> found;
    for (std::size_t i = 0; i < parcels.size(); ++i) {
        const auto& m = parcels[i];
        const auto& p = plan.parcels.records[i];
        if (m.zone == no_zone || is_agricultural(p.land_use))
            continue;
        const auto& z = plan.zones.records[m.zone];
        if (!z.allows_building() || !z.allows(p.land_use))
            continue;
        auto allowed = allowed_floor_area(z, m.area_m2);
        if (!allowed || *allowed <= 0)
            continue;
        if (m.buildings == 0)
            found.push_back({i, true, *allowed});
        else if (m.floor_area_m2 < options.underused_share * *allowed)
            found.push_back({i, false, *allowed});
    }

    log("storing land_fund and land_fund_wards");
    json parameters = {{"underused_share", options.underused_share}};
    core::ResultBatch batch(storage, "land", parameters, inputs);
    auto& sink = batch.add_features(
        "land_fund",
        "Vacant parcels (no building, in a zone that allows building, not farmland) and underused ones (built "
        "floor area under a share of what the zone allows), with the floor area the plan still allows.",
        detail::result_schema(core::GeometryKind::polygon, {
            detail::text("parcel_id", "parcel identifier"),
            detail::text("status", "vacant or underused"),
            detail::text("land_use", "the parcel's land-use code"),
            detail::text("zone_id", "the zone holding most of the parcel"),
            detail::text("zone_type", "the zone's planned use"),
            detail::measured("area_m2", "the parcel's area, square metres"),
            detail::measured("free_m2", "land no building covers, square metres"),
            detail::measured("floor_area_m2", "floor area built, square metres"),
            detail::measured("allowed_floor_area_m2", "floor area the zone allows on the parcel, square metres"),
            detail::measured("remaining_floor_area_m2", "floor area the plan still allows, square metres"),
            detail::text("address", "street address"),
            detail::text("ward", "ward code"),
            detail::text("ward_name", "ward name"),
            detail::text("unit_name", "the unit the ward is part of now, where it was reorganised"),
        }));
    std::vector<WardFund> wards(plan.wards.size());
    json totals = {{"vacant", 0}, {"underused", 0}, {"vacant_m2", 0.0}, {"underused_m2", 0.0},
                   {"remaining_floor_area_m2", 0.0}};
    for (const auto& f : found) {
        const auto& m = parcels[f.parcel];
        const auto& p = plan.parcels.records[f.parcel];
        const auto& z = plan.zones.records[m.zone];
        auto ward = ward_names(plan, m.ward);
        double remaining = std::max(0.0, f.allowed - m.floor_area_m2);
        sink.insert(plan.parcels.wkb[f.parcel],
                    {Value(p.id), Value(f.vacant ? "vacant" : "underused"), Value(p.land_use), Value(z.id),
                     Value(z.type), Value(planning::rounded(m.area_m2, 2)), Value(planning::rounded(m.free_m2, 2)),
                     Value(planning::rounded(m.floor_area_m2, 2)), Value(planning::rounded(f.allowed, 2)),
                     Value(planning::rounded(remaining, 2)), p.address.empty() ? Value() : Value(p.address),
                     Value(ward.code), Value(ward.name), ward.unit.empty() ? Value() : Value(ward.unit)});
        std::string kind = f.vacant ? "vacant" : "underused";
        totals[kind] = totals[kind].get<std::int64_t>() + 1;
        totals[kind + "_m2"] = totals[kind + "_m2"].get<double>() + m.area_m2;
        totals["remaining_floor_area_m2"] = totals["remaining_floor_area_m2"].get<double>() + remaining;
        if (m.ward >= 0) {
            auto& w = wards[static_cast<std::size_t>(m.ward)];
            (f.vacant ? w.vacant : w.underused) += 1;
            (f.vacant ? w.vacant_m2 : w.underused_m2) += m.area_m2;
            w.remaining_floor_area_m2 += remaining;
        }
    }
    std::vector<core::FieldDef> ward_fields = {detail::text("ward_code", "ward code"), detail::text("name", "ward name")};
    auto unit_fields = ward_unit_fields();
    ward_fields.insert(ward_fields.end(), unit_fields.begin(), unit_fields.end());
    ward_fields.insert(ward_fields.end(),
                       {detail::counted("vacant", "vacant parcels"),
                        detail::measured("vacant_m2", "their area, square metres"),
                        detail::counted("underused", "underused parcels"),
                        detail::measured("underused_m2", "their area, square metres"),
                        detail::measured("remaining_floor_area_m2",
                                         "floor area the plan still allows on them, square metres")});
    auto& ward_sink = batch.add_features("land_fund_wards", "The land fund by ward.",
                                         detail::result_schema(core::GeometryKind::polygon, std::move(ward_fields)));
    json ward_rows = json::array();
    for (std::size_t w = 0; w < wards.size(); ++w) {
        const auto& ward = plan.wards.wards()[w];
        const auto& t = wards[w];
        auto unit = ward_unit_values(ward);
        ward_sink.insert(ward.wkb, {Value(ward.code), Value(ward.name), unit[0], unit[1], Value(t.vacant), Value(planning::rounded(t.vacant_m2, 2)),
                                    Value(t.underused), Value(planning::rounded(t.underused_m2, 2)),
                                    Value(planning::rounded(t.remaining_floor_area_m2, 2))});
        ward_rows.push_back({{"ward_code", ward.code}, {"name", ward.name}, {"label", ward.label()},
                             {"unit_name", ward.current_name()}, {"vacant", t.vacant},
                             {"vacant_m2", planning::rounded(t.vacant_m2, 2)}, {"underused", t.underused},
                             {"underused_m2", planning::rounded(t.underused_m2, 2)},
                             {"remaining_floor_area_m2", planning::rounded(t.remaining_floor_area_m2, 2)}});
    }
    batch.commit();
    for (const char* key : {"vacant_m2", "underused_m2", "remaining_floor_area_m2"})
        totals[key] = planning::rounded(totals[key].get<double>(), 2);
    json summary = {{"parcels_checked", parcels.size()},
                    {"underused_share", options.underused_share},
                    {"totals", totals},
                    {"wards", ward_rows},
                    {"results", {"land_fund", "land_fund_wards"}}};
    if (options.map.path) {
        MarkedKind vacant{"vacant parcel", {26, 152, 80, 230}, {}};
        MarkedKind underused{"underused parcel", {166, 217, 106, 230}, {}};
        for (const auto& f : found)
            (f.vacant ? vacant : underused).shapes.push_back(plan.parcels.wkb[f.parcel]);
        log("drawing " + *options.map.path);
        draw_compliance_map(storage, "the land fund",
                            {std::to_string(totals["vacant"].get<std::int64_t>()) + " vacant and " +
                                 std::to_string(totals["underused"].get<std::int64_t>()) + " underused parcels",
                             "floor area the plan still allows: " +
                                 std::to_string(static_cast<std::int64_t>(totals["remaining_floor_area_m2"].get<double>())) +
                                 " m²"},
                            {underused, vacant, building_marks(plan.buildings.wkb)}, options.map);
        summary["map"] = *options.map.path;
    }
    return summary;
}

}  // namespace lantern::layers
