// The sample city keeps the invariants later features rely on. The city is
// built once per test run by the CTest fixture "sample_city" (tests/CMakeLists.txt)
// with `lantern sample-city`, the same command users run.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <gdal_priv.h>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/core/storage/validate.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/drainage_checks.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/layers/sample_city.hpp>

#include "support/support.hpp"

using namespace lantern;
namespace fs = std::filesystem;
namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BBox = bg::model::box<BPoint>;

namespace {

const std::string city_dir = LANTERN_SAMPLE_CITY_DIR;

std::unique_ptr<core::Storage> city()
{
    core::ensure_gdal();
    return core::open_city(city_dir + "/hoian.sqlite", core::Access::read_only);
}

using Geometry = std::unique_ptr<OGRGeometry>;

struct Feature {
    std::int64_t fid;
    Geometry geometry;
    std::vector<core::Value> values;
};

std::vector<Feature> features(const core::Storage& storage, const std::string& cls)
{
    std::vector<Feature> out;
    storage.scan(layers::feature_class(cls), [&](const core::StoredFeature& f) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &g, f.wkb.size()) == OGRERR_NONE);
        out.push_back({f.fid, Geometry(g), f.values});
    });
    return out;
}

std::size_t field_index(const std::string& cls, const std::string& field)
{
    const auto& fields = layers::feature_class(cls).fields;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field)
            return i;
    FAIL("no field " << field);
    return 0;
}

double real(const Feature& f, const std::string& cls, const std::string& field)
{
    return std::get<double>(f.values[field_index(cls, field)]);
}

std::string text(const Feature& f, const std::string& cls, const std::string& field)
{
    return std::get<std::string>(f.values[field_index(cls, field)]);
}

// The real boundary of data/hoian in the city CRS, `grow` metres larger
// (1 cm by default, for rounding).
Geometry boundary(double grow = 0.01)
{
    core::ensure_gdal();
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(test::hoian_data("city_boundary.geojson").c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRFeatureUniquePtr f(ds->GetLayer(0)->GetNextFeature());
    Geometry g(f->GetGeometryRef()->clone());
    g->assignSpatialReference(nullptr);
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(*g);
    return grow > 0 ? Geometry(g->Buffer(grow)) : std::move(g);
}

// The polygons of an overlay's result (it may hold lines where shapes touch).
Geometry polygonal_part(const OGRGeometry& g)
{
    auto out = std::make_unique<OGRMultiPolygon>();
    auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon)
        out->addGeometry(&g);
    else if (type == wkbMultiPolygon || type == wkbGeometryCollection)
        for (const auto* part : *g.toGeometryCollection()) {
            if (wkbFlatten(part->getGeometryType()) == wkbPolygon)
                out->addGeometry(part);
            else if (wkbFlatten(part->getGeometryType()) == wkbMultiPolygon)
                for (const auto* polygon : *part->toMultiPolygon())
                    out->addGeometry(polygon);
        }
    return out;
}

BBox box_of(const OGRGeometry& g)
{
    OGREnvelope e;
    g.getEnvelope(&e);
    return BBox(BPoint(e.MinX, e.MinY), BPoint(e.MaxX, e.MaxY));
}

// The area of a geometry's polygons (0 for an empty one).
double area_of(const OGRGeometry& g)
{
    auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon)
        return g.toPolygon()->get_Area();
    if (type == wkbMultiPolygon)
        return g.toMultiPolygon()->get_Area();
    return polygonal_part(g)->toMultiPolygon()->get_Area();
}

}  // namespace

TEST_CASE("every sample class is filled and validate finds nothing wrong")
{
    auto storage = city();
    // The built-in classes and those the sample city adds (hydrants, fire
    // stations, trees).
    auto classes = layers::city_classes(*storage).schemas();
    CHECK(classes.size() > layers::feature_classes().size());
    for (const auto& schema : classes) {
        INFO(schema.name);
        CHECK(storage->count(schema.name) > 0);
    }
    REQUIRE(storage->raster_records().size() == 1);
    auto dem = storage->raster_records().front();
    CHECK(dem.pixel_width <= 10.0);
    auto report = core::validate_city(*storage, classes, false);
    for (const auto& issue : report.issues())
        UNSCOPED_INFO(issue.to_text());
    CHECK(report.ok());
    CHECK(report.warning_count() == 0);
}

TEST_CASE("every sample feature lies inside the city boundary except the sea")
{
    auto storage = city();
    auto area = boundary();
    OGRPreparedGeometryH prepared = OGRCreatePreparedGeometry(OGRGeometry::ToHandle(area.get()));
    for (const auto& schema : layers::feature_classes()) {
        std::size_t outside = 0, total = 0;
        for (const auto& f : features(*storage, schema.name)) {
            if (schema.name == "water" && text(f, "water", "kind") == "sea")
                continue;
            ++total;
            if (!OGRPreparedGeometryContains(prepared, OGRGeometry::ToHandle(f.geometry.get())))
                ++outside;
        }
        INFO(schema.name << ": " << outside << " of " << total << " outside");
        CHECK(outside == 0);
    }
    OGRDestroyPreparedGeometry(prepared);
}

TEST_CASE("sample buildings overlap neither each other nor a street and stand in a parcel")
{
    auto storage = city();
    auto buildings = features(*storage, "buildings");
    auto parcels = features(*storage, "parcels");
    auto roads = features(*storage, "roads");
    REQUIRE(buildings.size() > 10000);

    using Entry = std::pair<BBox, std::size_t>;
    bgi::rtree<Entry, bgi::rstar<16>> building_index, parcel_index, road_index;
    for (std::size_t i = 0; i < buildings.size(); ++i)
        building_index.insert({box_of(*buildings[i].geometry), i});
    for (std::size_t i = 0; i < parcels.size(); ++i)
        parcel_index.insert({box_of(*parcels[i].geometry), i});
    for (std::size_t i = 0; i < roads.size(); ++i)
        road_index.insert({box_of(*roads[i].geometry), i});

    std::size_t overlapping = 0, on_street = 0, without_parcel = 0;
    for (std::size_t i = 0; i < buildings.size(); ++i) {
        const auto& b = *buildings[i].geometry;
        auto box = box_of(b);
        for (auto it = building_index.qbegin(bgi::intersects(box)); it != building_index.qend(); ++it)
            if (it->second != i && b.Intersects(buildings[it->second].geometry.get()))
                ++overlapping;
        // A street is its centre line widened to its width.
        BBox wide(BPoint(box.min_corner().x() - 10, box.min_corner().y() - 10),
                  BPoint(box.max_corner().x() + 10, box.max_corner().y() + 10));
        for (auto it = road_index.qbegin(bgi::intersects(wide)); it != road_index.qend(); ++it) {
            const auto& road = roads[it->second];
            if (b.Distance(road.geometry.get()) < real(road, "roads", "width_m") / 2)
                ++on_street;
        }
        bool inside = false;
        for (auto it = parcel_index.qbegin(bgi::contains(box)); it != parcel_index.qend() && !inside; ++it)
            inside = parcels[it->second].geometry->Contains(&b);
        without_parcel += inside ? 0 : 1;
    }
    CHECK(overlapping == 0);
    CHECK(on_street == 0);
    CHECK(without_parcel == 0);

    // Parcels do not overlap either.
    std::size_t parcel_overlaps = 0;
    for (std::size_t i = 0; i < parcels.size(); ++i)
        for (auto it = parcel_index.qbegin(bgi::intersects(box_of(*parcels[i].geometry)));
             it != parcel_index.qend(); ++it)
            if (it->second > i && parcels[i].geometry->Overlaps(parcels[it->second].geometry.get())) {
                ++parcel_overlaps;
                UNSCOPED_INFO(text(parcels[i], "parcels", "parcel_id") << " overlaps "
                              << text(parcels[it->second], "parcels", "parcel_id"));
            }
    CHECK(parcel_overlaps == 0);
}

TEST_CASE("sample drainage inverts lie below the DEM and fall to an outlet")
{
    auto storage = city();
    auto dem_record = storage->raster_records().front();
    auto dem_raster = storage->open_raster(dem_record.name);
    GDALDataset* dem = &dem_raster.gdal();
    REQUIRE(dem);
    double gt[6];
    dem->GetGeoTransform(gt);
    auto ground = [&](double x, double y) {
        int col = static_cast<int>((x - gt[0]) / gt[1]);
        int row = static_cast<int>((y - gt[3]) / gt[5]);
        float h = 0;
        REQUIRE(dem->GetRasterBand(1)->RasterIO(GF_Read, col, row, 1, 1, &h, 1, 1, GDT_Float32, 0, 0,
                                                nullptr) == CE_None);
        return static_cast<double>(h);
    };
    auto key = [](double x, double y) { return std::make_pair(std::llround(x * 100), std::llround(y * 100)); };

    std::map<std::pair<long long, long long>, std::string> kind_at;
    for (const auto& n : features(*storage, "drainage_nodes")) {
        auto* p = n.geometry->toPoint();
        kind_at[key(p->getX(), p->getY())] = text(n, "drainage_nodes", "kind");
        CHECK(real(n, "drainage_nodes", "invert_m") < ground(p->getX(), p->getY()));
    }
    std::map<std::pair<long long, long long>, std::pair<long long, long long>> downstream;
    std::size_t rising = 0, above_ground = 0;
    for (const auto& pipe : features(*storage, "drainage_pipes")) {
        auto* line = pipe.geometry->toMultiLineString()->getGeometryRef(0);
        double up = real(pipe, "drainage_pipes", "up_invert_m");
        double down = real(pipe, "drainage_pipes", "down_invert_m");
        rising += up > down ? 0 : 1;
        int last = line->getNumPoints() - 1;
        above_ground += up < ground(line->getX(0), line->getY(0)) ? 0 : 1;
        above_ground += down < ground(line->getX(last), line->getY(last)) ? 0 : 1;
        downstream[key(line->getX(0), line->getY(0))] = key(line->getX(last), line->getY(last));
    }
    CHECK(rising == 0);
    CHECK(above_ground == 0);
    // Following the pipes downstream from every node ends at an outlet.
    std::size_t lost = 0;
    for (const auto& [start, kind] : kind_at) {
        auto at = start;
        for (std::size_t steps = 0; steps <= downstream.size(); ++steps) {
            auto next = downstream.find(at);
            if (next == downstream.end())
                break;
            at = next->second;
        }
        lost += kind_at.count(at) && kind_at[at] == "outlet" ? 0 : 1;
    }
    CHECK(lost == 0);
}

TEST_CASE("the sample drainage network passes lantern validate's network checks")
{
    auto storage = city();
    core::Report report;
    layers::check_drainage(*storage, report);
    for (const auto& issue : report.issues())
        FAIL_CHECK(issue.to_text());
}

TEST_CASE("sample heritage zones and wards match the published areas")
{
    auto storage = city();
    for (const auto& z : features(*storage, "heritage_zones")) {
        double ha = area_of(*z.geometry) / 1e4;
        std::string protection = text(z, "heritage_zones", "protection");
        INFO("zone " << protection << ": " << ha << " ha");
        CHECK(ha == Approx(protection == "I" ? 30.0 : 280.0).epsilon(0.20));
    }
    // wards.csv: code, name, kind, lon, lat, area km2.
    std::ifstream csv(test::hoian_data("wards.csv"));
    std::string line;
    std::getline(csv, line);
    std::map<std::string, std::pair<core::Bounds, double>> expected;
    core::Transform to_city(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649"));
    auto wards = features(*storage, "wards");
    REQUIRE(wards.size() == 13);
    std::size_t checked = 0;
    while (std::getline(csv, line)) {
        std::vector<std::string> cells;
        std::stringstream s(line);
        for (std::string cell; std::getline(s, cell, ',');)
            cells.push_back(cell);
        double x = std::stod(cells[3]), y = std::stod(cells[4]);
        to_city.apply(x, y);
        for (const auto& w : wards) {
            if (text(w, "wards", "ward_code") != cells[0])
                continue;
            ++checked;
            INFO(cells[1]);
            CHECK(area_of(*w.geometry) / 1e6 == Approx(std::stod(cells[5])).epsilon(0.25));
            OGRPoint p(x, y);
            CHECK(w.geometry->Contains(&p));
        }
    }
    CHECK(checked == 13);

    // The wards partition the city: no overlaps, and together the whole boundary.
    double total = 0, overlap = 0;
    for (std::size_t i = 0; i < wards.size(); ++i) {
        total += area_of(*wards[i].geometry);
        for (std::size_t j = i + 1; j < wards.size(); ++j) {
            std::unique_ptr<OGRGeometry> both(wards[i].geometry->Intersection(wards[j].geometry.get()));
            if (both && !both->IsEmpty() && (wkbFlatten(both->getGeometryType()) == wkbPolygon ||
                                              wkbFlatten(both->getGeometryType()) == wkbMultiPolygon))
                overlap += area_of(*both);
        }
    }
    auto city_area = boundary();
    CHECK(overlap < 1.0);  // square metres
    CHECK(total == Approx(area_of(*city_area)).epsilon(1e-4));
}

namespace {

// The planning zones with an index: the zone a point lies in.
class ZoneFinder {
public:
    explicit ZoneFinder(const core::Storage& storage) : zones(features(storage, "zones"))
    {
        for (std::size_t i = 0; i < zones.size(); ++i) {
            m_index.insert({box_of(*zones[i].geometry), i});
            m_prepared.push_back(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(zones[i].geometry.get())));
        }
    }
    ~ZoneFinder()
    {
        for (auto* p : m_prepared)
            OGRDestroyPreparedGeometry(p);
    }
    ZoneFinder(const ZoneFinder&) = delete;
    ZoneFinder& operator=(const ZoneFinder&) = delete;

    // The zone holding the centre of a convex shape (the sample city's
    // parcels and buildings are rectangles), or nullptr.
    const Feature* zone_of(const OGRGeometry& g) const
    {
        OGRPoint inside;
        REQUIRE(g.Centroid(&inside) == OGRERR_NONE);
        for (auto it = m_index.qbegin(bgi::intersects(BPoint(inside.getX(), inside.getY())));
             it != m_index.qend(); ++it)
            if (OGRPreparedGeometryContains(m_prepared[it->second], OGRGeometry::ToHandle(&inside)))
                return &zones[it->second];
        return nullptr;
    }

    std::vector<Feature> zones;

private:
    bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>> m_index;
    std::vector<OGRPreparedGeometryH> m_prepared;
};

std::vector<std::string> codes_of(const std::string& list)
{
    std::vector<std::string> codes;
    std::stringstream s(list);
    for (std::string code; std::getline(s, code, ',');)
        codes.push_back(code);
    return codes;
}

}  // namespace

TEST_CASE("sample planning zones partition the city with hundreds of blocks")
{
    auto storage = city();
    auto zones = features(*storage, "zones");
    INFO(zones.size() << " zones");
    CHECK(zones.size() >= 300);
    OGRMultiPolygon all;
    double total = 0;
    std::set<std::string> types;
    for (const auto& z : zones) {
        total += area_of(*z.geometry);
        types.insert(text(z, "zones", "zone_type"));
        for (const auto* part : *z.geometry->toMultiPolygon())
            all.addGeometry(part);
    }
    Geometry covered(all.UnionCascaded());
    auto city_area = boundary(0);
    Geometry outside(covered->Difference(city_area.get()));
    Geometry inside(covered->Intersection(city_area.get()));
    double overlaps = total - area_of(*covered);
    double gaps = area_of(*city_area) - area_of(*inside);
    double beyond = outside ? area_of(*outside) : 0.0;
    INFO("overlaps " << overlaps << " m2, gaps " << gaps << " m2, beyond the boundary " << beyond << " m2");
    CHECK(overlaps + gaps + beyond < 1.0);
    for (const char* type : {"heritage", "residential", "mixed-use", "tourism", "public", "green", "agriculture",
                             "water"}) {
        INFO(type);
        CHECK(types.count(type) == 1);
    }
    // Every zone's allowed land uses are codes parcels can carry.
    const auto& land_use = layers::feature_class("parcels").fields[field_index("parcels", "land_use")];
    for (const auto& z : zones)
        for (const auto& code : codes_of(text(z, "zones", "land_uses"))) {
            INFO(text(z, "zones", "zone_id") << ": " << code);
            CHECK(std::count(land_use.allowed.begin(), land_use.allowed.end(), code) == 1);
        }
}

TEST_CASE("sample heritage zone I lies on land and is made of heritage blocks")
{
    auto storage = city();
    Geometry zone_i;
    for (auto& z : features(*storage, "heritage_zones"))
        if (text(z, "heritage_zones", "protection") == "I")
            zone_i = std::move(z.geometry);
    REQUIRE(zone_i);
    double wet = 0;
    for (const auto& w : features(*storage, "water")) {
        Geometry both(zone_i->Intersection(w.geometry.get()));
        if (both)
            wet += area_of(*both);
    }
    CHECK(wet < 1.0);
    // Its blocks are the plan's heritage zones, and every heritage zone of
    // the plan lies in it.
    double heritage_blocks = 0, inside = 0;
    for (const auto& z : features(*storage, "zones")) {
        if (text(z, "zones", "zone_type") != "heritage")
            continue;
        heritage_blocks += area_of(*z.geometry);
        Geometry both(z.geometry->Intersection(zone_i.get()));
        inside += both ? area_of(*both) : 0.0;
    }
    CHECK(heritage_blocks == Approx(area_of(*zone_i)).epsilon(1e-6));
    CHECK(inside == Approx(heritage_blocks).epsilon(1e-6));
}

TEST_CASE("every sample parcel's land use is one its zone allows")
{
    auto storage = city();
    ZoneFinder finder(*storage);
    std::size_t checked = 0, outside = 0, refused = 0;
    std::set<std::string> uses;
    for (const auto& p : features(*storage, "parcels")) {
        const auto* zone = finder.zone_of(*p.geometry);
        if (!zone) {
            ++outside;
            continue;
        }
        ++checked;
        auto use = text(p, "parcels", "land_use");
        uses.insert(use);
        auto allowed = codes_of(text(*zone, "zones", "land_uses"));
        if (std::count(allowed.begin(), allowed.end(), use) == 0) {
            ++refused;
            UNSCOPED_INFO(text(p, "parcels", "parcel_id") << " " << use << " in " << text(*zone, "zones", "zone_id")
                                                          << " (" << text(*zone, "zones", "zone_type") << ")");
        }
    }
    INFO(checked << " parcels");
    CHECK(checked > 10000);
    CHECK(outside == 0);
    CHECK(refused == 0);
    // Homes, shops, relics, schools, markets and fields all occur.
    for (const char* use : {"ODT", "ONT", "TMD", "DDT", "DGD", "DCH", "LUC"}) {
        INFO(use);
        CHECK(uses.count(use) == 1);
    }
}

TEST_CASE("sample buildings keep their zone's height rule except the labelled share")
{
    auto storage = city();
    ZoneFinder finder(*storage);
    std::size_t permitted = 0, unpermitted = 0, breaking = 0, dishonest = 0;
    for (const auto& b : features(*storage, "buildings")) {
        const auto* zone = finder.zone_of(*b.geometry);
        REQUIRE(zone);
        double height = real(b, "buildings", "height_m");
        auto levels = std::get<std::int64_t>(b.values[field_index("buildings", "levels")]);
        bool over = height > real(*zone, "zones", "max_height_m") + 1e-9 ||
                    levels > std::get<std::int64_t>(zone->values[field_index("zones", "max_floors")]);
        if (text(b, "buildings", "permit") == "unpermitted") {
            ++unpermitted;
            dishonest += over ? 0 : 1;
        } else {
            ++permitted;
            if (over) {
                ++breaking;
                UNSCOPED_INFO(text(b, "buildings", "building_id") << ": " << levels << " floors, " << height
                                                                  << " m in " << text(*zone, "zones", "zone_id"));
            }
        }
    }
    double share = static_cast<double>(unpermitted) / static_cast<double>(permitted + unpermitted);
    INFO(unpermitted << " unpermitted of " << permitted + unpermitted);
    CHECK(breaking == 0);
    CHECK(dishonest == 0);
    // docs/sample-city.md: 2 % of the buildings.
    CHECK(share > 0.01);
    CHECK(share < 0.03);
}

TEST_CASE("the sample terrain is a low plain with dunes by the sea and the Ancient Town at 1.5 to 2.5 m")
{
    auto storage = city();
    auto record = storage->raster_records().front();
    auto dem_raster = storage->open_raster(record.name);
    GDALDataset* dem = &dem_raster.gdal();
    double gt[6];
    dem->GetGeoTransform(gt);
    core::Transform to_city(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649"));
    auto at = [&](double lon, double lat) {
        to_city.apply(lon, lat);
        float h = 0;
        REQUIRE(dem->GetRasterBand(1)->RasterIO(GF_Read, static_cast<int>((lon - gt[0]) / gt[1]),
                                                static_cast<int>((lat - gt[3]) / gt[5]), 1, 1, &h, 1, 1,
                                                GDT_Float32, 0, 0, nullptr) == CE_None);
        return static_cast<double>(h);
    };
    // The Ancient Town's landmarks (heritage_landmarks.csv HA-001 to HA-007).
    for (auto [lon, lat] : {std::pair{108.3261, 15.8772}, {108.3277, 15.8766}, {108.3290, 15.8780},
                            {108.3306, 15.8773}, {108.3318, 15.8774}}) {
        INFO(lon << ", " << lat);
        CHECK(at(lon, lat) >= 1.5);
        CHECK(at(lon, lat) <= 2.5);
    }
    // The beaches of Cua Dai and An Bang (the coast runs north-west): a walk of
    // 800 m inland, south-west from the shore, crosses dunes of 3-8 m.
    auto at_xy = [&](double x, double y) {
        float h = 0;
        REQUIRE(dem->GetRasterBand(1)->RasterIO(GF_Read, static_cast<int>((x - gt[0]) / gt[1]),
                                                static_cast<int>((y - gt[3]) / gt[5]), 1, 1, &h, 1, 1,
                                                GDT_Float32, 0, 0, nullptr) == CE_None);
        return static_cast<double>(h);
    };
    for (auto [lon, lat] : {std::pair{108.3700, 15.9000}, {108.3550, 15.9120}, {108.3850, 15.8880}}) {
        double x = lon, y = lat;
        to_city.apply(x, y);
        double highest = -100;
        for (double d = 0; d <= 800; d += 10)
            highest = std::max(highest, at_xy(x - d * M_SQRT1_2, y - d * M_SQRT1_2));
        INFO("transect from " << lon << ", " << lat);
        CHECK(highest >= 3.0);
        CHECK(highest <= 8.0);
    }
    // The Thu Bon, the Hoai and the sea lie below the datum.
    CHECK(at(108.3350, 15.8740) < 0.0);  // the Hoai off the Ancient Town
    CHECK(at(108.4200, 15.9000) < 0.0);
    // Most of the mainland plain lies below 5 m.
    auto wards = features(*storage, "wards");
    std::size_t low = 0, total = 0;
    for (int row = 0; row < dem->GetRasterYSize(); row += 25)
        for (int col = 0; col < dem->GetRasterXSize(); col += 25) {
            float h = 0;
            REQUIRE(dem->GetRasterBand(1)->RasterIO(GF_Read, col, row, 1, 1, &h, 1, 1, GDT_Float32, 0, 0,
                                                    nullptr) == CE_None);
            double x = gt[0] + (col + 0.5) * gt[1], y = gt[3] + (row + 0.5) * gt[5];
            double lon = x, lat = y;
            core::Transform(core::Crs::from_user("EPSG:32649"), core::Crs::wgs84()).apply(lon, lat);
            if (lon > 108.40 || h <= 0)
                continue;  // the islands and the water
            ++total;
            low += h < 5.0 ? 1 : 0;
        }
    REQUIRE(total > 1000);
    CHECK(static_cast<double>(low) / static_cast<double>(total) > 0.8);
}

TEST_CASE("sample streets in heritage zone I run along the river bank or at right angles to it")
{
    auto storage = city();
    // The river banks: the outlines of the river water, as segments.
    std::vector<std::pair<OGRRawPoint, OGRRawPoint>> banks;
    auto add_ring = [&](const OGRLinearRing& ring) {
        for (int i = 0; i + 1 < ring.getNumPoints(); ++i)
            banks.push_back({{ring.getX(i), ring.getY(i)}, {ring.getX(i + 1), ring.getY(i + 1)}});
    };
    for (const auto& w : features(*storage, "water")) {
        if (text(w, "water", "kind") != "river")
            continue;
        for (const auto* polygon : *w.geometry->toMultiPolygon()) {
            add_ring(*polygon->getExteriorRing());
            for (int i = 0; i < polygon->getNumInteriorRings(); ++i)
                add_ring(*polygon->getInteriorRing(i));
        }
    }
    REQUIRE(!banks.empty());
    Geometry zone_i;
    for (auto& z : features(*storage, "heritage_zones"))
        if (text(z, "heritage_zones", "protection") == "I")
            zone_i = std::move(z.geometry);
    REQUIRE(zone_i);
    auto distance_to = [](OGRRawPoint p, const std::pair<OGRRawPoint, OGRRawPoint>& s) {
        double dx = s.second.x - s.first.x, dy = s.second.y - s.first.y, l2 = dx * dx + dy * dy;
        double t = l2 > 0 ? std::clamp(((p.x - s.first.x) * dx + (p.y - s.first.y) * dy) / l2, 0.0, 1.0) : 0.0;
        return std::hypot(p.x - s.first.x - t * dx, p.y - s.first.y - t * dy);
    };
    std::size_t segments = 0, off = 0;
    double metres = 0;
    for (const auto& road : features(*storage, "roads")) {
        for (const auto* line : *road.geometry->toMultiLineString())
            for (int i = 0; i + 1 < line->getNumPoints(); ++i) {
                OGRRawPoint a{line->getX(i), line->getY(i)}, b{line->getX(i + 1), line->getY(i + 1)};
                double length = std::hypot(b.x - a.x, b.y - a.y);
                OGRPoint middle((a.x + b.x) / 2, (a.y + b.y) / 2);
                if (length < 5 || !zone_i->Contains(&middle))
                    continue;
                const auto* nearest = &banks.front();
                for (const auto& s : banks)
                    if (distance_to({middle.getX(), middle.getY()}, s) < distance_to({middle.getX(), middle.getY()}, *nearest))
                        nearest = &s;
                double street = std::atan2(b.y - a.y, b.x - a.x);
                double bank = std::atan2(nearest->second.y - nearest->first.y, nearest->second.x - nearest->first.x);
                // The angle between the two lines, folded to 0-90 degrees.
                double between = std::fmod(std::abs(street - bank) * 180 / M_PI, 180.0);
                between = std::min(between, 180 - between);
                ++segments;
                metres += length;
                if (between > 20 && between < 70) {
                    ++off;
                    UNSCOPED_INFO("road " << text(road, "roads", "road_id") << " at " << middle.getX() << ", "
                                          << middle.getY() << ": " << between << " degrees from the bank");
                }
            }
    }
    INFO(segments << " street segments, " << metres << " m in zone I");
    CHECK(metres > 2000);
    CHECK(off == 0);
}

TEST_CASE("sample lanes of heritage zone I are 2 to 3.2 m wide and the other streets keep their widths")
{
    auto storage = city();
    Geometry zone_i;
    for (auto& z : features(*storage, "heritage_zones"))
        if (text(z, "heritage_zones", "protection") == "I")
            zone_i = std::move(z.geometry);
    REQUIRE(zone_i);
    // A street along zone I's edge is in it.
    Geometry near_zone_i(zone_i->Buffer(0.5));
    const std::map<std::string, double> usual = {{"primary", 14}, {"secondary", 11}, {"tertiary", 9},
                                                 {"residential", 6}, {"living_street", 5}, {"bridge", 9}};
    double narrow_m = 0;
    std::set<double> widths;
    for (const auto& road : features(*storage, "roads")) {
        const auto* line = road.geometry->toMultiLineString()->getGeometryRef(0);
        OGRPoint middle;
        line->Value(line->get_Length() / 2, &middle);
        auto cls = text(road, "roads", "class");
        double width = real(road, "roads", "width_m");
        INFO("road " << text(road, "roads", "road_id") << " (" << cls << ", " << width << " m) with its middle at "
                     << middle.getX() << " " << middle.getY());
        if (cls == "living_street" && near_zone_i->Contains(&middle)) {
            CHECK(width >= 2.0);
            CHECK(width <= 3.2);
            narrow_m += line->get_Length();
            widths.insert(width);
        } else {
            REQUIRE(usual.count(cls) == 1);
            CHECK(width == usual.at(cls));
        }
    }
    INFO(narrow_m << " m of lanes in zone I, " << widths.size() << " widths");
    CHECK(narrow_m > 2000);
    CHECK(widths.size() >= 8);
}

TEST_CASE("the same seed writes byte-identical source files and another seed other streets")
{
    test::TempDir a, b;
    layers::SampleCityOptions options;
    options.data_dir = std::string(LANTERN_SOURCE_DIR) + "/data/hoian";
    options.seed = 7;
    options.out_dir = a.path().string();
    layers::write_sample_sources(options);
    options.out_dir = b.path().string();
    layers::write_sample_sources(options);
    std::size_t compared = 0;
    for (const auto& entry : fs::directory_iterator(a.path() / "sources")) {
        auto other = b.path() / "sources" / entry.path().filename();
        INFO(entry.path().filename());
        REQUIRE(fs::exists(other));
        CHECK(test::read_file(entry.path().string()) == test::read_file(other.string()));
        ++compared;
    }
    CHECK(compared >= 14);
    // Another seed lays the streets out differently.
    test::TempDir c;
    options.seed = 8;
    options.out_dir = c.path().string();
    layers::write_sample_sources(options);
    auto roads = [](const fs::path& dir) { return test::read_file((dir / "sources" / "roads.geojson").string()); };
    CHECK(roads(a.path()) != roads(c.path()));
}
