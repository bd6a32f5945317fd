// Rainfall screening of the drainage network (docs/flood.md). A screening
// method, not a hydraulic model: each inlet's catchment comes from the
// terrain's flow directions, its peak runoff from the rational method
// (Q = C i A), each pipe's capacity from Manning's equation for a full
// circular pipe, and flows add up down the network to the outlets. Where a
// catchment's way out is over capacity, the runoff the pipes cannot take
// for the storm's duration first fills the catchment's depressions (the
// filled-minus-original volume) and overflows beyond them.

#include "flood_internal.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iostream>
#include <map>
#include <numeric>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/hydrology/hydraulics.hpp>
#include <lantern/core/hydrology/hydrology.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/drainage_checks.hpp>

#include "../field_builders.hpp"

namespace lantern::layers::flood {

namespace {

constexpr double snap_tolerance_m = drainage_snap_m;  // a pipe's end meets a node within this
constexpr double default_manning_n = 0.013;  // concrete, when a pipe has none
constexpr double least_slope = 1e-4;       // a flat or adverse pipe still passes a trickle
constexpr int inlet_reach_cells = 1;       // an inlet takes the flow passing within a cell of it

std::unique_ptr<OGRGeometry> parse(const core::Wkb& wkb)
{
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g)
        throw core::DataError("a stored geometry cannot be read");
    return std::unique_ptr<OGRGeometry>(g);
}

struct Node {
    std::string id;
    std::string kind;
    double x = 0, y = 0;
    double local_flow = 0;  // runoff entering here, m³/s
    double total_flow = 0;  // leaving here, m³/s
    double worst_load_below = 0;  // worst pipe load ratio on the way to an outlet
    std::string worst_pipe_below;
    std::vector<std::size_t> out_pipes, in_pipes;
    double upstream_m2 = 0;
    int upstream_inlets = 0;
};

struct Pipe {
    std::string id;
    core::Wkb wkb;
    double diameter_mm = 0;
    double slope = 0;
    double capacity = 0;
    double flow = 0;
    int up = -1, down = -1;
    double length = 0;
};

struct Catchment {
    int node = -1;
    double area_m2 = 0;
    double c_area = 0;  // sum of C x area
    double storage_m3 = 0;
    double peak = 0;
    double excess_m3 = 0;
    double level = 0;  // ponded water level in its depressions
};

class RainScreening {
public:
    RainScreening(const core::Storage& storage, core::ResultBatch& batch, const core::FloatGrid& dem,
                  const WardIndex& wards, const RainOptions& rain, bool log)
        : m_storage(storage), m_batch(batch), m_dem(dem), m_wards(wards), m_rain(rain), m_log(log),
          m_suffix(core::general_text(rain.intensity_mm_per_h) + "mmh_" + core::general_text(rain.duration_min) + "min")
    {
        if (!(rain.intensity_mm_per_h > 0) || rain.intensity_mm_per_h > 500)
            throw core::UsageError("rain of " + core::general_text(rain.intensity_mm_per_h) +
                                   " mm/h: the intensity must be between 0 and 500 mm/h");
        if (!(rain.duration_min > 0) || rain.duration_min > 7 * 24 * 60)
            throw core::UsageError("a storm of " + core::general_text(rain.duration_min) +
                                   " min: it must last between 0 and 10080 minutes");
        for (const auto* c : {"drainage_nodes", "drainage_pipes"})
            if (!storage.has_class(c) || storage.count(c) == 0)
                throw core::DataError(storage.location() + ": the city has no " + c +
                                      "; rainfall screening needs the drainage network");
    }

    nlohmann::json run()
    {
        read_network();
        auto start = std::chrono::steady_clock::now();
        m_filled = m_dem;
        core::fill_depressions(m_filled, {true});
        auto directions = core::flow_directions(m_filled);
        auto labels = core::label_upstream(directions, inlet_seeds());
        if (m_log)
            std::clog << "lantern: inlet catchments: " << core::fill_epsilon_method << "; "
                      << core::flow_directions_method << "; "
                      << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
                      << " s\n";
        measure_catchments(labels);
        route_flows();
        auto depth = pond(labels);
        write_pipes();
        write_catchments(labels);
        add_raster_result(m_batch, "rain_depth_" + m_suffix,
                          "water ponding in depressions behind overloaded pipes", "m", depth);
        ScenarioGrids grids{&depth, nullptr, nullptr};
        auto summary = summarize();
        summary["exposure"] = assess_exposure(m_storage, m_batch, grids, m_wards, "rain", m_suffix);
        return summary;
    }

private:
    void read_network()
    {
        const auto& node_schema = feature_class("drainage_nodes");
        auto id = field_index(node_schema, "node_id"), kind = field_index(node_schema, "kind");
        m_storage.scan(node_schema, [&](const core::StoredFeature& f) {
            auto g = parse(f.wkb);
            const auto* p = g->toPoint();
            Node n;
            n.id = text_value(f.values[id]);
            n.kind = text_value(f.values[kind]);
            n.x = p->getX();
            n.y = p->getY();
            m_node_snap.add(n.x, n.y, m_nodes.size());
            m_nodes.push_back(n);
        });
        const auto& pipe_schema = feature_class("drainage_pipes");
        auto pid = field_index(pipe_schema, "pipe_id"), dia = field_index(pipe_schema, "diameter_mm");
        auto up_inv = field_index(pipe_schema, "up_invert_m"), down_inv = field_index(pipe_schema, "down_invert_m");
        auto n_pos = field_index(pipe_schema, "manning_n");
        m_storage.scan(pipe_schema, [&](const core::StoredFeature& f) {
            auto g = parse(f.wkb);
            const auto* lines = g->toMultiLineString();
            if (lines->getNumGeometries() == 0)
                return;
            const auto* first = lines->getGeometryRef(0);
            const auto* last = lines->getGeometryRef(lines->getNumGeometries() - 1);
            Pipe p;
            p.id = text_value(f.values[pid]);
            p.wkb = f.wkb;
            p.diameter_mm = real_value(f.values[dia]).value_or(300);
            p.length = lines->get_Length();
            p.up = nearest_node(first->getX(0), first->getY(0));
            p.down = nearest_node(last->getX(last->getNumPoints() - 1), last->getY(last->getNumPoints() - 1));
            auto ui = real_value(f.values[up_inv]), di = real_value(f.values[down_inv]);
            p.slope = ui && di && p.length > 0 ? (*ui - *di) / p.length : 0;
            double n = real_value(f.values[n_pos]).value_or(default_manning_n);
            p.capacity = core::manning_full_flow(p.diameter_mm / 1000, std::max(p.slope, least_slope), n);
            if (p.up < 0 || p.down < 0)
                ++m_unjoined_pipes;
            m_pipes.push_back(std::move(p));
        });
        for (std::size_t i = 0; i < m_pipes.size(); ++i) {
            if (m_pipes[i].up >= 0)
                m_nodes[static_cast<std::size_t>(m_pipes[i].up)].out_pipes.push_back(i);
            if (m_pipes[i].down >= 0)
                m_nodes[static_cast<std::size_t>(m_pipes[i].down)].in_pipes.push_back(i);
        }
    }

    // The node a pipe's end joins, -1 when none lies within the snap tolerance.
    int nearest_node(double x, double y) const
    {
        auto node = m_node_snap.nearest(x, y);
        return node ? static_cast<int>(*node) : -1;
    }

    core::LabelGrid inlet_seeds()
    {
        const auto& frame = m_dem.frame;
        core::LabelGrid seeds(frame, 0);
        for (std::size_t i = 0; i < m_nodes.size(); ++i) {
            if (m_nodes[i].kind != "inlet")
                continue;
            m_catchments.push_back({static_cast<int>(i)});
            auto label = static_cast<std::int32_t>(m_catchments.size());
            int col = frame.col_of(m_nodes[i].x), row = frame.row_of(m_nodes[i].y);
            for (int dr = -inlet_reach_cells; dr <= inlet_reach_cells; ++dr)
                for (int dc = -inlet_reach_cells; dc <= inlet_reach_cells; ++dc)
                    if (frame.contains(col + dc, row + dr) && !core::is_no_data(m_dem.at(col + dc, row + dr)))
                        seeds.at(col + dc, row + dr) = label;
        }
        return seeds;
    }

    void measure_catchments(const core::LabelGrid& labels)
    {
        auto coefficients = runoff_coefficients();
        const double a = m_dem.frame.cell_area();
        for (std::size_t i = 0; i < labels.cells(); ++i) {
            if (labels[i] <= 0)
                continue;
            auto& c = m_catchments[static_cast<std::size_t>(labels[i] - 1)];
            c.area_m2 += a;
            c.c_area += coefficients[i] * a;
            c.storage_m3 += static_cast<double>(m_filled[i] - m_dem[i]) * a;
        }
        for (auto& c : m_catchments) {
            c.peak = core::rational_peak_flow(c.area_m2 > 0 ? c.c_area / c.area_m2 : 0, m_rain.intensity_mm_per_h, c.area_m2);
            auto& node = m_nodes[static_cast<std::size_t>(c.node)];
            node.local_flow += c.peak;
            node.upstream_m2 += c.area_m2;
            node.upstream_inlets += 1;
        }
    }

    // The runoff coefficient of every cell: parcels by land use, then roads
    // and buildings over them; ground no parcel covers keeps `unmapped`.
    std::vector<float> runoff_coefficients() const
    {
        const auto& table = runoff_table();
        std::vector<core::Wkb> shapes;
        std::vector<std::int32_t> codes;
        std::vector<double> by_code = {table.unmapped};
        auto add_class = [&](const std::string& name, const std::function<double(const core::StoredFeature&)>& c) {
            if (!m_storage.has_class(name))
                return;
            m_storage.scan(feature_class(name), [&](const core::StoredFeature& f) {
                by_code.push_back(c(f));
                shapes.push_back(f.wkb);
                codes.push_back(static_cast<std::int32_t>(by_code.size() - 1));
            });
        };
        auto land_use = field_index(feature_class("parcels"), "land_use");
        add_class("parcels", [&](const core::StoredFeature& f) { return table.for_land_use(text_value(f.values[land_use])); });
        add_class("roads", [&](const core::StoredFeature&) { return table.roads; });
        add_class("buildings", [&](const core::StoredFeature&) { return table.buildings; });
        auto burnt = core::burn_geometries(m_dem.frame, shapes, codes, false);
        std::vector<float> out(burnt.cells());
        for (std::size_t i = 0; i < out.size(); ++i)
            out[i] = static_cast<float>(by_code[static_cast<std::size_t>(burnt[i])]);
        return out;
    }

    // Adds flows down the network in topological order, then finds each
    // node's worst load on its way out in reverse order.
    void route_flows()
    {
        std::vector<int> pending(m_nodes.size(), 0);
        for (const auto& p : m_pipes)
            if (p.up >= 0 && p.down >= 0)
                ++pending[static_cast<std::size_t>(p.down)];
        std::vector<std::size_t> order;
        for (std::size_t i = 0; i < m_nodes.size(); ++i)
            if (pending[i] == 0)
                order.push_back(i);
        for (std::size_t k = 0; k < order.size(); ++k) {
            auto& node = m_nodes[order[k]];
            node.total_flow += node.local_flow;
            if (node.out_pipes.empty())
                continue;
            // A node with several pipes out splits its flow evenly (docs/flood.md).
            double share = node.total_flow / static_cast<double>(node.out_pipes.size());
            for (auto pi : node.out_pipes) {
                auto& pipe = m_pipes[pi];
                pipe.flow = share;
                if (pipe.down < 0)
                    continue;
                auto& down = m_nodes[static_cast<std::size_t>(pipe.down)];
                down.total_flow += share;
                down.upstream_m2 += node.upstream_m2 / static_cast<double>(node.out_pipes.size());
                down.upstream_inlets += node.upstream_inlets;
                if (--pending[static_cast<std::size_t>(pipe.down)] == 0)
                    order.push_back(static_cast<std::size_t>(pipe.down));
            }
        }
        if (order.size() != m_nodes.size()) {
            for (std::size_t i = 0; i < m_nodes.size(); ++i)
                if (pending[i] > 0)
                    throw core::DataError(m_storage.location() + ": drainage_nodes: node " + m_nodes[i].id +
                                          ": the pipes form a loop through it; screening needs a "
                                          "network that drains to outlets");
        }
        for (auto k = order.size(); k-- > 0;) {
            auto& node = m_nodes[order[k]];
            for (auto pi : node.out_pipes) {
                const auto& pipe = m_pipes[pi];
                double load = pipe.capacity > 0 ? pipe.flow / pipe.capacity : 0;
                double below = pipe.down >= 0 ? m_nodes[static_cast<std::size_t>(pipe.down)].worst_load_below : 0;
                const auto& below_pipe =
                    pipe.down >= 0 ? m_nodes[static_cast<std::size_t>(pipe.down)].worst_pipe_below : std::string();
                if (load >= below && load > node.worst_load_below) {
                    node.worst_load_below = load;
                    node.worst_pipe_below = pipe.id;
                } else if (below > node.worst_load_below) {
                    node.worst_load_below = below;
                    node.worst_pipe_below = below_pipe;
                }
            }
        }
    }

    // The runoff the network cannot take during the storm ponds in the
    // catchment's depressions up to a common level, found by bisection.
    core::FloatGrid pond(const core::LabelGrid& labels)
    {
        const double seconds = m_rain.duration_min * 60;
        const double a = m_dem.frame.cell_area();
        std::vector<std::vector<std::size_t>> cells(m_catchments.size());
        for (auto& c : m_catchments) {
            double load = m_nodes[static_cast<std::size_t>(c.node)].worst_load_below;
            c.excess_m3 = load > 1 ? c.peak * seconds * (1 - 1 / load) : 0;
        }
        for (std::size_t i = 0; i < labels.cells(); ++i)
            if (labels[i] > 0 && m_catchments[static_cast<std::size_t>(labels[i] - 1)].excess_m3 > 0 &&
                m_filled[i] > m_dem[i])
                cells[static_cast<std::size_t>(labels[i] - 1)].push_back(i);
        core::FloatGrid depth(m_dem.frame, core::no_data);
        for (std::size_t k = 0; k < m_catchments.size(); ++k) {
            auto& c = m_catchments[k];
            double stored = std::min(c.excess_m3, c.storage_m3);
            if (stored <= 0 || cells[k].empty())
                continue;
            auto volume_at = [&](double level) {
                double v = 0;
                for (auto i : cells[k])
                    v += std::max(0.0, std::min(level, static_cast<double>(m_filled[i])) - m_dem[i]) * a;
                return v;
            };
            double low = m_dem[cells[k].front()], high = m_filled[cells[k].front()];
            for (auto i : cells[k]) {
                low = std::min(low, static_cast<double>(m_dem[i]));
                high = std::max(high, static_cast<double>(m_filled[i]));
            }
            for (int iteration = 0; iteration < 50; ++iteration) {
                double mid = (low + high) / 2;
                (volume_at(mid) < stored ? low : high) = mid;
            }
            c.level = high;
            for (auto i : cells[k]) {
                double d = std::min(c.level, static_cast<double>(m_filled[i])) - m_dem[i];
                if (d > 0)
                    depth[i] = static_cast<float>(d);
            }
        }
        return depth;
    }

    void write_pipes()
    {
        core::ClassSchema s;
        s.name = "rain_pipes_" + m_suffix;
        s.layer = "results";
        s.description = "Drainage pipes under a storm of " + m_suffix + ": peak flow against full-flow capacity.";
        s.geometry = core::GeometryKind::line;
        auto r = [](const char* n, const char* d) { return detail::real(n, d, std::nullopt, std::nullopt); };
        s.fields = {detail::text("pipe_id", "pipe identifier"),
                    r("diameter_mm", "diameter, millimetres"),
                    r("slope", "fall over length from the inverts"),
                    r("capacity_m3s", "full-flow capacity by Manning, cubic metres per second"),
                    r("flow_m3s", "peak flow from the catchments upstream, cubic metres per second"),
                    r("load_ratio", "peak flow over capacity"),
                    detail::integer("surcharged", "1 when the load ratio is over 1", std::nullopt, std::nullopt),
                    detail::integer("upstream_inlets", "inlets whose catchments drain into the pipe",
                                    std::nullopt, std::nullopt),
                    r("upstream_ha", "area of those catchments, hectares")};
        auto& sink = m_batch.add_features(s.name, s.description, s);
        for (const auto& p : m_pipes) {
            const Node* up = p.up >= 0 ? &m_nodes[static_cast<std::size_t>(p.up)] : nullptr;
            double share = up && !up->out_pipes.empty() ? 1.0 / static_cast<double>(up->out_pipes.size()) : 0;
            double load = p.capacity > 0 ? p.flow / p.capacity : 0;
            sink.insert(p.wkb, {p.id, p.diameter_mm, p.slope, p.capacity, p.flow, load,
                                std::int64_t{load > 1}, std::int64_t{up ? up->upstream_inlets : 0},
                                up ? up->upstream_m2 * share / 1e4 : 0.0});
        }
    }

    void write_catchments(const core::LabelGrid& labels)
    {
        core::ClassSchema s;
        s.name = "rain_catchments_" + m_suffix;
        s.layer = "results";
        s.description = "Inlet catchments under a storm of " + m_suffix + ": runoff, the pipe that limits "
                        "them, and ponding.";
        s.geometry = core::GeometryKind::polygon;
        auto r = [](const char* n, const char* d) { return detail::real(n, d, std::nullopt, std::nullopt); };
        s.fields = {detail::text("inlet_id", "the inlet the catchment drains to"),
                    r("area_m2", "catchment area, square metres"),
                    r("runoff_c", "area-weighted runoff coefficient"),
                    r("peak_m3s", "peak runoff by the rational method, cubic metres per second"),
                    r("worst_load", "greatest load ratio of the pipes on the way to the outlet"),
                    detail::text("worst_pipe", "the pipe with that load"),
                    r("excess_m3", "runoff the pipes cannot take during the storm, cubic metres"),
                    r("storage_m3", "depression storage: filled minus original terrain, cubic metres"),
                    r("overflow_m3", "excess beyond the depression storage, cubic metres"),
                    detail::text("status", "drains, ponds (within its depressions) or overflows")};
        auto& sink = m_batch.add_features(s.name, s.description, s);
        core::polygonize(labels, [&](std::int32_t label, const core::Wkb& polygon) {
            const auto& c = m_catchments[static_cast<std::size_t>(label - 1)];
            const auto& node = m_nodes[static_cast<std::size_t>(c.node)];
            double overflow = std::max(0.0, c.excess_m3 - c.storage_m3);
            sink.insert(polygon, {node.id, c.area_m2, c.area_m2 > 0 ? c.c_area / c.area_m2 : 0.0, c.peak,
                                  node.worst_load_below, node.worst_pipe_below, c.excess_m3, c.storage_m3,
                                  overflow, status(c)});
        });
    }

    static std::string status(const Catchment& c)
    {
        if (c.excess_m3 <= 0)
            return "drains";
        return c.excess_m3 <= c.storage_m3 ? "ponds" : "overflows";
    }

    nlohmann::json summarize() const
    {
        std::int64_t surcharged = 0;
        std::vector<const Pipe*> worst;
        for (const auto& p : m_pipes) {
            if (p.capacity > 0 && p.flow > p.capacity)
                ++surcharged;
            worst.push_back(&p);
        }
        auto load = [](const Pipe* p) { return p->capacity > 0 ? p->flow / p->capacity : 0; };
        std::sort(worst.begin(), worst.end(), [&](auto* a, auto* b) { return load(a) > load(b); });
        nlohmann::json worst_pipes = nlohmann::json::array();
        for (std::size_t i = 0; i < std::min<std::size_t>(10, worst.size()); ++i)
            worst_pipes.push_back({{"pipe_id", worst[i]->id},
                                   {"load_ratio", std::round(load(worst[i]) * 100) / 100},
                                   {"flow_m3s", std::round(worst[i]->flow * 1000) / 1000},
                                   {"capacity_m3s", std::round(worst[i]->capacity * 1000) / 1000}});
        std::map<std::string, std::int64_t> statuses = {{"drains", 0}, {"ponds", 0}, {"overflows", 0}};
        double area = 0, excess = 0, overflow = 0;
        for (const auto& c : m_catchments) {
            ++statuses[status(c)];
            area += c.area_m2;
            excess += c.excess_m3;
            overflow += std::max(0.0, c.excess_m3 - c.storage_m3);
        }
        return {{"kind", "rain"},
                {"suffix", m_suffix},
                {"intensity_mm_per_h", m_rain.intensity_mm_per_h},
                {"duration_min", m_rain.duration_min},
                {"inlets", m_catchments.size()},
                {"catchments_ha", std::round(area / 100) / 100},
                {"pipes", m_pipes.size()},
                {"pipes_not_joined", m_unjoined_pipes},
                {"surcharged_pipes", surcharged},
                {"worst_pipes", worst_pipes},
                {"catchments", statuses},
                {"excess_m3", std::round(excess)},
                {"overflow_m3", std::round(overflow)},
                {"depth_raster", "rain_depth_" + m_suffix}};
    }

    const core::Storage& m_storage;
    core::ResultBatch& m_batch;
    const core::FloatGrid& m_dem;
    const WardIndex& m_wards;
    RainOptions m_rain;
    bool m_log;
    std::string m_suffix;
    core::FloatGrid m_filled;
    std::vector<Node> m_nodes;
    SnapIndex m_node_snap{snap_tolerance_m};
    std::vector<Pipe> m_pipes;
    std::vector<Catchment> m_catchments;
    std::int64_t m_unjoined_pipes = 0;
};

}  // namespace

nlohmann::json run_rain(const core::Storage& storage, core::ResultBatch& batch, const core::FloatGrid& dem,
                        const WardIndex& wards, const RainOptions& rain, bool log)
{
    return RainScreening(storage, batch, dem, wards, rain, log).run();
}

}  // namespace lantern::layers::flood
