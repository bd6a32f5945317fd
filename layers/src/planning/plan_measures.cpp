#include "plan_measures.hpp"

#include <lantern/core/base/parallel.hpp>

#include "../geos_ops.hpp"

namespace lantern::layers::planning {

namespace {

// The zone of `zones` holding most of the geometry, or no_zone.
std::size_t zone_holding_most(const GeosOps& geos, const PlanData& plan, const GEOSGeometry* g, const BBox& box)
{
    std::size_t best = no_zone;
    double best_area = 0;
    for (auto z : plan.zones.touching(box)) {
        double a = geos.area(geos.intersection(g, geos.read(plan.zones.wkb[z]).get()).get());
        if (a > best_area) {
            best_area = a;
            best = z;
        }
    }
    return best;
}

int ward_of(const GeosOps& geos, const PlanData& plan, const GEOSGeometry* g)
{
    auto [x, y] = geos.xy(geos.point_on_surface(g).get());
    return plan.wards.ward_at({x, y});
}

}  // namespace

std::vector<ParcelMeasure> measure_parcels(const PlanData& plan)
{
    std::vector<ParcelMeasure> out(plan.parcels.size());
    core::parallel_for_chunks(out.size(), [&](std::size_t begin, std::size_t end) {
        GeosOps geos;
        for (std::size_t i = begin; i < end; ++i) {
            auto& m = out[i];
            auto parcel = geos.read(plan.parcels.wkb[i]);
            const auto& box = plan.parcels.boxes[i];
            m.area_m2 = geos.area(parcel.get());
            m.zone = zone_holding_most(geos, plan, parcel.get(), box);
            m.ward = ward_of(geos, plan, parcel.get());
            std::vector<GeosOps::Geometry> on_parcel;
            for (auto b : plan.buildings.touching(box)) {
                auto building = geos.read(plan.buildings.wkb[b]);
                double part = geos.area(geos.intersection(building.get(), parcel.get()).get());
                if (part <= 0)
                    continue;
                ++m.buildings;
                m.floor_area_m2 += part * plan.buildings.records[b].floors_for_area();
                on_parcel.push_back(std::move(building));
            }
            if (on_parcel.empty()) {
                m.free_m2 = m.area_m2;
                continue;
            }
            auto built = geos.union_all(std::move(on_parcel));
            m.built_m2 = geos.area(geos.intersection(built.get(), parcel.get()).get());
            m.free_m2 = geos.area(geos.difference(parcel.get(), built.get()).get());
        }
    });
    return out;
}

std::vector<BuildingMeasure> measure_buildings(const PlanData& plan)
{
    std::vector<BuildingMeasure> out(plan.buildings.size());
    core::parallel_for_chunks(out.size(), [&](std::size_t begin, std::size_t end) {
        GeosOps geos;
        for (std::size_t i = begin; i < end; ++i) {
            auto building = geos.read(plan.buildings.wkb[i]);
            out[i].zone = zone_holding_most(geos, plan, building.get(), plan.buildings.boxes[i]);
            out[i].ward = ward_of(geos, plan, building.get());
        }
    });
    return out;
}

WardNames ward_names(const PlanData& plan, int ward)
{
    if (ward < 0)
        return {};
    const auto& w = plan.wards.wards()[static_cast<std::size_t>(ward)];
    return {w.code, w.name, w.unit_name};
}

}  // namespace lantern::layers::planning
