// The analysis results store: a run's results land together or not at all,
// a run again replaces them, and a result whose inputs were imported again
// is stale.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <tuple>

#include <ogr_geometry.h>
#include <sqlite3.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/io/raster_import.hpp>
#include <lantern/core/io/vector_import.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/storage/feature_check.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/validate.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/support.hpp"

using namespace lantern;
using lantern::test::new_city;
using lantern::test::TempDir;

namespace {

namespace fs = std::filesystem;

// The Ancient Town's south-west corner in UTM 49N.
core::GridFrame town_frame(double cell)
{
    double x = 108.32, y = 15.87;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    core::GridFrame frame;
    frame.width = 40;
    frame.height = 30;
    frame.cell_x = cell;
    frame.cell_y = cell;
    frame.origin_x = std::floor(x / cell) * cell;
    frame.origin_y = std::floor(y / cell) * cell + 30 * cell;
    frame.crs_wkt = core::Crs::from_user("EPSG:32649").wkt();
    return frame;
}

// A grid whose value grows by `step` per column; the top-left cell is no-data.
core::FloatGrid ramp(double cell, float step)
{
    core::FloatGrid grid(town_frame(cell), 0.0f);
    for (int row = 0; row < grid.height(); ++row)
        for (int col = 0; col < grid.width(); ++col)
            grid.at(col, row) = 0.5f + step * static_cast<float>(col);
    grid.at(0, 0) = core::no_data;
    return grid;
}

void import_dem(core::Storage& city, const TempDir& dir, double cell)
{
    std::string source = dir.file("terrain-" + std::to_string(static_cast<int>(cell)) + ".tif");
    core::write_geotiff(source, ramp(cell, 0.01f));
    core::RasterImportOptions options;
    options.path = source;
    core::import_raster(city, options);
}

void import_lamps(core::Storage& city, const TempDir& dir, core::WriteMode mode)
{
    test::write_file(dir.file("lamps.geojson"), test::three_lamps_geojson());
    core::ImportOptions options;
    options.source.path = dir.file("lamps.geojson");
    options.mode = mode;
    core::import_vector(city, layers::feature_class("lamps"), options);
}

// A city with a DEM and three lamps.
std::unique_ptr<core::Storage> city_with_inputs(const TempDir& dir)
{
    auto city = new_city(dir);
    import_dem(*city, dir, 10);
    import_lamps(*city, dir, core::WriteMode::create);
    return city;
}

core::ClassSchema extent_schema()
{
    core::ClassSchema schema;
    schema.name = "flood_extent";
    schema.layer = "flood";
    schema.description = "Flooded areas";
    schema.geometry = core::GeometryKind::polygon;
    schema.id_field = "zone_id";
    schema.fields = {{"zone_id", core::FieldType::text, true, {}, {}, {}, "zone"},
                     {"depth_m", core::FieldType::real, false, 0.0, {}, {}, "greatest depth"}};
    return schema;
}

// A square of `side` metres at the grid's south-west corner, as WKB.
std::vector<unsigned char> square(const core::GridFrame& frame, double side)
{
    double x = frame.origin_x, y = frame.origin_y - frame.cell_y * frame.height;
    OGRLinearRing ring;
    ring.addPoint(x, y);
    ring.addPoint(x + side, y);
    ring.addPoint(x + side, y + side);
    ring.addPoint(x, y + side);
    ring.addPoint(x, y);
    OGRPolygon polygon;
    polygon.addRing(&ring);
    std::vector<unsigned char> wkb(polygon.WkbSize());
    polygon.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

// One flood run: a depth raster and an extent of `zones` squares.
std::vector<core::ResultRecord> run_flood(core::Storage& city, const core::FloatGrid& depth, int zones)
{
    core::ResultBatch batch(city, "flood", {{"stage_m", 2.0}, {"source", "river"}},
                            core::current_inputs(city, {"dem", "lamps"}));
    batch.add_raster("flood_depth_2.0m", "water depth at a 2.0 m stage", "m", depth);
    auto& sink = batch.add_features("flood_extent_2.0m", "flooded area at a 2.0 m stage", extent_schema());
    // The last zone's depth is a whole number for a real field.
    for (int k = 1; k <= zones; ++k)
        sink.insert(square(depth.frame, 10.0 * k),
                    {std::string("Z-") + std::to_string(k),
                     k == zones ? core::Value(std::int64_t{k}) : core::Value(0.5 * k)});
    CHECK(sink.count() == zones);
    return batch.commit();
}

std::set<std::string> folder_listing(const TempDir& dir)
{
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir.path()))
        names.insert(entry.path().filename().string());
    return names;
}

std::string records_text(const core::Storage& city)
{
    std::string text;
    for (const auto& r : city.result_records())
        text += r.name + " " + r.checksum + " " + r.created_at + " " + r.path + " " + r.schema.name + " " +
                std::to_string(r.feature_count) + "\n";
    return text;
}

std::vector<std::string> zone_ids(const core::Storage& city, const core::ResultRecord& record)
{
    std::vector<std::string> ids;
    city.scan(record.schema, [&](const core::StoredFeature& f) { ids.push_back(std::get<std::string>(f.values[0])); });
    return ids;
}

}  // namespace

TEST_CASE("a run's raster and feature results are stored with their analysis, parameters and inputs")
{
    TempDir dir;
    auto city = city_with_inputs(dir);
    auto depth = ramp(10, 0.02f);
    auto committed = run_flood(*city, depth, 2);
    REQUIRE(committed.size() == 2);

    auto records = city->result_records();
    REQUIRE(records.size() == 2);
    const auto& raster = records[0];
    const auto& features = records[1];
    CHECK(raster.name == "flood_depth_2.0m");
    CHECK(raster.kind == core::ResultKind::raster);
    CHECK(raster.analysis == "flood");
    CHECK(raster.parameters == nlohmann::json({{"stage_m", 2.0}, {"source", "river"}}));
    CHECK(raster.unit == "m");
    CHECK(raster.description == "water depth at a 2.0 m stage");
    CHECK(raster.width == 40);
    CHECK(raster.height == 30);
    CHECK(raster.pixel_width == 10.0);
    REQUIRE(raster.no_data);
    CHECK(*raster.no_data == core::file_no_data);
    REQUIRE(raster.extent);
    CHECK(raster.extent->min_x == depth.frame.origin_x);
    CHECK(raster.extent->max_y == depth.frame.origin_y);
    REQUIRE(raster.inputs.size() == 2);
    CHECK(raster.inputs[0].name == "dem");
    CHECK(raster.inputs[0].checksum == city->raster_records().at(0).checksum);
    CHECK(raster.inputs[1].name == "lamps");
    CHECK(raster.inputs[1].checksum == city->class_record("lamps")->checksum);
    CHECK(raster.path == "city.result.flood_depth_2.0m." + raster.checksum + ".tif");

    // The file is the grid written, cell for cell, no-data included.
    auto read = core::read_float_grid(dir.file(raster.path));
    CHECK(read.frame.same_cells(depth.frame));
    CHECK(core::is_no_data(read.at(0, 0)));
    CHECK(read.at(39, 29) == depth.at(39, 29));

    CHECK(features.name == "flood_extent_2.0m");
    CHECK(features.kind == core::ResultKind::features);
    CHECK(features.schema.name == "result_flood_extent_2_0m");
    CHECK(features.schema.fields.size() == 2);
    CHECK(features.schema.fields[1].min == 0.0);
    CHECK(features.schema.id_field == "zone_id");
    CHECK(features.feature_count == 2);
    CHECK(features.inputs.size() == 2);
    REQUIRE(features.extent);
    CHECK(features.extent->max_x - features.extent->min_x == Approx(20.0));
    // The recorded checksum is that of the table as stored.
    CHECK(core::summarize(*city, features.schema).checksum == features.checksum);
    CHECK(zone_ids(*city, features) == std::vector<std::string>{"Z-1", "Z-2"});
    // Polygons are stored as multipolygons, as in feature classes.
    city->scan(features.schema, [](const core::StoredFeature& f) { CHECK(f.wkb[1] == 6); });

    CHECK(core::stale_reasons(*city, raster).empty());
    CHECK_NOTHROW(core::require_current(*city, features));
    CHECK(core::validate_city(*city, layers::feature_classes(), false).ok());
}

TEST_CASE("running an analysis again replaces its results and the files they replace")
{
    TempDir dir;
    auto city = city_with_inputs(dir);
    run_flood(*city, ramp(10, 0.02f), 3);
    auto before = *city->result_record("flood_depth_2.0m");
    std::string old_file = dir.file(before.path);
    REQUIRE(fs::exists(old_file));

    run_flood(*city, ramp(10, 0.03f), 1);
    auto records = city->result_records();
    REQUIRE(records.size() == 2);
    CHECK(records[0].checksum != before.checksum);
    CHECK_FALSE(fs::exists(old_file));
    CHECK(fs::exists(dir.file(records[0].path)));
    CHECK(records[1].feature_count == 1);
    CHECK(zone_ids(*city, records[1]) == std::vector<std::string>{"Z-1"});

    // Exactly one result file beside the database, and no temporary one.
    auto listing = folder_listing(dir);
    CHECK(std::count_if(listing.begin(), listing.end(),
                        [](const std::string& n) { return n.find(".result.") != std::string::npos; }) == 1);

    // The same output again keeps the file its record already points to.
    run_flood(*city, ramp(10, 0.03f), 1);
    CHECK(city->result_record("flood_depth_2.0m")->path == records[0].path);
    CHECK(fs::exists(dir.file(records[0].path)));
    CHECK(core::validate_city(*city, layers::feature_classes(), false).ok());
}

TEST_CASE("a run that fails or is abandoned leaves records, tables and files as they were")
{
    TempDir dir;
    auto city = city_with_inputs(dir);
    run_flood(*city, ramp(10, 0.02f), 2);
    auto extent = *city->result_record("flood_extent_2.0m");
    auto listing = folder_listing(dir);
    auto records = records_text(*city);

    SECTION("destroyed without commit")
    {
        core::ResultBatch batch(*city, "flood", {{"stage_m", 2.0}}, core::current_inputs(*city, {"dem"}));
        batch.add_raster("flood_depth_2.0m", "depth", "m", ramp(10, 0.05f));
        batch.add_raster("hand", "height above nearest drainage", "m", ramp(10, 0.07f));
        auto& sink = batch.add_features("flood_extent_2.0m", "extent", extent_schema());
        sink.insert(square(town_frame(10), 5), {std::string("Z-9"), 1.0});
        batch.add_features("pockets", "low-lying pockets", extent_schema());
        CHECK(folder_listing(dir) != listing);
    }
    SECTION("an analysis error in the middle of the run")
    {
        try {
            core::ResultBatch batch(*city, "flood", {{"stage_m", 2.0}}, core::current_inputs(*city, {"dem"}));
            auto& sink = batch.add_features("flood_extent_2.0m", "extent", extent_schema());
            sink.insert(square(town_frame(10), 5), {std::string("Z-9"), 1.0});
            // A negative depth breaks the field's minimum.
            sink.insert(square(town_frame(10), 6), {std::string("Z-10"), -1.0});
            FAIL("a value below the field's minimum must be refused");
        } catch (const core::DataError& e) {
            CHECK_THAT(e.what(), Catch::Contains("depth_m") && Catch::Contains("below the minimum"));
        }
    }
    SECTION("a duplicate id")
    {
        core::ResultBatch batch(*city, "flood", {{"stage_m", 2.0}}, core::current_inputs(*city, {"dem"}));
        auto& sink = batch.add_features("flood_extent_2.0m", "extent", extent_schema());
        sink.insert(square(town_frame(10), 5), {std::string("Z-1"), 1.0});
        CHECK_THROWS_WITH(sink.insert(square(town_frame(10), 6), {std::string("Z-1"), 1.0}),
                          Catch::Contains("zone_id=Z-1 was given already"));
    }
    CHECK(folder_listing(dir) == listing);
    CHECK(records_text(*city) == records);
    CHECK_FALSE(city->has_class("result_pockets"));
    CHECK(zone_ids(*city, extent) == std::vector<std::string>{"Z-1", "Z-2"});
    CHECK(core::validate_city(*city, layers::feature_classes(), false).ok());
}

TEST_CASE("a result whose inputs were imported again is stale and says why")
{
    TempDir dir;
    auto city = city_with_inputs(dir);
    run_flood(*city, ramp(10, 0.02f), 1);
    // A result made from a result.
    {
        core::ResultBatch batch(*city, "coverage", {{"radius_m", 30}},
                                core::current_inputs(*city, {"flood_extent_2.0m"}));
        batch.add_features("reach", "reach", extent_schema());
        batch.commit();
    }

    // Importing the same lamps again changes nothing the results were made from.
    import_lamps(*city, dir, core::WriteMode::replace);
    for (const auto& r : city->result_records())
        CHECK(core::stale_reasons(*city, r).empty());

    // A new DEM makes the flood results stale, and with them what was made from them.
    import_dem(*city, dir, 20);
    auto depth = *city->result_record("flood_depth_2.0m");
    auto reasons = core::stale_reasons(*city, depth);
    REQUIRE(reasons.size() == 1);
    std::string imported_at = city->raster_records().at(0).imported_at;
    CHECK(reasons[0] == "dem was imported again on " + imported_at + " after this result was made");
    try {
        core::require_current(*city, depth, "pass --allow-stale to use it anyway");
        FAIL("a stale result must not be served as current");
    } catch (const core::DataError& e) {
        CHECK_THAT(e.what(), Catch::Contains("flood_depth_2.0m is stale: dem was imported again") &&
                                 Catch::Contains("Run the flood analysis again") &&
                                 Catch::Contains("or pass --allow-stale"));
    }
    auto reach = core::stale_reasons(*city, *city->result_record("reach"));
    REQUIRE(reach.size() == 1);
    CHECK_THAT(reach[0], Catch::StartsWith("flood_extent_2.0m, which this result was made from, is stale: dem"));

    // Made again, the flood results are current; reach is now stale because its input changed.
    run_flood(*city, ramp(10, 0.02f), 2);
    CHECK(core::stale_reasons(*city, *city->result_record("flood_depth_2.0m")).empty());
    reach = core::stale_reasons(*city, *city->result_record("reach"));
    REQUIRE(reach.size() == 1);
    CHECK_THAT(reach[0], Catch::StartsWith("flood_extent_2.0m was made again on"));

    // A result can be removed, its table and file with it.
    auto depth_file = dir.file(city->result_record("flood_depth_2.0m")->path);
    core::remove_results(*city, {"flood_depth_2.0m", "flood_extent_2.0m"});
    CHECK_FALSE(fs::exists(depth_file));
    CHECK_FALSE(city->has_class("result_flood_extent_2_0m"));
    CHECK(core::stale_reasons(*city, *city->result_record("reach")) ==
          std::vector<std::string>{"flood_extent_2.0m is no longer in the city"});
    CHECK_THROWS_AS(core::remove_results(*city, {"nothing"}), core::UsageError);
}

TEST_CASE("result names, inputs and older city databases")
{
    TempDir dir;
    auto city = city_with_inputs(dir);
    for (const char* good : {"flood_depth_2.0m", "flow_acc", "hand", "a-1"})
        CHECK_NOTHROW(core::check_result_name(good));
    for (const char* bad : {"", "Flood", "2m", "a b", "../x", "x/y", "depth;drop"})
        CHECK_THROWS_AS(core::check_result_name(bad), core::UsageError);

    // The CLI adds how to import it (core names no command).
    CHECK_THROWS_WITH(core::current_inputs(*city, {"dem", "water"}), Catch::EndsWith(": the city has no water"));
    try {
        core::current_inputs(*city, {"water"});
        FAIL("no error for a missing input");
    } catch (const core::DataError& e) {
        CHECK(e.about() == core::Choice::missing_class);
    }
    CHECK(core::current_inputs(*city, {"dem", "dem"}).size() == 1);
    {
        core::ResultBatch batch(*city, "flood", {}, {});
        CHECK_THROWS_AS(batch.add_features("lamps", "", extent_schema()), core::UsageError);
        CHECK_THROWS_AS(batch.add_raster("Bad Name", "", "m", ramp(10, 0.05f)), core::UsageError);
    }

    // A city database made before results existed has no results table; the
    // first result adds it.
    city.reset();
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(dir.file("city.sqlite").c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "DROP TABLE lantern_results", nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    CHECK(core::open_city(dir.file("city.sqlite"), core::Access::read_only)->result_records().empty());
    city = core::open_city(dir.file("city.sqlite"), core::Access::read_write);
    run_flood(*city, ramp(10, 0.02f), 1);
    CHECK(city->result_records().size() == 2);
}

TEST_CASE("polygon WKB is stored as normalize would store it, without parsing")
{
    core::ClassSchema schema;
    schema.name = "areas";
    schema.geometry = core::GeometryKind::polygon;
    core::FeatureRules rules(schema, std::nullopt);
    auto through_ogr = [&](const std::string& wkt) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) == OGRERR_NONE);
        std::unique_ptr<OGRGeometry> geometry(g);
        std::vector<unsigned char> in(static_cast<std::size_t>(geometry->WkbSize()));
        geometry->exportToWkb(wkbNDR, in.data(), wkbVariantIso);
        std::vector<unsigned char> expected;
        REQUIRE_FALSE(rules.normalize(*geometry, expected).has_value());
        OGREnvelope e;
        geometry->getEnvelope(&e);
        return std::make_tuple(in, expected, core::Bounds{e.MinX, e.MinY, e.MaxX, e.MaxY});
    };
    for (std::string wkt : {"POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 2))",
                            "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 -3, 9 -3, 9 2, 5 -3)))"}) {
        INFO(wkt);
        auto [in, expected, bounds] = through_ogr(wkt);
        std::vector<unsigned char> fast;
        auto fast_bounds = rules.normalize_polygon_wkb(in, fast);
        REQUIRE(fast_bounds.has_value());
        CHECK(fast == expected);
        CHECK(fast_bounds->min_x == bounds.min_x);
        CHECK(fast_bounds->min_y == bounds.min_y);
        CHECK(fast_bounds->max_x == bounds.max_x);
        CHECK(fast_bounds->max_y == bounds.max_y);
    }
    // Everything else is left to the parser: 3D, big-endian, lines, cut short.
    std::vector<unsigned char> out;
    auto [polygon_3d, a, b] = through_ogr("POLYGON Z ((0 0 1, 1 0 1, 1 1 1, 0 0 1))");
    CHECK_FALSE(rules.normalize_polygon_wkb(polygon_3d, out).has_value());
    auto [square, c, d] = through_ogr("POLYGON ((0 0, 1 0, 1 1, 0 0))");
    auto big_endian = square;
    big_endian[0] = 0;
    CHECK_FALSE(rules.normalize_polygon_wkb(big_endian, out).has_value());
    auto cut = square;
    cut.pop_back();
    CHECK_FALSE(rules.normalize_polygon_wkb(cut, out).has_value());
    core::ClassSchema lines = schema;
    lines.geometry = core::GeometryKind::line;
    CHECK_FALSE(core::FeatureRules(lines, std::nullopt).normalize_polygon_wkb(square, out).has_value());
    // A NaN coordinate, whose bounds GDAL's envelope (the parser's path) makes
    // NaN where the walk skipped it (tests/fuzz/regressions/fuzz_feature_wkb).
    auto [two, e, f] = through_ogr("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 -3, 9 -3, 9 2, 5 -3)))");
    const double nan = std::nan("");
    std::memcpy(&two[two.size() - 4 * 16], &nan, sizeof nan);  // the second polygon's first x
    CHECK_FALSE(rules.normalize_polygon_wkb(two, out).has_value());
}
