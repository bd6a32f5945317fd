// lantern tiles on the sample city: the MBTiles archive read back through
// SQLite and GDAL's MBTiles driver, the PMTiles archive through the pmtiles
// npm package (Protomaps' reader, node tests/js/read_pmtiles.mjs), both
// against TileSet::render's own tiles.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <lantern/core/base/gzip.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/testing/mvt_decode.hpp>
#include <lantern/core/testing/pmtiles_reader.hpp>
#include <lantern/core/tiles/tile_math.hpp>
#include <lantern/layers/tiles.hpp>

#include "support/node_script.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::run_lantern;
using lantern::test::TempDir;

namespace {

namespace fs = std::filesystem;

const std::string city = std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite";
// Light classes whose zoom ranges start below (water, roads) and inside
// (cameras, from 13) the archived zooms.
const std::vector<std::string> classes = {"water", "roads", "cameras"};
constexpr int min_zoom = 12, max_zoom = 14;

std::string tile_name(const core::TileId& t)
{
    return std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y);
}

std::string hex(std::string_view bytes)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

nlohmann::json write_archive(const std::string& out)
{
    auto r = run_lantern({"tiles", city, out, "--min-zoom", std::to_string(min_zoom), "--max-zoom",
                          std::to_string(max_zoom), "--classes", "water,roads,cameras", "--threads", "2",
                          "--json", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
}

// Every tile over the archive's bounds at its zooms with what TileSet renders
// there (empty for no features): what the archive must hold.
std::map<std::string, std::pair<core::TileId, std::string>> rendered_tiles(const nlohmann::json& summary)
{
    layers::TileSet tiles(city);
    core::Bounds mercator;
    auto b = summary["bounds"];
    core::lonlat_to_mercator(b[0].get<double>(), b[1].get<double>(), mercator.min_x, mercator.min_y);
    core::lonlat_to_mercator(b[2].get<double>(), b[3].get<double>(), mercator.max_x, mercator.max_y);
    std::map<std::string, std::pair<core::TileId, std::string>> out;
    for (int z = min_zoom; z <= max_zoom; ++z)
        for (const auto& tile : core::tiles_covering(mercator, z))
            out[tile_name(tile)] = {tile, tiles.render(classes, tile)};
    return out;
}

const std::map<std::string, std::pair<core::TileId, std::string>>& expected_tiles(const nlohmann::json& summary)
{
    static const auto tiles = rendered_tiles(summary);
    return tiles;
}

std::vector<std::vector<std::string>> sqlite_rows(const std::string& path, const std::string& sql)
{
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
            const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            row.emplace_back(data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)))
                                  : std::string());
        }
        rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return rows;
}

// The archive as the pmtiles package reads it (tests/js/read_pmtiles.mjs).
nlohmann::json read_with_pmtiles_package(const std::string& archive, const std::vector<core::TileId>& tiles)
{
    std::vector<std::string> args = {archive};
    for (const auto& t : tiles)
        args.push_back(tile_name(t));
    return test::run_node_script("read_pmtiles.mjs", args, {"pmtiles"});
}

std::set<std::string> layer_ids(const nlohmann::json& vector_layers)
{
    std::set<std::string> ids;
    for (const auto& l : vector_layers)
        ids.insert(l["id"].get<std::string>());
    return ids;
}

}  // namespace

TEST_CASE("lantern tiles writes an MBTiles archive of exactly the rendered tiles")
{
    TempDir dir;
    const std::string out = dir.file("hoian.mbtiles");
    auto summary = write_archive(out);
    CHECK(summary["ok"] == true);
    CHECK(summary["format"] == "mbtiles");
    CHECK(summary["layers"] == nlohmann::json(classes));
    std::uint64_t per_zoom_total = 0;
    for (const auto& z : summary["zooms"])
        per_zoom_total += z["tiles_written"].get<std::uint64_t>();
    CHECK(per_zoom_total == summary["tiles_written"].get<std::uint64_t>());
    CHECK(summary["file_bytes"].get<std::uint64_t>() == fs::file_size(out));
    CHECK(fs::directory_iterator(dir.path()) != fs::directory_iterator());
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

    // Every non-empty rendered tile is in the table under its TMS row, with
    // the same bytes once gunzipped; no empty tile is.
    std::map<std::string, std::string> stored;
    for (const auto& r : sqlite_rows(out, "SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")) {
        const int z = std::stoi(r[0]);
        const auto y = (1u << z) - 1 - static_cast<std::uint32_t>(std::stoul(r[2]));
        REQUIRE(core::is_gzip(r[3]));
        stored[r[0] + "/" + r[1] + "/" + std::to_string(y)] = core::gzip_decompress(r[3]);
    }
    const auto& expected = expected_tiles(summary);
    std::size_t non_empty = 0;
    std::set<int> zooms_with_cameras;
    for (const auto& [name, tile_bytes] : expected) {
        const auto& [tile, bytes] = tile_bytes;
        INFO(name);
        if (bytes.empty()) {
            CHECK(stored.count(name) == 0);
            continue;
        }
        ++non_empty;
        REQUIRE(stored.count(name) == 1);
        CHECK(stored[name] == bytes);
        for (const auto& layer : core::decode_mvt(bytes))
            if (layer.name == "cameras")
                zooms_with_cameras.insert(tile.z);
    }
    CHECK(stored.size() == non_empty);
    CHECK(non_empty == summary["tiles_written"].get<std::size_t>());
    // Cameras start at zoom 13: none in the zoom 12 tiles.
    CHECK(zooms_with_cameras == std::set<int>{13, 14});

    std::map<std::string, std::string> metadata;
    for (const auto& r : sqlite_rows(out, "SELECT name, value FROM metadata"))
        metadata[r[0]] = r[1];
    CHECK(metadata["name"] == layers::TileSet(city).city_name());
    CHECK(metadata["format"] == "pbf");
    CHECK(metadata["minzoom"] == "12");
    CHECK(metadata["maxzoom"] == "14");
    CHECK(layer_ids(nlohmann::json::parse(metadata["json"])["vector_layers"]) ==
          std::set<std::string>(classes.begin(), classes.end()));
}

TEST_CASE("GDAL's MBTiles driver reads the archive's layers and features")
{
    TempDir dir;
    const std::string out = dir.file("hoian.mbtiles");
    auto summary = write_archive(out);
    // Features per layer and the water's area in the zoom 14 tiles, decoded
    // from what TileSet renders. Tile units are 1/4096 of a tile's side.
    const double tile_metres = 2 * core::web_mercator_half_extent / (1 << max_zoom);
    const double unit = tile_metres / 4096;
    std::map<std::string, GIntBig> expected_counts;
    double expected_water_area = 0;
    for (const auto& [name, tile_bytes] : expected_tiles(summary)) {
        if (tile_bytes.first.z != max_zoom || tile_bytes.second.empty())
            continue;
        for (const auto& layer : core::decode_mvt(tile_bytes.second)) {
            expected_counts[layer.name] += static_cast<GIntBig>(layer.features.size());
            if (layer.name == "water")
                for (const auto& feature : layer.features)
                    for (const auto& polygon : feature.polygons)
                        for (const auto& ring : polygon)
                            expected_water_area += core::mvt_ring_area(ring) * unit * unit;
        }
    }
    REQUIRE(expected_counts.size() == classes.size());
    REQUIRE(expected_water_area > 1e6);

    core::ensure_gdal();
    const char* drivers[] = {"MBTiles", nullptr};
    // Unclipped, so that areas include the tiles' buffers as the decoded tiles do.
    const char* open_options[] = {"ZOOM_LEVEL=14", "CLIP=NO", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(out.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, drivers,
                                              open_options));
    REQUIRE(ds);
    CHECK(ds->GetLayerCount() == static_cast<int>(classes.size()));
    double west = 0, south = 0, east = 0, north = 0;
    auto b = summary["bounds"];
    core::lonlat_to_mercator(b[0].get<double>(), b[1].get<double>(), west, south);
    core::lonlat_to_mercator(b[2].get<double>(), b[3].get<double>(), east, north);
    for (const auto& name : classes) {
        INFO(name);
        auto* layer = ds->GetLayerByName(name.c_str());
        REQUIRE(layer);
        GIntBig count = 0;
        double area = 0;
        OGREnvelope extent;
        for (auto& feature : *layer) {
            ++count;
            const OGRGeometry* geometry = feature->GetGeometryRef();
            REQUIRE(geometry);
            OGREnvelope e;
            geometry->getEnvelope(&e);
            extent.Merge(e);
            if (name == "water")
                area += OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(geometry)));
        }
        CHECK(count == expected_counts[name]);
        // Features lie in the archive's bounds, give or take a tile's buffer.
        CHECK(extent.MinX >= west - tile_metres);
        CHECK(extent.MaxX <= east + tile_metres);
        CHECK(extent.MinY >= south - tile_metres);
        CHECK(extent.MaxY <= north + tile_metres);
        if (name == "water")
            CHECK(area == Approx(expected_water_area).epsilon(1e-6));
    }
}

TEST_CASE("the pmtiles package reads lantern's PMTiles archive tile for tile")
{
    TempDir dir;
    const std::string out = dir.file("hoian.pmtiles");
    auto summary = write_archive(out);
    CHECK(summary["format"] == "pmtiles");
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

    // Every tile over the bounds, present or absent, plus one far outside.
    const auto& expected = expected_tiles(summary);
    std::vector<core::TileId> asked;
    for (const auto& [name, tile_bytes] : expected)
        asked.push_back(tile_bytes.first);
    asked.push_back({13, 0, 0});
    auto read = read_with_pmtiles_package(out, asked);

    const auto& header = read["header"];
    CHECK(header["specVersion"] == 3);
    CHECK(header["clustered"] == true);
    CHECK(header["internalCompression"] == 2);
    CHECK(header["tileCompression"] == 2);
    CHECK(header["tileType"] == 1);
    CHECK(header["minZoom"] == min_zoom);
    CHECK(header["maxZoom"] == max_zoom);
    CHECK(header["numAddressedTiles"] == summary["tiles_written"]);
    CHECK(header["numTileContents"] == summary["unique_tiles"]);
    CHECK(header["rootDirectoryOffset"].get<int>() + header["rootDirectoryLength"].get<int>() <= 16384);
    auto b = summary["bounds"];
    CHECK(header["minLon"].get<double>() == Approx(b[0].get<double>()).margin(1e-7));
    CHECK(header["minLat"].get<double>() == Approx(b[1].get<double>()).margin(1e-7));
    CHECK(header["maxLon"].get<double>() == Approx(b[2].get<double>()).margin(1e-7));
    CHECK(header["maxLat"].get<double>() == Approx(b[3].get<double>()).margin(1e-7));
    CHECK(header["centerLon"].get<double>() > b[0].get<double>());
    CHECK(header["centerLon"].get<double>() < b[2].get<double>());
    CHECK(header["centerLat"].get<double>() > b[1].get<double>());
    CHECK(header["centerLat"].get<double>() < b[3].get<double>());

    const auto& metadata = read["metadata"];
    CHECK(metadata["name"] == layers::TileSet(city).city_name());
    CHECK(layer_ids(metadata["vector_layers"]) == std::set<std::string>(classes.begin(), classes.end()));
    for (const auto& l : metadata["vector_layers"]) {
        CHECK(l["minzoom"].get<int>() >= min_zoom);
        CHECK(l["maxzoom"].get<int>() <= max_zoom);
    }

    REQUIRE(read["tiles"].size() == asked.size());
    std::size_t present = 0;
    for (const auto& t : read["tiles"]) {
        core::TileId tile{t["z"].get<int>(), t["x"].get<std::uint32_t>(), t["y"].get<std::uint32_t>()};
        INFO(tile_name(tile));
        // The package's Hilbert tile ids are Lantern's.
        CHECK(t["tile_id"].get<std::uint64_t>() == core::pmtiles_tile_id(tile));
        auto found = expected.find(tile_name(tile));
        const std::string bytes = found == expected.end() ? std::string() : found->second.second;
        if (bytes.empty()) {
            CHECK(t["hex"].is_null());
        } else {
            ++present;
            REQUIRE(t["hex"].is_string());
            CHECK(t["hex"].get<std::string>() == hex(bytes));
        }
    }
    CHECK(present == summary["tiles_written"].get<std::size_t>());
}

TEST_CASE("the pmtiles package follows lantern's leaf directories")
{
    TempDir dir;
    const std::string path = dir.file("leaves.pmtiles");
    core::PmtilesOptions options;
    options.max_root_bytes = 40;
    options.min_leaf_entries = 8;
    std::vector<core::TileId> tiles;
    {
        core::PmtilesWriter writer(path, options);
        for (std::uint64_t id = 85; id < 85 + 600; id += 1 + (id * 7) % 5) {
            auto tile = core::pmtiles_tile(id);
            writer.add(tile, core::gzip_compress("tile " + tile_name(tile)));
            tiles.push_back(tile);
        }
        core::TileArchiveInfo info;
        info.name = "leaves";
        info.min_zoom = 0;
        info.max_zoom = 6;
        info.bounds = {-180, -85, 180, 85};
        writer.finish(info);
    }
    REQUIRE(core::PmtilesReader(path).header().leaves_length > 0);
    REQUIRE(core::PmtilesReader(path).root_entries().size() > 1);
    std::vector<core::TileId> asked;
    for (std::size_t i = 0; i < tiles.size(); i += 9)
        asked.push_back(tiles[i]);
    asked.push_back(core::pmtiles_tile(84));  // before the first
    auto read = read_with_pmtiles_package(path, asked);
    REQUIRE(read["tiles"].size() == asked.size());
    for (std::size_t i = 0; i + 1 < asked.size(); ++i)
        CHECK(read["tiles"][i]["hex"] == hex("tile " + tile_name(asked[i])));
    CHECK(read["tiles"].back()["hex"].is_null());
}

TEST_CASE("lantern tiles refuses bad requests and leaves the output as it was")
{
    TempDir dir;
    const std::string existing = dir.file("kept.pmtiles");
    test::write_file(existing, "an older archive");

    auto r = run_lantern({"tiles", city, dir.file("hoian.zip"), "-q"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(".mbtiles") != std::string::npos);
    CHECK(r.err.find(".pmtiles") != std::string::npos);

    r = run_lantern({"tiles", city, existing, "--classes", "roads,no_such_class", "-q"});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("no_such_class") != std::string::npos);

    r = run_lantern({"tiles", city, existing, "--min-zoom", "14", "--max-zoom", "12", "-q"});
    CHECK(r.exit_code == 2);

    r = run_lantern({"tiles", city, dir.file("missing/hoian.mbtiles"), "--classes", "water", "--max-zoom",
                     "10", "-q"});
    CHECK(r.exit_code == 3);

    // Cameras start at zoom 13: at zooms up to 12 there is nothing to write.
    r = run_lantern({"tiles", city, existing, "--classes", "cameras", "--min-zoom", "10", "--max-zoom", "12", "-q"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("no tiles") != std::string::npos);

    CHECK(test::read_file(existing) == "an older archive");
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}
