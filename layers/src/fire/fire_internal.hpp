#pragma once
// The fire access analysis's parts, private to layers/src/fire.

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <lantern/core/base/numbers.hpp>
#include <lantern/core/network/dead_ends.hpp>
#include <lantern/core/network/edge_locator.hpp>
#include <lantern/core/network/shortest_paths.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/fire_access.hpp>
#include <lantern/layers/ward_locator.hpp>

#include "fire_streets.hpp"

namespace lantern::layers::fire {

using core::PlanePoint;

struct Station {
    std::string id, name;
    PlanePoint at;
};

struct Hydrant {
    std::string id;
    bool working = true;
    bool added = false;  // from --add-hydrants
    PlanePoint at;
};

struct Building {
    std::string id, use, name;
    std::string heritage;  // protection of the heritage zone holding its centre: "I", "II" or ""
    int ward = -1;
    core::Wkb wkb;
    std::vector<core::PlanePolygon> parts;
};

struct FireCity {
    std::vector<Station> stations;
    std::vector<Hydrant> hydrants;
    std::vector<Building> buildings;
    WardLocator wards;
    std::vector<std::string> inputs;  // the classes read, for the results' provenance
};

// Throws DataError when the city has no fire station or no buildings.
FireCity read_fire_city(const core::Storage& storage);
// Hydrants from a vector file of points, in the city CRS: hydrant_id and
// status where the file has them (else "added-K", working). Throws DataError
// naming the file and the feature.
std::vector<Hydrant> read_hydrant_file(const core::Storage& storage, const std::string& path);

// Where each building's nearest place on the streets is: on any street (for
// the hose and the hydrants), and on a street the vehicle may use.
struct Nearest {
    std::optional<core::NearestEdgePoint> street;  // any edge
    std::optional<core::NearestEdgePoint> access;  // an edge the vehicle may use
};
std::vector<Nearest> nearest_streets(const std::vector<Building>& buildings, const core::EdgeLocator& access_locator,
                                     const core::EdgeLocator* street_locator);

// What the vehicle reaches over the usable edges: each building's route from
// the nearest station and its hose run.
struct BuildingReach {
    std::uint32_t station = core::no_index;  // index into FireCity::stations
    double route_m = core::unreached;
    double time_s = core::unreached;
    double hose_m = core::unreached;  // along the streets, plus the straight stretch
    bool reachable() const { return station != core::no_index; }
};
struct Reach {
    std::vector<std::uint8_t> usable;     // per edge
    std::vector<std::uint8_t> reachable;  // per edge: usable and joined to a station
    std::vector<Nearest> nearest;         // per building; street only in the first
    std::vector<BuildingReach> buildings;
};
// `street` gives each building's street point (computed once; when null they
// are found here through `any_street`, a locator over every edge, and kept in
// the answer's nearest).
Reach vehicle_reach(const FireStreets& streets, const FireCity& city, const core::EdgeLocator& any_street,
                    const std::vector<Nearest>* street);

// The nearest working hydrant of each building along any street, to its
// street point.
struct HydrantReach {
    std::uint32_t hydrant = core::no_index;
    double distance_m = core::unreached;
};
std::vector<HydrantReach> hydrant_reach(const FireStreets& streets, const std::vector<Hydrant>& hydrants,
                                        const std::vector<Nearest>& nearest, const core::EdgeLocator& any_street);

// What falls short for one building in the run's scenario.
struct Flags {
    bool unreachable = false, beyond_target = false, beyond_hose = false, no_hydrant = false;
    bool lost_access = false;   // within reach in the dry season, not at the stage
    bool access_moved = false;  // at the stage the engine must stop at another place
    bool gap() const { return unreachable || beyond_hose || beyond_target; }
    // "unreachable, beyond hose reach"
    std::string reasons() const;
};

// Greedy placement of new hydrants: candidates every `spacing` metres along
// the streets near the target buildings (their street points), each covering
// the targets within `reach` along the streets.
struct Suggestion {
    PlanePoint at;
    std::vector<std::size_t> buildings;  // newly brought within reach
};
std::vector<Suggestion> suggest_hydrants(const FireStreets& streets, const std::vector<Nearest>& nearest,
                                         const std::vector<std::size_t>& targets, double reach, std::size_t count,
                                         double spacing = 20);

// One run's answers, for the results, the summary and the map.
struct FireRun {
    const FireVehicle* vehicle = nullptr;
    const FireOptions* options = nullptr;
    FireStreets streets;
    FireCity city;
    Reach dry;
    std::optional<Reach> wet;  // at the stage
    std::string flood_result;  // the flood_depth result the stage's closures come from
    std::vector<HydrantReach> hydrants;
    std::vector<Flags> flags;
    std::vector<core::DeadEnd> dead_ends;  // longer than the vehicle's limit

    // The scenario the answers are for: the stage's, else the dry season's.
    const Reach& scenario() const { return wet ? *wet : dry; }
    // "R-12,R-40": the roads a dead end runs along, from its end.
    std::string dead_end_roads(const core::DeadEnd& d) const;
};

// Buildings and what falls short for them, in a ward, say.
struct FireCounts {
    std::int64_t buildings = 0, unreachable = 0, beyond_target = 0, beyond_hose = 0, no_hydrant = 0, lost_access = 0;
    std::vector<double> times;  // of those reached, seconds
    void add(const Flags& f, const BuildingReach& r);
};

// Stores fire_streets, fire_access, fire_gaps, hydrant_gaps, fire_dead_ends
// and fire_wards (one row per ward of `by_ward`) in one transaction.
void store_fire_results(core::Storage& storage, const FireRun& run, const std::vector<FireCounts>& by_ward);

// The median; NaN for none.
double median_of(std::vector<double> values);

}  // namespace lantern::layers::fire
