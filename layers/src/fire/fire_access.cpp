// Fire access (fire_access.hpp): the vehicles, a run and its summary; the
// results are stored by fire_results.cpp.

#include <lantern/layers/fire_access.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/network/dead_ends.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/layers/flood.hpp>

#include "fire_internal.hpp"
#include "fire_map.hpp"

namespace lantern::layers {

const std::vector<FireVehicle>& fire_vehicles()
{
    static const std::vector<FireVehicle> vehicles = {
        {"standard", "a standard fire engine (about 2.5 m wide, 8-10 m long)", 3.5, 150, false,
         "QCVN 06:2010/BXD 5.2, kept in QCVN 06:2022/BXD: a fire-engine road is at least 3.5 m wide a lane; "
         "a one-lane dead end at most 150 m long unless it ends in a turning area"},
        {"mini", "a small fire engine for narrow streets (about 1.9 m wide)", 2.5, 150, false,
         "the vehicle's width with 0.3 m each side; the dead-end rule as for the standard engine"},
        {"motorbike", "a fire motorbike unit with a portable pump", 1.2, 1e9, true,
         "a motorbike's handlebars with room to pass; it turns anywhere, so no dead end binds it"},
    };
    return vehicles;
}

const FireVehicle& fire_vehicle(const std::string& name)
{
    std::string known;
    for (const auto& v : fire_vehicles()) {
        if (v.name == name)
            return v;
        known += (known.empty() ? "" : ", ") + v.name;
    }
    throw core::UsageError("--vehicle: '" + name + "' is not a vehicle (" + known + ")");
}

namespace {

using json = nlohmann::json;
using namespace fire;

json json_or_null(double value, int decimals)
{
    return std::isfinite(value) ? json(core::rounded(value, decimals)) : json(nullptr);
}

double percentile(std::vector<double> values, double share)
{
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    auto k = static_cast<std::size_t>(std::ceil(share * static_cast<double>(values.size()))) - 1;
    return values[std::min(k, values.size() - 1)];
}

Flags flags_of(const BuildingReach& r, const HydrantReach& h, const FireOptions& o)
{
    Flags f;
    f.unreachable = !r.reachable();
    f.beyond_target = r.reachable() && r.time_s > o.target_s;
    f.beyond_hose = !(r.hose_m <= o.hose_reach_m);
    f.no_hydrant = !(h.distance_m <= o.hydrant_reach_m);
    return f;
}

// The stored depth grid of a stage; DataError with the command that makes it.
core::Grid<float> flood_depth_at(const core::Storage& storage, double stage, std::string& result_name)
{
    result_name = "flood_depth_" + stage_suffix(stage);
    for (const auto& record : storage.result_records())
        if (record.name == result_name) {
            if (!core::stale_reasons(storage, record).empty())
                break;
            return storage.open_raster(result_name).read_float_grid();
        }
    throw core::DataError("no current flood result at the river stage of " + core::fixed_text(stage, 2) +
                          " m: run lantern flood CITY --stage " + core::fixed_text(stage, 2) + " first");
}

// Whether the engine must stop somewhere else at the stage.
bool access_moved(const Nearest& dry, const Nearest& wet)
{
    if (!dry.access || !wet.access)
        return dry.access.has_value() != wet.access.has_value();
    return dry.access->at.edge != wet.access->at.edge || std::abs(dry.access->at.offset - wet.access->at.offset) > 0.01;
}

json counts_json(const FireCounts& c, bool stage)
{
    json j = {{"buildings", c.buildings},
              {"unreachable", c.unreachable},
              {"beyond_target", c.beyond_target},
              {"beyond_hose", c.beyond_hose},
              {"no_hydrant", c.no_hydrant},
              {"median_time_s", json_or_null(median_of(c.times), 0)},
              {"p90_time_s", json_or_null(percentile(c.times, 0.9), 0)}};
    if (stage)
        j["lost_access"] = c.lost_access;
    return j;
}

}  // namespace

nlohmann::json run_fire_access(core::Storage& storage, const FireOptions& options)
{
    auto log = [&](const std::string& line) {
        if (options.log)
            std::cerr << line << "\n";
    };
    const auto& vehicle = fire_vehicle(options.vehicle);
    if (!(options.passable_depth_m >= 0 && options.passable_depth_m < 10))
        throw core::UsageError("--passable-depth must be 0 to 10 m (default 0.3)");
    if (!(options.hose_reach_m > 0) || !(options.hydrant_reach_m > 0) || !(options.target_s > 0))
        throw core::UsageError("--hose-reach, --hydrant-reach and --target-s must be above 0");

    // Seconds spent reading, searching, storing and drawing, for benchmarks.
    auto clock = std::chrono::steady_clock::now();
    json seconds;
    auto lap = [&](const char* part) {
        auto now = std::chrono::steady_clock::now();
        seconds[part] = core::rounded(std::chrono::duration<double>(now - clock).count(), 3);
        clock = now;
    };
    log("reading the streets, stations, hydrants and buildings");
    FireRun fire_run;
    fire_run.vehicle = &vehicle;
    fire_run.options = &options;
    fire_run.streets = read_fire_streets(storage, vehicle);
    fire_run.city = read_fire_city(storage);
    auto& streets = fire_run.streets;
    auto& city = fire_run.city;
    if (options.add_hydrants) {
        auto added = read_hydrant_file(storage, *options.add_hydrants);
        city.hydrants.insert(city.hydrants.end(), added.begin(), added.end());
    }
    if (!options.close_roads.empty())
        close_roads(streets, options.close_roads);
    lap("read");
    log(std::to_string(streets.graph.edge_count()) + " street edges between " +
        std::to_string(streets.graph.node_count()) + " junctions; " + std::to_string(city.buildings.size()) +
        " buildings");

    // The dry season first; at a stage, the same with the flooded streets closed.
    auto& dry = fire_run.dry;
    auto& wet = fire_run.wet;
    auto& flood_result = fire_run.flood_result;
    // Every street, whatever its width and closures: for the hose and the hydrants.
    core::EdgeLocator any_street(streets.graph);
    dry = vehicle_reach(streets, city, any_street, nullptr);
    std::size_t flooded_edges = 0;
    if (options.stage_m) {
        auto depth = flood_depth_at(storage, *options.stage_m, flood_result);
        flooded_edges = close_flooded(streets, depth, options.passable_depth_m);
        log(std::to_string(flooded_edges) + " street edges under more than " +
            core::fixed_text(options.passable_depth_m, 2) + " m of water at " + core::fixed_text(*options.stage_m, 2) +
            " m: closed");
        wet = vehicle_reach(streets, city, any_street, &dry.nearest);
    }
    const Reach& run = wet ? *wet : dry;
    auto& hydrants = fire_run.hydrants;
    hydrants = hydrant_reach(streets, city.hydrants, dry.nearest, any_street);

    auto& flags = fire_run.flags;
    flags.resize(city.buildings.size());
    FireCounts all, heritage;
    std::vector<FireCounts> by_ward(city.wards.size());
    // At a stage: the extra time of those whose engine stops where it did,
    // and the extra hose of those whose engine must stop at another street
    // (which may be quicker to reach, the hose longer).
    std::vector<double> extra, extra_hose;
    std::int64_t moved = 0;
    for (std::size_t i = 0; i < city.buildings.size(); ++i) {
        flags[i] = flags_of(run.buildings[i], hydrants[i], options);
        if (wet) {
            auto before = flags_of(dry.buildings[i], hydrants[i], options);
            flags[i].lost_access =
                !before.unreachable && !before.beyond_hose && (flags[i].unreachable || flags[i].beyond_hose);
            flags[i].access_moved = access_moved(dry.nearest[i], run.nearest[i]);
            moved += flags[i].access_moved;
            const auto &d = dry.buildings[i], &w = run.buildings[i];
            if (d.reachable() && w.reachable()) {
                if (flags[i].access_moved)
                    extra_hose.push_back(w.hose_m - d.hose_m);
                else
                    extra.push_back(w.time_s - d.time_s);
            }
        }
        all.add(flags[i], run.buildings[i]);
        if (city.buildings[i].heritage == "I")
            heritage.add(flags[i], run.buildings[i]);
        if (city.buildings[i].ward >= 0)
            by_ward[static_cast<std::size_t>(city.buildings[i].ward)].add(flags[i], run.buildings[i]);
    }

    // Dead ends longer than the vehicle may reverse out of.
    auto& long_dead_ends = fire_run.dead_ends;
    for (auto& d : core::dead_ends(streets.graph, run.usable))
        if (d.length > vehicle.dead_end_limit_m)
            long_dead_ends.push_back(std::move(d));

    json summary;
    summary["vehicle"] = {
        {"name", vehicle.name},
        {"description", vehicle.description},
        {"min_width_m", vehicle.min_width_m},
        {"dead_end_limit_m", vehicle.dead_end_limit_m < 1e8 ? json(vehicle.dead_end_limit_m) : json(nullptr)},
        {"source", vehicle.source}};
    summary["limits"] = {{"target_s", options.target_s},
                         {"hose_reach_m", options.hose_reach_m},
                         {"hydrant_reach_m", options.hydrant_reach_m}};
    std::size_t usable_edges = 0, reachable_edges = 0, closed_edges = 0;
    double network_m = 0, usable_m = 0;
    for (std::uint32_t e = 0; e < streets.graph.edge_count(); ++e) {
        usable_edges += run.usable[e];
        reachable_edges += run.reachable[e];
        closed_edges += streets.closed[e];
        network_m += streets.graph.edge(e).length;
        if (run.usable[e])
            usable_m += streets.graph.edge(e).length;
    }
    summary["streets"] = {{"edges", streets.graph.edge_count()},
                          {"junctions", streets.graph.node_count()},
                          {"length_km", core::rounded(network_m / 1000, 2)},
                          {"usable_edges", usable_edges},
                          {"usable_km", core::rounded(usable_m / 1000, 2)},
                          {"reachable_edges", reachable_edges},
                          {"closed_edges", closed_edges}};
    json stations = json::array();
    for (const auto& s : city.stations)
        stations.push_back({{"station_id", s.id}, {"name", s.name}});
    summary["stations"] = stations;
    summary["totals"] = counts_json(all, wet.has_value());
    summary["heritage_houses"] = counts_json(heritage, wet.has_value());
    json dead_end_rows = json::array();
    for (const auto& d : long_dead_ends)
        dead_end_rows.push_back({{"roads", fire_run.dead_end_roads(d)}, {"length_m", core::rounded(d.length, 1)}});
    summary["dead_ends"] = dead_end_rows;
    if (wet) {
        std::vector<std::string> lost;
        for (std::size_t i = 0; i < flags.size() && lost.size() < 50; ++i)
            if (flags[i].lost_access)
                lost.push_back(city.buildings[i].id);
        summary["stage"] = {
            {"stage_m", *options.stage_m},
            {"passable_depth_m", options.passable_depth_m},
            {"flood_result", flood_result},
            {"closed_edges", flooded_edges},
            {"lost_access", all.lost_access},
            {"lost_access_heritage", heritage.lost_access},
            {"lost_access_first", lost},
            {"median_extra_s", json_or_null(median_of(extra), 0)},
            {"max_extra_s", json_or_null(extra.empty() ? NAN : *std::max_element(extra.begin(), extra.end()), 0)},
            {"access_moved", moved},
            {"median_extra_hose_m", json_or_null(median_of(extra_hose), 0)}};
    }

    // Placement: new hydrants for the heritage houses beyond a working one's reach.
    std::vector<Suggestion> suggestions;
    if (options.suggest_hydrants > 0) {
        std::vector<std::size_t> targets;
        for (std::size_t i = 0; i < flags.size(); ++i)
            if (city.buildings[i].heritage == "I" && flags[i].no_hydrant)
                targets.push_back(i);
        log("placing up to " + std::to_string(options.suggest_hydrants) + " hydrants for " +
            std::to_string(targets.size()) + " heritage houses beyond a working hydrant's reach");
        suggestions =
            suggest_hydrants(streets, dry.nearest, targets, options.hydrant_reach_m, options.suggest_hydrants);
        core::Transform to_lonlat(core::Crs::from_user(storage.city().crs), core::Crs::wgs84());
        json rows = json::array();
        std::size_t brought = 0;
        for (std::size_t k = 0; k < suggestions.size(); ++k) {
            const auto& s = suggestions[k];
            double lon = s.at.x, lat = s.at.y;
            to_lonlat.apply(lon, lat);
            json ids = json::array();
            for (auto b : s.buildings)
                ids.push_back(city.buildings[b].id);
            brought += s.buildings.size();
            rows.push_back({{"rank", k + 1},
                            {"x", core::rounded(s.at.x, 2)},
                            {"y", core::rounded(s.at.y, 2)},
                            {"lon", core::rounded(lon, 7)},
                            {"lat", core::rounded(lat, 7)},
                            {"houses", s.buildings.size()},
                            {"building_ids", ids}});
        }
        summary["suggested_hydrants"] = {
            {"targets", targets.size()}, {"brought_within_reach", brought}, {"sites", rows}};
    }

    json ward_rows = json::array();
    for (std::size_t w = 0; w < by_ward.size(); ++w) {
        const auto& ward = city.wards.wards()[w];
        auto row = counts_json(by_ward[w], wet.has_value());
        row["ward_code"] = ward.code;
        row["label"] = ward.label();
        ward_rows.push_back(row);
    }
    summary["wards"] = ward_rows;

    lap("analysis");
    if (stores_nothing(options)) {
        summary["stored"] = false;
    } else {
        log("storing fire_streets, fire_access, fire_gaps, hydrant_gaps, fire_dead_ends and fire_wards");
        store_fire_results(storage, fire_run, by_ward);
        summary["stored"] = true;
        summary["results"] = {"fire_streets", "fire_access",    "fire_gaps",
                              "hydrant_gaps", "fire_dead_ends", "fire_wards"};
        lap("store");
    }

    if (options.map.path) {
        log("drawing " + *options.map.path);
        FireMapInputs inputs{streets, city, run, flags, suggestions, long_dead_ends};
        draw_fire_map(storage, inputs, summary, options);
        summary["map"] = *options.map.path;
        lap("map");
    }
    summary["seconds"] = seconds;
    return summary;
}

}  // namespace lantern::layers
