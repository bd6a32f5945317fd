// The Ancient Town's extent before there are streets (docs/sample-city.md,
// "Terrain" and "Streets"): two ellipses along the river, about the sizes of
// the heritage zones, that raise the ground of the old quarters and set
// where the streets are densest. The published heritage zones are drawn
// later from the blocks (plan.cpp).

#include "sample.hpp"

namespace lantern::layers::sample {

namespace {

constexpr double core_ha = 30;
constexpr double quarters_ha = 280;

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

OldTown make_old_town(const Geography& geo)
{
    OldTown town;
    // The core follows the old streets along the river: wider east-west.
    town.core = sized_ellipse(geo, 420, 230, core_ha * 1e4, nullptr);
    town.quarters = sized_ellipse(geo, 1100, 800, quarters_ha * 1e4, town.core.get());
    return town;
}

}  // namespace lantern::layers::sample
