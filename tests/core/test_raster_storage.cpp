// Rasters kept by the storage (stage, commit, rollback, read back), the
// backend chosen from the location, the one temporary-and-rename helper,
// and the rule that nothing above core names a file beside the database.

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/temporary_output.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/storage/storage.hpp>

#include "support/support.hpp"

using namespace lantern;
using lantern::test::new_city;
using lantern::test::TempDir;

namespace {

namespace fs = std::filesystem;

// Every name in the folder, hidden ones included.
std::set<std::string> listing(const TempDir& dir)
{
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir.path()))
        names.insert(entry.path().filename().string());
    return names;
}

core::FloatGrid ramp(float step)
{
    core::GridFrame frame;
    frame.width = 12;
    frame.height = 8;
    frame.origin_x = 800000;
    frame.origin_y = 1760000;
    frame.cell_x = frame.cell_y = 10;
    frame.crs_wkt = core::Crs::from_user("EPSG:32649").wkt();
    core::FloatGrid grid(frame, 0);
    for (std::size_t i = 0; i < grid.cells(); ++i)
        grid[i] = step * static_cast<float>(i);
    grid[5] = core::no_data;
    return grid;
}

// Stages `grid` as imported raster `name` and records it, in one transaction.
core::RasterRecord import_grid(core::Storage& city, const std::string& name, const core::FloatGrid& grid)
{
    core::Transaction transaction(city);
    auto staged = city.stage_raster(core::RasterRole::imported, name,
                                    [&](const std::string& target) { core::write_geotiff(target, grid); });
    core::RasterRecord record;
    record.name = name;
    core::describe_staged(record, staged);
    city.put_raster_record(record);
    transaction.commit();
    return record;
}

}  // namespace

TEST_CASE("a raster written through the storage reads back cell for cell, beside the database as before")
{
    TempDir dir;
    auto city = new_city(dir);
    auto before = listing(dir);
    auto grid = ramp(0.25f);
    auto record = import_grid(*city, "dem", grid);

    // The SpatiaLite backend keeps it as CITY.NAME.CHECKSUM.tif, as it always has.
    CHECK(record.path == "city.dem." + record.checksum + ".tif");
    auto after = listing(dir);
    std::set<std::string> added;
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                        std::inserter(added, added.end()));
    CHECK(added == std::set<std::string>{record.path});

    auto read = city->open_raster("dem").read_float_grid();
    REQUIRE(read.frame.same_cells(grid.frame));
    CHECK(core::is_no_data(read[5]));
    for (std::size_t i = 0; i < grid.cells(); ++i)
        if (i != 5)
            CHECK(read[i] == grid[i]);
    // A window read interleaved with a stride lands every other value.
    std::vector<float> window(2 * 3 * 2, -1);
    city->open_raster("dem").read(4, 2, 3, 2, window.data(), 2);
    CHECK(window[0] == grid.at(4, 2));
    CHECK(window[2 * 2] == grid.at(6, 2));
    CHECK(window[3 * 2] == grid.at(4, 3));
    CHECK(window[1] == -1);

    auto state = city->raster_state("dem");
    CHECK(state.where == dir.file(record.path));
    CHECK(state.checksum == record.checksum);

    CHECK_THROWS_AS(city->open_raster("nothing"), core::UsageError);
    fs::remove(dir.file(record.path));
    CHECK_THROWS_AS(city->open_raster("dem"), core::FileError);
    CHECK_FALSE(city->raster_state("dem").checksum);
}

TEST_CASE("a staged raster lands on commit, goes on rollback, and a replaced one's file goes after commit")
{
    TempDir dir;
    auto city = new_city(dir);
    auto first = import_grid(*city, "dem", ramp(0.25f));
    auto settled = listing(dir);

    SECTION("rolled back")
    {
        {
            core::Transaction transaction(*city);
            city->stage_raster(core::RasterRole::imported, "dem",
                               [&](const std::string& target) { core::write_geotiff(target, ramp(0.5f)); });
            CHECK(listing(dir) != settled);  // the staged file, hidden
        }
        CHECK(listing(dir) == settled);
        CHECK(city->raster_records().at(0).checksum == first.checksum);
    }
    SECTION("committed without a record naming it")
    {
        core::Transaction transaction(*city);
        city->stage_raster(core::RasterRole::result, "hand",
                           [&](const std::string& target) { core::write_geotiff(target, ramp(0.5f)); });
        transaction.commit();
        CHECK(listing(dir) == settled);
    }
    SECTION("a writer that fails")
    {
        core::Transaction transaction(*city);
        CHECK_THROWS_AS(city->stage_raster(core::RasterRole::imported, "dem",
                                           [](const std::string&) { throw core::FileError("disk full"); }),
                        core::FileError);
        transaction.commit();
        CHECK(listing(dir) == settled);
    }
    SECTION("replaced")
    {
        auto second = import_grid(*city, "dem", ramp(0.5f));
        CHECK(second.path != first.path);
        CHECK_FALSE(fs::exists(dir.file(first.path)));
        CHECK(fs::exists(dir.file(second.path)));
        CHECK(city->raster_records().at(0).path == second.path);
        // The same cells again: the file its record points to stays.
        auto again = import_grid(*city, "dem", ramp(0.5f));
        CHECK(again.path == second.path);
        CHECK(fs::exists(dir.file(second.path)));
        CHECK(listing(dir).size() == settled.size());
    }
}

TEST_CASE("the location picks the backend: a path is SpatiaLite, a PostgreSQL URL PostGIS")
{
    // Told apart before any connection is tried: PostGIS refuses a URL whose
    // schema parameter is empty, naming it without its password.
    for (std::string url :
         {"postgresql://lantern:secret@db.example/hoian?schema=", "postgres://localhost/hoian?schema="}) {
        INFO(url);
        CHECK_THROWS_WITH(core::open_city(url, core::Access::read_only),
                          Catch::Contains("the schema parameter names no schema") &&
                              !Catch::Contains("secret"));
        CHECK_THROWS_AS(core::create_city(url, "Hội An", core::Crs::from_user("EPSG:32649"), std::nullopt),
                        core::UsageError);
        CHECK_THROWS_AS(core::remove_city(url), core::UsageError);
    }
    TempDir dir;
    auto city = new_city(dir);
    CHECK(city->location() == dir.file("city.sqlite"));
}

TEST_CASE("remove_city deletes the database and its rasters, and nothing else in the folder")
{
    TempDir dir;
    auto city = new_city(dir);
    import_grid(*city, "dem", ramp(0.25f));
    test::write_file(dir.file("city.pmtiles"), "tiles");
    test::write_file(dir.file("other.sqlite"), "another city");
    test::write_file(dir.file("terrain.tif"), "a source");
    city.reset();
    core::remove_city(dir.file("city.sqlite"));
    CHECK(listing(dir) == std::set<std::string>{"city.pmtiles", "other.sqlite", "terrain.tif"});
    CHECK_NOTHROW(core::remove_city(dir.file("city.sqlite")));
}

TEST_CASE("TemporaryOutput writes beside the target under a unique name and renames it on commit")
{
    TempDir dir;
    const auto target = dir.file("out.shp");
    test::write_file(target, "old");
    {
        core::TemporaryOutput a(target), b(target);
        CHECK(a.temporary_path() != b.temporary_path());
        CHECK(fs::path(a.temporary_path()).filename() == "out.shp");
        CHECK(fs::path(a.temporary_path()).parent_path().parent_path() == dir.path());
        test::write_file(a.temporary_path(), "new");
        test::write_file(b.temporary_path(), "other");
    }
    // Neither committed: the old file as it was, no temporary left.
    CHECK(test::read_file(target) == "old");
    CHECK(listing(dir) == std::set<std::string>{"out.shp"});

    core::TemporaryOutput output(target);
    test::write_file(output.temporary_path(), "new");
    test::write_file((fs::path(output.temporary_path()).parent_path() / "out.dbf").string(), "attributes");
    auto placed = output.commit();
    CHECK(placed.size() == 2);
    CHECK(test::read_file(target) == "new");
    CHECK(test::read_file(dir.file("out.dbf")) == "attributes");
    CHECK(listing(dir) == std::set<std::string>{"out.shp", "out.dbf"});

    fs::create_directory(dir.file("folder"));
    CHECK_THROWS_AS(core::TemporaryOutput(dir.file("folder")), core::FileError);
    CHECK_THROWS_AS(core::TemporaryOutput(dir.file("missing/out.tif")), core::FileError);
    core::TemporaryOutput nothing(dir.file("empty.tif"));
    CHECK_THROWS_AS(nothing.commit(), core::FileError);
}

// Above core, a raster is read and written through the storage by name. These
// are the ways code could still build the name of a file beside the database.
TEST_CASE("nothing above core names a file beside the database")
{
    const std::vector<std::pair<std::regex, std::string>> patterns = {
        {std::regex(R"(raster_file\s*\()"), "a raster's file (use Storage::open_raster)"},
        {std::regex(R"(temporary_raster_path)"), "a raster result's temporary file (use ResultBatch::add_raster)"},
        {std::regex(R"((path|absolute|canonical)\s*\(\s*[\w.>\-]*location\(\))"),
         "a path made from the storage's location"},
        {std::regex(R"(location\(\)\s*\)\s*\.\s*(parent_path|stem|filename|replace_extension))"),
         "a path made from the storage's location"},
        {std::regex(R"(location\(\)\s*\+\s*"[^:"])"), "a file name made from the storage's location"},
        {std::regex(R"(GDAL_OF_RASTER|GDALOpen\s*\()"), "a raster opened by file name (use Storage::open_raster)"},
        {std::regex(R"((^|[^.>\w])(read_float_grid|read_grid_frame)\s*\()"),
         "a raster read by file name (use Storage::open_raster)"},
        {std::regex(R"(\.result\.)"), "the SpatiaLite backend's raster file names"},
    };
    std::vector<std::string> offences;
    std::size_t files = 0;
    for (const std::string folder : {"layers", "tileserver", "cli"}) {
        for (const auto& entry : fs::recursive_directory_iterator(fs::path(LANTERN_SOURCE_DIR) / folder)) {
            auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".hpp")
                continue;
            ++files;
            std::ifstream in(entry.path());
            std::string line;
            for (int number = 1; std::getline(in, line); ++number) {
                auto code = line.substr(0, line.find("//"));
                for (const auto& [pattern, what] : patterns)
                    if (std::regex_search(code, pattern))
                        offences.push_back(fs::relative(entry.path(), LANTERN_SOURCE_DIR).string() + ":" +
                                           std::to_string(number) + ": " + what + ": " + line);
            }
        }
    }
    CHECK(files > 50);
    std::ostringstream list;
    for (const auto& offence : offences)
        list << offence << '\n';
    INFO(list.str());
    CHECK(offences.empty());

    // The patterns catch what they are for.
    for (const std::string bad : {"auto f = storage.raster_file(r.path);",
                                  "fs::path db(fs::absolute(storage.location()));",
                                  "auto dir = fs::path(storage.location()).parent_path();",
                                  "std::string tif = storage.location() + \".dem.tif\";",
                                  "GDALDataset::Open(p.c_str(), GDAL_OF_RASTER)",
                                  "auto dem = core::read_float_grid(path);"}) {
        INFO(bad);
        CHECK(std::any_of(patterns.begin(), patterns.end(),
                          [&](const auto& p) { return std::regex_search(bad, p.first); }));
    }
    for (const std::string fine : {"throw core::DataError(storage.location() + \": the city has no DEM\");",
                                   "auto dem = storage.open_raster(\"dem\").read_float_grid();"}) {
        INFO(fine);
        CHECK_FALSE(std::any_of(patterns.begin(), patterns.end(),
                                [&](const auto& p) { return std::regex_search(fine, p.first); }));
    }
}
