#pragma once
// What the audit and the land fund measure of every parcel and building: the
// zone holding most of it, its ward, and for a parcel the land its buildings
// cover, their floor area on it and the land left free. Measured in
// parallel, one GeosOps per chunk of features.

#include <cstddef>
#include <optional>
#include <vector>

#include "plan_data.hpp"

namespace lantern::layers::planning {

constexpr std::size_t no_zone = static_cast<std::size_t>(-1);

struct ParcelMeasure {
    std::size_t zone = no_zone;  // holding most of the parcel
    int ward = -1;               // WardLocator index, at a point inside the parcel
    double area_m2 = 0;
    double built_m2 = 0;        // the union of buildings on the parcel
    double free_m2 = 0;         // the parcel minus the buildings (GEOS difference)
    double floor_area_m2 = 0;   // each building's part on the parcel times its floors
    std::size_t buildings = 0;  // buildings with a part on the parcel
};

struct BuildingMeasure {
    std::size_t zone = no_zone;  // holding most of the footprint
    int ward = -1;
};

std::vector<ParcelMeasure> measure_parcels(const PlanData& plan);
std::vector<BuildingMeasure> measure_buildings(const PlanData& plan);

// The ward's code and name ("" for none), as results carry them.
struct WardNames {
    std::string code, name;
    std::string unit;  // the unit it is part of now, "" where it is current
};
WardNames ward_names(const PlanData& plan, int ward);

}  // namespace lantern::layers::planning
