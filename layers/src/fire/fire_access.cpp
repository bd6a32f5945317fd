// Fire access (fire_access.hpp): the run, its results and its summary.

#include <lantern/layers/fire_access.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <set>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/network/dead_ends.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/layers/flood.hpp>

#include "../coverage/coverage_internal.hpp"
#include "../field_builders.hpp"
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

using core::Value;
using json = nlohmann::json;
using namespace fire;

double round_to(double value, int decimals)
{
    double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

Value number_or_null(double value, int decimals)
{
    return std::isfinite(value) ? Value(round_to(value, decimals)) : Value();
}

json json_or_null(double value, int decimals)
{
    return std::isfinite(value) ? json(round_to(value, decimals)) : json(nullptr);
}

Value text_or_null(const std::string& s)
{
    return s.empty() ? Value() : Value(s);
}

core::ClassSchema result_schema(core::GeometryKind geometry, std::vector<core::FieldDef> fields)
{
    core::ClassSchema s;
    s.layer = "results";
    s.geometry = geometry;
    s.fields = std::move(fields);
    return s;
}

core::FieldDef real(const char* name, const char* description)
{
    return detail::real(name, description, std::nullopt, std::nullopt);
}

core::FieldDef whole(const char* name, const char* description)
{
    return detail::integer(name, description, std::nullopt, std::nullopt);
}

double median(std::vector<double> values)
{
    if (values.empty())
        return NAN;
    auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    return *mid;
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

struct Counts {
    std::int64_t buildings = 0, unreachable = 0, beyond_target = 0, beyond_hose = 0, no_hydrant = 0,
                 lost_access = 0;
    std::vector<double> times;
    void add(const Flags& f, const BuildingReach& r)
    {
        ++buildings;
        unreachable += f.unreachable;
        beyond_target += f.beyond_target;
        beyond_hose += f.beyond_hose;
        no_hydrant += f.no_hydrant;
        lost_access += f.lost_access;
        if (r.reachable())
            times.push_back(r.time_s);
    }
    json to_json(bool stage) const
    {
        json j = {{"buildings", buildings},         {"unreachable", unreachable},
                  {"beyond_target", beyond_target}, {"beyond_hose", beyond_hose},
                  {"no_hydrant", no_hydrant},       {"median_time_s", json_or_null(median(times), 0)},
                  {"p90_time_s", json_or_null(percentile(times, 0.9), 0)}};
        if (stage)
            j["lost_access"] = lost_access;
        return j;
    }
};

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
        seconds[part] = round_to(std::chrono::duration<double>(now - clock).count(), 3);
        clock = now;
    };
    log("reading the streets, stations, hydrants and buildings");
    auto streets = read_fire_streets(storage, vehicle);
    auto city = read_fire_city(storage);
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
    auto dry = vehicle_reach(streets, city, nullptr);
    std::optional<Reach> wet;
    std::string flood_result;
    std::size_t flooded_edges = 0;
    if (options.stage_m) {
        auto depth = flood_depth_at(storage, *options.stage_m, flood_result);
        flooded_edges = close_flooded(streets, depth, options.passable_depth_m);
        log(std::to_string(flooded_edges) + " street edges under more than " +
            core::fixed_text(options.passable_depth_m, 2) + " m of water at " + core::fixed_text(*options.stage_m, 2) +
            " m: closed");
        wet = vehicle_reach(streets, city, &dry.nearest);
    }
    const Reach& run = wet ? *wet : dry;
    auto hydrants = hydrant_reach(streets, city.hydrants, dry.nearest);

    std::vector<Flags> flags(city.buildings.size());
    Counts all, heritage;
    std::vector<Counts> by_ward(city.wards.size());
    std::vector<double> extra;
    for (std::size_t i = 0; i < city.buildings.size(); ++i) {
        flags[i] = flags_of(run.buildings[i], hydrants[i], options);
        if (wet) {
            auto before = flags_of(dry.buildings[i], hydrants[i], options);
            flags[i].lost_access = !before.unreachable && !before.beyond_hose &&
                                   (flags[i].unreachable || flags[i].beyond_hose);
            if (dry.buildings[i].reachable() && run.buildings[i].reachable())
                extra.push_back(run.buildings[i].time_s - dry.buildings[i].time_s);
        }
        all.add(flags[i], run.buildings[i]);
        if (city.buildings[i].heritage == "I")
            heritage.add(flags[i], run.buildings[i]);
        if (city.buildings[i].ward >= 0)
            by_ward[static_cast<std::size_t>(city.buildings[i].ward)].add(flags[i], run.buildings[i]);
    }

    // Dead ends longer than the vehicle may reverse out of.
    std::vector<core::DeadEnd> long_dead_ends;
    for (auto& d : core::dead_ends(streets.graph, run.usable))
        if (d.length > vehicle.dead_end_limit_m)
            long_dead_ends.push_back(std::move(d));
    std::vector<std::uint8_t> on_dead_end(streets.graph.edge_count(), 0);
    auto dead_end_roads = [&](const core::DeadEnd& d) {
        std::vector<std::string> ids;
        for (auto e : d.edges)
            if (std::find(ids.begin(), ids.end(), streets.road(e).id) == ids.end())
                ids.push_back(streets.road(e).id);
        std::string out;
        for (const auto& id : ids)
            out += (out.empty() ? "" : ",") + id;
        return out;
    };
    for (const auto& d : long_dead_ends)
        for (auto e : d.edges)
            on_dead_end[e] = 1;

    json summary;
    summary["vehicle"] = {{"name", vehicle.name},
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
                          {"length_km", round_to(network_m / 1000, 2)},
                          {"usable_edges", usable_edges},
                          {"usable_km", round_to(usable_m / 1000, 2)},
                          {"reachable_edges", reachable_edges},
                          {"closed_edges", closed_edges}};
    json stations = json::array();
    for (const auto& s : city.stations)
        stations.push_back({{"station_id", s.id}, {"name", s.name}});
    summary["stations"] = stations;
    summary["totals"] = all.to_json(wet.has_value());
    summary["heritage_houses"] = heritage.to_json(wet.has_value());
    json dead_end_rows = json::array();
    for (const auto& d : long_dead_ends)
        dead_end_rows.push_back({{"roads", dead_end_roads(d)}, {"length_m", round_to(d.length, 1)}});
    summary["dead_ends"] = dead_end_rows;
    if (wet) {
        std::vector<std::string> lost;
        for (std::size_t i = 0; i < flags.size() && lost.size() < 50; ++i)
            if (flags[i].lost_access)
                lost.push_back(city.buildings[i].id);
        summary["stage"] = {{"stage_m", *options.stage_m},
                            {"passable_depth_m", options.passable_depth_m},
                            {"flood_result", flood_result},
                            {"closed_edges", flooded_edges},
                            {"lost_access", all.lost_access},
                            {"lost_access_heritage", heritage.lost_access},
                            {"lost_access_first", lost},
                            {"median_extra_s", json_or_null(median(extra), 0)},
                            {"max_extra_s", json_or_null(extra.empty() ? NAN : *std::max_element(extra.begin(), extra.end()), 0)}};
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
        suggestions = suggest_hydrants(streets, dry.nearest, targets, options.hydrant_reach_m, options.suggest_hydrants);
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
            rows.push_back({{"rank", k + 1}, {"x", round_to(s.at.x, 2)}, {"y", round_to(s.at.y, 2)},
                            {"lon", round_to(lon, 7)}, {"lat", round_to(lat, 7)},
                            {"houses", s.buildings.size()}, {"building_ids", ids}});
        }
        summary["suggested_hydrants"] = {{"targets", targets.size()}, {"brought_within_reach", brought}, {"sites", rows}};
    }

    json ward_rows = json::array();
    for (std::size_t w = 0; w < by_ward.size(); ++w) {
        const auto& ward = city.wards.wards()[w];
        auto row = by_ward[w].to_json(wet.has_value());
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
        json speeds;
        std::set<std::string> classes;
        for (const auto& line : streets.lines)
            classes.insert(line.road_class);
        for (const auto& c : classes)
            speeds[c.empty() ? "(none)" : c] = fire_speed_kmh(c);
        json parameters = {{"vehicle", vehicle.name},
                           {"min_width_m", vehicle.min_width_m},
                           {"dead_end_limit_m", vehicle.dead_end_limit_m < 1e8 ? json(vehicle.dead_end_limit_m) : json(nullptr)},
                           {"hose_reach_m", options.hose_reach_m},
                           {"hydrant_reach_m", options.hydrant_reach_m},
                           {"target_s", options.target_s},
                           {"stage_m", options.stage_m ? json(*options.stage_m) : json(nullptr)},
                           {"passable_depth_m", options.passable_depth_m},
                           {"speeds_kmh", speeds}};
        auto input_names = city.inputs;
        if (!flood_result.empty())
            input_names.push_back(flood_result);
        core::ResultBatch batch(storage, "fire", parameters, core::current_inputs(storage, input_names));
        const auto& graph = streets.graph;

        auto& street_sink = batch.add_features(
            "fire_streets",
            "The street graph the fire access analysis routes on: each edge between junctions, whether the vehicle "
            "may use it, is closed, and is reached from a station.",
            result_schema(core::GeometryKind::line,
                          {whole("edge_id", "edge number"), whole("source", "junction at its start"),
                           whole("target", "junction at its end"), detail::text("road_id", "road it is part of"),
                           detail::text("name", "street name"), detail::text("class", "road class"),
                           real("width_m", "carriageway width, metres (the class's usual width where the road has none)"),
                           real("length_m", "length, metres"), whole("usable", "1: the vehicle may use it now"),
                           whole("closed", "1: flooded or closed"),
                           whole("reachable", "1: usable and joined to a fire station"),
                           real("flood_depth_m", "deepest water along it at the stage, metres"),
                           whole("dead_end", "1: part of a dead end longer than the vehicle's limit")}));
        for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
            const auto& edge = graph.edge(e);
            const auto& road = streets.road(e);
            float depth = streets.flood_depth_m[e];
            street_sink.insert(coverage::line_wkb(graph.shape(e)),
                               {Value(std::int64_t{e} + 1), Value(std::int64_t{edge.a} + 1), Value(std::int64_t{edge.b} + 1),
                                Value(road.id), text_or_null(road.name), text_or_null(road.road_class),
                                Value(round_to(road.width_m, 2)), Value(edge.length), Value(std::int64_t{run.usable[e]}),
                                Value(std::int64_t{streets.closed[e]}), Value(std::int64_t{run.reachable[e]}),
                                std::isnan(depth) ? Value() : Value(round_to(depth, 3)),
                                Value(std::int64_t{on_dead_end[e]})});
        }

        std::vector<core::FieldDef> building_fields = {
            detail::text("building_id", "building identifier"), detail::text("use", "building use"),
            detail::text("name", "building name"),
            detail::text("heritage", "protection of the heritage zone holding it: I, II or none"),
            detail::text("ward", "ward code"), detail::text("ward_name", "ward name"),
            detail::text("unit_name", "the unit the ward is part of now, where it was reorganised")};
        auto access_fields = building_fields;
        access_fields.insert(access_fields.end(), {
            detail::text("station_id", "the nearest fire station by road"),
            detail::text("station_name", "its name"),
            real("route_m", "along the streets the vehicle may use, from the station to the access point, metres"),
            real("time_s", "travel time at the class speeds, seconds"),
            whole("access_edge", "fire_streets edge of the access point (nearest usable street)"),
            real("access_offset_m", "its distance along that edge from the edge's source, metres"),
            real("access_gap_m", "straight distance from the footprint to the access point, metres"),
            whole("street_edge", "fire_streets edge of the nearest point of any street"),
            real("street_offset_m", "its distance along that edge from the edge's source, metres"),
            real("street_gap_m", "straight distance from the footprint to that point, metres"),
            real("hose_m", "hose run from where the vehicle can stop, along the streets, plus the last straight stretch, metres"),
            detail::text("hydrant_id", "the nearest working hydrant along the streets"),
            real("hydrant_m", "its distance along the streets to the building's street point, metres"),
            whole("beyond_target", "1: travel time over the response target"),
            whole("beyond_hose", "1: hose run over the hose reach"),
            whole("no_hydrant", "1: no working hydrant within reach"),
            whole("unreachable", "1: no route from a station to the access point"),
            real("stage_m", "river stage whose flooded streets are closed, metres; none: the dry season"),
            real("dry_route_m", "route in the dry season, metres"),
            real("dry_time_s", "travel time in the dry season, seconds"),
            real("extra_s", "seconds longer than in the dry season"),
            whole("lost_access", "1: within reach in the dry season, not at the stage")});
        auto& access_sink = batch.add_features(
            "fire_access",
            "Fire access to each building: the nearest station by road and the time, the hose run, the nearest "
            "working hydrant along the streets, and what falls short.",
            result_schema(core::GeometryKind::polygon, access_fields));
        auto gap_fields = building_fields;
        gap_fields.insert(gap_fields.end(), {detail::text("reason", "what falls short"),
                                             detail::text("station_id", "the nearest fire station by road"),
                                             real("route_m", "route, metres"), real("time_s", "travel time, seconds"),
                                             real("hose_m", "hose run, metres")});
        auto& gap_sink = batch.add_features(
            "fire_gaps", "Buildings a fire engine cannot reach, or reaches too late, or only beyond its hose's reach.",
            result_schema(core::GeometryKind::polygon, gap_fields));
        auto hydrant_fields = building_fields;
        hydrant_fields.insert(hydrant_fields.end(), {detail::text("hydrant_id", "the nearest working hydrant"),
                                                     real("hydrant_m", "along the streets, metres")});
        auto& hydrant_sink = batch.add_features(
            "hydrant_gaps", "Buildings with no working hydrant within reach along the streets.",
            result_schema(core::GeometryKind::polygon, hydrant_fields));

        for (std::size_t i = 0; i < city.buildings.size(); ++i) {
            const auto& b = city.buildings[i];
            const auto& r = run.buildings[i];
            const auto& near = run.nearest[i];
            const auto& f = flags[i];
            std::vector<Value> common = {Value(b.id), text_or_null(b.use), text_or_null(b.name), text_or_null(b.heritage)};
            if (b.ward >= 0) {
                const auto& ward = city.wards.wards()[static_cast<std::size_t>(b.ward)];
                common.insert(common.end(), {Value(ward.code), Value(ward.name), text_or_null(ward.unit_name)});
            } else {
                common.insert(common.end(), {Value(), Value(), Value()});
            }
            const Station* station = r.reachable() ? &city.stations[r.station] : nullptr;
            const auto& h = hydrants[i];
            std::string hydrant_id = h.hydrant == core::no_index ? "" : city.hydrants[h.hydrant].id;
            auto row = common;
            row.insert(row.end(), {
                station ? Value(station->id) : Value(), station ? Value(station->name) : Value(),
                number_or_null(r.route_m, 3), number_or_null(r.time_s, 1),
                near.access ? Value(std::int64_t{near.access->at.edge} + 1) : Value(),
                near.access ? Value(near.access->at.offset) : Value(), near.access ? Value(near.access->gap) : Value(),
                near.street ? Value(std::int64_t{near.street->at.edge} + 1) : Value(),
                near.street ? Value(near.street->at.offset) : Value(), near.street ? Value(near.street->gap) : Value(),
                number_or_null(r.hose_m, 2), text_or_null(hydrant_id), number_or_null(h.distance_m, 3),
                Value(std::int64_t{f.beyond_target}), Value(std::int64_t{f.beyond_hose}),
                Value(std::int64_t{f.no_hydrant}), Value(std::int64_t{f.unreachable})});
            if (wet) {
                const auto& d = dry.buildings[i];
                bool both = d.reachable() && r.reachable();
                row.insert(row.end(), {Value(*options.stage_m), number_or_null(d.route_m, 3), number_or_null(d.time_s, 1),
                                       both ? Value(round_to(r.time_s - d.time_s, 1)) : Value(),
                                       Value(std::int64_t{f.lost_access})});
            } else {
                row.insert(row.end(), {Value(), Value(), Value(), Value(), Value()});
            }
            access_sink.insert(b.wkb, row);
            if (f.gap()) {
                auto gap = common;
                gap.insert(gap.end(), {Value(f.reasons()), station ? Value(station->id) : Value(),
                                       number_or_null(r.route_m, 1), number_or_null(r.time_s, 1),
                                       number_or_null(r.hose_m, 1)});
                gap_sink.insert(b.wkb, gap);
            }
            if (f.no_hydrant) {
                auto gap = common;
                gap.insert(gap.end(), {text_or_null(hydrant_id), number_or_null(h.distance_m, 1)});
                hydrant_sink.insert(b.wkb, gap);
            }
        }

        auto& dead_end_sink = batch.add_features(
            "fire_dead_ends", "Dead ends longer than the vehicle's limit, which need a turning area at their end.",
            result_schema(core::GeometryKind::line,
                          {whole("dead_end_id", "number"), detail::text("road_ids", "the roads it runs along"),
                           real("length_m", "from its end to the junction, metres"),
                           real("limit_m", "the longest dead end without a turning area, metres"),
                           detail::text("vehicle", "the vehicle it binds")}));
        for (std::size_t k = 0; k < long_dead_ends.size(); ++k) {
            const auto& d = long_dead_ends[k];
            OGRMultiLineString lines;
            for (auto e : d.edges) {
                OGRLineString line;
                for (const auto& p : graph.shape(e))
                    line.addPoint(p.x, p.y);
                lines.addGeometry(&line);
            }
            core::Wkb wkb(static_cast<std::size_t>(lines.WkbSize()));
            lines.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
            dead_end_sink.insert(wkb, {Value(static_cast<std::int64_t>(k + 1)), Value(dead_end_roads(d)),
                                       Value(round_to(d.length, 2)), Value(vehicle.dead_end_limit_m),
                                       Value(vehicle.name)});
        }

        std::vector<core::FieldDef> ward_fields = {detail::text("ward_code", "ward code"), detail::text("name", "ward name")};
        auto unit_fields = ward_unit_fields();
        ward_fields.insert(ward_fields.end(), unit_fields.begin(), unit_fields.end());
        ward_fields.insert(ward_fields.end(),
                           {whole("buildings", "buildings"), whole("unreachable", "unreachable"),
                            whole("beyond_target", "beyond the response target"),
                            whole("beyond_hose", "beyond hose reach"), whole("no_hydrant", "no working hydrant within reach"),
                            whole("lost_access", "lost at the stage"), real("median_time_s", "median travel time, seconds")});
        auto& ward_sink = batch.add_features("fire_wards", "Fire access by ward.",
                                             result_schema(core::GeometryKind::polygon, std::move(ward_fields)));
        for (std::size_t w = 0; w < by_ward.size(); ++w) {
            const auto& ward = city.wards.wards()[w];
            const auto& t = by_ward[w];
            auto unit = ward_unit_values(ward);
            ward_sink.insert(ward.wkb, {Value(ward.code), Value(ward.name), unit[0], unit[1], Value(t.buildings),
                                        Value(t.unreachable), Value(t.beyond_target), Value(t.beyond_hose),
                                        Value(t.no_hydrant), wet ? Value(t.lost_access) : Value(),
                                        number_or_null(median(t.times), 0)});
        }
        batch.commit();
        summary["stored"] = true;
        summary["results"] = {"fire_streets", "fire_access", "fire_gaps", "hydrant_gaps", "fire_dead_ends", "fire_wards"};
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
