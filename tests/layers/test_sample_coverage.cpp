// Camera and street-light coverage on a copy of the sample city, computed by
// the CTest fixture "sample_coverage" with the commands users run
// (tests/CMakeLists.txt). The covered area of heritage zone I is checked
// against an independent estimate written here: a 0.5 m lattice over the
// zone, each point tested for a clear line of sight to every camera whose
// detect band reaches it, straight against the building edges. The rest are
// relations any regeneration of the sample keeps.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/support.hpp"

using namespace lantern;
using nlohmann::json;

namespace {

const std::string city_path = std::string(LANTERN_SAMPLE_COVERAGE_DIR) + "/hoian.sqlite";

struct P {
    double x, y;
};

struct Edge {
    P a, b;
};

std::unique_ptr<OGRGeometry> parse(const std::vector<unsigned char>& wkb)
{
    OGRGeometry* g = nullptr;
    REQUIRE(OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) == OGRERR_NONE);
    return std::unique_ptr<OGRGeometry>(g);
}

// The rings of a polygon or multipolygon.
std::vector<std::vector<P>> rings_of(const OGRGeometry& g)
{
    std::vector<std::vector<P>> rings;
    auto add_polygon = [&](const OGRPolygon& polygon) {
        for (const auto* ring : polygon) {
            std::vector<P> points;
            for (const auto& p : *ring)
                points.push_back({p.getX(), p.getY()});
            rings.push_back(points);
        }
    };
    if (wkbFlatten(g.getGeometryType()) == wkbPolygon)
        add_polygon(*g.toPolygon());
    else if (wkbFlatten(g.getGeometryType()) == wkbMultiPolygon)
        for (const auto* part : *g.toMultiPolygon())
            add_polygon(*part);
    return rings;
}

// Even-odd rule over closed rings (first point repeated at the end).
bool inside(const std::vector<std::vector<P>>& rings, P p)
{
    bool in = false;
    for (const auto& ring : rings)
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
            if ((ring[i].y > p.y) != (ring[j].y > p.y) &&
                p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
                in = !in;
    return in;
}

double cross(P o, P a, P b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

// Whether the segments cross at a point inside both (touching does not count).
bool properly_cross(P a, P b, P c, P d)
{
    double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
    return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

struct Camera {
    P at;
    double heading, fov, reach;
    std::vector<Edge> edges;  // building edges near its reach
};

json coverage_summary()
{
    return json::parse(test::read_file(std::string(LANTERN_SAMPLE_COVERAGE_DIR) + "/cameras.json"));
}

}  // namespace

TEST_CASE("heritage zone I's watched area agrees with a line-of-sight lattice within 0.5 percent")
{
    core::ensure_gdal();
    auto storage = core::open_city(city_path, core::Access::read_only);
    // The zone.
    std::vector<std::vector<P>> zone;
    storage->scan(layers::feature_class("heritage_zones"), [&](const core::StoredFeature& f) {
        if (std::get<std::string>(f.values[1]) == "I")
            zone = rings_of(*parse(f.wkb));
    });
    REQUIRE(!zone.empty());
    double min_x = 1e300, min_y = 1e300, max_x = -1e300, max_y = -1e300;
    for (const auto& ring : zone)
        for (const auto& p : ring) {
            min_x = std::min(min_x, p.x), min_y = std::min(min_y, p.y);
            max_x = std::max(max_x, p.x), max_y = std::max(max_y, p.y);
        }

    // Cameras online, with the documented resolutions by purpose and the
    // detect band's reach px / (25 x 2 tan(fov / 2)), cut to the range.
    const auto& schema = layers::feature_class("cameras");
    auto field = [&](const std::string& name) {
        for (std::size_t i = 0; i < schema.fields.size(); ++i)
            if (schema.fields[i].name == name)
                return i;
        FAIL("no field " << name);
        return std::size_t{0};
    };
    auto number = [](const core::Value& v, double fallback) {
        if (const auto* d = std::get_if<double>(&v))
            return *d;
        if (const auto* i = std::get_if<std::int64_t>(&v))
            return static_cast<double>(*i);
        return fallback;
    };
    std::vector<Camera> cameras;
    storage->scan(schema, [&](const core::StoredFeature& f) {
        const auto* status = std::get_if<std::string>(&f.values[field("status")]);
        if (status && *status != "online")
            return;
        auto g = parse(f.wkb);
        Camera c;
        c.at = {g->toPoint()->getX(), g->toPoint()->getY()};
        std::string purpose = std::get<std::string>(f.values[field("purpose")]);
        double px = number(f.values[field("resolution_px")],
                           purpose == "traffic" ? 2688 : (purpose == "socialised" ? 1280 : 1920));
        c.heading = number(f.values[field("heading_deg")], 0);
        c.fov = number(f.values[field("fov_deg")], 90);
        double detect = px / (25 * 2 * std::tan(c.fov / 2 * M_PI / 180));
        c.reach = std::min(number(f.values[field("range_m")], 50), detect);
        if (c.at.x + c.reach >= min_x && c.at.x - c.reach <= max_x && c.at.y + c.reach >= min_y &&
            c.at.y - c.reach <= max_y)
            cameras.push_back(c);
    });
    REQUIRE(cameras.size() >= 5);
    // Buildings by the zone, for the points inside them.
    std::vector<std::vector<std::vector<P>>> buildings;
    storage->scan(layers::feature_class("buildings"), [&](const core::StoredFeature& f) {
        auto rings = rings_of(*parse(f.wkb));
        auto [lo_x, hi_x] = std::minmax_element(rings.front().begin(), rings.front().end(),
                                                [](P a, P b) { return a.x < b.x; });
        auto [lo_y, hi_y] = std::minmax_element(rings.front().begin(), rings.front().end(),
                                                [](P a, P b) { return a.y < b.y; });
        if (hi_x->x >= min_x && lo_x->x <= max_x && hi_y->y >= min_y && lo_y->y <= max_y)
            buildings.push_back(rings);
        for (auto& c : cameras) {
            bool near = false;
            for (const auto& ring : rings)
                for (const auto& p : ring)
                    near = near || std::hypot(p.x - c.at.x, p.y - c.at.y) <= c.reach + 60;
            if (!near)
                continue;
            for (const auto& ring : rings)
                for (std::size_t i = 0; i + 1 < ring.size(); ++i)
                    c.edges.push_back({ring[i], ring[i + 1]});
        }
    });

    auto sees = [](const Camera& c, P p) {
        double dx = p.x - c.at.x, dy = p.y - c.at.y;
        if (std::hypot(dx, dy) > c.reach)
            return false;
        double bearing = std::atan2(dx, dy) * 180 / M_PI;
        double off = std::fmod(bearing - c.heading + 720.0, 360.0);
        if (off > 180)
            off = 360 - off;
        if (off > c.fov / 2)
            return false;
        for (const auto& e : c.edges)
            if (properly_cross(c.at, p, e.a, e.b))
                return false;
        return true;
    };
    // A point inside a building is not covered. Its own walls hide it from
    // a camera outside, but not from one on the wall itself, whose sight
    // line into the building touches the wall without crossing it.
    auto in_building = [&](P p) {
        return std::any_of(buildings.begin(), buildings.end(), [&](const auto& b) { return inside(b, p); });
    };
    const double step = 0.5;
    double seen = 0;
    for (double y = min_y + step / 2; y < max_y; y += step)
        for (double x = min_x + step / 2; x < max_x; x += step) {
            P p{x, y};
            if (!inside(zone, p))
                continue;
            for (const auto& c : cameras)
                if (std::abs(p.x - c.at.x) <= c.reach && std::abs(p.y - c.at.y) <= c.reach && sees(c, p)) {
                    if (!in_building(p))
                        seen += step * step;
                    break;
                }
        }
    auto summary = coverage_summary();
    double computed = -1;
    for (const auto& z : summary["heritage_zones"])
        if (z["protection"] == "I")
            computed = z["covered_m2"].get<double>();
    INFO("lattice " << seen << " m2, computed " << computed << " m2");
    REQUIRE(seen > 1000);  // the zone has cameras
    CHECK(computed == Approx(seen).epsilon(0.005));
}

TEST_CASE("sample coverage keeps its relations")
{
    auto cameras = coverage_summary();
    auto lighting = json::parse(test::read_file(std::string(LANTERN_SAMPLE_COVERAGE_DIR) + "/lighting.json"));
    for (const auto* s : {&cameras, &lighting}) {
        const auto& roads = (*s)["roads"];
        CHECK(roads["covered_m"].get<double>() > 0);
        CHECK(roads["covered_m"].get<double>() < roads["total_m"].get<double>());
        CHECK(roads["covered_m"].get<double>() + roads["gap_m"].get<double>() <= roads["total_m"].get<double>() * 1.000001);
        double by_class = 0;
        for (const auto& [cls, t] : roads["by_class"].items())
            by_class += t["covered_m"].get<double>();
        CHECK(by_class == Approx(roads["covered_m"].get<double>()));
        CHECK((*s)["parcels"]["covered_share"].get<double>() > 0);
    }
    // Finer detail reaches less road: identify <= recognise <= observe <= detect.
    const auto& detail = cameras["roads"]["by_detail"];
    REQUIRE(detail.size() == 4);
    for (std::size_t k = 0; k + 1 < detail.size(); ++k)
        CHECK(detail[k]["covered_m"].get<double>() <= detail[k + 1]["covered_m"].get<double>() + 1e-6);
    CHECK(detail[3]["covered_m"].get<double>() == Approx(cameras["roads"]["covered_m"].get<double>()));
    // Street lights cover far more road than cameras do.
    CHECK(lighting["roads"]["covered_share"].get<double>() > cameras["roads"]["covered_share"].get<double>());
    // The results are current and the tiles serve them.
    core::ensure_gdal();
    auto storage = core::open_city(city_path, core::Access::read_only);
    for (const char* name : {"camera_coverage", "camera_gaps", "camera_blind_spots", "camera_coverage_wards",
                             "lighting_coverage", "lighting_gaps", "lighting_coverage_wards"}) {
        INFO(name);
        auto record = storage->result_record(name);
        REQUIRE(record);
        CHECK(core::stale_reasons(*storage, *record).empty());
    }
}
