// Drainage, street lighting and cameras (docs/sample-city.md).
//
// Drainage: in the wards (not the communes) every street node is a manhole
// or inlet; nodes within 90 m of a river are outlets. Each node drains along
// the shortest street path to an outlet (multi-source Dijkstra), so the pipes
// form trees rooted at the outlets. Inverts are set from the outlets upwards:
// an outlet's invert lies 1.8 m below its ground; going upstream each invert
// rises by the pipe's length times 0.05 % but never comes closer than 0.8 m to
// the ground, and always by at least 5 mm; so every pipe falls towards its
// outlet and lies below the ground. Outfalls lie at or below the datum, the
// rivers' normal level, which leaves room for the rise on low ground upstream.
// An outlet no pipe reaches is left out.

#include "sample.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>

namespace lantern::layers::sample {

namespace {

constexpr double outlet_reach = 90.0;
constexpr double outlet_depth = 1.8;
constexpr double min_cover = 0.8;
constexpr double min_slope = 0.0005;
constexpr double min_fall = 0.005;

void build_drainage(const Geography& geo, const Terrain& terrain, const Town& town, Networks& out)
{
    const std::size_t n = town.nodes.size();
    std::vector<bool> urban(n, false);
    for (std::size_t i = 0; i < n; ++i)
        urban[i] = !in_commune(geo, terrain, town.nodes[i].p);
    std::vector<double> dist(n, std::numeric_limits<double>::max());
    std::vector<std::size_t> parent(n, SIZE_MAX);
    std::vector<bool> outlet(n, false);
    using Item = std::pair<double, std::size_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
    for (std::size_t i = 0; i < n; ++i)
        if (urban[i] && terrain.river_distance(town.nodes[i].p) < outlet_reach &&
            terrain.sea_distance(town.nodes[i].p) > 300) {
            outlet[i] = true;
            dist[i] = 0;
            queue.push({0, i});
        }
    while (!queue.empty()) {
        auto [d, i] = queue.top();
        queue.pop();
        if (d > dist[i])
            continue;
        for (auto e : town.nodes[i].edges) {
            const auto& edge = town.edges[e];
            if (town.roads[edge.road].bridge)
                continue;
            std::size_t j = edge.a == i ? edge.b : edge.a;
            if (!urban[j] || outlet[j])
                continue;
            double nd = d + distance(town.nodes[i].p, town.nodes[j].p);
            if (nd < dist[j]) {
                dist[j] = nd;
                parent[j] = i;
                queue.push({nd, j});
            }
        }
    }
    // An outlet no street node drains to has no pipe: it is left out, as a
    // city records only outfalls its network reaches.
    std::vector<bool> drained(n, false);
    for (std::size_t i = 0; i < n; ++i)
        if (parent[i] != SIZE_MAX)
            drained[parent[i]] = true;
    // Inverts in order of distance from the outlets, so a parent is set first.
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < n; ++i)
        if (dist[i] < std::numeric_limits<double>::max() && (!outlet[i] || drained[i]))
            order.push_back(i);
    std::sort(order.begin(), order.end(), [&](auto l, auto r) { return dist[l] < dist[r] || (dist[l] == dist[r] && l < r); });
    std::vector<double> invert(n, 0), ground(n, 0);
    std::vector<std::size_t> upstream(n, 0);
    for (auto i : order) {
        ground[i] = terrain.height(town.nodes[i].p);
        if (outlet[i]) {
            invert[i] = std::min(ground[i] - outlet_depth, 0.0);
            continue;
        }
        std::size_t p = parent[i];
        double length = distance(town.nodes[i].p, town.nodes[p].p);
        double rise = std::max(min_slope * length, min_fall);
        // The pipe must also stay below the ground between its two ends.
        double lowest_ground = std::min(ground[i], ground[p]);
        for (int k = 1; k < 10; ++k) {
            double t = k / 10.0;
            Point q{town.nodes[i].p.x + (town.nodes[p].p.x - town.nodes[i].p.x) * t,
                    town.nodes[i].p.y + (town.nodes[p].p.y - town.nodes[i].p.y) * t};
            lowest_ground = std::min(lowest_ground, terrain.height(q));
        }
        invert[i] = std::min(invert[p] + rise, lowest_ground - min_cover);
        invert[i] = std::max(invert[i], invert[p] + min_fall);  // always falls downstream
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it)
        if (!outlet[*it])
            upstream[parent[*it]] += upstream[*it] + 1;

    std::vector<std::string> node_id(n);
    for (auto i : order) {
        DrainageNode node;
        node.id = "N-" + std::to_string(out.nodes.size() + 1);
        node_id[i] = node.id;
        node.p = town.nodes[i].p;
        node.kind = outlet[i] ? "outlet" : (town.nodes[i].edges.size() <= 2 && i % 3 == 0 ? "inlet" : "manhole");
        node.ground_m = std::round(ground[i] * 1000) / 1000;
        node.invert_m = std::round(invert[i] * 1000) / 1000;
        out.nodes.push_back(node);
    }
    for (auto i : order) {
        if (outlet[i])
            continue;
        std::size_t p = parent[i];
        Pipe pipe;
        pipe.id = "P-" + std::to_string(out.pipes.size() + 1);
        pipe.points = {town.nodes[i].p, town.nodes[p].p};
        double size = 300 + 150 * std::floor(std::log2(1.0 + static_cast<double>(upstream[i])));
        pipe.diameter_mm = std::min(size, 1500.0);
        pipe.material = pipe.diameter_mm <= 400 ? "PVC" : "concrete";
        pipe.manning_n = pipe.material == "PVC" ? 0.011 : 0.013;
        pipe.up_invert_m = std::round(invert[i] * 1000) / 1000;
        pipe.down_invert_m = std::round(invert[p] * 1000) / 1000;
        out.pipes.push_back(pipe);
    }
}

void build_lamps(const Geography& geo, const Terrain& terrain, const Town& town, Rng& rng, Networks& out)
{
    for (const auto& road : town.roads) {
        double next = rng.uniform(5, 25);
        double travelled = 0;
        int side = 1;
        for (std::size_t k = 0; k + 1 < road.points.size(); ++k) {
            Point a = road.points[k], b = road.points[k + 1];
            double length = distance(a, b);
            Point u{(b.x - a.x) / length, (b.y - a.y) / length};
            while (next < travelled + length) {
                double t = next - travelled;
                double offset = (road.half_width + 0.5) * side;
                Point p{a.x + u.x * t - u.y * offset, a.y + u.y * t + u.x * offset};
                next += rng.uniform(25, 40);
                side = -side;
                if (!geo.city_area->contains(p))
                    continue;
                bool commune = in_commune(geo, terrain, p);
                Lamp lamp;
                lamp.id = "L-" + std::to_string(out.lamps.size() + 1);
                lamp.p = p;
                lamp.type = commune ? "solar-LED" : "LED";
                lamp.power_w = commune ? 40 : (road.half_width >= 5 ? 120 : 60);
                lamp.height_m = road.half_width >= 5 ? 10 : (commune ? 6 : 8);
                lamp.lumens = lamp.power_w * (commune ? 100 : 120);
                double r = rng.uniform();
                lamp.status = r < 0.03 ? "faulty" : (r < 0.04 ? "off" : "on");
                out.lamps.push_back(lamp);
            }
            travelled += length;
        }
    }
}

Camera camera(Networks& out, Point p, std::string purpose, double heading, Rng& rng)
{
    Camera c;
    c.id = "C-" + std::to_string(out.cameras.size() + 1);
    c.p = p;
    c.purpose = std::move(purpose);
    c.heading_deg = std::fmod(heading + 360.0, 360.0);
    c.fov_deg = c.purpose == "traffic" ? 60 : rng.uniform(70, 100);
    c.range_m = c.purpose == "traffic" ? 80 : rng.uniform(30, 60);
    c.height_m = c.purpose == "traffic" ? 6 : rng.uniform(3, 5);
    c.status = rng.chance(0.95) ? "online" : (rng.chance(0.5) ? "offline" : "faulty");
    return c;
}

void build_cameras(const Geography& geo, const Terrain& terrain, const Town& town, Rng& rng, Networks& out)
{
    // Junctions in the wards: traffic cameras on main roads, security elsewhere.
    for (std::size_t n = 0; n < town.nodes.size(); ++n) {
        const auto& node = town.nodes[n];
        if (node.edges.size() < 3 || in_commune(geo, terrain, node.p) || !rng.chance(0.15))
            continue;
        int pick = rng.integer(0, static_cast<int>(node.edges.size()) - 1);
        const auto& edge = town.edges[node.edges[static_cast<std::size_t>(pick)]];
        Point other = town.nodes[edge.a == n ? edge.b : edge.a].p;
        bool main_road = town.roads[edge.road].half_width >= 4.5;
        // Mounted at the corner, looking along the street.
        Point at{node.p.x + 4, node.p.y + 4};
        if (!geo.city_area->contains(at))
            continue;
        out.cameras.push_back(camera(out, at, main_road ? "traffic" : "security", bearing_deg(node.p, other), rng));
    }
    // Every heritage landmark on the mainland: a security camera 20 m south, looking at it.
    for (const auto& site : geo.landmarks) {
        Point at{site.position.x + 8, site.position.y - 18};
        if (!geo.mainland_area->contains(site.position) || !geo.city_area->contains(at))
            continue;
        out.cameras.push_back(camera(out, at, "security", bearing_deg(at, site.position), rng));
    }
    // Shops share cameras with the city ("socialised"): one shop in twelve,
    // at its street front, looking along the street.
    for (const auto& plot : town.plots) {
        if (plot.land_use != "TMD" || plot.building.empty() || !rng.chance(1.0 / 12))
            continue;
        out.cameras.push_back(camera(out, plot.front, "socialised",
                                     plot.street_bearing + (rng.chance(0.5) ? 0 : 180), rng));
    }
}

}  // namespace

bool in_commune(const Geography& geo, const Terrain& terrain, Point p)
{
    int ward = terrain.ward_at(p);
    return ward < 0 || geo.wards[static_cast<std::size_t>(ward)].kind == "commune";
}

Networks build_networks(const Geography& geo, const Terrain& terrain, const Town& town, Rng& rng)
{
    Networks out;
    build_drainage(geo, terrain, town, out);
    build_lamps(geo, terrain, town, rng, out);
    build_cameras(geo, terrain, town, rng, out);
    return out;
}

}  // namespace lantern::layers::sample
