// Streets, parcels and buildings (docs/sample-city.md, "Streets" and
// "Parcels and buildings").
//
// The streets are laid out in streets.cpp and the blocks between them zoned
// in plan.cpp. Plots are laid along both sides of every street segment, sized
// and used by the zone of the block behind them, checked against the land
// (prepared GEOS polygon), every earlier plot and every street
// (Boost.Geometry R-trees), so no two overlap and none touches a street.

#include "sample.hpp"

#include <algorithm>
#include <array>
#include <map>
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
using BPolygon = bg::model::polygon<BPoint, false>;  // counter-clockwise
using Entry = std::pair<BBox, std::size_t>;

BBox box_of(const std::vector<Point>& pts, double grow = 0)
{
    BBox b(BPoint(pts[0].x, pts[0].y), BPoint(pts[0].x, pts[0].y));
    for (auto p : pts)
        bg::expand(b, BPoint(p.x, p.y));
    b.min_corner().x(b.min_corner().x() - grow);
    b.min_corner().y(b.min_corner().y() - grow);
    b.max_corner().x(b.max_corner().x() + grow);
    b.max_corner().y(b.max_corner().y() + grow);
    return b;
}

BPolygon to_bpolygon(const std::vector<Point>& pts)
{
    BPolygon poly;
    for (auto p : pts)
        bg::append(poly.outer(), BPoint(p.x, p.y));
    bg::append(poly.outer(), BPoint(pts[0].x, pts[0].y));
    return poly;
}

// What kind of lot a zone offers along its streets.
enum class LotKind { shop_house, town_house, hotel, public_building, utility, village };

struct LotRule {
    LotKind kind;
    double width_min, width_max, depth_min, depth_max, fill;  // fill: share of slots used
};

// Green and water zones have no lots.
std::optional<LotRule> lot_rule(const Zone& zone)
{
    const auto& type = zone.type;
    if (type == "heritage")
        return LotRule{LotKind::shop_house, 4.0, 8.0, 15.0, 30.0, 1.0};
    if (zone.heritage == 2 && (type == "residential" || type == "mixed-use"))
        return LotRule{LotKind::shop_house, 4.0, 8.0, 15.0, 28.0, 0.95};
    if (type == "residential")
        return LotRule{LotKind::town_house, 5.0, 9.0, 14.0, 24.0, 0.85};
    if (type == "mixed-use")
        return LotRule{LotKind::town_house, 5.0, 10.0, 16.0, 26.0, 0.95};
    if (type == "tourism")
        return LotRule{LotKind::hotel, 24.0, 40.0, 40.0, 70.0, 0.8};
    if (type == "public")
        return LotRule{LotKind::public_building, 35.0, 70.0, 35.0, 60.0, 0.7};
    if (type == "infrastructure")
        return LotRule{LotKind::utility, 25.0, 45.0, 25.0, 45.0, 0.5};
    if (type == "agriculture")
        return LotRule{LotKind::village, 12.0, 20.0, 18.0, 28.0, 0.5};
    return std::nullopt;
}

class Placer {
public:
    Placer(const Geography& geo, Town& town) : m_town(town), m_land(*geo.land)
    {
        for (std::size_t e = 0; e < town.edges.size(); ++e) {
            const auto& edge = town.edges[e];
            Point a = town.nodes[edge.a].p, b = town.nodes[edge.b].p;
            m_segments.insert({box_of({a, b}), e});
        }
    }

    // True when the rectangle is on land and clear of every plot (by 10 cm,
    // which centimetre coordinates in the source files cannot close) and street.
    bool free(const std::vector<Point>& rect) const
    {
        constexpr double clearance = 0.1;
        auto poly = to_bpolygon(rect);
        for (auto it = m_plots.qbegin(bgi::intersects(box_of(rect, clearance))); it != m_plots.qend(); ++it)
            if (bg::intersects(poly, m_plot_shapes[it->second]) ||
                bg::distance(poly, m_plot_shapes[it->second]) < clearance)
                return false;
        for (auto it = m_segments.qbegin(bgi::intersects(box_of(rect, 8.0))); it != m_segments.qend(); ++it) {
            const auto& edge = m_town.edges[it->second];
            Point a = m_town.nodes[edge.a].p, b = m_town.nodes[edge.b].p;
            BSegment s(BPoint(a.x, a.y), BPoint(b.x, b.y));
            double hw = m_town.roads[edge.road].half_width;
            if (bg::distance(s, poly) < hw + 0.5)
                return false;
        }
        return m_land.contains(*polygon(rect));
    }

    void add(Plot plot)
    {
        m_plots.insert({box_of(plot.parcel), m_plot_shapes.size()});
        m_plot_shapes.push_back(to_bpolygon(plot.parcel));
        m_town.plots.push_back(std::move(plot));
    }

private:
    Town& m_town;
    PreparedArea m_land;
    bgi::rtree<Entry, bgi::rstar<16>> m_plots;
    std::vector<BPolygon> m_plot_shapes;
    bgi::rtree<Entry, bgi::rstar<16>> m_segments;
};

std::vector<Point> rectangle(Point origin, Point along, Point across, double w, double d)
{
    return {origin,
            {origin.x + along.x * w, origin.y + along.y * w},
            {origin.x + along.x * w + across.x * d, origin.y + along.y * w + across.y * d},
            {origin.x + across.x * d, origin.y + across.y * d}};
}

// Counter-clockwise order for the polygon, whatever side of the street.
void make_ccw(std::vector<Point>& ring)
{
    double s = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        auto a = ring[i], b = ring[(i + 1) % ring.size()];
        s += a.x * b.y - b.x * a.y;
    }
    if (s < 0)
        std::reverse(ring.begin(), ring.end());
}

// The land use, the building's use and its usual floors for a lot.
struct LotUse {
    std::string land_use, use;
    int floors_min, floors_max;
};

LotUse lot_use(LotKind kind, const Zone& zone, Rng& rng)
{
    switch (kind) {
    case LotKind::shop_house:
        return {rng.chance(0.45) ? "TMD" : "ODT", "shop-house", 1, zone.type == "heritage" ? 2 : 3};
    case LotKind::town_house: {
        bool main_road = zone.type == "mixed-use";
        bool shop = rng.chance(main_road ? 0.45 : 0.12);
        return {shop ? "TMD" : "ODT", shop ? "shop" : "house", main_road ? 3 : 2, main_road ? 7 : 5};
    }
    case LotKind::hotel: return {"TMD", "hotel", 5, 9};
    case LotKind::public_building: {
        double pick = rng.uniform();
        if (pick < 0.4)
            return {"DGD", "school", 2, 4};
        if (pick < 0.6)
            return {"DCH", "market", 1, 2};
        if (pick < 0.85)
            return {"TSC", "office", 2, 5};
        return {"DYT", "clinic", 2, 4};
    }
    case LotKind::utility: {
        double pick = rng.uniform();
        return {pick < 0.5 ? "DNL" : (pick < 0.75 ? "DRA" : "DTL"), "utility", 1, 2};
    }
    case LotKind::village: return {"ONT", "house", 1, 2};
    }
    return {"ODT", "house", 1, 2};
}

// The building on a lot, from the street side inward: gaps to the front and
// the sides, and its depth, no deeper than covers `max_cover` of the lot.
std::vector<Point> building_on(LotKind kind, Point origin, Point u, Point n, double w, double d, double max_cover,
                               Rng& rng)
{
    double side_gap = 1.0, front_gap = 0.5, depth = rng.uniform(0.5, 0.75) * d;
    switch (kind) {
    case LotKind::shop_house:
    case LotKind::town_house:
        side_gap = 0.25;
        depth = d * rng.uniform(0.7, 0.85);
        break;
    case LotKind::hotel:
        side_gap = 2.0;
        front_gap = 6.0;
        depth = std::min(d - front_gap - 2.0, depth);
        break;
    case LotKind::public_building:
        side_gap = 3.0;
        front_gap = 5.0;
        depth = std::min(d - front_gap - 3.0, rng.uniform(0.45, 0.7) * d);
        break;
    case LotKind::utility:
        side_gap = 5.0;
        front_gap = 5.0;
        depth = rng.uniform(0.3, 0.5) * d;
        break;
    case LotKind::village:
        side_gap = 1.5;
        front_gap = 3.0;
        depth = std::min(d - front_gap - 2.0, rng.uniform(0.4, 0.6) * d);
        break;
    }
    depth = std::min(depth, max_cover * w * d / (w - 2 * side_gap));
    Point corner{origin.x + n.x * front_gap + u.x * side_gap, origin.y + n.y * front_gap + u.y * side_gap};
    auto building = rectangle(corner, u, n, w - 2 * side_gap, depth);
    make_ccw(building);
    return building;
}

// Floors within the zone's rules, except a small share built over them on
// purpose (labelled, for permit checks to find).
constexpr double over_rules_share = 0.02;

double ring_area(const std::vector<Point>& ring)
{
    double s = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        auto a = ring[i], b = ring[(i + 1) % ring.size()];
        s += a.x * b.y - b.x * a.y;
    }
    return std::abs(s) / 2;
}

// Floors within the zone's floor, height and floor-area rules.
int floors_allowed_on(const Plot& plot, const Zone& zone)
{
    int by_far = static_cast<int>(std::floor(zone.max_far * ring_area(plot.parcel) / ring_area(plot.building)));
    return std::max(1, std::min(zone.floors_allowed(), by_far));
}

void set_floors(Plot& plot, const LotUse& use, const Zone& zone, Rng& rng)
{
    int allowed = floors_allowed_on(plot, zone);
    plot.levels = std::min(rng.integer(use.floors_min, use.floors_max), allowed);
    if (rng.chance(over_rules_share)) {
        plot.levels = std::max(1, zone.floors_allowed()) + rng.integer(1, 3);  // over the floor or height rule
        plot.over_rules = true;
    }
}

// A few town plots are left vacant, and a few underbuilt (one floor on a
// quarter of the plot), labelled so that the land fund's tests can find
// them. The choice is the plot's own (a generator seeded by its place), so
// that the rest of the town stays as it was.
constexpr double vacant_share = 0.03;
constexpr double underbuilt_share = 0.04;

void leave_some_land(Plot& plot, const Zone& zone, LotKind kind, Point origin, Point u, Point n, double w, double d)
{
    if (plot.over_rules || (zone.type != "residential" && zone.type != "mixed-use"))
        return;
    Rng own(static_cast<std::uint64_t>(std::llround(origin.x * 10)) * 1000003ULL +
            static_cast<std::uint64_t>(std::llround(origin.y * 10)));
    double pick = own.uniform();
    if (pick < vacant_share) {
        plot.building.clear();
        plot.levels = 0;
        plot.use.clear();
        plot.land_status = "vacant";
    } else if (pick < vacant_share + underbuilt_share) {
        plot.building = building_on(kind, origin, u, n, w, d, 0.2, own);
        plot.levels = 1;
        plot.land_status = "underbuilt";
    }
}

Point centre_of(const std::vector<Point>& ring)
{
    return {(ring[0].x + ring[2].x) / 2, (ring[0].y + ring[2].y) / 2};
}

}  // namespace

void build_plots(const Geography& geo, const Terrain& terrain, const Plan& plan, Rng& rng, Town& town)
{
    Placer placer(geo, town);
    std::map<std::size_t, int> house_numbers;
    for (const auto& edge : town.edges) {
        const auto& road = town.roads[edge.road];
        if (road.bridge)
            continue;
        Point a = town.nodes[edge.a].p, b = town.nodes[edge.b].p;
        double length = distance(a, b);
        Point u{(b.x - a.x) / length, (b.y - a.y) / length};
        // Clear of the crossing streets at a junction; a bend needs less.
        auto clearance = [&](std::size_t node) { return town.nodes[node].edges.size() >= 3 ? 9.0 : 2.0; };
        const double start = clearance(edge.a), stop = length - clearance(edge.b);
        const double setback = road.half_width + 1.0;
        for (int side : {1, -1}) {
            Point n{-u.y * side, u.x * side};
            double t = start;
            while (t < stop) {
                Point at{a.x + u.x * t, a.y + u.y * t};
                Point origin{at.x + n.x * setback, at.y + n.y * setback};
                // The block on this side of the street.
                const Zone* zone = plan.zone_at({origin.x + n.x, origin.y + n.y});
                auto rule = zone ? lot_rule(*zone) : std::nullopt;
                if (!rule) {
                    t += 5;
                    continue;
                }
                double w = rng.uniform(rule->width_min, rule->width_max);
                double d = rng.uniform(rule->depth_min, rule->depth_max);
                if (t + w > stop)
                    break;
                auto parcel = rectangle(origin, u, n, w, d);
                make_ccw(parcel);  // Boost.Geometry's polygons here are counter-clockwise
                bool use = rng.chance(rule->fill);
                if (use && plan.zone_at(centre_of(parcel)) == zone && placer.free(parcel)) {
                    auto lot = lot_use(rule->kind, *zone, rng);
                    Plot plot;
                    plot.parcel = parcel;
                    plot.front = {origin.x + u.x * w / 2, origin.y + u.y * w / 2};
                    plot.street_bearing = bearing_deg(a, b);
                    plot.land_use = lot.land_use;
                    plot.use = lot.use;
                    int ward = terrain.ward_at(plot.front);
                    plot.ward = ward >= 0 ? geo.wards[static_cast<std::size_t>(ward)].code : "";
                    int number = ++house_numbers[edge.road];
                    plot.address = std::to_string(number) + " " + road.name;
                    // Within the zone's coverage (2 % short of it, for the
                    // coordinates rounded in the source files).
                    double max_cover = 0.98 * zone->max_coverage_pct / 100;
                    plot.building = building_on(rule->kind, origin, u, n, w, d, max_cover, rng);
                    set_floors(plot, lot, *zone, rng);
                    leave_some_land(plot, *zone, rule->kind, origin, u, n, w, d);
                    if (lot.use == "hotel")
                        plot.name = "Resort " + road.name + " " + std::to_string(number);
                    else if (lot.use == "school")
                        plot.name = "Trường " + road.name;
                    else if (lot.use == "market")
                        plot.name = "Chợ " + road.name;
                    placer.add(std::move(plot));
                }
                t += w + (rule->kind == LotKind::shop_house ? 0.3 : rng.uniform(0.5, 3.0));
            }
        }
    }

    // The landmarks' own plots are relics (DDT) and carry their names.
    for (const auto& site : geo.landmarks) {
        Plot* nearest = nullptr;
        double best = 40.0;
        for (auto& plot : town.plots) {
            Point c = centre_of(plot.parcel);
            const Zone* zone = plan.zone_at(c);
            if (plot.building.empty() || !zone || !zone->allows("DDT"))
                continue;
            if (distance(c, site.position) < best) {
                best = distance(c, site.position);
                nearest = &plot;
            }
        }
        if (nearest) {
            nearest->land_use = "DDT";
            nearest->use = "heritage";
            nearest->name = site.name;
        }
    }

    // Farmland: 50 x 100 m fields wherever an agricultural block is still
    // open, rice by default, fish ponds by the water, perennial crops on
    // the higher ground.
    OGREnvelope env;
    geo.mainland->getEnvelope(&env);
    for (double y = env.MinY; y + 100 < env.MaxY; y += 104)
        for (double x = env.MinX; x + 50 < env.MaxX; x += 54) {
            Point centre{x + 25, y + 50};
            const Zone* zone = plan.zone_at(centre);
            if (!zone || zone->type != "agriculture")
                continue;
            auto field = rectangle({x, y}, {1, 0}, {0, 1}, 50, 100);
            if (!placer.free(field))
                continue;
            Plot plot;
            plot.parcel = field;
            plot.front = centre;
            int ward = terrain.ward_at(centre);
            plot.ward = ward >= 0 ? geo.wards[static_cast<std::size_t>(ward)].code : "";
            double river = terrain.river_distance(centre);
            plot.land_use = river < 150 ? "NTS" : (terrain.height(centre) > 3.5 ? "CLN" : "LUC");
            placer.add(std::move(plot));
        }
}

}  // namespace lantern::layers::sample
