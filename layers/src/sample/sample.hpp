#pragma once
// Internals of the sample city generator. Everything is in the city CRS
// (WGS 84 / UTM 49N, metres).

#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <ogr_api.h>
#include <ogr_geometry.h>

#include <lantern/core/crs/crs.hpp>

namespace lantern::layers::sample {

constexpr const char* city_crs = "EPSG:32649";
constexpr const char* synthetic = "synthetic";

struct Point {
    double x = 0, y = 0;
};

inline double distance(Point a, Point b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

// Compass bearing from one point to another, degrees clockwise from north.
inline double bearing_deg(Point from, Point to)
{
    double b = std::atan2(to.x - from.x, to.y - from.y) * 180.0 / M_PI;
    return b < 0 ? b + 360 : b;
}

using GeometryPtr = std::unique_ptr<OGRGeometry>;

// Deterministic random numbers (splitmix64): the same seed gives the same
// city on every platform, unlike std:: distributions.
class Rng {
public:
    explicit Rng(std::uint64_t seed) : m_state(seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL) {}
    std::uint64_t next()
    {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int integer(int lo, int hi) { return lo + static_cast<int>(uniform() * (hi - lo + 1)); }
    bool chance(double p) { return uniform() < p; }

private:
    std::uint64_t m_state;
};

// Smooth value noise in [-1, 1] with features about `scale` metres across.
class Noise {
public:
    explicit Noise(std::uint64_t seed) : m_seed(seed) {}
    double at(double x, double y, double scale) const;

private:
    double lattice(std::int64_t i, std::int64_t j) const;
    std::uint64_t m_seed;
};

// A polygon test that stays fast on complex polygons (GEOS prepared geometry).
class PreparedArea {
public:
    explicit PreparedArea(const OGRGeometry& area);
    ~PreparedArea();
    PreparedArea(const PreparedArea&) = delete;
    PreparedArea& operator=(const PreparedArea&) = delete;
    bool contains(const OGRGeometry& g) const;
    bool intersects(const OGRGeometry& g) const;
    bool contains(Point p) const;

private:
    GeometryPtr m_area;
    OGRPreparedGeometryH m_prepared;
};

struct Ward {
    std::string code, name, kind;  // kind: ward or commune
    // The unit the ward is part of now (wards_2025.csv); empty where none.
    std::string unit_code, unit_name, unit_kind;
    Point seed;                    // the approximate point from wards.csv
    double target_area_m2 = 0;
    GeometryPtr area;
};

struct Water {
    std::string name, kind, source;
    GeometryPtr area;
};

struct Landmark {
    std::string id, name;
    Point position;
};

// The real data and the geography derived from it.
struct Geography {
    GeometryPtr boundary;  // MultiPolygon, all parts of the city
    GeometryPtr mainland;  // the largest part
    std::unique_ptr<PreparedArea> mainland_area;
    std::unique_ptr<PreparedArea> city_area;  // the boundary
    std::vector<Water> water;
    GeometryPtr water_union;
    GeometryPtr sea;       // the sea polygon, also in `water`
    GeometryPtr land;      // boundary minus water
    std::vector<Ward> wards;
    std::vector<Landmark> landmarks;
    Point ancient_town;    // centre of the Ancient Town
    core::Bounds extent;   // of the boundary
};

Point to_city(double lon, double lat);
GeometryPtr polygon(const std::vector<Point>& ring);
GeometryPtr line(const std::vector<Point>& points);
GeometryPtr ellipse(Point centre, double a, double b, double rotation_rad, int segments = 72);
double area_of(const OGRGeometry& g);
// Keeps only polygonal parts, as a MultiPolygon (empty when none).
GeometryPtr polygonal(GeometryPtr g);
// The polygonal parts of a minus b, and of a and b.
GeometryPtr minus(const OGRGeometry& a, const OGRGeometry& b);
GeometryPtr clip(const OGRGeometry& a, const OGRGeometry& b);

Geography load_geography(const std::string& data_dir);
void partition_wards(Geography& geo);

}  // namespace lantern::layers::sample

namespace lantern::layers::sample {

// The Ancient Town before there are streets (old_town.cpp): ellipses of
// about the heritage zones' sizes that shape its ground and street spacing.
struct OldTown {
    GeometryPtr core;      // about 30 ha
    GeometryPtr quarters;  // around the core, about 280 ha
};
OldTown make_old_town(const Geography& geo);

// Rasters over the city at 10 m: the DEM and the fields the other generators
// ask about (ward, distance to the sea and to rivers, the old town).
class Terrain {
public:
    static constexpr double cell = 10.0;
    Terrain(const Geography& geo, const OldTown& old_town, std::uint64_t seed);

    double height(Point p) const;          // metres above datum, bilinear
    int ward_at(Point p) const;            // index into Geography::wards, or -1
    double sea_distance(Point p) const;    // metres to the sea (0 in it)
    double river_distance(Point p) const;  // metres to a river or wetland (0 in it)
    int old_town(Point p) const;           // 1 (core), 2 (quarters) or 0

    // Writes the DEM as a tiled, compressed Float32 GeoTIFF.
    void write_dem(const std::string& path) const;

private:
    std::size_t index_of(Point p) const;
    int m_width = 0, m_height = 0;
    double m_x0 = 0, m_y0 = 0;
    std::vector<float> m_height_m;
    std::vector<float> m_sea_distance;
    std::vector<float> m_river_distance;
    std::vector<std::int16_t> m_ward;
    std::vector<std::uint8_t> m_old_town;
};

struct Road {
    std::string id, name, road_class;
    // Half the street's space between its plots: plots, lamps, hydrants and
    // trees stand beside it.
    double half_width = 3;
    // The carriageway as the roads' source file gives it, where narrower
    // than the street's space (the Ancient Town's lanes); 0: all of it.
    double lane_width = 0;
    bool bridge = false;
    std::vector<Point> points;

    // The carriageway width written to the roads' source file (width_m).
    double width_m() const { return lane_width > 0 ? lane_width : 2 * half_width; }
};

struct RoadNode {
    Point p;
    std::vector<std::size_t> edges;
};

struct RoadEdge {
    std::size_t a = 0, b = 0;  // node indices
    std::size_t road = 0;      // index into Town::roads
};

struct Plot {
    std::vector<Point> parcel;    // 4 corners, counter-clockwise
    std::vector<Point> building;  // empty for farmland
    Point front;                  // middle of the street side
    double street_bearing = 0;    // compass bearing of the street, degrees
    std::string land_use, ward, address, use, name;
    int levels = 0;
    bool over_rules = false;      // taller than its zone allows, on purpose
    std::string land_status;      // "vacant" or "underbuilt" on purpose, else empty
};

struct Town {
    std::vector<Road> roads;
    std::vector<RoadNode> nodes;
    std::vector<RoadEdge> edges;
    std::vector<Plot> plots;
};

void build_streets(const Geography& geo, const Terrain& terrain, std::uint64_t seed, Town& town);

}  // namespace lantern::layers::sample

namespace lantern::layers::sample {

// A building's height from its floors: 3.4 m a floor and a 0.6 m roof.
constexpr double building_height_per_floor = 3.4;
constexpr double building_height(int levels) { return levels * building_height_per_floor + 0.6; }

// A zone of the detailed plan (plan.cpp): one block between streets, or a
// water body.
struct Zone {
    std::string id, type, plan_ref;
    double max_height_m = 0, max_coverage_pct = 0, max_far = 0;
    int max_floors = 0;
    std::vector<std::string> land_uses;  // the land-use codes the zone allows
    int heritage = 0;                    // 1 or 2 inside a heritage zone, else 0
    GeometryPtr area;

    bool allows(const std::string& land_use) const;
    // The most floors a building may have under both the floor and the
    // height rule.
    int floors_allowed() const;
};

// Heritage protection zones: blocks of the plan around the Ancient Town.
struct HeritageZones {
    GeometryPtr zone_i;   // core, about 30 ha
    GeometryPtr zone_ii;  // around the core, about 280 ha
};

class Plan {
public:
    Plan();
    ~Plan();
    Plan(Plan&&) noexcept;
    Plan& operator=(Plan&&) noexcept;

    std::vector<Zone> zones;
    HeritageZones heritage;

    // The zone a point lies in, or nullptr outside every zone.
    const Zone* zone_at(Point p) const;
    // Call once the zones are final, before zone_at.
    void index();

private:
    struct Index;
    std::unique_ptr<Index> m_index;
};

Plan make_plan(const Geography& geo, const Terrain& terrain, const Town& town, std::uint64_t seed);

// The Ancient Town's lanes: living streets in heritage zone I get
// carriageways of 2.0-3.2 m (Road::lane_width); nothing moves (streets.cpp).
void narrow_old_town_lanes(const Plan& plan, std::uint64_t seed, Town& town);

// Plots and buildings along the streets, by the zone they fall in (town.cpp).
void build_plots(const Geography& geo, const Terrain& terrain, const Plan& plan, Rng& rng, Town& town);

}  // namespace lantern::layers::sample

namespace lantern::layers::sample {

struct DrainageNode {
    std::string id, kind;
    Point p;
    double ground_m = 0, invert_m = 0;
};

struct Pipe {
    std::string id, material;
    std::vector<Point> points;  // upstream to downstream
    double diameter_mm = 0, up_invert_m = 0, down_invert_m = 0, manning_n = 0;
};

struct Lamp {
    std::string id, type, status;
    Point p;
    double power_w = 0, height_m = 0, lumens = 0;
};

struct Camera {
    std::string id, purpose, status;
    Point p;
    double heading_deg = 0, fov_deg = 0, range_m = 0, height_m = 0;
};

struct Networks {
    std::vector<DrainageNode> nodes;
    std::vector<Pipe> pipes;
    std::vector<Lamp> lamps;
    std::vector<Camera> cameras;
};

Networks build_networks(const Geography& geo, const Terrain& terrain, const Town& town, Rng& rng);

}  // namespace lantern::layers::sample

namespace lantern::layers::sample {

// True outside the wards: in a commune or outside every ward.
bool in_commune(const Geography& geo, const Terrain& terrain, Point p);

struct Hydrant {
    std::string id, kind, status;
    Point p;
    double flow_lps = 0;
};

struct FireStation {
    std::string id, name, address, phone;
    Point p;
    int vehicles = 0;
};

struct Tree {
    std::string id, species, common_name;
    Point p;
    double height_m = 0, girth_cm = 0;
    bool heritage = false;
};

// Classes a city adds from data/classes (street_assets.cpp).
struct StreetAssets {
    std::vector<Hydrant> hydrants;
    std::vector<FireStation> fire_stations;
    std::vector<Tree> trees;
};

StreetAssets build_street_assets(const Geography& geo, const Terrain& terrain, const Plan& plan, const Town& town,
                                 const Networks& networks, Rng& rng);

}  // namespace lantern::layers::sample
