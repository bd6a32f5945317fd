#pragma once
// Fire access (docs/fire.md): can a fire engine reach every building, how
// long it takes from the nearest station, how far the hose must run from
// where the engine stops, and how far along the streets the nearest working
// hydrant is; in the dry season, or with the streets closed that a flood at a
// river stage puts under more than a passable depth of water.
//
// The streets are the roads class noded into a graph (core's StreetGraph);
// a vehicle may use the streets at least as wide as it needs. A plain run
// stores fire_streets, fire_access, fire_gaps, hydrant_gaps, fire_dead_ends
// and fire_wards in one transaction; a what-if run (hydrants added, roads
// closed) and placement (--suggest-hydrants) store nothing.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/plan_compliance.hpp>

namespace lantern::layers {

// What a kind of fire vehicle needs of a street (docs/fire.md, with sources).
struct FireVehicle {
    std::string name;
    std::string description;
    double min_width_m = 3.5;       // carriageway it needs
    double dead_end_limit_m = 150;  // a longer dead end needs a turning area
    bool footways = false;          // whether it may use footways, paths and steps
    std::string source;
};

// standard, mini, motorbike.
const std::vector<FireVehicle>& fire_vehicles();
// Throws UsageError naming the known vehicles.
const FireVehicle& fire_vehicle(const std::string& name);

// Travel speed of an emergency run on a road class, km/h (docs/fire.md).
double fire_speed_kmh(const std::string& road_class);

struct FireOptions {
    std::string vehicle = "standard";
    // Closes the streets flooded deeper than passable_depth_m at this river
    // stage, read from the stored flood_depth result of the stage.
    std::optional<double> stage_m;
    double passable_depth_m = 0.3;
    double hose_reach_m = 100;     // hose from where the engine stops
    double hydrant_reach_m = 150;  // along the streets to a working hydrant
    double target_s = 480;         // response: travel time from the station
    // What-if: hydrants added from a vector file of points; roads closed by id.
    std::optional<std::string> add_hydrants;
    std::vector<std::string> close_roads;
    // Placement: up to this many new hydrants that bring the most heritage
    // houses (zone I) into a working hydrant's reach.
    std::size_t suggest_hydrants = 0;
    ComplianceMapOptions map;
    bool log = true;
};

// Whether the run only answers and stores nothing.
inline bool stores_nothing(const FireOptions& o)
{
    return o.add_hydrants || !o.close_roads.empty() || o.suggest_hydrants > 0;
}

// Runs the analysis; returns the summary the CLI prints.
nlohmann::json run_fire_access(core::Storage& storage, const FireOptions& options);

}  // namespace lantern::layers
