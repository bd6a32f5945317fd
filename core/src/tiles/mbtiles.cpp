#include <lantern/core/tiles/mbtiles.hpp>

#include <filesystem>
#include <stdexcept>
#include <unordered_set>

#include <lantern/core/base/checksum.hpp>
#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>

#include <lantern/core/base/temporary_output.hpp>
#include <lantern/core/sqlite/sqlite.hpp>

namespace lantern::core {

namespace {

// Degrees with 7 decimals (about a centimetre), trailing zeros dropped.
std::string degrees_text(double value)
{
    std::string text = fixed_text(value, 7);
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.')
        text.pop_back();
    return text;
}

}  // namespace

struct MbtilesWriter::State {
    TemporaryOutput output;
    std::unique_ptr<detail::Database> db;
    std::unique_ptr<detail::Statement> insert;
    std::unordered_set<std::uint64_t> content_hashes;
    TileArchiveStats stats;
    bool finished = false;

    explicit State(std::string path) : output(std::move(path)) {}
};

MbtilesWriter::MbtilesWriter(std::string path) : m_state(std::make_unique<State>(std::move(path)))
{
    auto& s = *m_state;
    try {
        s.db = std::make_unique<detail::Database>(s.output.temporary_path(), detail::Database::Mode::create);
    } catch (const StorageError& e) {
        throw FileError(s.output.path() + ": cannot create the archive: " + e.what());
    }
    // The file becomes the output only once complete, so it needs no journal.
    s.db->exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 4096;");
    s.db->exec(
        "CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);"
        "CREATE UNIQUE INDEX metadata_name ON metadata (name);"
        "CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL,"
        " tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);"
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
        "BEGIN;");
    s.insert = std::make_unique<detail::Statement>(
        *s.db, "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)");
}

MbtilesWriter::~MbtilesWriter()
{
    // Close the database before TemporaryOutput removes its file.
    m_state->insert.reset();
    m_state->db.reset();
}

void MbtilesWriter::add(const TileId& tile, std::string_view gzipped_mvt)
{
    auto& s = *m_state;
    if (s.finished)
        throw std::logic_error("MbtilesWriter::add after finish");
    if (gzipped_mvt.empty())
        throw std::invalid_argument("MbtilesWriter::add: an empty tile");
    if (!tile_exists(tile))
        throw std::invalid_argument("MbtilesWriter::add: no such tile");
    s.insert->reset();
    s.insert->bind(1, std::int64_t{tile.z});
    s.insert->bind(2, std::int64_t{tile.x});
    s.insert->bind(3, std::int64_t{tms_row(tile)});
    s.insert->bind_blob(4, gzipped_mvt.data(), gzipped_mvt.size());
    if (!s.insert->insert_unless_duplicate())
        throw std::invalid_argument("MbtilesWriter::add: tile " + std::to_string(tile.z) + "/" +
                                    std::to_string(tile.x) + "/" + std::to_string(tile.y) +
                                    " added twice");
    ContentHash hash;
    hash.add(gzipped_mvt);
    s.content_hashes.insert(hash.value());
    ++s.stats.tiles;
    s.stats.tile_bytes += gzipped_mvt.size();
}

TileArchiveStats MbtilesWriter::finish(const TileArchiveInfo& info)
{
    auto& s = *m_state;
    if (s.finished)
        throw std::logic_error("MbtilesWriter::finish twice");
    const std::pair<const char*, std::string> metadata[] = {
        {"name", info.name},
        {"format", "pbf"},
        {"bounds", degrees_text(info.bounds.min_x) + "," + degrees_text(info.bounds.min_y) + "," +
                       degrees_text(info.bounds.max_x) + "," + degrees_text(info.bounds.max_y)},
        {"center", degrees_text(info.center_lon) + "," + degrees_text(info.center_lat) + "," +
                       std::to_string(info.center_zoom)},
        {"minzoom", std::to_string(info.min_zoom)},
        {"maxzoom", std::to_string(info.max_zoom)},
        {"type", "overlay"},
        {"version", "1"},
        {"description", info.description},
        {"attribution", info.attribution},
        {"json", nlohmann::json{{"vector_layers", info.vector_layers}}.dump()},
    };
    auto insert = s.db->prepare("INSERT INTO metadata (name, value) VALUES (?, ?)");
    for (const auto& [name, value] : metadata) {
        insert.reset();
        insert.bind(1, std::string_view(name));
        insert.bind(2, std::string_view(value));
        insert.step();
    }
    s.db->exec("COMMIT;");
    s.insert.reset();
    s.db.reset();
    s.output.commit();
    s.finished = true;
    s.stats.unique_tiles = s.content_hashes.size();
    s.stats.file_bytes = std::filesystem::file_size(s.output.path());
    return s.stats;
}

}  // namespace lantern::core
