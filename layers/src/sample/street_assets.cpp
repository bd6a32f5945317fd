// Hydrants, the fire station and street trees (docs/sample-city.md, "Fire
// protection and trees"): classes a city adds from data/classes, not
// built-in ones.
//
// Everything stands at the roadside: a point is kept when it lies on land,
// clear of every building and off every carriageway (Boost.Geometry R-trees
// over the buildings and the street segments, as the plots are checked in
// town.cpp), and clear of what was placed before it.

#include "sample.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>

namespace lantern::layers::sample {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BBox = bg::model::box<BPoint>;
using BSegment = bg::model::segment<BPoint>;
using BPolygon = bg::model::polygon<BPoint, false>;
using Entry = std::pair<BBox, std::size_t>;

// Hydrants: at most one within this distance of another, so that a street
// has one every 100-150 m, as Vietnamese standards ask (at most 150 m apart).
constexpr double hydrant_spacing = 100.0;
// The deliberate gap: no hydrant within this radius of one junction of the
// Ancient Town, so that a fire-access analysis has something to find.
constexpr double hydrant_gap_radius = 160.0;
constexpr double faulty_hydrants = 0.07;
// The fire station: set back from the road's edge by its forecourt.
constexpr double station_setback = 4.0;
// Trees: from the road's edge, and apart from lamps, hydrants and each other.
constexpr double tree_setback = 0.8;
constexpr double tree_clearance = 2.0;

BBox box_around(Point p, double r)
{
    return BBox(BPoint(p.x - r, p.y - r), BPoint(p.x + r, p.y + r));
}

// Where a roadside point may stand: on land, clear of the buildings and off
// the carriageways.
class Siting {
public:
    Siting(const Geography& geo, const Town& town) : m_land(*geo.land)
    {
        for (const auto& plot : town.plots) {
            if (plot.building.empty())
                continue;
            BPolygon shape;
            for (auto p : plot.building)
                bg::append(shape.outer(), BPoint(p.x, p.y));
            bg::append(shape.outer(), BPoint(plot.building[0].x, plot.building[0].y));
            BBox box;
            bg::envelope(shape, box);
            m_buildings.insert({box, m_building_shapes.size()});
            m_building_shapes.push_back(std::move(shape));
        }
        for (const auto& road : town.roads)
            for (std::size_t k = 0; k + 1 < road.points.size(); ++k) {
                BSegment s(BPoint(road.points[k].x, road.points[k].y),
                           BPoint(road.points[k + 1].x, road.points[k + 1].y));
                BBox box;
                bg::envelope(s, box);
                m_segments.insert({box, m_street_segments.size()});
                m_street_segments.push_back({s, road.half_width});
            }
    }

    // True when p lies on land, `clearance` metres from every building and
    // from the edge of every street.
    bool clear(Point p, double clearance) const
    {
        BPoint at(p.x, p.y);
        for (auto it = m_buildings.qbegin(bgi::intersects(box_around(p, clearance))); it != m_buildings.qend();
             ++it)
            if (bg::distance(at, m_building_shapes[it->second]) < clearance)  // 0 inside
                return false;
        for (auto it = m_segments.qbegin(bgi::intersects(box_around(p, 10 + clearance)));
             it != m_segments.qend(); ++it) {
            const auto& [segment, half_width] = m_street_segments[it->second];
            if (bg::distance(at, segment) < half_width + clearance)
                return false;
        }
        return m_land.contains(p);
    }

private:
    PreparedArea m_land;
    bgi::rtree<Entry, bgi::rstar<16>> m_buildings;
    std::vector<BPolygon> m_building_shapes;
    bgi::rtree<Entry, bgi::rstar<16>> m_segments;
    std::vector<std::pair<BSegment, double>> m_street_segments;
};

// Points placed so far, for the distance to the nearest one.
class PointSet {
public:
    void add(Point p) { m_points.insert(BPoint(p.x, p.y)); }
    bool any_within(Point p, double r) const
    {
        BPoint at(p.x, p.y);
        auto nearest = m_points.qbegin(bgi::nearest(at, 1));
        return nearest != m_points.qend() && bg::distance(*nearest, at) < r;
    }

private:
    bgi::rtree<BPoint, bgi::rstar<16>> m_points;
};

// Calls visit(point, unit direction) at `first` metres along the road and
// then every gap() metres.
template <typename Gap, typename Visit>
void walk_road(const Road& road, double first, Gap gap, Visit visit)
{
    double next = first, travelled = 0;
    for (std::size_t k = 0; k + 1 < road.points.size(); ++k) {
        Point a = road.points[k], b = road.points[k + 1];
        double length = distance(a, b);
        if (length <= 0)
            continue;
        Point u{(b.x - a.x) / length, (b.y - a.y) / length};
        for (; next < travelled + length; next += gap()) {
            double t = next - travelled;
            visit(Point{a.x + u.x * t, a.y + u.y * t}, u);
        }
        travelled += length;
    }
}

// The point `offset` metres to the left (side 1) or right (side -1) of the road.
Point beside(Point p, Point u, double offset, int side)
{
    return {p.x - u.y * offset * side, p.y + u.x * offset * side};
}

// The heritage zones together: the Ancient Town and its buffer.
class AncientTown {
public:
    explicit AncientTown(const Plan& plan) : m_core(*plan.heritage.zone_i), m_buffer(*plan.heritage.zone_ii) {}
    bool in_core(Point p) const { return m_core.contains(p); }
    bool contains(Point p) const { return m_core.contains(p) || m_buffer.contains(p); }

private:
    PreparedArea m_core, m_buffer;
};

// The junction the hydrant gap is centred on: one of three or more streets
// in zone I, 80-250 m from the Ancient Town's centre, picked by the seed.
std::optional<Point> gap_centre(const Geography& geo, const Town& town, const AncientTown& old_town, Rng& rng)
{
    std::vector<Point> candidates;
    for (const auto& node : town.nodes) {
        double d = distance(node.p, geo.ancient_town);
        if (node.edges.size() >= 3 && d >= 80 && d <= 250 && old_town.in_core(node.p))
            candidates.push_back(node.p);
    }
    if (candidates.empty())
        return std::nullopt;
    return candidates[static_cast<std::size_t>(rng.integer(0, static_cast<int>(candidates.size()) - 1))];
}

void place_hydrants(const Geography& geo, const Town& town, const Siting& siting, const AncientTown& old_town,
                    Rng& rng, StreetAssets& out)
{
    auto gap = gap_centre(geo, town, old_town, rng);
    PointSet placed;
    for (std::size_t r = 0; r < town.roads.size(); ++r) {
        const auto& road = town.roads[r];
        if (road.bridge)
            continue;
        const int side = r % 2 == 0 ? 1 : -1;
        walk_road(road, 5.0, [] { return 10.0; }, [&](Point p, Point u) {
            Point at = beside(p, u, road.half_width + 0.3, side);
            if (!old_town.contains(at) || (gap && distance(at, *gap) <= hydrant_gap_radius) ||
                placed.any_within(at, hydrant_spacing) || !siting.clear(at, 0.2))
                return;
            placed.add(at);
            Hydrant h;
            h.id = "H-" + std::to_string(out.hydrants.size() + 1);
            h.p = at;
            // Narrow old streets leave no room on the pavement for a pillar.
            h.kind = rng.chance(road.half_width < 3 ? 0.4 : 0.15) ? "underground" : "pillar";
            h.status = rng.chance(faulty_hydrants) ? "faulty" : "working";
            h.flow_lps = std::round((h.status == "faulty" ? rng.uniform(0, 6) : rng.uniform(12, 30)) * 10) / 10;
            out.hydrants.push_back(std::move(h));
        });
    }
}

// Hội An's fire station: no open data places it, so it stands by the main
// road nearest the Ancient Town outside the heritage zones.
void place_fire_station(const Geography& geo, const Terrain& terrain, const Town& town, const Siting& siting,
                        const AncientTown& old_town, StreetAssets& out)
{
    std::optional<FireStation> best;
    double best_distance = 0;
    for (const auto& road : town.roads) {
        if (road.road_class != "primary" || road.bridge)
            continue;
        walk_road(road, 5.0, [] { return 10.0; }, [&](Point p, Point u) {
            for (int side : {1, -1}) {
                Point at = beside(p, u, road.half_width + station_setback, side);
                double d = distance(at, geo.ancient_town);
                if ((best && d >= best_distance) || old_town.contains(at) || in_commune(geo, terrain, at) ||
                    !siting.clear(at, 1.0))
                    continue;
                best_distance = d;
                best = FireStation{"PCCC-HA-1", "Đội Cảnh sát PCCC và CNCH khu vực Hội An",
                                   road.name + ", Hội An", "114", at, 6};
            }
        });
    }
    if (best)
        out.fire_stations.push_back(*best);
}

struct Species {
    const char* scientific;
    const char* common;
    double height_min, height_max, girth_min, girth_max;
    double share;
};

// Street trees common in Hội An, and their usual sizes.
constexpr std::array<Species, 6> street_species = {{
    {"Terminalia catappa", "bàng", 6, 15, 60, 220, 0.30},
    {"Delonix regia", "phượng vĩ", 6, 12, 50, 180, 0.20},
    {"Hopea odorata", "sao đen", 10, 25, 60, 250, 0.18},
    {"Barringtonia acutangula", "lộc vừng", 4, 9, 40, 150, 0.12},
    {"Dipterocarpus alatus", "dầu rái", 12, 28, 70, 280, 0.10},
    {"Lagerstroemia speciosa", "bằng lăng", 5, 12, 40, 140, 0.10},
}};

// Old trees of the Ancient Town recognised as heritage trees.
constexpr std::array<Species, 3> heritage_species = {{
    {"Terminalia catappa", "bàng", 15, 22, 250, 420, 0.4},
    {"Ficus benghalensis", "đa", 15, 25, 300, 600, 0.3},
    {"Hopea odorata", "sao đen", 22, 32, 250, 400, 0.3},
}};

template <std::size_t N>
const Species& pick(const std::array<Species, N>& table, Rng& rng)
{
    double r = rng.uniform();
    for (const auto& s : table) {
        if (r < s.share)
            return s;
        r -= s.share;
    }
    return table.back();
}

// Street trees in the wards, alternating sides every 15-30 m, four slots in
// five planted; near the Ancient Town a few old trees are heritage trees.
void plant_trees(const Geography& geo, const Terrain& terrain, const Town& town, const Networks& networks,
                 const Siting& siting, const AncientTown& old_town, Rng& rng, StreetAssets& out)
{
    PointSet taken;
    for (const auto& lamp : networks.lamps)
        taken.add(lamp.p);
    for (const auto& h : out.hydrants)
        taken.add(h.p);
    for (const auto& road : town.roads) {
        if (road.bridge)
            continue;
        int side = 1;
        walk_road(road, rng.uniform(3, 15), [&] { return rng.uniform(15, 30); }, [&](Point p, Point u) {
            side = -side;
            Point at = beside(p, u, road.half_width + tree_setback, side);
            if (!rng.chance(0.8) || !geo.city_area->contains(at) || in_commune(geo, terrain, at) ||
                taken.any_within(at, tree_clearance) || !siting.clear(at, 0.5))
                return;
            taken.add(at);
            double heritage_share = old_town.in_core(at) ? 0.06 : (old_town.contains(at) ? 0.02 : 0);
            bool heritage = rng.chance(heritage_share);
            const auto& species = heritage ? pick(heritage_species, rng) : pick(street_species, rng);
            Tree t;
            t.id = "T-" + std::to_string(out.trees.size() + 1);
            t.p = at;
            t.species = species.scientific;
            t.common_name = species.common;
            // Taller trees have thicker trunks: one draw sets both.
            // Measured as a survey would: height to 0.1 m, girth to the centimetre.
            double size = rng.uniform();
            double height = species.height_min + (species.height_max - species.height_min) * size;
            t.height_m = std::round(height * 10) / 10;
            t.girth_cm = std::round(species.girth_min +
                                    (species.girth_max - species.girth_min) * (0.8 * size + 0.2 * rng.uniform()));
            t.heritage = heritage;
            out.trees.push_back(std::move(t));
        });
    }
}

}  // namespace

StreetAssets build_street_assets(const Geography& geo, const Terrain& terrain, const Plan& plan, const Town& town,
                                 const Networks& networks, Rng& rng)
{
    StreetAssets out;
    Siting siting(geo, town);
    AncientTown old_town(plan);
    place_hydrants(geo, town, siting, old_town, rng, out);
    place_fire_station(geo, terrain, town, siting, old_town, out);
    plant_trees(geo, terrain, town, networks, siting, old_town, rng, out);
    return out;
}

}  // namespace lantern::layers::sample
