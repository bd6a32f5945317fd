#include "fire_streets.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/catalogue.hpp>

#include "../coverage/coverage_internal.hpp"
#include "../field_values.hpp"

namespace lantern::layers {

double fire_speed_kmh(const std::string& road_class)
{
    // An engine under lights and sirens in a town of narrow, busy streets.
    static const std::map<std::string, double> speeds = {
        {"motorway", 60},      {"trunk", 50},        {"primary", 40},     {"secondary", 35},
        {"tertiary", 30},      {"unclassified", 25}, {"residential", 20}, {"bridge", 30},
        {"living_street", 15}, {"service", 15},      {"pedestrian", 10},  {"alley", 10},
        {"track", 15},         {"path", 8},          {"footway", 8},      {"cycleway", 10}};
    auto it = speeds.find(road_class);
    return it == speeds.end() ? 20 : it->second;
}

}  // namespace lantern::layers

namespace lantern::layers::fire {

namespace {

// Classes a fire engine does not drive along, whatever their width.
bool footway_class(const std::string& c)
{
    return c == "footway" || c == "path" || c == "cycleway" || c == "steps";
}

}  // namespace

double usual_width_m(const std::string& road_class)
{
    // Carriageways as Vietnamese urban streets of each class are commonly
    // built (TCXDVN 104:2007's lane counts at 3.5 m a lane, kiệt at 2-3 m).
    static const std::map<std::string, double> widths = {
        {"motorway", 21}, {"trunk", 14},       {"primary", 14},      {"secondary", 10.5},
        {"tertiary", 7},  {"unclassified", 6}, {"residential", 5.5}, {"living_street", 3.5},
        {"service", 3.5}, {"pedestrian", 4},   {"alley", 2.5},       {"track", 3},
        {"path", 1.5},    {"footway", 1.5},    {"cycleway", 2},      {"bridge", 7}};
    auto it = widths.find(road_class);
    return it == widths.end() ? 5.5 : it->second;
}

std::vector<std::uint8_t> FireStreets::usable() const
{
    std::vector<std::uint8_t> out(fits.size());
    for (std::size_t e = 0; e < fits.size(); ++e)
        out[e] = fits[e] && !closed[e];
    return out;
}

FireStreets read_fire_streets(const core::Storage& storage, const FireVehicle& vehicle)
{
    if (!storage.has_class("roads") || !storage.class_record("roads"))
        throw core::DataError("fire access needs the streets: import the roads class first");
    const auto& schema = feature_class("roads");
    auto id = detail::field_index(schema, "road_id"), name = detail::field_index(schema, "name"),
         cls = detail::field_index(schema, "class"), width = detail::field_index(schema, "width_m");
    FireStreets streets;
    std::vector<std::vector<core::PlanePoint>> lines;
    std::vector<double> widths;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        RoadPart road{detail::text_value(f.values[id]), detail::text_value(f.values[name]),
                      detail::text_value(f.values[cls])};
        auto given = detail::real_value(f.values[width]);
        road.width_given = given && *given > 0;
        road.width_m = road.width_given ? *given : usual_width_m(road.road_class);
        for (auto& part : coverage::lines_of(f.wkb)) {
            lines.push_back(std::move(part));
            widths.push_back(road.width_m);
            streets.lines.push_back(road);
        }
    });
    // Ends within a centimetre are one junction; a street ending short of
    // another is not carried on to it, as the roads class draws what is.
    core::LineGraphOptions options;
    options.merge = 0.01;
    streets.graph = core::StreetGraph::from_lines(lines, widths, {}, options);
    auto edges = streets.graph.edge_count();
    streets.fits.resize(edges);
    streets.closed.assign(edges, 0);
    streets.flood_depth_m.assign(edges, std::nanf(""));
    streets.seconds.resize(edges);
    for (std::uint32_t e = 0; e < edges; ++e) {
        const auto& road = streets.road(e);
        streets.fits[e] =
            road.width_m >= vehicle.min_width_m - 1e-9 && (vehicle.footways || !footway_class(road.road_class));
        streets.seconds[e] = streets.graph.edge(e).length / (fire_speed_kmh(road.road_class) / 3.6);
    }
    return streets;
}

std::size_t close_flooded(FireStreets& streets, const core::Grid<float>& depth, double passable_m)
{
    const auto& frame = depth.frame;
    double step = std::min(frame.cell_x, frame.cell_y) / 2;
    std::size_t closed = 0;
    for (std::uint32_t e = 0; e < streets.graph.edge_count(); ++e) {
        float deepest = 0;
        auto shape = streets.graph.shape(e);
        for (std::size_t k = 0; k + 1 < shape.size(); ++k) {
            auto a = shape[k], b = shape[k + 1];
            double length = std::hypot(b.x - a.x, b.y - a.y);
            auto samples = static_cast<int>(std::ceil(length / step));
            for (int s = 0; s <= samples; ++s) {
                double t = samples == 0 ? 0 : static_cast<double>(s) / samples;
                int col = frame.col_of(a.x + (b.x - a.x) * t), row = frame.row_of(a.y + (b.y - a.y) * t);
                if (!frame.contains(col, row))
                    continue;
                float d = depth.values[frame.index(col, row)];
                if (!std::isnan(d))
                    deepest = std::max(deepest, d);
            }
        }
        streets.flood_depth_m[e] = deepest;
        if (deepest > passable_m && !streets.closed[e]) {
            streets.closed[e] = 1;
            ++closed;
        }
    }
    return closed;
}

std::size_t close_roads(FireStreets& streets, const std::vector<std::string>& road_ids)
{
    std::set<std::string> wanted(road_ids.begin(), road_ids.end()), found;
    std::size_t closed = 0;
    for (std::uint32_t e = 0; e < streets.graph.edge_count(); ++e)
        if (wanted.count(streets.road(e).id)) {
            found.insert(streets.road(e).id);
            if (!streets.closed[e]) {
                streets.closed[e] = 1;
                ++closed;
            }
        }
    for (const auto& id : wanted)
        if (!found.count(id))
            throw core::UsageError("--close-roads: the roads class has no road " + id);
    return closed;
}

}  // namespace lantern::layers::fire
