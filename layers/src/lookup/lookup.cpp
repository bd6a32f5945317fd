// The planning lookup at a point (lookup.hpp, docs/api.md). Areas (wards,
// parcels, zones, heritage zones, coverage footprints) are kept as
// Boost.Geometry multipolygons behind an R-tree of their boxes, points
// (heritage sites, drainage nodes) in an R-tree of points, and the flood
// grids as plain arrays: all read-only after loading, so lookups run in
// parallel without locks.

#include <lantern/layers/lookup.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <gdal_priv.h>
#include <ogr_geometry.h>

#include <lantern/core/crs.hpp>
#include <lantern/core/error.hpp>
#include <lantern/core/gdal.hpp>
#include <lantern/core/results.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/flood.hpp>

#include "../flood/flood_internal.hpp"

namespace lantern::layers {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BPolygon = bg::model::polygon<BPoint>;
using BMultiPolygon = bg::model::multi_polygon<BPolygon>;
using BBox = bg::model::box<BPoint>;
using nlohmann::json;

constexpr double heritage_site_radius_m = 100;

json to_json(const core::Value& value)
{
    if (const auto* s = std::get_if<std::string>(&value))
        return *s;
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return *i;
    return nullptr;
}

std::unique_ptr<OGRGeometry> read_wkb(const core::StoredFeature& f, const std::string& where)
{
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &g, f.wkb.size()) != OGRERR_NONE)
        throw core::StorageError(where + " feature " + std::to_string(f.fid) + ": unreadable geometry");
    return std::unique_ptr<OGRGeometry>(g);
}

BPolygon to_polygon(const OGRPolygon& polygon)
{
    BPolygon out;
    auto ring = [](const OGRLinearRing& r, BPolygon::ring_type& to) {
        for (const auto& p : r)
            to.push_back(BPoint(p.getX(), p.getY()));
    };
    ring(*polygon.getExteriorRing(), out.outer());
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
        out.inners().emplace_back();
        ring(*polygon.getInteriorRing(i), out.inners().back());
    }
    bg::correct(out);
    return out;
}

// The features of one class or feature result: their values, with the
// schema that names them.
struct Features {
    core::ClassSchema schema;
    std::vector<std::vector<core::Value>> values;

    json properties(std::size_t i) const
    {
        json out = json::object();
        for (std::size_t f = 0; f < schema.fields.size() && f < values[i].size(); ++f)
            if (schema.fields[f].name != "source")
                out[schema.fields[f].name] = to_json(values[i][f]);
        return out;
    }
};

struct Areas : Features {
    std::vector<BMultiPolygon> shapes;
    bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>> index;

    // The features whose area holds the point (edges included), in fid order.
    std::vector<std::size_t> holding(BPoint p) const
    {
        std::vector<std::size_t> out;
        for (auto it = index.qbegin(bgi::intersects(p)); it != index.qend(); ++it)
            if (bg::covered_by(p, shapes[it->second]))
                out.push_back(it->second);
        std::sort(out.begin(), out.end());
        return out;
    }
};

struct Points : Features {
    std::vector<BPoint> points;
    bgi::rtree<std::pair<BPoint, std::size_t>, bgi::rstar<16>> index;
};

Areas read_areas(const core::Storage& storage, const core::ClassSchema& schema)
{
    Areas areas;
    areas.schema = schema;
    std::vector<std::pair<BBox, std::size_t>> boxes;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        auto g = read_wkb(f, schema.name);
        BMultiPolygon shape;
        auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbPolygon)
            shape.push_back(to_polygon(*g->toPolygon()));
        else if (type == wkbMultiPolygon)
            for (const auto* part : *g->toMultiPolygon())
                shape.push_back(to_polygon(*part));
        if (shape.empty())
            return;
        OGREnvelope e;
        g->getEnvelope(&e);
        boxes.emplace_back(BBox(BPoint(e.MinX, e.MinY), BPoint(e.MaxX, e.MaxY)), areas.shapes.size());
        areas.shapes.push_back(std::move(shape));
        areas.values.push_back(f.values);
    });
    areas.index = decltype(areas.index)(boxes.begin(), boxes.end());
    return areas;
}

Points read_points(const core::Storage& storage, const core::ClassSchema& schema)
{
    Points points;
    points.schema = schema;
    std::vector<std::pair<BPoint, std::size_t>> entries;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        auto g = read_wkb(f, schema.name);
        if (wkbFlatten(g->getGeometryType()) != wkbPoint || g->IsEmpty())
            return;
        BPoint p(g->toPoint()->getX(), g->toPoint()->getY());
        entries.emplace_back(p, points.points.size());
        points.points.push_back(p);
        points.values.push_back(f.values);
    });
    points.index = decltype(points.index)(entries.begin(), entries.end());
    return points;
}

// A raster result in memory, north up.
struct Grid {
    double x0 = 0, y0 = 0, pixel_width = 0, pixel_height = 0;
    int width = 0, height = 0;
    std::optional<double> no_data;
    std::vector<float> cells;

    // The cell's value under the point; none off the grid or on no data.
    std::optional<double> at(BPoint p) const
    {
        double col = (p.x() - x0) / pixel_width, row = (y0 - p.y()) / pixel_height;
        if (!(col >= 0 && row >= 0 && col < width && row < height))
            return std::nullopt;
        double v = cells[static_cast<std::size_t>(row) * static_cast<std::size_t>(width) +
                         static_cast<std::size_t>(col)];
        if (std::isnan(v) || (no_data && v == *no_data))
            return std::nullopt;
        return v;
    }
};

Grid read_grid(const core::Storage& storage, const core::ResultRecord& record)
{
    core::ensure_gdal();
    std::string path = storage.raster_file(record.path);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds)
        throw core::StorageError(path + ": cannot open the raster of result " + record.name);
    double gt[6];
    if (ds->GetGeoTransform(gt) != CE_None || gt[2] != 0 || gt[4] != 0 || gt[5] >= 0)
        throw core::StorageError(path + ": result " + record.name + " is not a north-up raster");
    Grid grid;
    grid.x0 = gt[0];
    grid.y0 = gt[3];
    grid.pixel_width = gt[1];
    grid.pixel_height = -gt[5];
    grid.width = ds->GetRasterXSize();
    grid.height = ds->GetRasterYSize();
    grid.no_data = record.no_data;
    grid.cells.resize(static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height));
    if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, grid.width, grid.height, grid.cells.data(), grid.width,
                                       grid.height, GDT_Float32, 0, 0, nullptr) != CE_None)
        throw core::StorageError(path + ": cannot read result " + record.name);
    return grid;
}

// A river stage's flood depths (flood_depth_<level>m).
struct StageDepths {
    std::string result, label;
    double level_m = 0;
    Grid depth;
};

// A hydrograph's arrival times (flood_arrival_<name>).
struct Arrival {
    std::string result, hydrograph;
    Grid hours;
};

// The level of a stage result's name ("flood_depth_2.0m" -> 2.0), or none
// for another flood depth (a hydrograph's).
std::optional<double> stage_level(const std::string& name)
{
    const std::string prefix = "flood_depth_";
    if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 2 || name.back() != 'm')
        return std::nullopt;
    std::string number = name.substr(prefix.size(), name.size() - prefix.size() - 1);
    std::size_t used = 0;
    try {
        double level = std::stod(number, &used);
        if (used == number.size())
            return level;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

std::string stage_label(double level)
{
    for (const auto& preset : gauge_presets())
        if (std::abs(preset.stage.level - level) < 1e-9)
            return preset.stage.label;
    return {};
}

}  // namespace

struct CityLookup::Data {
    std::string city_crs;
    Areas wards, parcels, zones, heritage_zones;
    Points heritage_sites, drainage_nodes;
    std::optional<Areas> cameras, lighting;
    std::string cameras_result, lighting_result;
    std::vector<StageDepths> stages;
    std::vector<Arrival> arrivals;

    BPoint to_city(double lon, double lat) const
    {
        // PROJ transformations are not shared between threads.
        thread_local std::string crs;
        thread_local std::unique_ptr<core::Transform> transform;
        if (!transform || crs != city_crs) {
            transform = std::make_unique<core::Transform>(core::Crs::wgs84(), core::Crs::from_user(city_crs));
            crs = city_crs;
        }
        transform->apply(lon, lat);
        return {lon, lat};
    }
};

CityLookup::CityLookup(const core::Storage& storage) : m_data(std::make_unique<Data>())
{
    auto& d = *m_data;
    d.city_crs = storage.city().crs;
    d.wards = read_areas(storage, feature_class("wards"));
    d.parcels = read_areas(storage, feature_class("parcels"));
    d.zones = read_areas(storage, feature_class("zones"));
    d.heritage_zones = read_areas(storage, feature_class("heritage_zones"));
    d.heritage_sites = read_points(storage, feature_class("heritage_sites"));
    d.drainage_nodes = read_points(storage, feature_class("drainage_nodes"));
    for (const auto& record : storage.result_records()) {
        if (!core::stale_reasons(storage, record).empty())
            continue;  // its inputs changed: not an answer any more
        if (record.kind == core::ResultKind::features && record.name == "camera_coverage") {
            d.cameras = read_areas(storage, record.schema);
            d.cameras_result = record.name;
        } else if (record.kind == core::ResultKind::features && record.name == "lighting_coverage") {
            d.lighting = read_areas(storage, record.schema);
            d.lighting_result = record.name;
        } else if (record.kind == core::ResultKind::raster) {
            if (auto level = stage_level(record.name)) {
                d.stages.push_back({record.name, stage_label(*level), *level, read_grid(storage, record)});
            } else if (record.name.rfind("flood_arrival_", 0) == 0) {
                std::string hydrograph = record.parameters.value("hydrograph", std::string());
                d.arrivals.push_back({record.name, hydrograph, read_grid(storage, record)});
            }
        }
    }
    std::sort(d.stages.begin(), d.stages.end(),
              [](const StageDepths& a, const StageDepths& b) { return a.level_m < b.level_m; });
}

CityLookup::~CityLookup() = default;

namespace {

json coverage_at(const std::optional<Areas>& areas, const std::string& result, BPoint p, const char* what)
{
    if (!areas)
        return {{"computed", false}, {"note", std::string("no current ") + what + " coverage result: run lantern coverage"}};
    auto here = areas->holding(p);
    json by = json::array();
    for (auto i : here)
        by.push_back(areas->properties(i));
    return {{"computed", true}, {"result", result}, {"covered", !here.empty()}, {"by", by}};
}

}  // namespace

std::optional<json> CityLookup::at(double lon, double lat) const
{
    const auto& d = *m_data;
    BPoint p = d.to_city(lon, lat);
    auto wards = d.wards.holding(p);
    if (wards.empty())
        return std::nullopt;

    json out;
    out["lon"] = lon;
    out["lat"] = lat;
    out["ward"] = d.wards.properties(wards.front());

    out["parcel"] = nullptr;
    if (auto parcels = d.parcels.holding(p); !parcels.empty()) {
        json parcel = d.parcels.properties(parcels.front());
        if (const auto* use = land_use(parcel.value("land_use", std::string())))
            parcel["land_use_name"] = {{"vi", use->name_vi}, {"en", use->name_en}};
        out["parcel"] = parcel;
    }

    out["zone"] = nullptr;
    if (auto zones = d.zones.holding(p); !zones.empty()) {
        json zone = d.zones.properties(zones.front());
        if (zone.contains("land_uses") && zone["land_uses"].is_string()) {
            json codes = json::array();
            std::string list = zone["land_uses"];
            for (std::size_t start = 0; start < list.size();) {
                auto comma = list.find(',', start);
                if (comma == std::string::npos)
                    comma = list.size();
                if (comma > start)
                    codes.push_back(list.substr(start, comma - start));
                start = comma + 1;
            }
            zone["land_uses"] = codes;
        }
        out["zone"] = zone;
    }

    // Zone I before zone II where both are given.
    out["heritage_zone"] = nullptr;
    for (auto i : d.heritage_zones.holding(p)) {
        json zone = d.heritage_zones.properties(i);
        if (out["heritage_zone"].is_null() || zone.value("protection", "") == "I")
            out["heritage_zone"] = zone;
    }

    std::vector<std::pair<double, std::size_t>> near;
    BBox around(BPoint(p.x() - heritage_site_radius_m, p.y() - heritage_site_radius_m),
                BPoint(p.x() + heritage_site_radius_m, p.y() + heritage_site_radius_m));
    for (auto it = d.heritage_sites.index.qbegin(bgi::intersects(around)); it != d.heritage_sites.index.qend(); ++it)
        if (double dist = bg::distance(p, it->first); dist <= heritage_site_radius_m)
            near.emplace_back(dist, it->second);
    std::sort(near.begin(), near.end());
    json sites = json::array();
    for (auto [dist, i] : near) {
        json site = d.heritage_sites.properties(i);
        site["distance_m"] = std::round(dist * 10) / 10;
        sites.push_back(site);
    }
    out["heritage_sites"] = sites;

    json stages = json::array();
    for (const auto& s : d.stages) {
        auto depth = s.depth.at(p);
        bool wet = depth && *depth > 0;
        stages.push_back({{"result", s.result},
                          {"level_m", s.level_m},
                          {"label", s.label.empty() ? json(nullptr) : json(s.label)},
                          {"flooded", wet},
                          {"depth_m", wet ? std::round(*depth * 100) / 100 : 0.0},
                          {"risk", wet ? json(flood::depth_bands()[static_cast<std::size_t>(flood::depth_band(*depth))].risk)
                                       : json(nullptr)}});
    }
    json arrivals = json::array();
    for (const auto& a : d.arrivals) {
        auto hours = a.hours.at(p);
        arrivals.push_back({{"result", a.result},
                            {"hydrograph", a.hydrograph},
                            {"flooded", hours.has_value()},
                            {"arrival_hours", hours ? json(std::round(*hours * 10) / 10) : json(nullptr)}});
    }
    out["flood"] = {{"computed", !d.stages.empty() || !d.arrivals.empty()}, {"stages", stages}, {"hydrographs", arrivals}};
    if (d.stages.empty() && d.arrivals.empty())
        out["flood"]["note"] = "no current flood result: run lantern flood";

    out["coverage"] = {{"cameras", coverage_at(d.cameras, d.cameras_result, p, "camera")},
                       {"lighting", coverage_at(d.lighting, d.lighting_result, p, "lighting")}};

    out["drainage_node"] = nullptr;
    for (auto it = d.drainage_nodes.index.qbegin(bgi::nearest(p, 1)); it != d.drainage_nodes.index.qend(); ++it) {
        json node = d.drainage_nodes.properties(it->second);
        node["distance_m"] = std::round(bg::distance(p, it->first) * 10) / 10;
        out["drainage_node"] = node;
    }
    return out;
}

}  // namespace lantern::layers
