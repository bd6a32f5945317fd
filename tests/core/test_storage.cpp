// The city database: metadata, all-or-nothing imports, a killed import.

#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <limits>

#include <sqlite3.h>
#include <fstream>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/io/vector_import.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/core/storage/validate.hpp>
#include <lantern/layers/catalogue.hpp>

#include "storage/spatialite_blob.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::new_city;
using lantern::test::TempDir;

namespace {

core::ImportOptions from(const std::string& path, core::WriteMode mode = core::WriteMode::create)
{
    core::ImportOptions o;
    o.source.path = path;
    o.mode = mode;
    return o;
}

}  // namespace

TEST_CASE("a new city database records its name and CRS and bounds")
{
    TempDir dir;
    auto city = new_city(dir);
    auto record = city->city();
    CHECK(record.name == "Hoi An");
    CHECK(record.crs == "EPSG:32649");
    REQUIRE(record.bounds);
    // West of the central meridian (111 E) the 108.28 E edge lies furthest west
    // in UTM at its southern corner, where the meridians are furthest apart.
    double x = 108.28, y = 15.80;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    CHECK(record.bounds->min_x == Approx(x).margin(0.01));
    CHECK(city->class_records().empty());
    CHECK_THROWS_AS(core::create_city(dir.file("city.sqlite"), "x",
                                      core::Crs::from_user("EPSG:32649"), std::nullopt),
                    core::FileError);
    CHECK_THROWS_AS(core::create_city(dir.file("geo.sqlite"), "x", core::Crs::wgs84(), std::nullopt),
                    core::UsageError);
    CHECK_FALSE(std::filesystem::exists(dir.file("geo.sqlite")));
}

TEST_CASE("a rejected import leaves counts and checksums as they were")
{
    TempDir dir;
    auto city = new_city(dir);
    const auto& lamps = layers::feature_class("lamps");
    test::write_file(dir.file("lamps.geojson"), test::three_lamps_geojson());
    auto first = core::import_vector(*city, lamps, from(dir.file("lamps.geojson")));
    REQUIRE(first.record.feature_count == 3);

    // Two good lamps and, last, one with a negative power.
    test::write_file(dir.file("bad.geojson"),
                     test::feature_collection({
                         test::point_feature(108.33, 15.88, R"({"lamp_id":"L-10","power_w":60})"),
                         test::point_feature(108.331, 15.88, R"({"lamp_id":"L-11","power_w":60})"),
                         test::point_feature(108.332, 15.88, R"({"lamp_id":"L-12","power_w":-5})"),
                     }));
    for (auto mode : {core::WriteMode::append, core::WriteMode::replace}) {
        try {
            core::import_vector(*city, lamps, from(dir.file("bad.geojson"), mode));
            FAIL("the import should have been rejected");
        } catch (const core::ImportRejected& e) {
            CHECK(e.report().error_count() == 1);
            const auto& issue = e.report().issues().front();
            CHECK(issue.feature == 3);
            CHECK(issue.feature_id == "lamp_id=L-12");
            CHECK(issue.field == "power_w");
            CHECK(issue.value == "-5");
            CHECK_THAT(issue.reason, Catch::Contains("below the minimum 0"));
        }
        auto now = core::summarize(*city, lamps);
        CHECK(now.feature_count == 3);
        CHECK(now.checksum == first.record.checksum);
        CHECK(city->class_record("lamps")->checksum == first.record.checksum);
    }
}

TEST_CASE("the recorded checksum equals a rescan even for negative zero")
{
    TempDir dir;
    auto city = new_city(dir);
    const auto& nodes = layers::feature_class("drainage_nodes");
    // SQLite stores -0.0 as 0: the checksum must not tell them apart.
    test::write_file(dir.file("nodes.geojson"),
                     test::feature_collection({test::point_feature(
                         108.33, 15.88, R"({"node_id":"N-1","kind":"manhole","ground_m":1.5,"invert_m":-0.0})")}));
    auto imported = core::import_vector(*city, nodes, from(dir.file("nodes.geojson")));
    CHECK(core::summarize(*city, nodes).checksum == imported.record.checksum);
}

TEST_CASE("append keeps ids unique across the old and new features, replace starts afresh")
{
    TempDir dir;
    auto city = new_city(dir);
    const auto& lamps = layers::feature_class("lamps");
    test::write_file(dir.file("lamps.geojson"), test::three_lamps_geojson());
    core::import_vector(*city, lamps, from(dir.file("lamps.geojson")));
    CHECK_THROWS_AS(core::import_vector(*city, lamps, from(dir.file("lamps.geojson"))),
                    core::UsageError);
    CHECK_THROWS_AS(
        core::import_vector(*city, lamps, from(dir.file("lamps.geojson"), core::WriteMode::append)),
        core::ImportRejected);
    test::write_file(dir.file("more.geojson"),
                     test::feature_collection({test::point_feature(108.33, 15.88, R"({"lamp_id":"L-4"})")}));
    auto appended =
        core::import_vector(*city, lamps, from(dir.file("more.geojson"), core::WriteMode::append));
    CHECK(appended.record.feature_count == 4);
    // The record an append continues from its predecessor equals a fresh scan.
    auto scanned = core::summarize(*city, lamps);
    CHECK(scanned.checksum == appended.record.checksum);
    CHECK(scanned.feature_count == 4);
    REQUIRE(appended.record.extent);
    CHECK(scanned.extent->min_x == appended.record.extent->min_x);
    CHECK(scanned.extent->max_y == appended.record.extent->max_y);
    auto replaced =
        core::import_vector(*city, lamps, from(dir.file("more.geojson"), core::WriteMode::replace));
    CHECK(replaced.record.feature_count == 1);
}

TEST_CASE("invalid polygons are rejected or repaired with make-valid or skipped")
{
    TempDir dir;
    auto city = new_city(dir);
    const auto& parcels = layers::feature_class("parcels");
    // A bow-tie (self-intersecting) parcel beside a good one.
    std::string bowtie =
        R"({"type":"Feature","properties":{"parcel_id":"P-2","land_use":"ODT"},"geometry":{"type":"Polygon","coordinates":[[[108.33,15.88],[108.331,15.881],[108.331,15.88],[108.33,15.881],[108.33,15.88]]]}})";
    test::write_file(dir.file("parcels.geojson"),
                     test::feature_collection({test::square_feature(108.32, 15.88, 0.001,
                                                                    R"({"parcel_id":"P-1","land_use":"ODT"})"),
                                               bowtie}));
    auto options = from(dir.file("parcels.geojson"));
    try {
        core::import_vector(*city, parcels, options);
        FAIL("a self-intersecting parcel must be rejected by default");
    } catch (const core::ImportRejected& e) {
        CHECK_THAT(e.what(), Catch::Contains("feature 2") && Catch::Contains("Self-intersection"));
    }
    CHECK_FALSE(city->class_record("parcels"));

    options.invalid = core::InvalidGeometryPolicy::skip;
    auto skipped = core::import_vector(*city, parcels, options);
    CHECK(skipped.imported == 1);
    CHECK(skipped.skipped == 1);
    CHECK(skipped.report.warning_count() == 1);

    options.invalid = core::InvalidGeometryPolicy::repair;
    options.mode = core::WriteMode::replace;
    auto repaired = core::import_vector(*city, parcels, options);
    CHECK(repaired.imported == 2);
    CHECK(repaired.repaired == 1);
    // The bow-tie becomes two triangles; the stored result is a valid MultiPolygon.
    bool found = false;
    city->scan(parcels, [&](const core::StoredFeature& f) {
        if (std::get<std::string>(f.values[0]) == "P-2") {
            found = true;
            std::uint32_t count = 0;
            std::memcpy(&count, &f.wkb[5], 4);
            CHECK(count == 2);
        }
    });
    CHECK(found);
}

TEST_CASE("a process killed in the middle of an import leaves the database as it was")
{
    TempDir dir;
    auto city = new_city(dir);
    const auto& lamps = layers::feature_class("lamps");
    test::write_file(dir.file("lamps.geojson"), test::three_lamps_geojson());
    auto before = core::import_vector(*city, lamps, from(dir.file("lamps.geojson")));
    city.reset();

    // A large CSV: about 190 MB of pages, three times SQLite's 64 MB page cache,
    // so pages spill to the write-ahead log long before the commit.
    {
        std::ofstream csv(dir.file("many.csv"));
        csv << "lamp_id,lon,lat,power_w\n";
        for (int i = 0; i < 1200000; ++i)
            csv << "M-" << i << ',' << 108.30 + (i % 1000) * 0.00005 << ','
                << 15.86 + (i / 1000) * 0.00005 << ",60\n";
    }
    std::string wal = dir.file("city.sqlite") + "-wal";
    pid_t pid = fork();
    if (pid == 0) {
        execl(LANTERN_BINARY, LANTERN_BINARY, "import", dir.file("city.sqlite").c_str(), "lamps",
              dir.file("many.csv").c_str(), "--s-srs", "EPSG:4326", "--append", "-q",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    // Kill it once the import has written a good deal into the write-ahead log.
    int status = 0;
    bool killed = false;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        std::error_code ec;
        if (std::filesystem::file_size(wal, ec) > 4'000'000 && !ec) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            killed = true;
            break;
        }
        usleep(1000);
    }
    REQUIRE(killed);
    CHECK(WIFSIGNALED(status));

    auto reopened = core::open_city(dir.file("city.sqlite"), core::Access::read_write);
    auto now = core::summarize(*reopened, lamps);
    CHECK(now.feature_count == 3);
    CHECK(now.checksum == before.record.checksum);
}

TEST_CASE("only city databases open and read-only ones refuse writes")
{
    TempDir dir;
    test::write_file(dir.file("notes.txt"), "not a database at all, just some text.\n");
    CHECK_THROWS_WITH(core::open_city(dir.file("notes.txt"), core::Access::read_only),
                      Catch::Contains("not a city database"));
    CHECK_THROWS_WITH(core::open_city(dir.file("missing.sqlite"), core::Access::read_only),
                      Catch::Contains("no such city database"));
    new_city(dir);
    std::filesystem::permissions(dir.file("city.sqlite"), std::filesystem::perms::owner_read |
                                                              std::filesystem::perms::group_read |
                                                              std::filesystem::perms::others_read);
    CHECK_THROWS_WITH(core::open_city(dir.file("city.sqlite"), core::Access::read_write),
                      Catch::Contains("read-only"));
    CHECK_NOTHROW(core::open_city(dir.file("city.sqlite"), core::Access::read_only));
}

TEST_CASE("validate finds values and content changed behind lantern's back")
{
    TempDir dir;
    const auto& lamps = layers::feature_class("lamps");
    {
        auto city = new_city(dir);
        test::write_file(dir.file("lamps.geojson"), test::three_lamps_geojson());
        core::import_vector(*city, lamps, from(dir.file("lamps.geojson")));
        auto report = core::validate_city(*city, layers::feature_classes(), false);
        CHECK(report.ok());
    }
    // Another program edits the database directly.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.file("city.sqlite").c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "UPDATE lamps SET power_w = -5 WHERE lamp_id = 'L-2'", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
    sqlite3_close(db);

    auto city = core::open_city(dir.file("city.sqlite"), core::Access::read_only);
    auto report = core::validate_city(*city, layers::feature_classes(), false);
    CHECK(report.error_count() == 2);
    std::string all;
    for (const auto& issue : report.issues())
        all += issue.to_text() + "\n";
    CHECK_THAT(all, Catch::Contains("city.sqlite: lamps feature 2 (lamp_id=L-2): field power_w = '-5': below the minimum 0"));
    CHECK_THAT(all, Catch::Contains("city.sqlite: lamps: content changed outside lantern"));
}

TEST_CASE("geometry blobs are written as SpatiaLite's GeomFromWKB writes them")
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(":memory:", &db) == SQLITE_OK);
    sqlite3_enable_load_extension(db, 1);
    REQUIRE(sqlite3_load_extension(db, "mod_spatialite", nullptr, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "SELECT GeomFromWKB(?, 32649)", -1, &stmt, nullptr) == SQLITE_OK);
    auto wkb_of = [](const char* wkt, OGRwkbByteOrder order = wkbNDR) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkt(wkt, nullptr, &g) == OGRERR_NONE);
        std::vector<unsigned char> wkb(static_cast<std::size_t>(g->WkbSize()));
        g->exportToWkb(order, wkb.data(), wkbVariantIso);
        OGRGeometryFactory::destroyGeometry(g);
        return wkb;
    };
    for (const char* wkt :
         {"POINT (530000.5 1755000.25)", "LINESTRING (0 0, 10 5, -3 7.5)",
          "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 2 2))", "MULTIPOINT ((1 2), (-3 4))",
          "MULTILINESTRING ((0 0, 1 1), (5 5, 6 7, 8 9))",
          "MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 9 5, 9 9, 5 9, 5 5), (6 6, 6 7, 7 7, 6 6)))",
          // Invalid, a hole beyond its exterior: SpatiaLite's MBR is the exterior's
          // (tests/fuzz/regressions/fuzz_spatialite_blob/hole-outside-shell).
          "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (-50 2, 2 2, 2 4, -50 2))"}) {
        INFO(wkt);
        auto wkb = wkb_of(wkt);
        std::vector<unsigned char> blob;
        REQUIRE(core::detail::spatialite_blob_from_wkb(wkb, 32649, blob));
        sqlite3_reset(stmt);
        sqlite3_bind_blob(stmt, 1, wkb.data(), static_cast<int>(wkb.size()), SQLITE_TRANSIENT);
        REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
        const auto* expected = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, 0));
        CHECK(std::vector<unsigned char>(expected, expected + sqlite3_column_bytes(stmt, 0)) == blob);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    // What it leaves to SpatiaLite.
    std::vector<unsigned char> blob;
    CHECK_FALSE(core::detail::spatialite_blob_from_wkb(wkb_of("POINT (1 2)", wkbXDR), 32649, blob));
    CHECK_FALSE(core::detail::spatialite_blob_from_wkb(wkb_of("POINT Z (1 2 3)"), 32649, blob));
    CHECK_FALSE(core::detail::spatialite_blob_from_wkb(wkb_of("GEOMETRYCOLLECTION (POINT (1 2))"), 32649, blob));
    CHECK_FALSE(core::detail::spatialite_blob_from_wkb(wkb_of("POINT EMPTY"), 32649, blob));
    auto cut = wkb_of("LINESTRING (0 0, 10 5)");
    cut.pop_back();
    CHECK_FALSE(core::detail::spatialite_blob_from_wkb(cut, 32649, blob));
    // SpatiaLite would not measure an infinite x into the MBR
    // (tests/fuzz/regressions/fuzz_spatialite_blob/infinite-point).
    auto infinite = wkb_of("POINT (1 2)");
    const double inf = std::numeric_limits<double>::infinity();
    std::memcpy(&infinite[5], &inf, sizeof inf);
    CHECK_FALSE(core::detail::spatialite_blob_from_wkb(infinite, 32649, blob));
}
