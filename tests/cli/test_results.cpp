// lantern results and lantern export of results: the listing's JSON, raster
// and feature results read back with GDAL, and a stale result refused until
// asked for.

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/io/raster_import.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/storage/results.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::run_lantern;
using lantern::test::TempDir;

namespace {

core::GridFrame town_frame()
{
    double x = 108.32, y = 15.87;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    core::GridFrame frame;
    frame.width = 30;
    frame.height = 20;
    frame.cell_x = frame.cell_y = 10;
    frame.origin_x = std::floor(x / 10) * 10;
    frame.origin_y = std::floor(y / 10) * 10 + 200;
    frame.crs_wkt = core::Crs::from_user("EPSG:32649").wkt();
    return frame;
}

core::FloatGrid depth_grid()
{
    core::FloatGrid grid(town_frame(), 0.0f);
    for (int row = 0; row < grid.height(); ++row)
        for (int col = 0; col < grid.width(); ++col)
            grid.at(col, row) = 0.25f * static_cast<float>(col) + 0.01f * static_cast<float>(row);
    grid.at(3, 4) = core::no_data;
    return grid;
}

std::vector<unsigned char> square_wkb(double x, double y, double side)
{
    OGRLinearRing ring;
    ring.addPoint(x, y);
    ring.addPoint(x + side, y);
    ring.addPoint(x + side, y + side);
    ring.addPoint(x, y + side);
    ring.addPoint(x, y);
    OGRMultiPolygon multi;
    OGRPolygon polygon;
    polygon.addRing(&ring);
    multi.addGeometry(&polygon);
    std::vector<unsigned char> wkb(multi.WkbSize());
    multi.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

// A city with a DEM and one flood run's results: a depth raster and two flooded areas.
std::string city_with_results(const TempDir& dir)
{
    auto city = test::new_city(dir);
    core::write_geotiff(dir.file("terrain.tif"), depth_grid());
    core::RasterImportOptions dem;
    dem.path = dir.file("terrain.tif");
    core::import_raster(*city, dem);

    core::ResultBatch batch(*city, "flood", {{"stage_m", 2.0}}, core::current_inputs(*city, {"dem"}));
    batch.add_raster("flood_depth_2.0m", "water depth at a 2.0 m stage", "m", depth_grid());
    core::ClassSchema schema;
    schema.geometry = core::GeometryKind::polygon;
    schema.fields = {{"area_id", core::FieldType::integer, true, {}, {}, {}, ""},
                     {"depth_m", core::FieldType::real, false, {}, {}, {}, ""}};
    auto& sink = batch.add_features("flood_extent_2.0m", "flooded area at a 2.0 m stage", schema);
    auto frame = town_frame();
    sink.insert(square_wkb(frame.origin_x, frame.origin_y - 200, 50), {std::int64_t{1}, 0.75});
    sink.insert(square_wkb(frame.origin_x + 100, frame.origin_y - 100, 30), {std::int64_t{2}, 1.5});
    batch.commit();
    return test::city_location(dir, "city.sqlite");
}

}  // namespace

TEST_CASE("lantern results lists each result with its analysis, parameters, inputs and state")
{
    TempDir dir;
    auto db = city_with_results(dir);
    CHECK(run_lantern({"results", "--help"}).exit_code == 0);

    auto r = run_lantern({"results", db, "--json"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["results"].size() == 2);
    const auto& depth = j["results"][0];
    CHECK(depth["name"] == "flood_depth_2.0m");
    CHECK(depth["kind"] == "raster");
    CHECK(depth["analysis"] == "flood");
    CHECK(depth["parameters"] == nlohmann::json({{"stage_m", 2.0}}));
    CHECK(depth["stale"] == false);
    CHECK(depth["stale_reasons"].empty());
    CHECK(depth["unit"] == "m");
    CHECK(depth["width"] == 30);
    CHECK(depth["height"] == 20);
    CHECK(depth["no_data"] == -9999.0);
    CHECK(depth["description"] == "water depth at a 2.0 m stage");
    if (test::backend() == test::Backend::spatialite)  // a GeoTIFF beside the database
        CHECK(std::filesystem::exists(dir.file(depth["path"].get<std::string>())));
    REQUIRE(depth["inputs"].size() == 1);
    CHECK(depth["inputs"][0]["name"] == "dem");
    CHECK(depth["created_at"].get<std::string>().size() == 20);
    CHECK(depth["extent"].size() == 4);
    const auto& extent = j["results"][1];
    CHECK(extent["name"] == "flood_extent_2.0m");
    CHECK(extent["kind"] == "features");
    CHECK(extent["feature_count"] == 2);
    CHECK(extent["table"] == "result_flood_extent_2_0m");
    CHECK(extent["fields"] == nlohmann::json({"area_id", "depth_m"}));

    auto text = run_lantern({"results", db});
    CHECK(text.exit_code == 0);
    CHECK_THAT(text.out, Catch::Contains("flood_depth_2.0m") && Catch::Contains("30 x 20 cells (m)") &&
                             Catch::Contains("2 features") && Catch::Contains("current"));

    auto info = nlohmann::json::parse(run_lantern({"info", db, "--json"}).out);
    CHECK(info["results"] == 2);
    CHECK_THAT(run_lantern({"info", db}).out, Catch::Contains("2 analysis results"));
    CHECK(run_lantern({"validate", db}).exit_code == 0);
}

TEST_CASE("lantern export writes a raster result as a GeoTIFF and a feature result in any vector format")
{
    TempDir dir;
    auto db = city_with_results(dir);

    auto raster = run_lantern({"export", db, "flood_depth_2.0m", dir.file("depth.tif")});
    INFO(raster.err);
    REQUIRE(raster.exit_code == 0);
    CHECK_THAT(raster.out, Catch::Contains("wrote flood_depth_2.0m (30 x 20 cells, m)"));
    auto written = depth_grid();
    auto read = core::read_float_grid(dir.file("depth.tif"));
    CHECK(read.frame.same_cells(written.frame));
    CHECK(core::Crs::from_user(read.frame.crs_wkt).epsg() == 32649);
    CHECK(core::is_no_data(read.at(3, 4)));
    bool same = true;
    for (std::size_t i = 0; i < written.cells(); ++i)
        if (!core::is_no_data(written[i]) && read[i] != written[i])
            same = false;
    CHECK(same);
    CHECK(run_lantern({"export", db, "flood_depth_2.0m", dir.file("depth.asc")}).exit_code == 0);
    CHECK(std::filesystem::exists(dir.file("depth.asc")));
    auto unknown = run_lantern({"export", db, "flood_depth_2.0m", dir.file("depth.xyzzy")});
    CHECK(unknown.exit_code == 2);
    CHECK(run_lantern({"export", db, "flood_depth_2.0m", dir.file("depth.tif")}).exit_code == 3);
    CHECK(run_lantern({"export", db, "flood_depth_2.0m", dir.file("d.tif"), "--t-srs", "EPSG:4326"})
              .exit_code == 2);

    auto features = run_lantern({"export", db, "flood_extent_2.0m", dir.file("extent.gpkg"), "--json"});
    INFO(features.err);
    REQUIRE(features.exit_code == 0);
    CHECK(nlohmann::json::parse(features.out)["features"] == 2);
    core::ensure_gdal();
    {
        GDALDatasetUniquePtr gpkg(GDALDataset::Open(dir.file("extent.gpkg").c_str(), GDAL_OF_VECTOR));
        REQUIRE(gpkg);
        auto* layer = gpkg->GetLayer(0);
        REQUIRE(layer);
        CHECK(layer->GetFeatureCount() == 2);
        REQUIRE(layer->GetSpatialRef());
        const char* code = layer->GetSpatialRef()->GetAuthorityCode(nullptr);
        CHECK(std::string(code ? code : "") == "32649");
        OGRFeatureUniquePtr second;
        while (OGRFeatureUniquePtr f{layer->GetNextFeature()})
            if (f->GetFieldAsInteger64("area_id") == 2)
                second = std::move(f);
        REQUIRE(second);
        CHECK(second->GetFieldAsDouble("depth_m") == 1.5);
        OGREnvelope envelope;
        second->GetGeometryRef()->getEnvelope(&envelope);
        CHECK(envelope.MaxX - envelope.MinX == Approx(30.0));
        CHECK(envelope.MinX == Approx(town_frame().origin_x + 100));
    }
    auto lonlat = run_lantern({"export", db, "flood_extent_2.0m", dir.file("extent.geojson"), "--t-srs", "EPSG:4326"});
    CHECK(lonlat.exit_code == 0);
    CHECK_THAT(test::read_file(dir.file("extent.geojson")), Catch::Contains("108.3"));

    auto nothing = run_lantern({"export", db, "flood_depth_9.0m", dir.file("x.tif")});
    CHECK(nothing.exit_code == 2);
    CHECK_THAT(nothing.err, Catch::Contains("neither a feature class nor a result"));
}

TEST_CASE("a stale result is refused by export unless --allow-stale is given")
{
    TempDir dir;
    auto db = city_with_results(dir);
    REQUIRE(run_lantern({"import", db, "dem", dir.file("terrain.tif"), "--resolution", "20"}).exit_code == 0);

    auto listed = nlohmann::json::parse(run_lantern({"results", db, "--json"}).out);
    for (const auto& r : listed["results"]) {
        CHECK(r["stale"] == true);
        REQUIRE(r["stale_reasons"].size() == 1);
        CHECK_THAT(r["stale_reasons"][0].get<std::string>(), Catch::StartsWith("dem was imported again on"));
    }
    CHECK_THAT(run_lantern({"results", db}).out, Catch::Contains("STALE") && Catch::Contains("stale: dem was imported again"));

    auto refused = run_lantern({"export", db, "flood_depth_2.0m", dir.file("depth.tif")});
    CHECK(refused.exit_code == 1);
    CHECK_THAT(refused.err, Catch::Contains("flood_depth_2.0m is stale: dem was imported again") &&
                                Catch::Contains("Run the flood analysis again") && Catch::Contains("--allow-stale"));
    CHECK_FALSE(std::filesystem::exists(dir.file("depth.tif")));
    auto features = run_lantern({"export", db, "flood_extent_2.0m", dir.file("extent.gpkg"), "--json"});
    CHECK(features.exit_code == 1);
    CHECK(nlohmann::json::parse(features.out)["ok"] == false);

    auto allowed = run_lantern({"export", db, "flood_depth_2.0m", dir.file("depth.tif"), "--allow-stale"});
    CHECK(allowed.exit_code == 0);
    CHECK_THAT(allowed.err, Catch::Contains("warning: flood_depth_2.0m is stale"));
    CHECK(std::filesystem::exists(dir.file("depth.tif")));
    auto allowed_json = run_lantern(
        {"export", db, "flood_extent_2.0m", dir.file("extent.gpkg"), "--allow-stale", "--json"});
    CHECK(allowed_json.exit_code == 0);
    CHECK(nlohmann::json::parse(allowed_json.out)["stale"] == true);
}

TEST_CASE("validate reports a result file changed or removed behind lantern's back", "[spatialite]")
{
    TempDir dir;
    auto db = city_with_results(dir);
    auto listed = nlohmann::json::parse(run_lantern({"results", db, "--json"}).out);
    std::string file = dir.file(listed["results"][0]["path"].get<std::string>());
    {
        GDALDatasetUniquePtr edit(GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
        float deeper = 9.0f;
        REQUIRE(edit->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, 1, 1, &deeper, 1, 1, GDT_Float32, 0, 0,
                                                 nullptr) == CE_None);
    }
    auto changed = run_lantern({"validate", db});
    CHECK(changed.exit_code == 1);
    CHECK_THAT(changed.err, Catch::Contains("flood_depth_2.0m") && Catch::Contains("changed since it was made"));
    std::filesystem::remove(file);
    auto missing = run_lantern({"validate", db});
    CHECK(missing.exit_code == 1);
    CHECK_THAT(missing.err, Catch::Contains("result file is missing"));
    CHECK(run_lantern({"export", db, "flood_depth_2.0m", dir.file("depth.tif")}).exit_code == 3);
}
