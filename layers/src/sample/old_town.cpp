// Heritage protection zones and planning zones (docs/sample-city.md,
// "Heritage" and "Planning zones").

#include "sample.hpp"

#include <lantern/core/error.hpp>

namespace lantern::layers::sample {

namespace {

constexpr double zone_i_ha = 30;
constexpr double zone_ii_ha = 280;

// The ellipse around the Ancient Town, cut to the city, scaled by bisection
// until its area is target_m2 (less what `minus` takes away).
GeometryPtr sized_ellipse(const Geography& geo, double a, double b, double target_m2,
                          const OGRGeometry* minus)
{
    double lo = 0.2, hi = 5.0;
    GeometryPtr best;
    for (int i = 0; i < 40; ++i) {
        double s = (lo + hi) / 2;
        auto e = ellipse(geo.ancient_town, a * s, b * s, 0.05, 96);
        auto cut = polygonal(GeometryPtr(e->Intersection(geo.boundary.get())));
        if (minus)
            cut = polygonal(GeometryPtr(cut->Difference(minus)));
        double area = area_of(*cut);
        (area < target_m2 ? lo : hi) = s;
        best = std::move(cut);
    }
    return best;
}

}  // namespace

HeritageZones make_heritage_zones(const Geography& geo)
{
    HeritageZones zones;
    // The core follows the old streets along the river: wider east-west.
    zones.zone_i = sized_ellipse(geo, 420, 230, zone_i_ha * 1e4, nullptr);
    zones.zone_ii = sized_ellipse(geo, 1100, 800, zone_ii_ha * 1e4, zones.zone_i.get());
    return zones;
}

std::vector<Zone> make_planning_zones(const Geography& geo, const HeritageZones& heritage)
{
    std::vector<Zone> zones;
    auto add = [&](std::string type, GeometryPtr area, double height, int floors, double coverage,
                   double far, std::string ref) {
        if (area_of(*area) < 1.0)
            return;
        Zone z;
        z.id = "Z-" + std::to_string(zones.size() + 1);
        z.type = std::move(type);
        z.area = std::move(area);
        z.max_height_m = height;
        z.max_floors = floors;
        z.max_coverage_pct = coverage;
        z.max_far = far;
        z.plan_ref = std::move(ref);
        zones.push_back(std::move(z));
    };
    const std::string plan = "QH-HA-2030 (synthetic)";
    auto taken = GeometryPtr(heritage.zone_i->Union(heritage.zone_ii.get()));
    add("heritage", polygonal(GeometryPtr(heritage.zone_i->clone())), 8.0, 2, 70, 1.4, plan);
    add("mixed-use", polygonal(GeometryPtr(heritage.zone_ii->clone())), 12.0, 3, 60, 1.8, plan);
    // Rivers and wetland inside the city are zones of their own.
    auto water = minus(*polygonal(GeometryPtr(geo.water_union->Intersection(geo.boundary.get()))),
                       *heritage.zone_i);
    water = minus(*water, *heritage.zone_ii);
    add("water", std::move(water), 0, 0, 0, 0, plan);
    taken = polygonal(GeometryPtr(taken->Union(geo.water_union.get())));
    // The tourism belt: land within 500 m of the sea on the mainland.
    GeometryPtr coast(geo.sea->Buffer(500, 8));
    auto belt = minus(*polygonal(GeometryPtr(coast->Intersection(geo.mainland.get()))), *taken);
    taken = polygonal(GeometryPtr(taken->Union(belt.get())));
    add("tourism", std::move(belt), 20.0, 5, 40, 2.0, plan);
    for (const auto& w : geo.wards) {
        auto rest = minus(*w.area, *taken);
        if (w.kind == "commune")
            add("agriculture", std::move(rest), 9.0, 2, 40, 0.8, plan);
        else
            add("residential", std::move(rest), 20.0, 5, 60, 3.0, plan);
    }
    return zones;
}

}  // namespace lantern::layers::sample
