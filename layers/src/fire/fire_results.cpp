// The fire access results (fire_internal.hpp): one transaction, with the
// run's parameters and its inputs' checksums.

#include "fire_internal.hpp"

#include <algorithm>
#include <set>

#include <ogr_geometry.h>

#include <lantern/core/storage/results.hpp>

#include "../coverage/coverage_internal.hpp"
#include "../field_builders.hpp"

namespace lantern::layers::fire {

using core::Value;
using json = nlohmann::json;

void FireCounts::add(const Flags& f, const BuildingReach& r)
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

double median_of(std::vector<double> values)
{
    if (values.empty())
        return NAN;
    auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), mid, values.end());
    return *mid;
}

std::string FireRun::dead_end_roads(const core::DeadEnd& d) const
{
    std::vector<std::string> ids;
    for (auto e : d.edges)
        if (std::find(ids.begin(), ids.end(), streets.road(e).id) == ids.end())
            ids.push_back(streets.road(e).id);
    std::string out;
    for (const auto& id : ids)
        out += (out.empty() ? "" : ",") + id;
    return out;
}

namespace {

Value number_or_null(double value, int decimals)
{
    return std::isfinite(value) ? Value(core::rounded(value, decimals)) : Value();
}

Value text_or_null(const std::string& s)
{
    return s.empty() ? Value() : Value(s);
}

}  // namespace

void store_fire_results(core::Storage& storage, const FireRun& run_, const std::vector<FireCounts>& by_ward)
{
    const auto& vehicle = *run_.vehicle;
    const auto& options = *run_.options;
    const auto& streets = run_.streets;
    const auto& city = run_.city;
    const auto& dry = run_.dry;
    const auto& wet = run_.wet;
    const auto& flood_result = run_.flood_result;
    const auto& hydrants = run_.hydrants;
    const auto& flags = run_.flags;
    const auto& long_dead_ends = run_.dead_ends;
    const Reach& run = run_.scenario();
    std::vector<std::uint8_t> on_dead_end(streets.graph.edge_count(), 0);
    for (const auto& d : long_dead_ends)
        for (auto e : d.edges)
            on_dead_end[e] = 1;
    json speeds;
    std::set<std::string> classes;
    for (const auto& line : streets.lines)
        classes.insert(line.road_class);
    for (const auto& c : classes)
        speeds[c.empty() ? "(none)" : c] = fire_speed_kmh(c);
    json parameters = {
        {"vehicle", vehicle.name},
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
        detail::result_schema(
            core::GeometryKind::line,
            {detail::counted("edge_id", "edge number"), detail::counted("source", "junction at its start"),
             detail::counted("target", "junction at its end"), detail::text("road_id", "road it is part of"),
             detail::text("name", "street name"), detail::text("class", "road class"),
             detail::measured("width_m", "carriageway width, metres (the class's usual width where the road has none)"),
             detail::measured("length_m", "length, metres"), detail::counted("usable", "1: the vehicle may use it now"),
             detail::counted("closed", "1: flooded or closed"),
             detail::counted("reachable", "1: usable and joined to a fire station"),
             detail::measured("flood_depth_m", "deepest water along it at the stage, metres"),
             detail::counted("dead_end", "1: part of a dead end longer than the vehicle's limit")}));
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        const auto& edge = graph.edge(e);
        const auto& road = streets.road(e);
        float depth = streets.flood_depth_m[e];
        street_sink.insert(
            coverage::line_wkb(graph.shape(e)),
            {Value(std::int64_t{e} + 1), Value(std::int64_t{edge.a} + 1), Value(std::int64_t{edge.b} + 1),
             Value(road.id), text_or_null(road.name), text_or_null(road.road_class), Value(core::rounded(road.width_m, 2)),
             Value(edge.length), Value(std::int64_t{run.usable[e]}), Value(std::int64_t{streets.closed[e]}),
             Value(std::int64_t{run.reachable[e]}), std::isnan(depth) ? Value() : Value(core::rounded(depth, 3)),
             Value(std::int64_t{on_dead_end[e]})});
    }

    std::vector<core::FieldDef> building_fields = {
        detail::text("building_id", "building identifier"),
        detail::text("use", "building use"),
        detail::text("name", "building name"),
        detail::text("heritage", "protection of the heritage zone holding it: I, II or none"),
        detail::text("ward", "ward code"),
        detail::text("ward_name", "ward name"),
        detail::text("unit_name", "the unit the ward is part of now, where it was reorganised")};
    auto access_fields = building_fields;
    access_fields.insert(
        access_fields.end(),
        {detail::text("station_id", "the nearest fire station by road"),
         detail::text("station_name", "its name"),
         detail::measured("route_m",
                          "along the streets the vehicle may use, from the station to the access point, metres"),
         detail::measured("time_s", "travel time at the class speeds, seconds"),
         detail::counted("access_edge", "fire_streets edge of the access point (nearest usable street)"),
         detail::measured("access_offset_m", "its distance along that edge from the edge's source, metres"),
         detail::measured("access_gap_m", "straight distance from the footprint to the access point, metres"),
         detail::counted("street_edge", "fire_streets edge of the nearest point of any street"),
         detail::measured("street_offset_m", "its distance along that edge from the edge's source, metres"),
         detail::measured("street_gap_m", "straight distance from the footprint to that point, metres"),
         detail::measured(
             "hose_m",
             "hose run from where the vehicle can stop, along the streets, plus the last straight stretch, metres"),
         detail::text("hydrant_id", "the nearest working hydrant along the streets"),
         detail::measured("hydrant_m", "its distance along the streets to the building's street point, metres"),
         detail::counted("beyond_target", "1: travel time over the response target"),
         detail::counted("beyond_hose", "1: hose run over the hose reach"),
         detail::counted("no_hydrant", "1: no working hydrant within reach"),
         detail::counted("unreachable", "1: no route from a station to the access point"),
         detail::measured("stage_m", "river stage whose flooded streets are closed, metres; none: the dry season"),
         detail::measured("dry_route_m", "route in the dry season, metres"),
         detail::measured("dry_time_s", "travel time in the dry season, seconds"),
         detail::measured("extra_s", "seconds longer than in the dry season to the same access point; none where it moved"),
         detail::counted("access_moved", "1: at the stage the engine must stop at another street"),
         detail::counted("lost_access", "1: within reach in the dry season, not at the stage")});
    auto& access_sink = batch.add_features(
        "fire_access",
        "Fire access to each building: the nearest station by road and the time, the hose run, the nearest "
        "working hydrant along the streets, and what falls short.",
        detail::result_schema(core::GeometryKind::polygon, access_fields));
    auto gap_fields = building_fields;
    gap_fields.insert(gap_fields.end(),
                      {detail::text("reason", "what falls short"),
                       detail::text("station_id", "the nearest fire station by road"),
                       detail::measured("route_m", "route, metres"), detail::measured("time_s", "travel time, seconds"),
                       detail::measured("hose_m", "hose run, metres")});
    auto& gap_sink = batch.add_features(
        "fire_gaps", "Buildings a fire engine cannot reach, or reaches too late, or only beyond its hose's reach.",
        detail::result_schema(core::GeometryKind::polygon, gap_fields));
    auto hydrant_fields = building_fields;
    hydrant_fields.insert(hydrant_fields.end(), {detail::text("hydrant_id", "the nearest working hydrant"),
                                                 detail::measured("hydrant_m", "along the streets, metres")});
    auto& hydrant_sink =
        batch.add_features("hydrant_gaps", "Buildings with no working hydrant within reach along the streets.",
                           detail::result_schema(core::GeometryKind::polygon, hydrant_fields));

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
        row.insert(row.end(), {station ? Value(station->id) : Value(), station ? Value(station->name) : Value(),
                               number_or_null(r.route_m, 3), number_or_null(r.time_s, 1),
                               near.access ? Value(std::int64_t{near.access->at.edge} + 1) : Value(),
                               near.access ? Value(near.access->at.offset) : Value(),
                               near.access ? Value(near.access->gap) : Value(),
                               near.street ? Value(std::int64_t{near.street->at.edge} + 1) : Value(),
                               near.street ? Value(near.street->at.offset) : Value(),
                               near.street ? Value(near.street->gap) : Value(), number_or_null(r.hose_m, 2),
                               text_or_null(hydrant_id), number_or_null(h.distance_m, 3),
                               Value(std::int64_t{f.beyond_target}), Value(std::int64_t{f.beyond_hose}),
                               Value(std::int64_t{f.no_hydrant}), Value(std::int64_t{f.unreachable})});
        if (wet) {
            const auto& d = dry.buildings[i];
            bool both = d.reachable() && r.reachable();
            row.insert(row.end(),
                       {Value(*options.stage_m), number_or_null(d.route_m, 3), number_or_null(d.time_s, 1),
                        both && !f.access_moved ? Value(core::rounded(r.time_s - d.time_s, 1)) : Value(), Value(std::int64_t{f.access_moved}),
                        Value(std::int64_t{f.lost_access})});
        } else {
            row.insert(row.end(), {Value(), Value(), Value(), Value(), Value(), Value()});
        }
        access_sink.insert(b.wkb, row);
        if (f.gap()) {
            auto gap = common;
            gap.insert(gap.end(),
                       {Value(f.reasons()), station ? Value(station->id) : Value(), number_or_null(r.route_m, 1),
                        number_or_null(r.time_s, 1), number_or_null(r.hose_m, 1)});
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
        detail::result_schema(core::GeometryKind::line,
                              {detail::counted("dead_end_id", "number"),
                               detail::text("road_ids", "the roads it runs along"),
                               detail::measured("length_m", "from its end to the junction, metres"),
                               detail::measured("limit_m", "the longest dead end without a turning area, metres"),
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
        dead_end_sink.insert(wkb, {Value(static_cast<std::int64_t>(k + 1)), Value(run_.dead_end_roads(d)),
                                   Value(core::rounded(d.length, 2)), Value(vehicle.dead_end_limit_m), Value(vehicle.name)});
    }

    std::vector<core::FieldDef> ward_fields = {detail::text("ward_code", "ward code"),
                                               detail::text("name", "ward name")};
    auto unit_fields = ward_unit_fields();
    ward_fields.insert(ward_fields.end(), unit_fields.begin(), unit_fields.end());
    ward_fields.insert(ward_fields.end(),
                       {detail::counted("buildings", "buildings"), detail::counted("unreachable", "unreachable"),
                        detail::counted("beyond_target", "beyond the response target"),
                        detail::counted("beyond_hose", "beyond hose reach"),
                        detail::counted("no_hydrant", "no working hydrant within reach"),
                        detail::counted("lost_access", "lost at the stage"),
                        detail::measured("median_time_s", "median travel time, seconds")});
    auto& ward_sink = batch.add_features("fire_wards", "Fire access by ward.",
                                         detail::result_schema(core::GeometryKind::polygon, std::move(ward_fields)));
    for (std::size_t w = 0; w < by_ward.size(); ++w) {
        const auto& ward = city.wards.wards()[w];
        const auto& t = by_ward[w];
        auto unit = ward_unit_values(ward);
        ward_sink.insert(ward.wkb,
                         {Value(ward.code), Value(ward.name), unit[0], unit[1], Value(t.buildings),
                          Value(t.unreachable), Value(t.beyond_target), Value(t.beyond_hose), Value(t.no_hydrant),
                          wet ? Value(t.lost_access) : Value(), number_or_null(median_of(t.times), 0)});
    }
    batch.commit();
}

}  // namespace lantern::layers::fire
