#pragma once
// The fire access map: streets the vehicle cannot use or finds closed,
// buildings by what falls short, hydrants, the stations and suggested
// hydrant sites, over the town's relief.

#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/network/dead_ends.hpp>

#include "fire_internal.hpp"

namespace lantern::layers::fire {

struct FireMapInputs {
    const FireStreets& streets;
    const FireCity& city;
    const Reach& run;
    const std::vector<Flags>& flags;
    const std::vector<Suggestion>& suggestions;
    const std::vector<core::DeadEnd>& dead_ends;
};

void draw_fire_map(const core::Storage& storage, const FireMapInputs& inputs, const nlohmann::json& summary,
                   const FireOptions& options);

}  // namespace lantern::layers::fire
