// The detailed plan and the heritage zones (docs/sample-city.md, "Blocks and
// the detailed plan" and "Heritage").
//
// The land is cut along every street into blocks: GEOS nodes the street
// segments and the shore together and polygonizes them, so the blocks
// partition the land exactly and their edges lie on streets or on the bank.
// Each block is a zone of the plan, and each water body another. The
// heritage zones are the blocks nearest the Ancient Town: zone I the
// mainland blocks around its centre up to about 30 ha, zone II the blocks
// around that up to about 280 ha. The other blocks take a use from where
// they lie: agriculture in the communes, tourism by the beach, mixed use
// along main roads, residential elsewhere, with public, green and
// infrastructure blocks among them.

#include "sample.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/index/rtree.hpp>

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <lantern/core/base/error.hpp>

namespace lantern::layers::sample {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BBox = bg::model::box<BPoint>;

constexpr double zone_i_m2 = 30e4;
constexpr double zone_ii_m2 = 280e4;

// The rules of each kind of zone; the heritage zone II caps them further.
struct Rules {
    double max_height_m;
    int max_floors;
    double max_coverage_pct, max_far;
    std::vector<std::string> land_uses;
};

const std::map<std::string, Rules>& rules_by_type()
{
    static const std::map<std::string, Rules> rules = {
        {"heritage", {8.0, 2, 90, 1.6, {"ODT", "TMD", "DDT", "TON", "TIN", "DVH"}}},
        {"residential", {20.0, 5, 80, 3.5, {"ODT", "TMD", "DGD", "DYT", "DDT", "TON", "TIN"}}},
        {"mixed-use", {28.0, 7, 80, 5.0, {"ODT", "TMD", "TSC", "DGD", "DYT", "DVH", "DDT"}}},
        {"tourism", {32.0, 9, 70, 4.0, {"TMD", "ODT", "DKV", "DDT"}}},
        {"public", {20.0, 5, 60, 2.0, {"DGD", "DCH", "TSC", "DYT", "DVH", "DKV", "DDT"}}},
        {"green", {6.0, 1, 5, 0.05, {"DKV", "DDT"}}},
        {"agriculture", {9.0, 2, 40, 0.8, {"LUC", "CLN", "NTS", "BHK", "ONT", "DDT", "TON"}}},
        {"infrastructure", {15.0, 3, 60, 1.2, {"DNL", "DRA", "DTL", "DGT"}}},
        {"water", {0.0, 0, 0, 0, {"SON", "MNC"}}},
    };
    return rules;
}

// A street that ends at the water (streets.cpp stops them half a metre
// short) cuts its block down to the bank: a cut from its end to the nearest
// point of the shore, when that is within 2 m.
void add_cuts_to_shore(GEOSContextHandle_t context, const Town& town, const OGRGeometry& shore,
                       OGRMultiLineString& cuts)
{
    GEOSGeometry* shore_lines = shore.exportToGEOS(context);
    if (!shore_lines)
        return;
    const GEOSPreparedGeometry* prepared = GEOSPrepare_r(context, shore_lines);
    for (const auto& node : town.nodes) {
        if (!prepared || node.edges.size() != 1 || town.roads[town.edges[node.edges[0]].road].bridge)
            continue;
        GEOSGeometry* end = GEOSGeom_createPointFromXY_r(context, node.p.x, node.p.y);
        GEOSCoordSequence* nearest = GEOSPreparedNearestPoints_r(context, prepared, end);
        double x = 0, y = 0;
        if (nearest && GEOSCoordSeq_getXY_r(context, nearest, 0, &x, &y) == 1 && distance(node.p, {x, y}) < 2.0) {
            OGRLineString cut;
            cut.addPoint(node.p.x, node.p.y);
            cut.addPoint(x, y);
            cuts.addGeometry(&cut);
        }
        if (nearest)
            GEOSCoordSeq_destroy_r(context, nearest);
        GEOSGeom_destroy_r(context, end);
    }
    if (prepared)
        GEOSPreparedGeom_destroy_r(context, prepared);
    GEOSGeom_destroy_r(context, shore_lines);
}

// The land cut along the streets (bridges aside): GEOS nodes the segments
// and the shore lines together, then polygonizes. Faces over water come out
// too; the caller keeps those on land.
struct Face {
    GeometryPtr area;
    Point inside;  // a point on its surface
};

std::vector<Face> street_faces(const Geography& geo, const Town& town)
{
    OGRMultiLineString cuts;
    for (const auto& edge : town.edges) {
        if (town.roads[edge.road].bridge)
            continue;
        OGRLineString segment;
        segment.addPoint(town.nodes[edge.a].p.x, town.nodes[edge.a].p.y);
        segment.addPoint(town.nodes[edge.b].p.x, town.nodes[edge.b].p.y);
        cuts.addGeometry(&segment);
    }
    GeometryPtr shore(geo.land->Boundary());
    if (wkbFlatten(shore->getGeometryType()) == wkbLineString)
        cuts.addGeometry(shore.get());
    else
        for (const auto* part : *shore->toMultiLineString())
            cuts.addGeometry(part);

    GEOSContextHandle_t context = OGRGeometry::createGEOSContext();
    add_cuts_to_shore(context, town, *shore, cuts);
    GEOSGeometry* lines = cuts.exportToGEOS(context);
    GEOSGeometry* noded = lines ? GEOSUnaryUnion_r(context, lines) : nullptr;
    const GEOSGeometry* inputs[] = {noded};
    GEOSGeometry* faces = noded ? GEOSPolygonize_r(context, inputs, 1) : nullptr;
    std::vector<Face> out;
    if (faces)
        for (int i = 0; i < GEOSGetNumGeometries_r(context, faces); ++i) {
            auto* face = const_cast<GEOSGeometry*>(GEOSGetGeometryN_r(context, faces, i));
            GEOSGeometry* inside = GEOSPointOnSurface_r(context, face);
            double x = 0, y = 0;
            if (inside && GEOSGeomGetX_r(context, inside, &x) == 1 && GEOSGeomGetY_r(context, inside, &y) == 1)
                out.push_back({GeometryPtr(OGRGeometryFactory::createFromGEOS(context, face)), {x, y}});
            if (inside)
                GEOSGeom_destroy_r(context, inside);
        }
    for (auto* g : {lines, noded, faces})
        if (g)
            GEOSGeom_destroy_r(context, g);
    OGRGeometry::freeGEOSContext(context);
    if (!faces)
        throw core::Error("sample city: the streets could not be polygonized into blocks");
    return out;
}

struct Block {
    GeometryPtr area;
    Point inside;
    double area_m2 = 0;
    int ward = -1;
    double order = 0;  // its distance from the Ancient Town, in ellipse radii
};

// How far a point is from the Ancient Town's centre, in radii of an ellipse
// 420 by 230 m along the river (the old streets run east-west).
double old_town_order(const Geography& geo, Point p)
{
    constexpr double turn = 0.05;
    double dx = p.x - geo.ancient_town.x, dy = p.y - geo.ancient_town.y;
    double u = dx * std::cos(turn) + dy * std::sin(turn), v = -dx * std::sin(turn) + dy * std::cos(turn);
    return std::hypot(u / 420, v / 230);
}

// How close a block comes to the sea: the nearest of its outline's corners.
double sea_distance(const Terrain& terrain, const OGRGeometry& area)
{
    double nearest = INFINITY;
    for (const auto* polygon : *area.toMultiPolygon())
        for (const auto& p : *polygon->getExteriorRing())
            nearest = std::min(nearest, terrain.sea_distance({p.getX(), p.getY()}));
    return nearest;
}

GeometryPtr union_of(const std::vector<const OGRGeometry*>& parts)
{
    OGRMultiPolygon all;
    for (const auto* g : parts)
        all.addGeometry(g);
    return polygonal(GeometryPtr(all.UnionCascaded()));
}

void apply_rules(Zone& zone, const std::string& type)
{
    const auto& r = rules_by_type().at(type);
    zone.type = type;
    zone.max_height_m = r.max_height_m;
    zone.max_floors = r.max_floors;
    zone.max_coverage_pct = r.max_coverage_pct;
    zone.max_far = r.max_far;
    zone.land_uses = r.land_uses;
}

}  // namespace

bool Zone::allows(const std::string& land_use) const
{
    return std::find(land_uses.begin(), land_uses.end(), land_use) != land_uses.end();
}

int Zone::floors_allowed() const
{
    int by_height = static_cast<int>(std::floor((max_height_m - building_height(0)) / building_height_per_floor));
    return std::max(0, std::min(max_floors, by_height));
}

struct Plan::Index {
    bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>> boxes;
    std::vector<std::unique_ptr<PreparedArea>> areas;
};

Plan::Plan() = default;
Plan::~Plan() = default;
Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&&) noexcept = default;

void Plan::index()
{
    m_index = std::make_unique<Index>();
    for (std::size_t z = 0; z < zones.size(); ++z) {
        OGREnvelope e;
        zones[z].area->getEnvelope(&e);
        m_index->boxes.insert({BBox(BPoint(e.MinX, e.MinY), BPoint(e.MaxX, e.MaxY)), z});
        m_index->areas.push_back(std::make_unique<PreparedArea>(*zones[z].area));
    }
}

const Zone* Plan::zone_at(Point p) const
{
    for (auto it = m_index->boxes.qbegin(bgi::intersects(BPoint(p.x, p.y))); it != m_index->boxes.qend(); ++it)
        if (m_index->areas[it->second]->contains(p))
            return &zones[it->second];
    return nullptr;
}

Plan make_plan(const Geography& geo, const Terrain& terrain, const Town& town, std::uint64_t seed)
{
    Rng rng(seed ^ 0x504C414EULL);
    PreparedArea land(*geo.land);
    std::vector<Block> blocks;
    for (auto& face : street_faces(geo, town)) {
        Block b;
        b.area_m2 = area_of(*face.area);
        b.inside = face.inside;
        if (!land.contains(b.inside))
            continue;
        b.ward = terrain.ward_at(b.inside);
        b.order = old_town_order(geo, b.inside);
        b.area = std::move(face.area);
        blocks.push_back(std::move(b));
    }
    // Numbered by ward, then north to south and west to east, as plan sheets are.
    std::sort(blocks.begin(), blocks.end(), [](const Block& a, const Block& b) {
        if (a.ward != b.ward)
            return a.ward < b.ward;
        if (std::round(a.inside.y / 100) != std::round(b.inside.y / 100))
            return a.inside.y > b.inside.y;
        return a.inside.x < b.inside.x;
    });

    Plan plan;
    // The heritage zones: blocks in order of their distance from the Ancient
    // Town, zone I on the mainland first, until each reaches its size.
    std::vector<std::size_t> by_distance(blocks.size());
    for (std::size_t i = 0; i < blocks.size(); ++i)
        by_distance[i] = i;
    std::stable_sort(by_distance.begin(), by_distance.end(),
                     [&](std::size_t a, std::size_t b) { return blocks[a].order < blocks[b].order; });
    std::vector<int> heritage(blocks.size(), 0);
    double zone_i = 0;
    for (auto i : by_distance) {
        if (!geo.mainland_area->contains(blocks[i].inside))
            continue;
        if (zone_i + blocks[i].area_m2 / 2 > zone_i_m2)
            break;
        heritage[i] = 1;
        zone_i += blocks[i].area_m2;
    }
    double zone_ii = 0;
    for (auto i : by_distance) {
        if (heritage[i])
            continue;
        if (zone_ii + blocks[i].area_m2 / 2 > zone_ii_m2)
            break;
        heritage[i] = 2;
        zone_ii += blocks[i].area_m2;
    }
    std::vector<const OGRGeometry*> parts[2];
    for (std::size_t i = 0; i < blocks.size(); ++i)
        if (heritage[i])
            parts[heritage[i] - 1].push_back(blocks[i].area.get());
    plan.heritage.zone_i = union_of(parts[0]);
    plan.heritage.zone_ii = union_of(parts[1]);

    std::map<int, int> numbers;  // blocks so far in each ward
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        Zone z;
        std::string ward = blocks[i].ward >= 0 ? geo.wards[static_cast<std::size_t>(blocks[i].ward)].code : "X";
        char number[16];
        std::snprintf(number, sizeof number, "%03d", ++numbers[blocks[i].ward]);
        z.id = "Z-" + ward + "-" + number;
        z.plan_ref = "QHPK-HA-2030/" + ward + " (synthetic)";
        z.heritage = heritage[i];
        z.area = polygonal(std::move(blocks[i].area));
        plan.zones.push_back(std::move(z));
    }
    plan.index();

    // Blocks on a main road: those on either side of a primary segment.
    std::vector<bool> on_main_road(plan.zones.size(), false);
    for (const auto& edge : town.edges) {
        const auto& road = town.roads[edge.road];
        if (road.road_class != "primary" || road.bridge)
            continue;
        Point a = town.nodes[edge.a].p, b = town.nodes[edge.b].p;
        double length = distance(a, b);
        if (length < 1)
            continue;
        Point mid{(a.x + b.x) / 2, (a.y + b.y) / 2}, n{-(b.y - a.y) / length, (b.x - a.x) / length};
        for (double side : {-1.0, 1.0})
            if (const auto* z = plan.zone_at({mid.x + n.x * side, mid.y + n.y * side}))
                on_main_road[static_cast<std::size_t>(z - plan.zones.data())] = true;
    }

    for (std::size_t i = 0; i < plan.zones.size(); ++i) {
        auto& z = plan.zones[i];
        Point at = blocks[i].inside;
        double ha = blocks[i].area_m2 / 1e4;
        bool commune = blocks[i].ward >= 0 && geo.wards[static_cast<std::size_t>(blocks[i].ward)].kind == "commune";
        bool by_river = terrain.river_distance(at) < 120;
        std::string type;
        if (z.heritage == 1)
            type = "heritage";
        else if (ha < 0.08)
            type = "green";  // squares and islands between streets
        else if (commune)
            type = ha < 5 && rng.chance(0.04) ? "public" : "agriculture";
        else if (z.heritage == 0 && geo.mainland_area->contains(at) && sea_distance(terrain, *z.area) < 400)
            type = "tourism";
        else if (z.heritage == 0 && ha > 6 && distance(at, geo.ancient_town) > 1500)
            type = "agriculture";  // the fields left inside the outer wards
        else if (by_river && ha < 3 && rng.chance(0.25))
            type = "green";
        else if (ha > 0.3 && ha < 6 && rng.chance(0.07))
            type = "public";
        else if (z.heritage == 0 && ha > 0.5 && rng.chance(0.015))
            type = "infrastructure";
        else
            type = on_main_road[i] && ha < 3 ? "mixed-use" : "residential";
        apply_rules(z, type);
        if (z.heritage == 2) {
            // Zone II's own rule: at most 3 floors and 12 m.
            z.max_height_m = std::min(z.max_height_m, 12.0);
            z.max_floors = std::min(z.max_floors, 3);
            z.plan_ref += "; heritage zone II";
        }
    }

    // Water: each body's part in the city is a zone of its own.
    auto water = polygonal(GeometryPtr(geo.water_union->Intersection(geo.boundary.get())));
    int water_number = 0;
    for (const auto* part : *water->toMultiPolygon()) {
        if (part->get_Area() < 1.0)
            continue;
        Zone z;
        char number[16];
        std::snprintf(number, sizeof number, "%03d", ++water_number);
        z.id = std::string("Z-W-") + number;
        z.plan_ref = "QHPK-HA-2030 (synthetic)";
        z.area = polygonal(GeometryPtr(part->clone()));
        apply_rules(z, "water");
        plan.zones.push_back(std::move(z));
    }
    plan.index();
    return plan;
}

}  // namespace lantern::layers::sample
