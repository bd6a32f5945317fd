// Streets, parcels and buildings (docs/sample-city.md, "Streets" and
// "Parcels and buildings").
//
// The streets are laid out in streets.cpp. Plots are laid along both sides
// of every street segment, checked against the land (prepared GEOS
// polygon), every earlier plot and every street (Boost.Geometry R-trees), so
// no two overlap and none touches a street.

#include "sample.hpp"

#include <algorithm>
#include <array>
#include <map>

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

// What kind of lot a street side offers at a point.
enum class LotKind { shop_house, house, resort, village };

struct LotRule {
    LotKind kind;
    double width_min, width_max, depth_min, depth_max, fill;  // fill: share of slots used
};

LotRule lot_rule(const Geography& geo, const Terrain& terrain, Point p)
{
    if (terrain.heritage_zone(p) != 0)
        return {LotKind::shop_house, 4.0, 7.0, 16.0, 26.0, 1.0};
    int ward = terrain.ward_at(p);
    bool commune = ward >= 0 && geo.wards[static_cast<std::size_t>(ward)].kind == "commune";
    if (terrain.sea_distance(p) < 600 && !commune)
        return {LotKind::resort, 24.0, 40.0, 40.0, 70.0, 0.8};
    if (commune)
        return {LotKind::village, 12.0, 20.0, 18.0, 28.0, 0.5};
    return {LotKind::house, 7.0, 12.0, 14.0, 22.0, 0.9};
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

std::string land_use_for(LotKind kind, Rng& rng)
{
    switch (kind) {
    case LotKind::shop_house: return rng.chance(0.45) ? "TMD" : "ODT";
    case LotKind::house: return rng.chance(0.12) ? "TMD" : (rng.chance(0.02) ? "DGD" : "ODT");
    case LotKind::resort: return "TMD";
    case LotKind::village: return "ONT";
    }
    return "ODT";
}

}  // namespace

void build_plots(const Geography& geo, const Terrain& terrain, Rng& rng, Town& town)
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
        for (int side : {1, -1}) {
            Point n{-u.y * side, u.x * side};
            double t = start;
            while (t < stop) {
                Point at{a.x + u.x * t, a.y + u.y * t};
                LotRule rule = lot_rule(geo, terrain, at);
                double w = rng.uniform(rule.width_min, rule.width_max);
                double d = rng.uniform(rule.depth_min, rule.depth_max);
                if (t + w > stop)
                    break;
                double setback = road.half_width + 1.0;
                Point origin{at.x + n.x * setback, at.y + n.y * setback};
                auto parcel = rectangle(origin, u, n, w, d);
                make_ccw(parcel);  // Boost.Geometry's polygons here are counter-clockwise
                bool use = rng.chance(rule.fill);
                if (use && placer.free(parcel)) {
                    Plot plot;
                    plot.parcel = parcel;
                    plot.front = {origin.x + u.x * w / 2, origin.y + u.y * w / 2};
                    plot.street_bearing = bearing_deg(a, b);
                    plot.land_use = land_use_for(rule.kind, rng);
                    int ward = terrain.ward_at(plot.front);
                    plot.ward = ward >= 0 ? geo.wards[static_cast<std::size_t>(ward)].code : "";
                    int number = ++house_numbers[edge.road];
                    plot.address = std::to_string(number) + " " + road.name;
                    // The building: set back from the street, inside the plot.
                    double side_gap = rule.kind == LotKind::shop_house ? 0.25 : 1.0;
                    double front_gap = rule.kind == LotKind::resort ? 6.0 : 0.5;
                    double bw = w - 2 * side_gap;
                    double bd = rule.kind == LotKind::shop_house ? d * rng.uniform(0.7, 0.9)
                                                                 : std::min(d - front_gap - 2.0, rng.uniform(0.5, 0.75) * d);
                    Point bo{origin.x + n.x * front_gap + u.x * side_gap,
                             origin.y + n.y * front_gap + u.y * side_gap};
                    plot.building = rectangle(bo, u, n, bw, bd);
                    make_ccw(plot.building);
                    switch (rule.kind) {
                    case LotKind::shop_house:
                        plot.use = "shop-house";
                        plot.levels = terrain.heritage_zone(plot.front) == 1 ? rng.integer(1, 2) : rng.integer(1, 3);
                        break;
                    case LotKind::house:
                        plot.use = plot.land_use == "TMD" ? "shop" : (plot.land_use == "DGD" ? "school" : "house");
                        plot.levels = rng.integer(2, 4);
                        break;
                    case LotKind::resort:
                        plot.use = "hotel";
                        plot.levels = rng.integer(2, 5);
                        plot.name = "Resort " + road.name + " " + std::to_string(number);
                        break;
                    case LotKind::village:
                        plot.use = "house";
                        plot.levels = rng.integer(1, 2);
                        break;
                    }
                    placer.add(std::move(plot));
                }
                t += w + (rule.kind == LotKind::shop_house ? 0.3 : rng.uniform(0.5, 3.0));
            }
        }
    }

    // The landmarks' own plots are relics (DDT) and carry their names.
    for (const auto& site : geo.landmarks) {
        Plot* nearest = nullptr;
        double best = 40.0;
        for (auto& plot : town.plots) {
            if (plot.building.empty())
                continue;
            Point c{(plot.parcel[0].x + plot.parcel[2].x) / 2, (plot.parcel[0].y + plot.parcel[2].y) / 2};
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

    // Farmland: 50 x 100 m fields wherever the land is still open in the
    // communes and outer wards, rice by default, fish ponds by the water,
    // perennial crops on the higher ground.
    OGREnvelope env;
    geo.mainland->getEnvelope(&env);
    for (double y = env.MinY; y + 100 < env.MaxY; y += 104)
        for (double x = env.MinX; x + 50 < env.MaxX; x += 54) {
            Point centre{x + 25, y + 50};
            int ward = terrain.ward_at(centre);
            if (ward < 0 || terrain.heritage_zone(centre) != 0 || distance(centre, geo.ancient_town) < 1500)
                continue;
            auto field = rectangle({x, y}, {1, 0}, {0, 1}, 50, 100);
            if (!placer.free(field))
                continue;
            Plot plot;
            plot.parcel = field;
            plot.front = centre;
            plot.ward = geo.wards[static_cast<std::size_t>(ward)].code;
            double river = terrain.river_distance(centre);
            plot.land_use = river < 150 ? "NTS" : (terrain.height(centre) > 3.5 ? "CLN" : "LUC");
            placer.add(std::move(plot));
        }
}

}  // namespace lantern::layers::sample
