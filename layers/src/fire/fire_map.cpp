#include "fire_map.hpp"

#include <cmath>
#include <numbers>

#include <lantern/core/base/numbers.hpp>

#include "../coverage/coverage_internal.hpp"
#include "../planning/compliance_map.hpp"

namespace lantern::layers::fire {

namespace {

// A street stretch marked 3 m wider each side than the street, one
// rectangle per segment: the streets class is drawn over the marks, which
// then show as a coloured edge along it.
void add_street(std::vector<core::Wkb>& out, const std::vector<PlanePoint>& shape, double width)
{
    double half = width / 2;
    for (std::size_t k = 0; k + 1 < shape.size(); ++k) {
        auto a = shape[k], b = shape[k + 1];
        double length = std::hypot(b.x - a.x, b.y - a.y);
        if (length <= 0)
            continue;
        double nx = -(b.y - a.y) / length * half, ny = (b.x - a.x) / length * half;
        out.push_back(coverage::polygon_wkb(
            {{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}}));
    }
}

core::Wkb disc(PlanePoint c, double radius)
{
    core::PlaneRing ring;
    for (int k = 0; k < 12; ++k) {
        double angle = 2 * std::numbers::pi * k / 12;
        ring.push_back({c.x + radius * std::cos(angle), c.y + radius * std::sin(angle)});
    }
    return coverage::polygon_wkb(ring);
}

}  // namespace

void draw_fire_map(const core::Storage& storage, const FireMapInputs& in, const nlohmann::json& summary,
                   const FireOptions& options)
{
    using planning::MarkedKind;
    const auto& graph = in.streets.graph;
    MarkedKind too_narrow{"street too narrow for the " + options.vehicle + " vehicle", {158, 154, 200, 255}, {}};
    MarkedKind closed{"street closed (flooded or closed)", {33, 113, 181, 255}, {}};
    MarkedKind dead_end{"dead end over the limit", {217, 95, 14, 255}, {}};
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        double width = in.streets.road(e).width_m + 6;
        if (in.streets.closed[e])
            add_street(closed.shapes, graph.shape(e), width);
        else if (!in.streets.fits[e])
            add_street(too_narrow.shapes, graph.shape(e), width);
    }
    for (const auto& d : in.dead_ends)
        for (auto e : d.edges)
            add_street(dead_end.shapes, graph.shape(e), in.streets.road(e).width_m + 6);

    MarkedKind within{"within reach", {116, 196, 118, 255}, {}};
    MarkedKind late{"beyond the response target", {254, 178, 76, 255}, {}};
    MarkedKind hose{"beyond hose reach", {240, 59, 32, 255}, {}};
    MarkedKind unreachable{"unreachable", {103, 0, 13, 255}, {}};
    MarkedKind lost{"loses access at the stage", {122, 1, 119, 255}, {}};
    // The houses hydrant placement is for: zone I, reached, no working hydrant near.
    MarkedKind dry{"heritage house within reach, no working hydrant near", {65, 182, 196, 255}, {}};
    std::vector<core::Wkb> all_buildings;
    for (std::size_t i = 0; i < in.city.buildings.size(); ++i) {
        const auto& f = in.flags[i];
        const auto& wkb = in.city.buildings[i].wkb;
        all_buildings.push_back(wkb);
        auto& kind = f.lost_access     ? lost
                     : f.unreachable   ? unreachable
                     : f.beyond_hose   ? hose
                     : f.beyond_target ? late
                     : f.no_hydrant && in.city.buildings[i].heritage == "I" ? dry
                                                                             : within;
        kind.shapes.push_back(wkb);
    }
    MarkedKind working{"working hydrant", {8, 81, 156, 255}, {}};
    MarkedKind faulty{"faulty hydrant", {158, 202, 225, 255}, {}};
    MarkedKind suggested{"suggested hydrant", {231, 41, 138, 255}, {}};
    MarkedKind station{"fire station", {165, 15, 21, 255}, {}};
    for (const auto& h : in.city.hydrants)
        (h.working ? working : faulty).shapes.push_back(disc(h.at, 5));
    for (const auto& s : in.suggestions)
        suggested.shapes.push_back(disc(s.at, 14));  // wider than the street it stands on
    for (const auto& s : in.city.stations)
        station.shapes.push_back(disc(s.at, 12));

    std::vector<MarkedKind> kinds = {
        planning::building_marks(all_buildings), too_narrow, closed, dead_end, within, dry, late, hose, unreachable};
    if (options.stage_m)
        kinds.push_back(lost);
    kinds.insert(kinds.end(), {working, faulty, station});
    if (!in.suggestions.empty())
        kinds.push_back(suggested);
    // A kind with nothing to draw stays out of the legend.
    std::vector<MarkedKind> drawn;
    for (auto& k : kinds)
        if (!k.shapes.empty())
            drawn.push_back(std::move(k));

    const auto& t = summary["totals"];
    std::string title = "fire access, " + options.vehicle + " vehicle";
    if (options.stage_m)
        title += ", river at " + core::fixed_text(*options.stage_m, 2) + " m";
    std::vector<std::string> lines = {std::to_string(t["buildings"].get<std::int64_t>()) +
                                          " buildings: " + std::to_string(t["unreachable"].get<std::int64_t>()) +
                                          " unreachable, " + std::to_string(t["beyond_hose"].get<std::int64_t>()) +
                                          " beyond " + core::fixed_text(options.hose_reach_m, 0) + " m of hose",
                                      std::to_string(t["no_hydrant"].get<std::int64_t>()) +
                                          " without a working hydrant within " +
                                          core::fixed_text(options.hydrant_reach_m, 0) + " m"};
    if (!t["median_time_s"].is_null())
        lines.push_back("median time from the station " + core::fixed_text(t["median_time_s"].get<double>() / 60, 1) +
                        " min (target " + core::fixed_text(options.target_s / 60, 0) + " min)");
    if (options.stage_m)
        lines.push_back(std::to_string(summary["stage"]["lost_access"].get<std::int64_t>()) +
                        " buildings lose access at the stage");
    planning::draw_compliance_map(storage, title, lines, drawn, options.map);
}

}  // namespace lantern::layers::fire
