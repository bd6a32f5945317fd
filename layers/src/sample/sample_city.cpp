// Writes the sample city's source files: what a city's departments would
// hand over (GeoJSON, the real CSV, a GeoTIFF DEM), imported afterwards
// through the ordinary import path.

#include <lantern/layers/sample_city.hpp>

#include <filesystem>
#include <functional>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/schema/schema.hpp>
#include <lantern/layers/catalogue.hpp>

#include "sample.hpp"

namespace lantern::layers {

namespace {

namespace fs = std::filesystem;
using core::Value;
using sample::GeometryPtr;
using sample::Point;

// A GeoJSON (or, for big layers, newline-delimited GeoJSONSeq) file written
// feature by feature in the city CRS. Simple shapes (rectangles, points,
// straight pipes) are written to the centimetre; shapes made by polygon
// overlay keep full precision, where rounding could make them invalid.
enum class Precision { centimetre, full };

// A field of a source file; booleans are integers of subtype boolean, which
// GeoJSON writes as true and false.
struct FileField {
    std::string name;
    OGRFieldType type = OFTString;
    OGRFieldSubType subtype = OFSTNone;
};

// The fields of a built-in class, in schema order.
std::vector<FileField> class_fields(const std::string& class_name)
{
    std::vector<FileField> out;
    for (const auto& field : feature_class(class_name).fields)
        out.push_back({field.name, field.type == core::FieldType::text      ? OFTString
                                   : field.type == core::FieldType::integer ? OFTInteger64
                                                                            : OFTReal});
    return out;
}

class VectorFile {
public:
    VectorFile(const std::string& path, const std::string& class_name, OGRwkbGeometryType type,
               Precision precision = Precision::centimetre)
        : VectorFile(path, class_fields(class_name), type, precision)
    {
    }

    VectorFile(const std::string& path, const std::vector<FileField>& fields, OGRwkbGeometryType type,
               Precision precision = Precision::centimetre)
        : m_path(path)
    {
        core::ensure_gdal();
        bool sequence = fs::path(path).extension() == ".geojsonl";
        auto* driver = GetGDALDriverManager()->GetDriverByName(sequence ? "GeoJSONSeq" : "GeoJSON");
        fs::remove(path);
        m_ds.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_ds)
            throw core::FileError(path + ": cannot create");
        char** options = nullptr;
        if (precision == Precision::centimetre)
            options = CSLSetNameValue(options, "COORDINATE_PRECISION", "2");
        if (!sequence)
            options = CSLSetNameValue(options, "WRITE_BBOX", "NO");
        // GeoJSONSeq is WGS 84 by definition (RFC 8142) and would reproject: it
        // gets no CRS, and the import names the city CRS with --s-srs instead.
        core::ScopedGdalErrors quiet;
        auto crs = core::Crs::from_user(sample::city_crs);
        m_layer = m_ds->CreateLayer(fs::path(path).stem().c_str(),
                                    sequence ? nullptr : const_cast<OGRSpatialReference*>(&crs.srs()),
                                    type, options);
        CSLDestroy(options);
        if (!m_layer)
            throw core::FileError(path + ": cannot create layer");
        for (const auto& field : fields) {
            OGRFieldDefn defn(field.name.c_str(), field.type);
            defn.SetSubType(field.subtype);
            m_layer->CreateField(&defn);
        }
    }

    void add(const OGRGeometry& geometry, const std::vector<Value>& values)
    {
        if (static_cast<int>(values.size()) != m_layer->GetLayerDefn()->GetFieldCount())
            throw core::Error(m_path + ": a feature with " + std::to_string(values.size()) +
                              " values for " + std::to_string(m_layer->GetLayerDefn()->GetFieldCount()) +
                              " fields");
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(m_layer->GetLayerDefn()));
        f->SetGeometry(&geometry);
        for (std::size_t i = 0; i < values.size(); ++i) {
            int k = static_cast<int>(i);
            if (auto* s = std::get_if<std::string>(&values[i]))
                f->SetField(k, s->c_str());
            else if (auto* d = std::get_if<double>(&values[i]))
                f->SetField(k, *d);
            else if (auto* n = std::get_if<std::int64_t>(&values[i]))
                f->SetField(k, static_cast<GIntBig>(*n));
        }
        if (m_layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw core::FileError(m_path + ": cannot write a feature");
    }

private:
    std::string m_path;
    GDALDatasetUniquePtr m_ds;
    OGRLayer* m_layer = nullptr;
};

Value text(std::string s) { return Value(std::move(s)); }
Value text_or_null(std::string s) { return s.empty() ? Value() : Value(std::move(s)); }
Value number(double d) { return Value(std::round(d * 100) / 100); }
Value whole(std::int64_t i) { return Value(i); }

GeometryPtr shifted(const std::vector<Point>& ring, Point by)
{
    std::vector<Point> moved;
    for (auto p : ring)
        moved.push_back({p.x + by.x, p.y + by.y});
    return sample::polygon(moved);
}

// A copy of a polygon or multipolygon moved by `by`.
GeometryPtr shifted(const OGRGeometry& area, Point by)
{
    GeometryPtr moved(area.clone());
    auto move = [&](OGRPolygon& polygon) {
        for (auto* ring : polygon)
            for (int i = 0; i < ring->getNumPoints(); ++i)
                ring->setPoint(i, ring->getX(i) + by.x, ring->getY(i) + by.y);
    };
    auto type = wkbFlatten(moved->getGeometryType());
    if (type == wkbPolygon)
        move(*moved->toPolygon());
    else if (type == wkbMultiPolygon)
        for (auto* polygon : *moved->toMultiPolygon())
            move(*polygon);
    return moved;
}

OGRPoint shifted_point(Point p, Point by)
{
    return OGRPoint(p.x + by.x, p.y + by.y);
}

// Where copy c of the town goes at --scale K: copies fill a grid of ten per
// row to the west (inland) and north of the real city.
Point copy_offset(int c, const core::Bounds& extent)
{
    if (c == 0)
        return {0, 0};
    double w = extent.max_x - extent.min_x + 2000, h = extent.max_y - extent.min_y + 2000;
    return {-w * (1 + (c - 1) % 10), h * ((c - 1) / 10)};
}

std::string joined(const std::vector<std::string>& codes)
{
    std::string out;
    for (const auto& c : codes)
        out += (out.empty() ? "" : ",") + c;
    return out;
}

std::string numbered(const std::string& prefix, std::size_t i)
{
    return prefix + std::to_string(i);
}

// Hydrants and the fire station once per copy of the town at --scale K (ids
// of copy c end in -c), with the streets they serve; trees once. Their
// fields are those of data/classes/*.json.
void write_street_assets(const sample::StreetAssets& assets, int scale, const std::function<Point(int)>& offset,
                         const std::function<std::string(const std::string&)>& path, SampleCityFiles& files)
{
    const auto synthetic = text(sample::synthetic);
    {
        VectorFile f(path("hydrants.geojson"),
                     {{"hydrant_id"}, {"kind"}, {"flow_lps", OFTReal}, {"status"}, {"source"}}, wkbPoint);
        for (int c = 0; c < scale; ++c) {
            std::string copy = c == 0 ? "" : "-" + std::to_string(c);
            for (const auto& h : assets.hydrants)
                f.add(shifted_point(h.p, offset(c)),
                      {text(h.id + copy), text(h.kind), number(h.flow_lps), text(h.status), synthetic});
        }
    }
    {
        VectorFile f(path("fire_stations.geojson"),
                     {{"station_id"}, {"name"}, {"vehicles", OFTInteger64}, {"address"}, {"phone"}, {"source"}},
                     wkbPoint);
        for (int c = 0; c < scale; ++c) {
            std::string copy = c == 0 ? "" : "-" + std::to_string(c);
            for (const auto& s : assets.fire_stations)
                f.add(shifted_point(s.p, offset(c)), {text(s.id + copy), text(s.name), whole(s.vehicles),
                                                      text(s.address), text(s.phone), synthetic});
        }
    }
    {
        VectorFile f(path("trees.geojson"),
                     {{"tree_id"}, {"species"}, {"common_name"}, {"height_m", OFTReal}, {"girth_cm", OFTReal},
                      {"heritage", OFTInteger, OFSTBoolean}, {"source"}},
                     wkbPoint);
        for (const auto& t : assets.trees)
            f.add(OGRPoint(t.p.x, t.p.y), {text(t.id), text(t.species), text(t.common_name), number(t.height_m),
                                           number(t.girth_cm), whole(t.heritage ? 1 : 0), synthetic});
    }
    for (const auto* cls : {"hydrants", "fire_stations", "trees"})
        files.added_classes.push_back({cls, path(std::string(cls) + ".geojson"), {}, {}});
}

}  // namespace

SampleCityFiles write_sample_sources(const SampleCityOptions& options)
{
    if (options.scale < 1 || options.scale > 1000)
        throw core::UsageError("scale " + std::to_string(options.scale) + ": must be between 1 and 1000");
    fs::path dir = fs::path(options.out_dir) / "sources";
    fs::create_directories(dir);
    auto log = [&](const std::string& step) {
        if (options.progress)
            std::fprintf(stderr, "sample city: %s\n", step.c_str());
    };
    auto path = [&](const std::string& name) { return (dir / name).string(); };
    const bool big = options.scale > 1;
    auto big_name = [&](const std::string& stem) { return stem + (big ? ".geojsonl" : ".geojson"); };

    log("reading the real data in " + options.data_dir);
    sample::Rng rng(options.seed);
    auto geo = sample::load_geography(options.data_dir);
    log("partitioning the wards");
    sample::partition_wards(geo);
    auto old_town = sample::make_old_town(geo);
    log("shaping the terrain");
    sample::Terrain terrain(geo, old_town, options.seed);
    log("laying out streets");
    sample::Town town;
    sample::build_streets(geo, terrain, options.seed, town);
    log("drawing blocks and the detailed plan");
    auto plan = sample::make_plan(geo, terrain, town, options.seed);
    sample::narrow_old_town_lanes(plan, options.seed, town);
    log("laying out parcels and buildings");
    sample::build_plots(geo, terrain, plan, rng, town);
    log("building drainage, lighting and camera networks");
    auto networks = sample::build_networks(geo, terrain, town, rng);
    log("placing hydrants, the fire station and street trees");
    // Their own random numbers, so that the built-in classes stay as they were.
    sample::Rng asset_rng(options.seed ^ 0x5EED0F1AE5ULL);
    auto assets = sample::build_street_assets(geo, terrain, plan, town, networks, asset_rng);

    SampleCityFiles files;
    files.city_crs = sample::city_crs;
    files.boundary = path("city_boundary.geojson");
    files.bounds = geo.extent;
    for (int c = 1; c < options.scale; ++c) {
        Point o = copy_offset(c, geo.extent);
        files.bounds.expand({geo.extent.min_x + o.x, geo.extent.min_y + o.y, geo.extent.max_x + o.x,
                             geo.extent.max_y + o.y});
    }
    files.bounds = {files.bounds.min_x - 1000, files.bounds.min_y - 1000, files.bounds.max_x + 1000,
                    files.bounds.max_y + 1000};
    fs::copy_file(fs::path(options.data_dir) / "city_boundary.geojson", files.boundary,
                  fs::copy_options::overwrite_existing);
    fs::copy_file(fs::path(options.data_dir) / "heritage_landmarks.csv", path("heritage_landmarks.csv"),
                  fs::copy_options::overwrite_existing);
    files.vectors.push_back({"heritage_sites", path("heritage_landmarks.csv"), "EPSG:4326", {{"name", "name_vi"}}});

    log("writing the source files");
    {
        VectorFile f(path("wards.geojson"), "wards", wkbMultiPolygon, Precision::full);
        for (const auto& w : geo.wards)
            f.add(*w.area, {text(w.code), text(w.name), text(w.kind), text_or_null(w.unit_code),
                            text_or_null(w.unit_name), text_or_null(w.unit_kind), text(sample::synthetic)});
        files.vectors.push_back({"wards", path("wards.geojson"), {}, {}});
    }
    {
        VectorFile f(path("water.geojson"), "water", wkbMultiPolygon, Precision::full);
        for (const auto& w : geo.water)
            if (!w.area->IsEmpty())
                f.add(*w.area, {text(w.name), text(w.kind), text(w.source)});
        files.vectors.push_back({"water", path("water.geojson"), {}, {}});
    }
    {
        // The streets once per copy of the town (road ids of copy c end in
        // -c), so that each copy's buildings stand on its own street network.
        VectorFile f(path(big_name("roads")), "roads", wkbLineString);
        for (int c = 0; c < options.scale; ++c) {
            Point o = copy_offset(c, geo.extent);
            std::string copy = c == 0 ? "" : "-" + std::to_string(c);
            for (const auto& r : town.roads) {
                std::vector<Point> moved;
                for (auto p : r.points)
                    moved.push_back({p.x + o.x, p.y + o.y});
                f.add(*sample::line(moved), {text(r.id + copy), text(r.name), text(r.road_class),
                                             number(r.width_m()), text(sample::synthetic)});
            }
        }
        files.vectors.push_back(
            {"roads", path(big_name("roads")), big ? std::optional<std::string>(sample::city_crs) : std::nullopt, {}});
    }
    {
        // The plan once per copy of the town, so that each copy's buildings
        // and parcels have their zones.
        VectorFile f(path("zones.geojson"), "zones", wkbMultiPolygon, Precision::full);
        for (int c = 0; c < options.scale; ++c) {
            Point o = copy_offset(c, geo.extent);
            std::string copy = c == 0 ? "" : "-" + std::to_string(c);
            for (const auto& z : plan.zones)
                f.add(c == 0 ? *z.area : *shifted(*z.area, o),
                      {text(z.id + copy), text(z.type), number(z.max_height_m), whole(z.max_floors),
                       number(z.max_coverage_pct), number(z.max_far), text(joined(z.land_uses)), text(z.plan_ref),
                       text(sample::synthetic)});
        }
        files.vectors.push_back({"zones", path("zones.geojson"), {}, {}});
    }
    {
        VectorFile f(path("heritage_zones.geojson"), "heritage_zones", wkbMultiPolygon, Precision::full);
        f.add(*plan.heritage.zone_i, {text("HZ-I"), text("I"), text("Khu phố cổ Hội An - khu vực I"),
                                      text("absolute protection: no new construction; repairs keep the "
                                           "original form, materials and height (at most 2 floors)"),
                                      number(8.0), whole(2), Value(), text(sample::synthetic)});
        f.add(*plan.heritage.zone_ii, {text("HZ-II"), text("II"), text("Khu phố cổ Hội An - khu vực II"),
                                       text("buffer: new buildings at most 3 floors and 12 m, traditional "
                                            "roofs, no industry, 10 m clear of a heritage site"),
                                       number(12.0), whole(3), number(10.0), text(sample::synthetic)});
        files.vectors.push_back({"heritage_zones", path("heritage_zones.geojson"), {}, {}});
    }

    // Buildings, parcels and devices, once per copy of the town.
    VectorFile parcels(path(big_name("parcels")), "parcels", wkbPolygon);
    VectorFile buildings(path(big_name("buildings")), "buildings", wkbPolygon);
    VectorFile lamps(path(big_name("lamps")), "lamps", wkbPoint);
    VectorFile cameras(path(big_name("cameras")), "cameras", wkbPoint);
    VectorFile nodes(path(big_name("drainage_nodes")), "drainage_nodes", wkbPoint);
    VectorFile pipes(path(big_name("drainage_pipes")), "drainage_pipes", wkbLineString);
    std::size_t parcel_no = 0, building_no = 0, lamp_no = 0, camera_no = 0;
    const auto synthetic = text(sample::synthetic);
    for (int c = 0; c < options.scale; ++c) {
        Point o = copy_offset(c, geo.extent);
        std::string copy = c == 0 ? "" : "-" + std::to_string(c);
        for (const auto& plot : town.plots) {
            auto parcel = shifted(plot.parcel, o);
            parcels.add(*parcel, {text(numbered("P-", ++parcel_no)), text(plot.land_use),
                                  number(sample::area_of(*parcel)), text(plot.ward),
                                  plot.address.empty() ? Value() : text(plot.address),
                                  plot.land_status.empty() ? Value() : text(plot.land_status), synthetic});
            if (plot.building.empty())
                continue;
            buildings.add(*shifted(plot.building, o),
                          {text(numbered("B-", ++building_no)), number(sample::building_height(plot.levels)),
                           whole(plot.levels), text(plot.use), plot.name.empty() ? Value() : text(plot.name),
                           text(plot.over_rules ? "unpermitted" : "permitted"), synthetic});
        }
        for (const auto& l : networks.lamps)
            lamps.add(shifted_point(l.p, o), {text(numbered("L-", ++lamp_no)), text(l.type), number(l.power_w),
                                              number(l.height_m), number(l.lumens), text(l.status), synthetic});
        for (const auto& cam : networks.cameras)
            cameras.add(shifted_point(cam.p, o),
                        {text(numbered("C-", ++camera_no)), text(cam.purpose), number(cam.heading_deg),
                         number(cam.fov_deg), number(cam.range_m), number(cam.height_m),
                         // Traffic cameras state their 4 MP sensors; the others
                         // leave it to the analysis's default by purpose.
                         cam.purpose == "traffic" ? whole(2688) : Value(), text(cam.status), synthetic});
        for (const auto& n : networks.nodes)
            nodes.add(shifted_point(n.p, o), {text(n.id + copy), text(n.kind), Value(n.ground_m),
                                              Value(n.invert_m), synthetic});
        for (const auto& p : networks.pipes) {
            std::vector<Point> moved;
            for (auto q : p.points)
                moved.push_back({q.x + o.x, q.y + o.y});
            pipes.add(*sample::line(moved), {text(p.id + copy), number(p.diameter_mm), text(p.material),
                                             Value(p.up_invert_m), Value(p.down_invert_m),
                                             Value(p.manning_n), synthetic});
        }
    }
    for (const auto* cls : {"parcels", "buildings", "lamps", "cameras", "drainage_nodes", "drainage_pipes"})
        files.vectors.push_back({cls, path(big_name(cls)), big ? std::optional<std::string>(sample::city_crs)
                                                               : std::nullopt, {}});

    write_street_assets(assets, options.scale, [&](int c) { return copy_offset(c, geo.extent); }, path, files);

    files.dem = path("dem.tif");
    terrain.write_dem(files.dem);
    return files;
}

}  // namespace lantern::layers
