// Imports of every supported format land the same features at the same
// coordinates; exports round-trip.

#include <catch2/catch.hpp>

#include <cstring>
#include <map>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/io/vector_export.hpp>
#include <lantern/core/io/vector_import.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/support.hpp"

using namespace lantern;
using lantern::test::new_city;
using lantern::test::TempDir;

namespace {

struct Point {
    double x, y;
};

// Stored points of a class by id, in the city CRS.
std::map<std::string, Point> stored_points(const core::Storage& storage, const std::string& cls)
{
    const auto& schema = layers::feature_class(cls);
    std::map<std::string, Point> out;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        REQUIRE(f.wkb.size() == 21);  // little-endian ISO WKB point
        Point p{};
        std::memcpy(&p.x, &f.wkb[5], 8);
        std::memcpy(&p.y, &f.wkb[13], 8);
        out[std::get<std::string>(f.values[0])] = p;
    });
    return out;
}

core::ImportOptions options_for(const std::string& path)
{
    core::ImportOptions o;
    o.source.path = path;
    return o;
}

}  // namespace

TEST_CASE("a GeoJSON import reprojects into the city CRS and keeps every attribute")
{
    TempDir dir;
    auto city = new_city(dir);
    test::write_file(dir.file("lamps.geojson"), test::three_lamps_geojson());
    auto result = core::import_vector(*city, layers::feature_class("lamps"),
                                      options_for(dir.file("lamps.geojson")));
    CHECK(result.imported == 3);
    CHECK(result.record.feature_count == 3);
    CHECK(city->count("lamps") == 3);

    auto points = stored_points(*city, "lamps");
    double x = 108.3261, y = 15.8772;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    CHECK(points["L-1"].x == Approx(x).margin(1e-6));
    CHECK(points["L-1"].y == Approx(y).margin(1e-6));
    // UTM 49N easting of 108.3261 E lies about 286 km west of the 111 E meridian.
    CHECK(points["L-1"].x == Approx(213700).margin(2000));

    std::vector<core::StoredFeature> rows;
    city->scan(layers::feature_class("lamps"), [&](const core::StoredFeature& f) { rows.push_back(f); });
    REQUIRE(rows.size() == 3);
    CHECK(rows[1].fid == 2);
    CHECK(std::get<std::string>(rows[1].values[5]) == "faulty");
    CHECK(std::get<double>(rows[0].values[2]) == 60.0);
    CHECK(std::get<std::string>(rows[0].values[6]) == "lamps.geojson");  // source
}

TEST_CASE("every vector format GDAL reads imports the same lamps")
{
    TempDir dir;
    std::string geojson = dir.file("lamps.geojson");
    test::write_file(geojson, test::three_lamps_geojson());
    std::map<std::string, Point> reference;
    {
        auto city = new_city(dir, "reference.sqlite");
        core::import_vector(*city, layers::feature_class("lamps"), options_for(geojson));
        reference = stored_points(*city, "lamps");
    }
    // DXF carries no attribute table of ours and no CRS: it is written in UTM
    // and imported with --s-srs and --map, as a CAD drawing would be.
    std::string utm = dir.file("lamps_utm.geojson");
    test::translate(geojson, utm, {"-f", "GeoJSON", "-t_srs", "EPSG:32649"});

    struct Format {
        std::string name, file, from;
        std::vector<std::string> gdal_options;
        std::optional<std::string> s_srs;
        std::map<std::string, std::string> map;
        double tolerance_m;
    };
    const std::vector<Format> formats = {
        {"Shapefile", "lamps.shp", geojson, {"-f", "ESRI Shapefile"}, {}, {}, 1e-6},
        {"GeoPackage", "lamps.gpkg", geojson, {"-f", "GPKG"}, {}, {}, 1e-6},
        {"CSV with WKT", "lamps_wkt.csv", geojson, {"-f", "CSV", "-lco", "GEOMETRY=AS_WKT"},
         "EPSG:4326", {}, 1e-6},
        {"CSV with lon/lat", "lamps_xy.csv", geojson, {"-f", "CSV", "-lco", "GEOMETRY=AS_XY"},
         "EPSG:4326", {}, 1e-6},
        {"KML", "lamps.kml", geojson, {"-f", "KML"}, {}, {}, 1e-6},
        {"DXF", "lamps.dxf", utm, {"-f", "DXF"}, "EPSG:32649", {{"lamp_id", "EntityHandle"}}, 1e-3},
    };
    for (const auto& format : formats) {
        SECTION(format.name)
        {
            std::string path = dir.file(format.file);
            test::translate(format.from, path, format.gdal_options);
            auto city = new_city(dir, format.file + ".sqlite");
            auto options = options_for(path);
            options.source_crs = format.s_srs;
            options.field_map = format.map;
            auto result = core::import_vector(*city, layers::feature_class("lamps"), options);
            CHECK(result.imported == 3);
            auto points = stored_points(*city, "lamps");
            REQUIRE(points.size() == 3);
            if (format.map.empty()) {
                for (const auto& [id, p] : reference) {
                    INFO(format.name << " lamp " << id);
                    CHECK(points[id].x == Approx(p.x).margin(format.tolerance_m));
                    CHECK(points[id].y == Approx(p.y).margin(format.tolerance_m));
                }
            } else {
                // Ids come from the CAD entity numbers; compare positions in order.
                std::vector<Point> got, want;
                for (const auto& kv : points)
                    got.push_back(kv.second);
                for (const auto& kv : reference)
                    want.push_back(kv.second);
                auto by_x = [](const Point& l, const Point& r) { return l.x < r.x; };
                std::sort(got.begin(), got.end(), by_x);
                std::sort(want.begin(), want.end(), by_x);
                for (std::size_t i = 0; i < 3; ++i) {
                    CHECK(got[i].x == Approx(want[i].x).margin(format.tolerance_m));
                    CHECK(got[i].y == Approx(want[i].y).margin(format.tolerance_m));
                }
            }
        }
    }
}

TEST_CASE("a VN-2000 TM-3 source lands about 225 m from where a datum-blind import would put it")
{
    TempDir dir;
    std::string geojson = dir.file("lamps.geojson");
    test::write_file(geojson, test::three_lamps_geojson());
    std::string vn = dir.file("lamps_vn2000.shp");
    auto vn_crs = core::Crs::from_user("VN2000:TM3:107.75");
    test::translate(geojson, vn, {"-f", "ESRI Shapefile", "-t_srs", vn_crs.wkt()});

    auto city = new_city(dir);
    auto options = options_for(vn);
    options.source_crs = "VN2000:TM3:107.75";
    core::import_vector(*city, layers::feature_class("lamps"), options);
    auto good = stored_points(*city, "lamps");

    auto blind = new_city(dir, "blind.sqlite");
    options.source_crs = "+proj=tmerc +lon_0=107.75 +k=0.9999 +x_0=500000 +datum=WGS84 +units=m";
    core::import_vector(*blind, layers::feature_class("lamps"), options);
    auto wrong = stored_points(*blind, "lamps");

    std::map<std::string, Point> reference;
    {
        auto ref = new_city(dir, "reference.sqlite");
        core::import_vector(*ref, layers::feature_class("lamps"), options_for(geojson));
        reference = stored_points(*ref, "lamps");
    }
    for (const auto& [id, p] : reference) {
        CHECK(good[id].x == Approx(p.x).margin(0.01));
        CHECK(good[id].y == Approx(p.y).margin(0.01));
        double miss = std::hypot(wrong[id].x - p.x, wrong[id].y - p.y);
        CHECK(miss > 200.0);
        CHECK(miss < 250.0);
    }
}

TEST_CASE("export round trips exactly through GeoPackage and within a millimetre through GeoJSON in WGS 84")
{
    TempDir dir;
    std::vector<std::string> parcels;
    for (int i = 0; i < 20; ++i)
        parcels.push_back(test::square_feature(
            108.320 + 0.001 * i, 15.880, 0.0008,
            R"({"parcel_id":"P-)" + std::to_string(i) + R"(","land_use":"ODT","area_m2":)" +
                std::to_string(7000 + i) + R"(,"ward":"20398","address":")" + std::to_string(i) +
                R"( Trần Phú"})"));
    test::write_file(dir.file("parcels.geojson"), test::feature_collection(parcels));
    auto city = new_city(dir);
    const auto& schema = layers::feature_class("parcels");
    auto imported = core::import_vector(*city, schema, options_for(dir.file("parcels.geojson")));

    core::ExportOptions gpkg;
    gpkg.path = dir.file("out.gpkg");
    CHECK(core::export_class(*city, schema, gpkg) == 20);
    auto copy = new_city(dir, "copy.sqlite");
    auto reimported = core::import_vector(*copy, schema, options_for(gpkg.path));
    CHECK(reimported.record.checksum == imported.record.checksum);

    core::ExportOptions json;
    json.path = dir.file("out.geojson");
    json.target_crs = "EPSG:4326";
    CHECK(core::export_class(*city, schema, json) == 20);
    GDALDatasetUniquePtr ds(GDALDataset::Open(json.path.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    auto* layer = ds->GetLayer(0);
    CHECK(layer->GetFeatureCount() == 20);
    OGRFeatureUniquePtr first(layer->GetNextFeature());
    CHECK(std::string(first->GetFieldAsString("address")) == "0 Trần Phú");
    OGREnvelope env;
    first->GetGeometryRef()->getEnvelope(&env);
    CHECK(env.MinX == Approx(108.320).margin(1e-8));
    CHECK(env.MinY == Approx(15.880).margin(1e-8));
    CHECK(env.MaxX == Approx(108.3208).margin(1e-8));
}

TEST_CASE("a DGN drawing of roads imports with generated ids and its vertices to the centimetre")
{
    TempDir dir;
    // DGN v7 stores integer units: 100 per metre keeps centimetres.
    test::write_file(dir.file("roads.geojson"),
                     R"({"type":"FeatureCollection","features":[)"
                     R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[213700.5,1756900.25],[213800.5,1756950.75]]}},)"
                     R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[213800.5,1756950.75],[213900.0,1757000.0],[214000.0,1757010.0]]}}]})");
    test::translate(dir.file("roads.geojson"), dir.file("roads.dgn"),
                    {"-f", "DGN", "-dsco", "UOR_PER_SUB_UNIT=100", "-dsco", "SUB_UNITS_PER_MASTER_UNIT=1"});
    auto city = new_city(dir);
    auto options = options_for(dir.file("roads.dgn"));
    options.source_crs = "EPSG:32649";
    options.id_prefix = "R-";
    const auto& roads = layers::feature_class("roads");
    auto result = core::import_vector(*city, roads, options);
    CHECK(result.imported == 2);
    std::vector<std::string> ids;
    std::vector<double> coordinates;
    city->scan(roads, [&](const core::StoredFeature& f) {
        ids.push_back(std::get<std::string>(f.values[0]));
        // MultiLineString with one part: 9-byte header, 9-byte part header, then points.
        std::uint32_t n = 0;
        std::memcpy(&n, &f.wkb[14], 4);
        for (std::uint32_t i = 0; i < 2 * n; ++i) {
            double v = 0;
            std::memcpy(&v, &f.wkb[18 + 8 * i], 8);
            coordinates.push_back(v);
        }
    });
    CHECK(ids == std::vector<std::string>{"R-1", "R-2"});
    const std::vector<double> expected = {213700.5, 1756900.25, 213800.5, 1756950.75, 213800.5,
                                          1756950.75, 213900.0, 1757000.0, 214000.0, 1757010.0};
    REQUIRE(coordinates.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
        CHECK(coordinates[i] == Approx(expected[i]).margin(0.01));
}
