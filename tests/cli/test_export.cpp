// lantern export --overwrite whose write fails part way: the old file stays
// byte for byte and no temporary is left. The write is made to fail the way
// a full disk makes it fail: the file size limit (RLIMIT_FSIZE, which binds
// root too) with SIGXFSZ ignored, so a write past it returns EFBIG.

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <set>

#include <ogr_geometry.h>

#include <lantern/core/storage/results.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::run_lantern;
using lantern::test::TempDir;

namespace {

namespace fs = std::filesystem;

// Larger than the -shm file SQLite makes to read the database (32 KiB), far
// smaller than the outputs below. (On PostGIS the server writes the city:
// the limit binds the outputs alone.)
constexpr std::uint64_t file_limit = 96 * 1024;

std::set<std::string> listing(const TempDir& dir)
{
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir.path()))
        names.insert(entry.path().filename().string());
    return names;
}

// A city with a raster result of noise (it does not compress) and a feature
// result of many points, each written out far larger than the file limit.
std::string city_with_large_results(const TempDir& dir)
{
    auto city = test::new_city(dir);
    core::GridFrame frame;
    frame.width = frame.height = 300;
    frame.origin_x = 800000;
    frame.origin_y = 1760000;
    frame.cell_x = frame.cell_y = 2;
    frame.crs_wkt = core::Crs::from_user("EPSG:32649").wkt();
    core::FloatGrid noise(frame, 0);
    std::mt19937 random(7);
    std::uniform_real_distribution<float> metres(0, 5);
    for (auto& v : noise.values)
        v = metres(random);

    core::ClassSchema schema;
    schema.geometry = core::GeometryKind::point;
    schema.id_field = "point_id";
    schema.fields = {{"point_id", core::FieldType::text, true, {}, {}, {}, ""}};
    core::ResultBatch batch(*city, "test", {}, {});
    batch.add_raster("noise", "noise", "m", noise);
    auto& sink = batch.add_features("points", "points", schema);
    for (int k = 0; k < 3000; ++k) {
        OGRPoint p(frame.origin_x + k % 300, frame.origin_y - k / 300.0);
        std::vector<unsigned char> wkb(p.WkbSize());
        p.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        sink.insert(wkb, {"P-" + std::to_string(k)});
    }
    batch.commit();
    return test::city_location(dir, "city.sqlite");
}

}  // namespace

TEST_CASE("a failed export --overwrite leaves the old file byte for byte, raster and vector")
{
    TempDir dir, out;
    auto db = city_with_large_results(dir);
    const std::string old_content = "the report's file from last week\n";
    for (const std::string name : {"noise.tif", "points.geojson", "points.gpkg"}) {
        INFO(name);
        auto target = out.file(name);
        test::write_file(target, old_content);
        auto result = name.substr(0, name.find('.'));

        auto failed = run_lantern({"export", db, result, target, "--overwrite"}, test::Fault{file_limit, {}});
        INFO(failed.err);
        CHECK(failed.exit_code != 0);
        CHECK_THAT(failed.err, Catch::Contains(target));
        CHECK(test::read_file(target) == old_content);
        CHECK(listing(out) == std::set<std::string>{name});

        // Without the limit the same export replaces it.
        auto replaced = run_lantern({"export", db, result, target, "--overwrite"});
        INFO(replaced.err);
        CHECK(replaced.exit_code == 0);
        CHECK(fs::file_size(target) > file_limit);
        fs::remove(target);
    }
}

TEST_CASE("export --overwrite of a Shapefile replaces its files and drops those the new one lacks")
{
    TempDir dir, out;
    auto db = city_with_large_results(dir);
    auto target = out.file("points.shp");
    auto first = run_lantern({"export", db, "points", target});
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    auto files = listing(out);
    CHECK(files.count("points.shp") == 1);
    CHECK(files.count("points.dbf") == 1);
    CHECK(files.count("points.shx") == 1);
    // A spatial index an older export (or a GIS) left: part of the old dataset.
    test::write_file(out.file("points.qix"), "stale index");

    CHECK(run_lantern({"export", db, "points", target}).exit_code != 0);  // exists, no --overwrite
    auto again = run_lantern({"export", db, "points", target, "--overwrite"});
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(listing(out) == files);
}
