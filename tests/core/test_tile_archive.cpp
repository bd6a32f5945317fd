// Tile archives with hand-made tiles: PMTiles tile ids, varints, directories
// and header against the v3 spec's own examples and byte layout; MBTiles
// through SQLite; temporary files and failed runs.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include <sqlite3.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/gzip.hpp>
#include <lantern/core/testing/pmtiles_reader.hpp>
#include <lantern/core/tiles/mbtiles.hpp>

#include "support/support.hpp"

using namespace lantern;
using lantern::test::TempDir;

namespace {

std::string tile_name(const core::TileId& t)
{
    return std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y);
}

// A stand-in for a gzipped vector tile: what the writers store they never decode.
std::string hand_made_tile(const std::string& text)
{
    return core::gzip_compress("tile " + text);
}

core::TileArchiveInfo hand_made_info()
{
    core::TileArchiveInfo info;
    info.name = "Hội An";
    info.description = "hand-made tiles";
    info.attribution = "the test";
    info.min_zoom = 2;
    info.max_zoom = 5;
    info.bounds = {108.28, 15.80, 108.71, 15.99};
    info.center_lon = 108.335;
    info.center_lat = 15.877;
    info.center_zoom = 4;
    info.vector_layers = nlohmann::json::array(
        {{{"id", "lamps"}, {"minzoom", 2}, {"maxzoom", 5}, {"fields", {{"status", "String"}}}}});
    return info;
}

// Little-endian integers at the spec's byte offsets, read without Lantern's decoder.
template <typename T>
T le_at(const std::string& bytes, std::size_t offset)
{
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        v |= std::uint64_t{static_cast<unsigned char>(bytes[offset + i])} << (8 * i);
    return static_cast<T>(v);
}

std::set<std::string> files_in(const std::filesystem::path& dir)
{
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        names.insert(entry.path().filename().string());
    return names;
}

}  // namespace

TEST_CASE("PMTiles tile ids follow the spec's table")
{
    // spec/v3/spec.md section 4.1
    CHECK(core::pmtiles_tile_id({0, 0, 0}) == 0);
    CHECK(core::pmtiles_tile_id({1, 0, 0}) == 1);
    CHECK(core::pmtiles_tile_id({1, 0, 1}) == 2);
    CHECK(core::pmtiles_tile_id({1, 1, 1}) == 3);
    CHECK(core::pmtiles_tile_id({1, 1, 0}) == 4);
    CHECK(core::pmtiles_tile_id({2, 0, 0}) == 5);
    CHECK(core::pmtiles_tile_id({12, 3423, 1763}) == 19078479);
    CHECK(core::pmtiles_tile(19078479) == core::TileId{12, 3423, 1763});
}

TEST_CASE("PMTiles tile ids walk each zoom along a Hilbert curve")
{
    for (int z = 0; z <= 6; ++z) {
        const std::uint64_t first = (((std::uint64_t{1} << (2 * z)) - 1) / 3);
        const std::uint64_t count = std::uint64_t{1} << (2 * z);
        core::TileId previous;
        for (std::uint64_t id = first; id < first + count; ++id) {
            auto tile = core::pmtiles_tile(id);
            REQUIRE(tile.z == z);
            REQUIRE(core::pmtiles_tile_id(tile) == id);
            // A Hilbert curve moves to an edge neighbour at every step.
            if (id > first) {
                auto dx = std::abs(static_cast<long>(tile.x) - static_cast<long>(previous.x));
                auto dy = std::abs(static_cast<long>(tile.y) - static_cast<long>(previous.y));
                REQUIRE(dx + dy == 1);
            }
            previous = tile;
        }
    }
    // The deepest zoom round-trips too.
    core::TileId deep{core::max_tile_zoom, (1u << core::max_tile_zoom) - 1, 12345};
    CHECK(core::pmtiles_tile(core::pmtiles_tile_id(deep)) == deep);
    CHECK_THROWS_AS(core::pmtiles_tile(core::pmtiles_tile_id(deep) + (std::uint64_t{1} << 60)),
                    core::DataError);
}

TEST_CASE("varints are Protocol Buffers varints")
{
    // The protobuf encoding guide's example: 150 is 96 01.
    std::string bytes;
    core::append_varint(bytes, 150);
    CHECK(bytes == std::string("\x96\x01", 2));
    for (std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{127}, std::uint64_t{128},
                            std::uint64_t{300}, std::uint64_t{1} << 35, UINT64_MAX}) {
        std::string b;
        core::append_varint(b, v);
        std::size_t pos = 0;
        CHECK(core::read_varint(b, pos) == v);
        CHECK(pos == b.size());
    }
    std::size_t pos = 0;
    CHECK_THROWS_AS(core::read_varint(std::string("\x80\x80", 2), pos), core::DataError);
}

TEST_CASE("PMTiles directories encode as the spec describes")
{
    // Section 4.2: tile ids 5, 42, 69 become deltas 5, 37, 27; the second
    // offset follows the first blob (0), the third does not (offset + 1).
    std::vector<core::PmtilesEntry> entries = {{5, 0, 10, 1}, {42, 10, 20, 3}, {69, 7, 3, 1}};
    std::string bytes = core::encode_pmtiles_directory(entries);
    CHECK(bytes == std::string("\x03" "\x05\x25\x1b" "\x01\x03\x01" "\x0a\x14\x03" "\x01\x00\x08", 13));
    CHECK(core::decode_pmtiles_directory(bytes) == entries);
    CHECK_THROWS_AS(core::decode_pmtiles_directory(std::string("\x05\x01", 2)), core::DataError);
}

TEST_CASE("a PMTiles archive's header reads back field by field")
{
    TempDir dir;
    const std::string path = dir.file("hand.pmtiles");
    // Tiles in tile id order: three consecutive z2 tiles with one content
    // (a run), a z3 tile repeating it further on (a shared blob), two distinct.
    std::vector<std::pair<core::TileId, std::string>> tiles;
    const std::string same = hand_made_tile("sea");
    for (std::uint64_t id = 5; id < 8; ++id)
        tiles.emplace_back(core::pmtiles_tile(id), same);
    tiles.emplace_back(core::pmtiles_tile(9), hand_made_tile("town"));
    tiles.emplace_back(core::pmtiles_tile(30), same);
    tiles.emplace_back(core::pmtiles_tile(31), hand_made_tile("river"));
    auto info = hand_made_info();
    core::TileArchiveStats stats;
    {
        core::PmtilesWriter writer(path);
        for (const auto& [tile, bytes] : tiles)
            writer.add(tile, bytes);
        stats = writer.finish(info);
    }
    CHECK(stats.tiles == 6);
    CHECK(stats.unique_tiles == 3);

    std::string file = test::read_file(path);
    CHECK(stats.file_bytes == file.size());
    REQUIRE(file.size() > 127);
    CHECK(file.substr(0, 7) == "PMTiles");
    CHECK(file[7] == 3);
    const auto root_offset = le_at<std::uint64_t>(file, 8);
    const auto root_length = le_at<std::uint64_t>(file, 16);
    const auto metadata_offset = le_at<std::uint64_t>(file, 24);
    const auto metadata_length = le_at<std::uint64_t>(file, 32);
    const auto leaves_offset = le_at<std::uint64_t>(file, 40);
    const auto leaves_length = le_at<std::uint64_t>(file, 48);
    const auto data_offset = le_at<std::uint64_t>(file, 56);
    const auto data_length = le_at<std::uint64_t>(file, 64);
    CHECK(root_offset == 127);
    CHECK(metadata_offset == root_offset + root_length);
    CHECK(leaves_offset == metadata_offset + metadata_length);
    CHECK(leaves_length == 0);
    CHECK(data_offset == leaves_offset);
    CHECK(data_offset + data_length == file.size());
    CHECK(data_length == same.size() + tiles[3].second.size() + tiles[5].second.size());
    CHECK(le_at<std::uint64_t>(file, 72) == 6);  // addressed tiles
    CHECK(le_at<std::uint64_t>(file, 80) == 4);  // entries: the run is one
    CHECK(le_at<std::uint64_t>(file, 88) == 3);  // contents
    CHECK(file[96] == 1);                        // clustered
    CHECK(file[97] == 2);                        // internal compression gzip
    CHECK(file[98] == 2);                        // tile compression gzip
    CHECK(file[99] == 1);                        // MVT
    CHECK(file[100] == 2);
    CHECK(file[101] == 5);
    CHECK(le_at<std::int32_t>(file, 102) == 1082800000);
    CHECK(le_at<std::int32_t>(file, 106) == 158000000);
    CHECK(le_at<std::int32_t>(file, 110) == 1087100000);
    CHECK(le_at<std::int32_t>(file, 114) == 159900000);
    CHECK(file[118] == 4);
    CHECK(le_at<std::int32_t>(file, 119) == 1083350000);
    CHECK(le_at<std::int32_t>(file, 123) == 158770000);

    // The same fields through Lantern's decoder.
    auto header = core::decode_pmtiles_header(file);
    CHECK(header.root_length == root_length);
    CHECK(header.tile_data_length == data_length);
    CHECK(header.clustered);
    CHECK(header.center_lat_e7 == 158770000);

    auto root = core::decode_pmtiles_directory(core::gzip_decompress(file.substr(root_offset, root_length)));
    REQUIRE(root.size() == 4);
    CHECK(root[0] == core::PmtilesEntry{5, 0, static_cast<std::uint32_t>(same.size()), 3});
    CHECK(root[1].tile_id == 9);
    CHECK(root[1].offset == same.size());
    CHECK(root[2] == core::PmtilesEntry{30, 0, static_cast<std::uint32_t>(same.size()), 1});
    CHECK(root[3].offset == root[1].offset + root[1].length);

    auto metadata = nlohmann::json::parse(core::gzip_decompress(file.substr(metadata_offset, metadata_length)));
    CHECK(metadata["name"] == "Hội An");
    CHECK(metadata["description"] == "hand-made tiles");
    CHECK(metadata["attribution"] == "the test");
    CHECK(metadata["vector_layers"] == info.vector_layers);

    core::PmtilesReader reader(path);
    for (const auto& [tile, bytes] : tiles)
        CHECK(reader.tile(tile) == bytes);
    CHECK_FALSE(reader.tile(core::pmtiles_tile(8)));
    CHECK_FALSE(reader.tile(core::pmtiles_tile(4)));
    CHECK_FALSE(reader.tile(core::pmtiles_tile(32)));
    CHECK(reader.metadata() == metadata);
}

TEST_CASE("a large PMTiles index goes into leaf directories under a 16 KiB root")
{
    TempDir dir;
    const std::string path = dir.file("big.pmtiles");
    // Irregular tile id gaps and sizes compress badly, as real ones do.
    std::mt19937_64 random(42);
    std::map<std::uint64_t, std::string> tiles;
    std::uint64_t id = 100;
    for (int i = 0; i < 20000; ++i) {
        id += 1 + random() % 3000;
        tiles[id] = std::to_string(i) + std::string(1 + random() % 120, 'x');
    }
    {
        core::PmtilesWriter writer(path);
        for (const auto& [tile_id, bytes] : tiles)
            writer.add(core::pmtiles_tile(tile_id), bytes);
        writer.finish(hand_made_info());
    }
    core::PmtilesReader reader(path);
    const auto& h = reader.header();
    CHECK(h.leaves_length > 0);
    CHECK(h.root_offset + h.root_length <= 16384);
    for (const auto& e : reader.root_entries())
        CHECK(e.run_length == 0);
    auto entries = reader.tile_entries();
    REQUIRE(entries.size() == tiles.size());
    auto expected = tiles.begin();
    for (const auto& e : entries) {
        REQUIRE(e.tile_id == expected->first);
        REQUIRE(e.length == expected->second.size());
        ++expected;
    }
    int looked_up = 0;
    for (const auto& [tile_id, bytes] : tiles)
        if (tile_id % 7 == 0 && ++looked_up)
            REQUIRE(reader.tile(core::pmtiles_tile(tile_id)) == bytes);
    CHECK(looked_up > 100);
    CHECK_FALSE(reader.tile(core::pmtiles_tile(tiles.begin()->first + 1)));
}

TEST_CASE("leaf directories hold every tile when the root is kept small")
{
    TempDir dir;
    const std::string path = dir.file("leaves.pmtiles");
    core::PmtilesOptions options;
    options.max_root_bytes = 60;
    options.min_leaf_entries = 16;
    std::vector<std::uint64_t> ids;
    {
        core::PmtilesWriter writer(path, options);
        for (std::uint64_t id = 21; id < 21 + 500; id += 1 + id % 3) {
            writer.add(core::pmtiles_tile(id), "blob " + std::to_string(id));
            ids.push_back(id);
        }
        writer.finish(hand_made_info());
    }
    core::PmtilesReader reader(path);
    CHECK(reader.root_entries().size() > 1);
    CHECK(reader.header().root_length <= 60);
    for (auto id : ids)
        REQUIRE(reader.tile(core::pmtiles_tile(id)) == "blob " + std::to_string(id));
    CHECK_FALSE(reader.tile(core::pmtiles_tile(20)));
}

TEST_CASE("the PMTiles writer refuses tiles out of tile id order")
{
    TempDir dir;
    core::PmtilesWriter writer(dir.file("order.pmtiles"));
    writer.add({1, 1, 1}, "a");
    CHECK_THROWS_AS(writer.add({1, 0, 1}, "b"), std::invalid_argument);
    CHECK_THROWS_AS(writer.add({1, 1, 1}, "b"), std::invalid_argument);
    CHECK_THROWS_AS(writer.add({1, 1, 0}, ""), std::invalid_argument);
}

TEST_CASE("MBTiles rows count from the south")
{
    TempDir dir;
    const std::string path = dir.file("hand.mbtiles");
    std::vector<core::TileId> tiles = {{0, 0, 0}, {3, 2, 1}, {3, 2, 6}, {14, 13043, 7628}};
    core::TileArchiveStats stats;
    {
        core::MbtilesWriter writer(path);
        for (const auto& t : tiles)
            writer.add(t, hand_made_tile(tile_name(t)));
        CHECK_THROWS_AS(writer.add(tiles[1], "again"), std::invalid_argument);
        stats = writer.finish(hand_made_info());
    }
    CHECK(stats.tiles == 4);
    CHECK(stats.unique_tiles == 4);
    CHECK(stats.file_bytes == std::filesystem::file_size(path));

    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    auto rows = [&](const std::string& sql) {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK);
        while (sqlite3_step(stmt) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
                const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt, c));
                row.emplace_back(data ? std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)))
                                      : std::string());
            }
            out.push_back(row);
        }
        sqlite3_finalize(stmt);
        return out;
    };
    // TMS rows: 2^z - 1 - y, so y 1 at zoom 3 is row 6 and y 6 is row 1.
    std::map<std::string, std::string> by_xyz;
    for (const auto& r : rows("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles"))
        by_xyz[r[0] + "/" + r[1] + "/" + r[2]] = core::gzip_decompress(r[3]);
    CHECK(by_xyz.size() == 4);
    CHECK(by_xyz["0/0/0"] == "tile 0/0/0");
    CHECK(by_xyz["3/2/6"] == "tile 3/2/1");
    CHECK(by_xyz["3/2/1"] == "tile 3/2/6");
    CHECK(by_xyz["14/13043/8755"] == "tile 14/13043/7628");

    std::map<std::string, std::string> metadata;
    for (const auto& r : rows("SELECT name, value FROM metadata"))
        metadata[r[0]] = r[1];
    CHECK(metadata["name"] == "Hội An");
    CHECK(metadata["format"] == "pbf");
    CHECK(metadata["bounds"] == "108.28,15.8,108.71,15.99");
    CHECK(metadata["center"] == "108.335,15.877,4");
    CHECK(metadata["minzoom"] == "2");
    CHECK(metadata["maxzoom"] == "5");
    CHECK(metadata["type"] == "overlay");
    CHECK(metadata["attribution"] == "the test");
    CHECK(nlohmann::json::parse(metadata["json"])["vector_layers"] == hand_made_info().vector_layers);
    // The unique index the spec asks for.
    auto index = rows("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tiles'");
    REQUIRE(index.size() == 1);
    CHECK(index[0][0].find("UNIQUE INDEX") != std::string::npos);
    CHECK(index[0][0].find("zoom_level, tile_column, tile_row") != std::string::npos);
    sqlite3_close(db);
}

TEST_CASE("an unfinished archive leaves the output as it was and no temporary file")
{
    TempDir dir;
    const std::string old_content = "an older archive";
    for (const std::string name : {"kept.mbtiles", "kept.pmtiles"}) {
        const std::string path = dir.file(name);
        test::write_file(path, old_content);
        {
            auto writer = core::open_tile_archive(path);
            writer->add({2, 1, 1}, hand_made_tile("a"));
            // No finish: an error elsewhere ended the run.
        }
        CHECK(test::read_file(path) == old_content);
        CHECK(files_in(dir.path()).count(name) == 1);
    }
    CHECK(files_in(dir.path()) == std::set<std::string>{"kept.mbtiles", "kept.pmtiles"});
    // An empty PMTiles archive is refused (the spec wants non-empty directories).
    {
        core::PmtilesWriter writer(dir.file("empty.pmtiles"));
        CHECK_THROWS_AS(writer.finish(hand_made_info()), core::DataError);
    }
    CHECK(files_in(dir.path()).size() == 2);
    // A finished one replaces the old file.
    {
        auto writer = core::open_tile_archive(dir.file("kept.pmtiles"));
        writer->add({2, 1, 1}, hand_made_tile("a"));
        writer->finish(hand_made_info());
    }
    CHECK(test::read_file(dir.file("kept.pmtiles")).substr(0, 7) == "PMTiles");
    CHECK(files_in(dir.path()).size() == 2);
}

TEST_CASE("the archive format follows the output's extension")
{
    CHECK(core::tile_archive_format("city.mbtiles") == core::TileArchiveFormat::mbtiles);
    CHECK(core::tile_archive_format("out/City.PMTiles") == core::TileArchiveFormat::pmtiles);
    try {
        core::tile_archive_format("city.zip");
        FAIL("no error");
    } catch (const core::UsageError& e) {
        CHECK(std::string(e.what()).find(".mbtiles") != std::string::npos);
        CHECK(std::string(e.what()).find(".pmtiles") != std::string::npos);
    }
    TempDir dir;
    CHECK_THROWS_AS(core::open_tile_archive(dir.file("missing/city.pmtiles")), core::FileError);
    std::filesystem::create_directory(dir.file("folder.pmtiles"));
    CHECK_THROWS_AS(core::open_tile_archive(dir.file("folder.pmtiles")), core::FileError);
}

TEST_CASE("a PMTiles archive whose offsets point past its end, or wrap round, is refused as damaged")
{
    // Found by tests/fuzz/fuzz_pmtiles: a metadata offset near 2^64, whose
    // sum with its length wrapped round to pass the bounds check.
    auto input = std::string(LANTERN_SOURCE_DIR) + "/tests/fuzz/regressions/fuzz_pmtiles/metadata-offset-past-end";
    core::PmtilesReader reader(input);
    CHECK_THROWS_AS(reader.metadata(), core::DataError);
    CHECK_THROWS_AS(reader.tile_entries(), core::DataError);
}
