// Streets that follow the land (docs/sample-city.md, "Streets").
//
// The direction of the streets is a tensor field (tensor_field.hpp):
// along the nearest river bank near the rivers, along the shore near the
// sea, and a slowly turning grid, whose angle depends on the seed, in
// between. Streets are its streamlines, traced level by level from the
// widest spacing to the narrowest, each level filling in between the lines
// of the levels before it: main roads 960 m apart over the mainland, lanes
// 480 m apart, 240 m in the wards, 120 m near the Ancient Town and 60 m in
// its old quarters. Major lines run along the banks, minor ones across
// them. Main roads that stop at a river bridge it when land lies straight
// ahead. The lines are noded into junctions and segments
// (core/geometry/line_graph.hpp): one road per segment between junctions.
// Once the heritage zones are drawn, the living streets of zone I get the
// Ancient Town's narrow carriageways (narrow_old_town_lanes).

#include "sample.hpp"
#include "tensor_field.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <lantern/core/geometry/line_graph.hpp>
#include <lantern/core/tiles/tile_generalise.hpp>

namespace lantern::layers::sample {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BSegment = bg::model::segment<BPoint>;
using core::PlanePoint;

constexpr double pi = std::numbers::pi;

const std::vector<std::string> street_names = {
    "Trần Phú", "Nguyễn Thái Học", "Bạch Đằng", "Lê Lợi", "Phan Châu Trinh", "Hoàng Diệu",
    "Nguyễn Huệ", "Châu Thượng Văn", "Phan Bội Châu", "Hai Bà Trưng", "Lý Thường Kiệt",
    "Trần Hưng Đạo", "Nguyễn Duy Hiệu", "Cửa Đại", "Lạc Long Quân", "Hùng Vương",
    "Nguyễn Tất Thành", "Trần Nhân Tông", "Lê Thánh Tông", "Nguyễn Phúc Chu", "Thái Phiên",
    "Lý Thái Tổ", "Huỳnh Thúc Kháng", "Ngô Quyền", "Tôn Đức Thắng", "Đào Duy Từ",
    "Nguyễn Trường Tộ", "Phạm Hồng Thái", "Trần Cao Vân", "Lê Quý Đôn", "Bà Triệu",
    "Phan Đình Phùng", "Nguyễn Du", "Âu Cơ", "Võ Nguyên Giáp", "Thanh Niên"};

// The Ancient Town's streets along the river, from the river inland.
const std::vector<std::string> old_town_streets = {"Bạch Đằng", "Nguyễn Thái Học", "Trần Phú",
                                                   "Phan Châu Trinh", "Lê Lợi"};

double half_width(const std::string& cls)
{
    static const std::map<std::string, double> widths = {
        {"primary", 7.0}, {"secondary", 5.5}, {"tertiary", 4.5}, {"residential", 3.0},
        {"living_street", 2.5}, {"bridge", 4.5}};
    return widths.at(cls);
}

// The nearest river bank and the nearest shore: each a direction along it
// and how far it is.
class Shores {
public:
    struct Nearest {
        double distance, angle;
    };

    explicit Shores(const Geography& geo)
    {
        for (const auto& w : geo.water)
            add_rings(*w.area, w.kind == "sea" ? m_sea : m_rivers);
    }

    std::optional<Nearest> river(Point p) const { return nearest(m_rivers, p); }
    std::optional<Nearest> sea(Point p) const { return nearest(m_sea, p); }

private:
    using Tree = bgi::rtree<BSegment, bgi::rstar<16>>;

    static void add_ring(const OGRLinearRing& ring, Tree& tree)
    {
        for (int i = 0; i + 1 < ring.getNumPoints(); ++i)
            tree.insert(BSegment(BPoint(ring.getX(i), ring.getY(i)), BPoint(ring.getX(i + 1), ring.getY(i + 1))));
    }
    static void add_polygon(const OGRPolygon& polygon, Tree& tree)
    {
        if (polygon.IsEmpty())
            return;
        add_ring(*polygon.getExteriorRing(), tree);
        for (int i = 0; i < polygon.getNumInteriorRings(); ++i)
            add_ring(*polygon.getInteriorRing(i), tree);
    }
    static void add_rings(const OGRGeometry& g, Tree& tree)
    {
        auto type = wkbFlatten(g.getGeometryType());
        if (type == wkbPolygon)
            add_polygon(*g.toPolygon(), tree);
        else if (type == wkbMultiPolygon)
            for (const auto* part : *g.toMultiPolygon())
                add_polygon(*part, tree);
    }
    static std::optional<Nearest> nearest(const Tree& tree, Point p)
    {
        BPoint q(p.x, p.y);
        for (auto it = tree.qbegin(bgi::nearest(q, 1)); it != tree.qend(); ++it) {
            const auto& s = *it;
            double dx = s.second.x() - s.first.x(), dy = s.second.y() - s.first.y();
            return Nearest{bg::distance(q, s), std::atan2(dy, dx)};
        }
        return std::nullopt;
    }

    Tree m_rivers, m_sea;
};

// One level of streets: how far apart, where, and of what class.
struct Level {
    double separation;
    std::string road_class;
    std::function<bool(Point)> where;
};

struct TracedLine {
    std::vector<PlanePoint> points;
    std::string road_class;
    bool major = false, bridge = false;
};

// Where the segment from a to b first crosses one of the lines (as a share
// of the way from a), if it does.
std::optional<double> first_crossing(PlanePoint a, PlanePoint b, const std::vector<std::vector<PlanePoint>>& lines)
{
    std::optional<double> first;
    double rx = b.x - a.x, ry = b.y - a.y;
    for (const auto& line : lines)
        for (std::size_t k = 0; k + 1 < line.size(); ++k) {
            PlanePoint c = line[k], d = line[k + 1];
            double sx = d.x - c.x, sy = d.y - c.y, denominator = rx * sy - ry * sx;
            if (denominator == 0)
                continue;
            double t = ((c.x - a.x) * sy - (c.y - a.y) * sx) / denominator;
            double u = ((c.x - a.x) * ry - (c.y - a.y) * rx) / denominator;
            if (t >= 0 && t <= 1 && u >= 0 && u <= 1 && (!first || t < *first))
                first = t;
        }
    return first;
}

// The nearest point of the lines to p, if one lies within `within`.
std::optional<PlanePoint> nearest_on(PlanePoint p, const std::vector<std::vector<PlanePoint>>& lines, double within)
{
    std::optional<PlanePoint> best;
    double best_d = within;
    for (const auto& line : lines)
        for (std::size_t k = 0; k + 1 < line.size(); ++k) {
            PlanePoint c = line[k], d = line[k + 1];
            double sx = d.x - c.x, sy = d.y - c.y, length2 = sx * sx + sy * sy;
            double t = length2 == 0 ? 0 : std::clamp(((p.x - c.x) * sx + (p.y - c.y) * sy) / length2, 0.0, 1.0);
            PlanePoint q{c.x + sx * t, c.y + sy * t};
            double dist = std::hypot(q.x - p.x, q.y - p.y);
            if (dist < best_d) {
                best_d = dist;
                best = q;
            }
        }
    return best;
}

// A bridge lands on the far bank; its approach runs straight on to the
// first street ahead (within 300 m), else turns to the nearest street
// (within 150 m), as a bridge's road joins the far bank's streets, so that
// the bridge joins both banks' networks.
void run_on_to_a_street(std::vector<PlanePoint>& bridge, std::vector<std::vector<PlanePoint>> streets,
                        std::size_t from_line)
{
    streets[from_line].clear();  // not back to the road it leaves
    constexpr double ahead = 300, aside = 150;
    PlanePoint before = bridge[bridge.size() - 2], end = bridge.back();
    double dx = end.x - before.x, dy = end.y - before.y, norm = std::hypot(dx, dy);
    if (norm == 0)
        return;
    PlanePoint far{end.x + dx / norm * ahead, end.y + dy / norm * ahead};
    if (auto t = first_crossing(end, far, streets))
        bridge.back() = {end.x + (far.x - end.x) * *t, end.y + (far.y - end.y) * *t};
    else if (auto q = nearest_on(end, streets, aside);
             q && std::hypot(q->x - bridge.front().x, q->y - bridge.front().y) > norm)  // on the far side
        bridge.push_back(*q);
}

// A main road that stops at a river: the bridge straight on across it to
// land, when the water ahead is river (not sea) and land comes within 500 m.
std::optional<std::vector<PlanePoint>> bridge_from(const Terrain& terrain, PlanePoint end, PlanePoint before)
{
    double dx = end.x - before.x, dy = end.y - before.y, norm = std::hypot(dx, dy);
    if (norm == 0)
        return std::nullopt;
    dx /= norm;
    dy /= norm;
    bool crossed_water = false;
    for (double t = 5; t <= 500; t += 5) {
        Point p{end.x + dx * t, end.y + dy * t};
        if (terrain.ward_at(p) < 0 || terrain.sea_distance(p) <= 0)
            return std::nullopt;
        if (terrain.river_distance(p) <= 0) {
            crossed_water = true;
        } else if (crossed_water && terrain.river_distance(p) > 15) {
            return std::vector<PlanePoint>{end, {p.x, p.y}};
        }
    }
    return std::nullopt;
}

// Streets stop a terrain cell short of the water; one that ends near a
// river runs on straight ahead to half a metre from the bank, as the
// Ancient Town's cross streets run down to the water.
void extend_to_water(const Terrain& terrain, const PreparedArea& land, std::vector<PlanePoint>& line)
{
    constexpr double reach = 40, step = 0.5;
    auto extend = [&](PlanePoint end, PlanePoint before) -> std::optional<PlanePoint> {
        double dx = end.x - before.x, dy = end.y - before.y, norm = std::hypot(dx, dy);
        if (norm == 0 || terrain.river_distance({end.x, end.y}) > reach)
            return std::nullopt;
        dx /= norm;
        dy /= norm;
        for (double t = step; t <= reach; t += step)
            if (!land.contains(Point{end.x + dx * t, end.y + dy * t}))
                return t > step ? std::optional(PlanePoint{end.x + dx * (t - step), end.y + dy * (t - step)})
                                : std::nullopt;
        return std::nullopt;  // no water straight ahead
    };
    if (line.size() < 2)
        return;
    if (auto end = extend(line.back(), line[line.size() - 2]))
        line.push_back(*end);
    if (auto start = extend(line.front(), line[1]))
        line.insert(line.begin(), *start);
}

// A segment between junctions simplified by Douglas-Peucker (core's, as
// for tiles), in the generator's points.
std::vector<Point> simplified(const std::vector<PlanePoint>& in, double tolerance)
{
    std::vector<core::TilePoint> line;
    for (const auto& p : in)
        line.push_back({p.x, p.y});
    std::vector<Point> out;
    for (const auto& p : core::simplify_line(line, tolerance))
        out.push_back({p.x, p.y});
    return out;
}

// The name of each traced line: the Ancient Town's own names for the first
// lines along the river north of it, else one from the list by the seed.
std::vector<std::string> line_names(const Geography& geo, const Terrain& terrain,
                                    const std::vector<TracedLine>& lines, std::uint64_t seed)
{
    std::vector<std::string> names(lines.size());
    std::vector<std::pair<double, std::size_t>> riverside;  // river distance near the town, line
    for (std::size_t l = 0; l < lines.size(); ++l) {
        names[l] = street_names[(l * 7 + seed * 13) % street_names.size()];
        if (!lines[l].major || lines[l].bridge)
            continue;
        const PlanePoint* nearest = nullptr;
        double best = 400;
        for (const auto& p : lines[l].points) {
            double d = distance({p.x, p.y}, geo.ancient_town);
            if (d < best && terrain.old_town({p.x, p.y}) != 0) {
                best = d;
                nearest = &p;
            }
        }
        if (nearest && nearest->y > geo.ancient_town.y - 150)
            riverside.emplace_back(terrain.river_distance({nearest->x, nearest->y}), l);
    }
    std::sort(riverside.begin(), riverside.end());
    for (std::size_t k = 0; k < riverside.size() && k < old_town_streets.size(); ++k)
        names[riverside[k].second] = old_town_streets[k];
    return names;
}

// The point halfway along a line.
Point middle_of(const std::vector<Point>& points)
{
    double length = 0;
    for (std::size_t k = 0; k + 1 < points.size(); ++k)
        length += distance(points[k], points[k + 1]);
    double left = length / 2;
    for (std::size_t k = 0; k + 1 < points.size(); ++k) {
        double piece = distance(points[k], points[k + 1]);
        if (piece > 0 && left <= piece) {
            double t = left / piece;
            return {points[k].x + (points[k + 1].x - points[k].x) * t,
                    points[k].y + (points[k + 1].y - points[k].y) * t};
        }
        left -= piece;
    }
    return points.back();
}

}  // namespace

void build_streets(const Geography& geo, const Terrain& terrain, std::uint64_t seed, Town& town)
{
    Rng rng(seed ^ 0x5754524545ULL);
    // The grid's own direction: a seed's turn of up to 25 degrees from
    // north-south, bending slowly over the city.
    const double grid_angle = pi / 2 + rng.uniform(-0.44, 0.44);
    Noise bend(seed * 31 + 7);
    Shores shores(geo);
    OGREnvelope mainland_box;
    geo.mainland->getEnvelope(&mainland_box);
    core::Bounds box{mainland_box.MinX - 500, mainland_box.MinY - 500, mainland_box.MaxX + 500,
                     mainland_box.MaxY + 500};
    TensorGrid field(box, 25, [&](PlanePoint q) {
        Point p{q.x, q.y};
        auto t = StreetTensor::along(grid_angle + 0.35 * bend.at(p.x, p.y, 3000), 0.12);
        if (auto r = shores.river(p))
            t = t + StreetTensor::along(r->angle, std::exp(-std::pow(r->distance / 450, 2)));
        if (auto s = shores.sea(p))
            t = t + StreetTensor::along(s->angle, 1.2 * std::exp(-std::pow(s->distance / 900, 2)));
        return t;
    });

    // Land one terrain cell clear of the water, in the city.
    auto on_land = [&](Point p) {
        return terrain.ward_at(p) >= 0 && terrain.river_distance(p) > 10 && terrain.sea_distance(p) > 10;
    };
    auto in_ward = [&](Point p) {
        int w = terrain.ward_at(p);
        return w >= 0 && geo.wards[static_cast<std::size_t>(w)].kind == "ward";
    };
    std::vector<Level> levels = {
        {960, "primary", [&](Point p) { return geo.mainland_area->contains(p); }},
        {960, "residential", [&](Point p) { return !geo.mainland_area->contains(p); }},
        {480, "tertiary", [&](Point p) { return geo.mainland_area->contains(p); }},
        {240, "residential", in_ward},
        {120, "residential", [&](Point p) { return in_ward(p) && distance(p, geo.ancient_town) < 2200; }},
        {60, "living_street", [&](Point p) { return terrain.old_town(p) != 0; }},
    };
    // Seeds: the Ancient Town first, then a jittered lattice over the city.
    OGREnvelope city_box;
    geo.boundary->getEnvelope(&city_box);
    std::vector<PlanePoint> seeds = {{geo.ancient_town.x, geo.ancient_town.y + 40}};
    for (double y = city_box.MinY; y < city_box.MaxY; y += 1500)
        for (double x = city_box.MinX; x < city_box.MaxX; x += 1500)
            seeds.push_back({x + rng.uniform(0, 1500), y + rng.uniform(0, 1500)});

    std::vector<TracedLine> lines;
    std::vector<std::vector<PlanePoint>> drawn[2];  // major, minor
    for (const auto& level : levels) {
        StreamlineOptions options;
        options.separation = level.separation;
        options.step = std::min(10.0, level.separation / 12);
        options.min_length = level.separation / 2;
        auto inside = [&](PlanePoint q) { return on_land({q.x, q.y}) && level.where({q.x, q.y}); };
        for (int family = 0; family < 2; ++family) {
            // Seeds on the other family's lines too, so that every stretch
            // of land the level reaches gets streets across as well.
            auto level_seeds = seeds;
            const auto every = std::max<std::size_t>(1, static_cast<std::size_t>(level.separation / options.step));
            for (const auto& other : drawn[1 - family])
                for (std::size_t i = 0; i < other.size(); i += every)
                    level_seeds.push_back(other[i]);
            auto traced = trace_streamlines(
                field, family == 0 ? StreetFamily::major : StreetFamily::minor, level_seeds, inside,
                options, drawn[family]);
            for (auto& points : traced) {
                drawn[family].push_back(points);
                lines.push_back({std::move(points), level.road_class, family == 0, false});
            }
        }
    }
    PreparedArea land(*geo.land);
    for (auto& line : lines)
        extend_to_water(terrain, land, line.points);
    const std::size_t traced_count = lines.size();
    std::vector<std::vector<PlanePoint>> traced;
    for (const auto& line : lines)
        traced.push_back(line.points);
    for (std::size_t l = 0; l < traced_count; ++l) {
        if (lines[l].road_class != "primary")
            continue;
        const auto& pts = lines[l].points;
        for (auto bridge : {bridge_from(terrain, pts.back(), pts[pts.size() - 2]), bridge_from(terrain, pts.front(), pts[1])})
            if (bridge) {
                run_on_to_a_street(*bridge, traced, l);
                lines.push_back({*bridge, "bridge", false, true});
            }
    }

    std::vector<std::vector<PlanePoint>> polylines;
    for (const auto& line : lines)
        polylines.push_back(line.points);
    core::LineGraphOptions graph_options;
    graph_options.snap = 25;
    graph_options.merge = 0.5;  // metres: closer junctions are one
    graph_options.cell = 60;
    auto graph = core::node_lines(polylines, graph_options);
    auto names = line_names(geo, terrain, lines, seed);

    // Each segment between junctions is a road; its pieces on land (or over
    // the river, for a bridge) are the town's edges.
    PreparedArea city(*geo.boundary);
    for (const auto& p : graph.nodes)
        town.nodes.push_back({{p.x, p.y}, {}});
    std::map<std::pair<double, double>, std::size_t> vertex_nodes;
    auto node_at = [&](Point p, std::optional<std::size_t> known) {
        if (known)
            return *known;
        auto [it, inserted] = vertex_nodes.try_emplace({p.x, p.y}, town.nodes.size());
        if (inserted)
            town.nodes.push_back({p, {}});
        return it->second;
    };
    for (const auto& edge : graph.edges) {
        const auto& line = lines[edge.line];
        auto points = simplified(edge.points, 0.5);
        std::size_t road_index = SIZE_MAX;
        for (std::size_t k = 0; k + 1 < points.size(); ++k) {
            auto piece = sample::line({points[k], points[k + 1]});
            bool ok = line.bridge ? city.contains(*piece) : land.contains(*piece);
            if (!ok) {
                road_index = SIZE_MAX;
                continue;
            }
            if (road_index == SIZE_MAX) {
                Road road;
                road.id = "R-" + std::to_string(town.roads.size() + 1);
                road.road_class = line.road_class;
                road.half_width = half_width(line.road_class);
                road.bridge = line.bridge;
                road.name = line.bridge ? "Cầu " + names[edge.line] : names[edge.line];
                road.points.push_back(points[k]);
                town.roads.push_back(std::move(road));
                road_index = town.roads.size() - 1;
            }
            town.roads[road_index].points.push_back(points[k + 1]);
            std::size_t a = node_at(points[k], k == 0 ? std::optional(edge.a) : std::nullopt);
            std::size_t b = node_at(points[k + 1], k + 2 == points.size() ? std::optional(edge.b) : std::nullopt);
            town.edges.push_back({a, b, road_index});
            town.nodes[a].edges.push_back(town.edges.size() - 1);
            town.nodes[b].edges.push_back(town.edges.size() - 1);
        }
    }
    // Junctions whose every piece was left off the land go.
    std::vector<std::size_t> renumber(town.nodes.size(), SIZE_MAX);
    std::vector<RoadNode> kept;
    for (std::size_t n = 0; n < town.nodes.size(); ++n)
        if (!town.nodes[n].edges.empty()) {
            renumber[n] = kept.size();
            kept.push_back(std::move(town.nodes[n]));
        }
    town.nodes = std::move(kept);
    for (auto& edge : town.edges) {
        edge.a = renumber[edge.a];
        edge.b = renumber[edge.b];
    }
}

// The Ancient Town's lanes (kiệt) are 2-3 m wide: the living streets whose
// middle lies in heritage zone I or on its edge get a carriageway of
// 2.0-3.2 m (to 0.1 m), each drawn by a generator seeded with the road's
// number, so that nothing else moves. Their street space (half_width),
// which placed the plots and places everything along the street, stays as
// it was.
void narrow_old_town_lanes(const Plan& plan, std::uint64_t seed, Town& town)
{
    constexpr double lane_min_m = 2.0, lane_max_m = 3.2;
    constexpr double edge_m = 0.5;  // a street along zone I's edge is in it
    GeometryPtr near_zone_i(plan.heritage.zone_i->Buffer(edge_m));
    PreparedArea zone_i(*near_zone_i);
    for (std::size_t r = 0; r < town.roads.size(); ++r) {
        auto& road = town.roads[r];
        if (road.road_class != "living_street" || !zone_i.contains(middle_of(road.points)))
            continue;
        Rng own((seed ^ 0x4B4945540000ULL) * 1000003ULL + r);
        road.lane_width = std::round(own.uniform(lane_min_m, lane_max_m) * 10) / 10;
    }
}

}  // namespace lantern::layers::sample
