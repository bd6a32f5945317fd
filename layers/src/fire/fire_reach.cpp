// Routes, hose runs and hydrants along the streets (docs/fire.md, "How it is
// computed"): three searches of core's shortest paths from many sources.

#include "fire_internal.hpp"

#include <algorithm>
#include <cmath>

#include <lantern/core/base/parallel.hpp>
#include <lantern/core/coverage/max_coverage.hpp>

namespace lantern::layers::fire {

std::string Flags::reasons() const
{
    std::string out;
    auto add = [&](bool on, const char* what) {
        if (on)
            out += (out.empty() ? "" : ", ") + std::string(what);
    };
    add(unreachable, "unreachable");
    add(beyond_hose, "beyond hose reach");
    add(beyond_target, "beyond the response target");
    return out;
}

Reach vehicle_reach(const FireStreets& streets, const FireCity& city, const core::EdgeLocator& any_street,
                    const std::vector<Nearest>* street)
{
    const auto& graph = streets.graph;
    Reach reach;
    reach.usable = streets.usable();
    core::EdgeLocator usable_locator(graph, reach.usable);
    reach.nearest = nearest_streets(city.buildings, usable_locator, street ? nullptr : &any_street);
    if (street)
        for (std::size_t i = 0; i < reach.nearest.size(); ++i)
            reach.nearest[i].street = (*street)[i].street;

    // Each station sets out from the nearest place on a street it may use.
    std::vector<core::PathSource> sources;
    std::vector<core::EdgePoint> starts;
    for (std::uint32_t s = 0; s < city.stations.size(); ++s)
        if (auto at = usable_locator.nearest(city.stations[s].at)) {
            sources.push_back({at->at, s, 0});
            starts.push_back(at->at);
        }
    reach.reachable = core::reachable_edges(graph, starts, reach.usable);
    core::ShortestPaths routes(graph, sources, {reach.usable, streets.seconds, core::unreached});

    // The hose runs along any street from wherever the vehicle can stop: every
    // end of an edge it reaches is a start at 0.
    std::vector<core::PathSource> stops;
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e)
        if (reach.reachable[e]) {
            stops.push_back({{e, 0}, 0, 0});
            stops.push_back({{e, graph.edge(e).length}, 0, 0});
        }
    core::ShortestPaths hose(graph, stops, {});

    reach.buildings.resize(city.buildings.size());
    core::parallel_for(city.buildings.size(), [&](std::size_t i) {
        auto& out = reach.buildings[i];
        const auto& near = reach.nearest[i];
        if (near.access) {
            auto r = routes.to(near.access->at);
            if (r.origin != core::no_index) {
                out.station = r.origin;
                out.route_m = r.distance;
                out.time_s = r.cost;
            }
        }
        if (near.street && !stops.empty()) {
            double along = reach.reachable[near.street->at.edge] ? 0 : hose.to(near.street->at).distance;
            out.hose_m = along + near.street->gap;
        }
    });
    return reach;
}

std::vector<HydrantReach> hydrant_reach(const FireStreets& streets, const std::vector<Hydrant>& hydrants,
                                        const std::vector<Nearest>& nearest, const core::EdgeLocator& any_street)
{
    std::vector<core::PathSource> sources;
    for (std::uint32_t h = 0; h < hydrants.size(); ++h)
        if (hydrants[h].working)
            if (auto at = any_street.nearest(hydrants[h].at))
                sources.push_back({at->at, h, 0});
    std::vector<HydrantReach> out(nearest.size());
    if (sources.empty())
        return out;
    core::ShortestPaths paths(streets.graph, std::move(sources), {});
    core::parallel_for(nearest.size(), [&](std::size_t i) {
        if (!nearest[i].street)
            return;
        auto r = paths.to(nearest[i].street->at);
        out[i] = {r.origin, r.distance};
    });
    return out;
}

std::vector<Suggestion> suggest_hydrants(const FireStreets& streets, const std::vector<Nearest>& nearest,
                                         const std::vector<std::size_t>& targets, double reach, std::size_t count,
                                         double spacing)
{
    const auto& graph = streets.graph;
    if (targets.empty() || count == 0)
        return {};
    // Candidates: every `spacing` metres along the edges within reach of a target.
    std::vector<core::PathSource> target_sources;
    for (auto t : targets)
        if (nearest[t].street)
            target_sources.push_back({nearest[t].street->at, 0, 0});
    core::ShortestPaths near_targets(graph, target_sources, {{}, {}, reach});
    std::vector<core::EdgePoint> candidates;
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        const auto& edge = graph.edge(e);
        if (near_targets.node_distance(edge.a) == core::unreached &&
            near_targets.node_distance(edge.b) == core::unreached &&
            near_targets.to({e, edge.length / 2}).distance == core::unreached)
            continue;
        auto steps = static_cast<int>(std::ceil(edge.length / spacing));
        for (int k = 0; k <= steps; ++k)
            candidates.push_back({e, edge.length * k / std::max(1, steps)});
    }
    // What each candidate would bring within reach: one search per target,
    // bounded by the reach.
    core::CoverageProblem problem;
    problem.element_weights.assign(targets.size(), 1.0);
    problem.candidates.resize(candidates.size());
    for (std::uint32_t t = 0; t < targets.size(); ++t) {
        if (!nearest[targets[t]].street)
            continue;
        core::ShortestPaths from_target(graph, {{nearest[targets[t]].street->at, t, 0}}, {{}, {}, reach});
        for (std::size_t c = 0; c < candidates.size(); ++c)
            if (from_target.to(candidates[c]).distance <= reach)
                problem.candidates[c].push_back(t);
    }
    auto choice = core::greedy_max_coverage(problem, count);
    std::vector<Suggestion> out;
    std::vector<bool> covered(targets.size(), false);
    for (auto c : choice.chosen) {
        Suggestion s{graph.point_along(candidates[c].edge, candidates[c].offset), {}};
        for (auto t : problem.candidates[c])
            if (!covered[t]) {
                covered[t] = true;
                s.buildings.push_back(targets[t]);
            }
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace lantern::layers::fire
