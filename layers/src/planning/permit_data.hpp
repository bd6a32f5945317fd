#pragma once
// What a PermitChecker holds (permit_check.hpp): the plan, the parcels by id,
// the DEM and the current flood depths.

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <lantern/core/raster/grid.hpp>
#include <lantern/layers/permit_check.hpp>

#include "plan_data.hpp"

namespace lantern::layers {

struct FloodDepths {
    double stage = 0;
    std::string result;
    core::FloatGrid depth;
};

struct PermitChecker::Data {
    planning::PlanData plan;
    std::map<std::string, std::size_t> parcel_by_id;
    std::optional<core::FloatGrid> dem;
    std::vector<FloodDepths> floods;
    std::string city_crs;

    const FloodDepths* flood_at(double stage) const
    {
        for (const auto& f : floods)
            if (std::abs(f.stage - stage) < 1e-6)
                return &f;
        return nullptr;
    }
};

}  // namespace lantern::layers
