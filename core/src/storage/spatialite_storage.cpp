// The embedded city database: one SQLite file with SpatiaLite geometry
// columns and R*Tree spatial indexes, in WAL mode so that a process killed in
// the middle of an import leaves the database as it was before the import.
// Rasters are GeoTIFFs beside the database, named after their checksum
// (CITY.NAME.CHECKSUM.tif imported, CITY.result.NAME.CHECKSUM.tif results),
// so a new one never overwrites the file committed metadata points to: a
// staged raster is renamed into place before the metadata commit and the
// files it supersedes are removed after it.

#include "storage_backends.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>  // before spatialite.h, which uses its types
#include <spatialite.h>

#include <lantern/core/base/checksum.hpp>
#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/base/temporary_output.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/results.hpp>

#include "spatialite_blob.hpp"
#include <lantern/core/sqlite/sqlite.hpp>

namespace lantern::core {

namespace {

namespace fs = std::filesystem;
using detail::Database;
using detail::Statement;

constexpr int format_version = 1;
// SRID for a city CRS without an EPSG code (such as a VN-2000 province zone).
constexpr int custom_srid = 990001;
// Analysis results; city databases made before results existed gain this
// table with their first result.
constexpr const char* create_results_sql =
    "CREATE TABLE IF NOT EXISTS lantern_results (name TEXT PRIMARY KEY, kind TEXT NOT NULL, "
    "analysis TEXT NOT NULL, parameters TEXT NOT NULL, created_at TEXT, inputs TEXT NOT NULL, "
    "description TEXT, checksum TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL, path TEXT, "
    "width INTEGER, height INTEGER, pixel_width REAL, pixel_height REAL, unit TEXT, no_data REAL, "
    "table_name TEXT, schema TEXT, feature_count INTEGER)";

// Documents describing classes a city added; databases gain the table with
// the first one.
constexpr const char* create_class_descriptions_sql =
    "CREATE TABLE IF NOT EXISTS lantern_class_descriptions (name TEXT PRIMARY KEY, "
    "document TEXT NOT NULL)";

// Who may write through the tile server, and what they wrote (device
// status); databases gain the tables with the first token and change.
constexpr const char* create_access_tokens_sql =
    "CREATE TABLE IF NOT EXISTS lantern_access_tokens (name TEXT PRIMARY KEY, scope TEXT NOT NULL, "
    "hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT)";
constexpr const char* create_status_audit_sql =
    "CREATE TABLE IF NOT EXISTS lantern_status_audit (id INTEGER PRIMARY KEY, time TEXT NOT NULL, "
    "token TEXT NOT NULL, class TEXT NOT NULL, device TEXT NOT NULL, old_status TEXT, new_status TEXT NOT NULL)";

std::string sql_identifier(const std::string& identifier)
{
    std::string out = "\"";
    for (char c : identifier)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string geometry_type_sql(GeometryKind kind)
{
    switch (kind) {
    case GeometryKind::point: return "POINT";
    case GeometryKind::line: return "MULTILINESTRING";
    case GeometryKind::polygon: return "MULTIPOLYGON";
    case GeometryKind::point_or_polygon: return "GEOMETRY";
    }
    return "GEOMETRY";
}

std::string field_type_sql(FieldType type)
{
    switch (type) {
    case FieldType::integer:
    case FieldType::boolean: return "INTEGER";
    case FieldType::real: return "REAL";
    case FieldType::text: return "TEXT";
    }
    return "TEXT";
}

nlohmann::json bounds_json(const Bounds& b)
{
    return nlohmann::json::array({b.min_x, b.min_y, b.max_x, b.max_y});
}

Bounds bounds_from_json(const nlohmann::json& j)
{
    return {j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>(),
            j.at(3).get<double>()};
}

void bind_value(Statement& stmt, int index, const Value& value)
{
    if (auto* i = std::get_if<std::int64_t>(&value))
        stmt.bind(index, *i);
    else if (auto* d = std::get_if<double>(&value))
        stmt.bind(index, *d);
    else if (auto* s = std::get_if<std::string>(&value))
        stmt.bind(index, std::string_view(*s));
    else
        stmt.bind_null(index);
}

Value read_value(const Statement& stmt, int column)
{
    switch (stmt.column_type(column)) {
    case SQLITE_INTEGER: return stmt.int64(column);
    case SQLITE_FLOAT: return stmt.real(column);
    case SQLITE_TEXT: return stmt.text(column);
    case SQLITE_BLOB: return std::string(stmt.blob_view(column));
    default: return std::monostate{};
    }
}

// Optional text kept as NULL when empty (a token not revoked, a device
// with no status before), and read back as empty.
void bind_text_or_null(Statement& stmt, int index, const std::string& text)
{
    if (text.empty())
        stmt.bind_null(index);
    else
        stmt.bind(index, std::string_view(text));
}

std::string text_or_empty(const Statement& stmt, int column)
{
    return stmt.is_null(column) ? std::string() : stmt.text(column);
}

// The columns read_feature reads, in its order.
std::string select_features_sql(const ClassSchema& schema)
{
    std::string columns = "fid, AsBinary(geom)";
    for (const auto& f : schema.fields)
        columns += ", " + sql_identifier(f.name);
    return "SELECT " + columns + " FROM " + sql_identifier(schema.name);
}

void read_feature(const Statement& stmt, const ClassSchema& schema, StoredFeature& feature)
{
    feature.fid = stmt.int64(0);
    auto wkb = stmt.blob_view(1);
    feature.wkb.assign(wkb.begin(), wkb.end());
    feature.values.resize(schema.fields.size());
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        feature.values[i] = read_value(stmt, static_cast<int>(i) + 2);
}

std::optional<Bounds> read_bounds(const Statement& stmt, int first_column)
{
    if (stmt.is_null(first_column))
        return std::nullopt;
    return Bounds{stmt.real(first_column), stmt.real(first_column + 1),
                  stmt.real(first_column + 2), stmt.real(first_column + 3)};
}

void bind_bounds(Statement& stmt, int first_index, const std::optional<Bounds>& b)
{
    if (!b) {
        for (int k = 0; k < 4; ++k)
            stmt.bind_null(first_index + k);
        return;
    }
    stmt.bind(first_index, b->min_x);
    stmt.bind(first_index + 1, b->min_y);
    stmt.bind(first_index + 2, b->max_x);
    stmt.bind(first_index + 3, b->max_y);
}

// A SQLite connection with SpatiaLite's functions loaded.
class SpatialiteConnection {
public:
    SpatialiteConnection(const std::string& path, Database::Mode mode)
        : m_cache(spatialite_alloc_connection()), m_db(path, mode)
    {
        spatialite_init_ex(m_db.handle(), m_cache, 0);
    }
    ~SpatialiteConnection() { spatialite_cleanup_ex(m_cache); }
    SpatialiteConnection(const SpatialiteConnection&) = delete;
    SpatialiteConnection& operator=(const SpatialiteConnection&) = delete;
    Database& db() { return m_db; }

private:
    void* m_cache;  // destroyed after m_db is closed: members die in reverse order
    Database m_db;
};

// Inserts features in bulk. SpatiaLite keeps its R*Tree index, type check and
// timestamp up to date through per-row triggers that each parse and run SQL;
// for a million rows that costs more than the insert itself. The writer lifts
// those insert triggers for the duration of the transaction, writes the index
// entry itself from the bounds it is given, and puts the triggers back in finish().
// The geometry types are checked before insertion (FeatureRules), and a
// rollback restores the triggers with everything else. The geometry blob is
// written here too (spatialite_blob.hpp); SpatiaLite's GeomFromWKB makes it
// only for WKB the writer does not take.
class SpatialiteWriter : public FeatureWriter {
public:
    SpatialiteWriter(Database& db, const ClassSchema& schema, int srid)
        : m_db(db), m_table(schema.name), m_field_count(schema.fields.size()), m_srid(srid)
    {
        auto triggers = m_db.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND "
            "(name LIKE 'gii\\_%' ESCAPE '\\' OR name LIKE 'ggi\\_%' ESCAPE '\\' OR "
            "name LIKE 'tmi\\_%' ESCAPE '\\')");
        triggers.bind(1, std::string_view(m_table));
        while (triggers.step())
            m_lifted_triggers.emplace_back(triggers.text(0), triggers.text(1));
        for (const auto& [name, sql] : m_lifted_triggers)
            m_db.exec("DROP TRIGGER " + sql_identifier(name));
        m_insert_blob.emplace(m_db.prepare(insert_sql(schema, "?")));
        m_insert_wkb.emplace(m_db.prepare(insert_sql(schema, "GeomFromWKB(?, " + std::to_string(srid) + ")")));
        m_index.emplace(m_db.prepare("INSERT INTO " + sql_identifier("idx_" + m_table + "_geom") +
                                     " (pkid, xmin, xmax, ymin, ymax) VALUES (?, ?, ?, ?, ?)"));
    }

    std::optional<std::int64_t> insert(const std::vector<unsigned char>& wkb,
                                       const std::vector<Value>& values,
                                       const Bounds& bounds) override
    {
        return insert_row(std::nullopt, wkb, values, bounds);
    }

    bool insert_as(std::int64_t fid, const std::vector<unsigned char>& wkb, const std::vector<Value>& values,
                   const Bounds& bounds) override
    {
        return insert_row(fid, wkb, values, bounds).has_value();
    }

    void finish() override
    {
        m_insert_blob.reset();
        m_insert_wkb.reset();
        m_index.reset();
        for (const auto& [name, sql] : m_lifted_triggers)
            m_db.exec(sql);
        auto stamp = m_db.prepare(
            "UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
            "WHERE f_table_name = lower(?) AND f_geometry_column = 'geom'");
        stamp.bind(1, std::string_view(m_table));
        stamp.step();
    }

private:
    // A NULL fid makes SQLite pick the next one.
    std::optional<std::int64_t> insert_row(std::optional<std::int64_t> given_fid, const std::vector<unsigned char>& wkb,
                                           const std::vector<Value>& values, const Bounds& bounds)
    {
        bool blob = detail::spatialite_blob_from_wkb(wkb, m_srid, m_blob);
        auto& stmt = blob ? *m_insert_blob : *m_insert_wkb;
        stmt.reset();
        if (given_fid)
            stmt.bind(1, *given_fid);
        else
            stmt.bind_null(1);
        if (blob)
            stmt.bind_blob(2, m_blob.data(), m_blob.size());
        else
            stmt.bind_blob(2, wkb.data(), wkb.size());
        for (std::size_t i = 0; i < m_field_count; ++i)
            bind_value(stmt, static_cast<int>(i) + 3, values.at(i));
        if (!stmt.insert_unless_duplicate())
            return std::nullopt;
        std::int64_t fid = m_db.last_insert_rowid();
        // The R*Tree stores 32-bit floats rounded outwards, as SpatiaLite's own trigger does.
        auto& index = *m_index;
        index.reset();
        index.bind(1, fid);
        index.bind(2, bounds.min_x);
        index.bind(3, bounds.max_x);
        index.bind(4, bounds.min_y);
        index.bind(5, bounds.max_y);
        index.step();
        return fid;
    }

    static std::string insert_sql(const ClassSchema& schema, const std::string& geometry)
    {
        std::string columns = "fid, geom";
        std::string params = "?, " + geometry;
        for (const auto& f : schema.fields) {
            columns += ", " + sql_identifier(f.name);
            params += ", ?";
        }
        return "INSERT INTO " + sql_identifier(schema.name) + " (" + columns + ") VALUES (" + params + ")";
    }

    Database& m_db;
    std::string m_table;
    std::size_t m_field_count;
    int m_srid;
    std::vector<std::pair<std::string, std::string>> m_lifted_triggers;
    std::optional<Statement> m_insert_blob;  // a blob made here
    std::optional<Statement> m_insert_wkb;   // WKB for SpatiaLite to convert
    std::vector<unsigned char> m_blob;
    std::optional<Statement> m_index;
};

class SpatialiteStorage : public Storage {
public:
    SpatialiteStorage(const std::string& path, Database::Mode mode)
        : m_conn(std::make_unique<SpatialiteConnection>(path, mode)), m_path(path)
    {
    }

    // Commits through a write-ahead log: a writer cut short (a full disk,
    // kill -9) leaves frames that readers ignore, where a rollback journal
    // would leave a hot journal that read-only readers cannot roll back. A
    // city copied with VACUUM INTO, say, comes without it; the first writer
    // puts it back (a no-op when it is there).
    void use_write_ahead_log() { db().exec("PRAGMA journal_mode=WAL"); }

    // Checks that this is a Lantern city database and loads its header.
    void load()
    {
        // A file that is not SQLite fails here already (Database::fail says so).
        auto has_metadata = db().prepare(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lantern_city'");
        if (!has_metadata.step())
            throw StorageError(m_path + ": not a city database (no Lantern metadata)");
        auto stmt = db().prepare("SELECT key, value FROM lantern_city");
        while (stmt.step())
            m_city_values[stmt.text(0)] = stmt.text(1);
        auto version = metadata_integer("format_version");
        auto srid = metadata_integer("srid");
        if (!version || !srid)
            throw StorageError(m_path + ": not a city database (damaged Lantern metadata)");
        if (*version > format_version)
            throw StorageError(m_path + ": city database format " + std::to_string(*version) +
                               " is newer than this Lantern understands (" +
                               std::to_string(format_version) + ")");
        m_srid = *srid;
    }

    void initialize(const std::string& name, const Crs& crs, const std::optional<Bounds>& bounds)
    {
        db().exec("PRAGMA journal_mode=WAL");
        db().exec("BEGIN");
        db().exec("SELECT InitSpatialMetadata(0, 'NONE')");
        m_srid = register_srid(crs);
        db().exec("CREATE TABLE lantern_city (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        db().exec(
            "CREATE TABLE lantern_classes (name TEXT PRIMARY KEY, source TEXT, imported_at TEXT, "
            "feature_count INTEGER, checksum TEXT, min_x REAL, min_y REAL, max_x REAL, max_y REAL)");
        db().exec(
            "CREATE TABLE lantern_rasters (name TEXT PRIMARY KEY, path TEXT NOT NULL, source TEXT, "
            "imported_at TEXT, checksum TEXT, width INTEGER, height INTEGER, pixel_width REAL, "
            "pixel_height REAL, min_x REAL, min_y REAL, max_x REAL, max_y REAL)");
        db().exec(create_results_sql);
        auto put = db().prepare("INSERT INTO lantern_city (key, value) VALUES (?, ?)");
        auto put_value = [&](const std::string& key, const std::string& value) {
            put.reset();
            put.bind(1, std::string_view(key));
            put.bind(2, std::string_view(value));
            put.step();
            m_city_values[key] = value;
        };
        put_value("format_version", std::to_string(format_version));
        put_value("name", name);
        put_value("crs", crs.definition());
        put_value("crs_wkt", crs.wkt());
        put_value("srid", std::to_string(m_srid));
        put_value("created_at", utc_now());
        if (bounds)
            put_value("bounds", bounds_json(*bounds).dump());
        db().exec("COMMIT");
    }

    const std::string& location() const override { return m_path; }

    CityRecord city() const override
    {
        CityRecord record;
        record.name = m_city_values.at("name");
        record.crs = m_city_values.at("crs");
        record.created_at = m_city_values.at("created_at");
        if (auto it = m_city_values.find("bounds"); it != m_city_values.end())
            record.bounds = bounds_from_json(nlohmann::json::parse(it->second));
        return record;
    }

    std::vector<ClassRecord> class_records() const override
    {
        return read_class_records("");
    }

    std::optional<ClassRecord> class_record(const std::string& name) const override
    {
        auto records = read_class_records(name);
        if (records.empty())
            return std::nullopt;
        return records.front();
    }

    std::vector<RasterRecord> raster_records() const override
    {
        std::vector<RasterRecord> out;
        auto stmt = db().prepare(
            "SELECT name, path, source, imported_at, checksum, width, height, pixel_width, "
            "pixel_height, min_x, min_y, max_x, max_y FROM lantern_rasters ORDER BY name");
        while (stmt.step()) {
            RasterRecord r;
            r.name = stmt.text(0);
            r.path = stmt.text(1);
            r.source = stmt.text(2);
            r.imported_at = stmt.text(3);
            r.checksum = stmt.text(4);
            r.width = static_cast<int>(stmt.int64(5));
            r.height = static_cast<int>(stmt.int64(6));
            r.pixel_width = stmt.real(7);
            r.pixel_height = stmt.real(8);
            r.extent = read_bounds(stmt, 9).value_or(Bounds{});
            out.push_back(r);
        }
        return out;
    }

    RasterDataset open_raster(const std::string& name) const override
    {
        std::string file = raster_file(name);
        std::error_code ec;
        if (!fs::exists(file, ec))
            throw FileError(file + ": the file of raster " + name + " is missing");
        ensure_gdal();
        ScopedGdalErrors quiet;
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
        if (!ds)
            throw DataError(file + ": cannot read raster " + name + " (" +
                            ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
        return RasterDataset(std::move(ds), file);
    }

    void save_raster(const std::string& name, const std::string& target) const override
    {
        std::string file = raster_file(name);
        std::error_code ec;
        if (!fs::copy_file(file, target, fs::copy_options::overwrite_existing, ec))
            throw FileError(file + ": cannot copy raster " + name + " to " + target + " (" + ec.message() + ")");
    }

    RasterState raster_state(const std::string& name) const override
    {
        RasterState state;
        state.where = raster_file(name);
        std::error_code ec;
        if (fs::exists(state.where, ec))
            state.checksum = file_checksum(state.where);
        return state;
    }

    std::vector<ResultRecord> result_records() const override { return read_result_records(""); }

    std::optional<ResultRecord> result_record(const std::string& name) const override
    {
        auto records = read_result_records(name);
        if (records.empty())
            return std::nullopt;
        return records.front();
    }

    std::int64_t change_counter() const override
    {
        auto stmt = db().prepare("PRAGMA data_version");
        stmt.step();
        return stmt.int64(0);
    }

    bool has_class(const std::string& name) const override
    {
        auto stmt = db().prepare(
            "SELECT 1 FROM geometry_columns WHERE f_table_name = lower(?) LIMIT 1");
        stmt.bind(1, std::string_view(name));
        return stmt.step();
    }

    void scan(const ClassSchema& schema,
              const std::function<void(const StoredFeature&)>& visit) const override
    {
        auto stmt = db().prepare(select_features_sql(schema) + " ORDER BY fid");
        StoredFeature feature;
        while (stmt.step()) {
            read_feature(stmt, schema, feature);
            visit(feature);
        }
    }

    std::vector<StoredFeature> find(const ClassSchema& schema, const std::string& field,
                                    const Value& value) const override
    {
        auto stmt = db().prepare(select_features_sql(schema) + " WHERE " + sql_identifier(field) +
                                 " = ? ORDER BY fid");
        bind_value(stmt, 1, value);
        std::vector<StoredFeature> found;
        while (stmt.step())
            read_feature(stmt, schema, found.emplace_back());
        return found;
    }

    std::vector<AccessToken> access_tokens() const override
    {
        std::vector<AccessToken> tokens;
        if (!has_table("lantern_access_tokens"))
            return tokens;
        auto stmt = db().prepare(
            "SELECT name, scope, hash, created_at, revoked_at FROM lantern_access_tokens ORDER BY created_at, name");
        while (stmt.step())
            tokens.push_back({stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3),
                              text_or_empty(stmt, 4)});
        return tokens;
    }

    std::vector<StatusChange> status_changes() const override
    {
        std::vector<StatusChange> changes;
        if (!has_table("lantern_status_audit"))
            return changes;
        auto stmt = db().prepare("SELECT time, token, class, device, old_status, new_status "
                                 "FROM lantern_status_audit ORDER BY id");
        while (stmt.step())
            changes.push_back({stmt.text(0), stmt.text(1), stmt.text(2), stmt.text(3),
                               text_or_empty(stmt, 4), stmt.text(5)});
        return changes;
    }

    std::int64_t count(const std::string& name) const override
    {
        auto stmt = db().prepare("SELECT count(*) FROM " + sql_identifier(name));
        stmt.step();
        return stmt.int64(0);
    }

    std::optional<Bounds> extent(const std::string& name) const override
    {
        auto stmt = db().prepare("SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), "
                                 "max(MbrMaxX(geom)), max(MbrMaxY(geom)) FROM " +
                                 sql_identifier(name));
        stmt.step();
        return read_bounds(stmt, 0);
    }

    std::vector<std::string> index_problems(const ClassSchema& schema) const override
    {
        // Every row has one R*Tree entry whose box holds the geometry's box
        // (the R*Tree keeps 32-bit floats, rounded outwards), and no entry is
        // left over. SpatiaLite's CheckSpatialIndex would write to the database.
        std::vector<std::string> problems;
        std::string table = sql_identifier(schema.name);
        std::string index = sql_identifier("idx_" + schema.name + "_geom");
        auto missing = db().prepare(
            "SELECT count(*) FROM " + table + " t LEFT JOIN " + index +
            " i ON i.pkid = t.fid WHERE t.geom IS NOT NULL AND (i.pkid IS NULL OR "
            "i.xmin > MbrMinX(t.geom) OR i.xmax < MbrMaxX(t.geom) OR "
            "i.ymin > MbrMinY(t.geom) OR i.ymax < MbrMaxY(t.geom))");
        missing.step();
        if (missing.int64(0) > 0)
            problems.push_back("the spatial index misses or misplaces " +
                               std::to_string(missing.int64(0)) + " features");
        auto extra = db().prepare("SELECT count(*) FROM " + index + " WHERE pkid NOT IN (SELECT fid FROM " +
                                  table + " WHERE geom IS NOT NULL)");
        extra.step();
        if (extra.int64(0) > 0)
            problems.push_back("the spatial index has " + std::to_string(extra.int64(0)) +
                               " entries without a feature");
        return problems;
    }

    std::vector<std::string> integrity_problems() const override
    {
        std::vector<std::string> problems;
        auto check = db().prepare("PRAGMA quick_check");
        while (check.step())
            if (check.text(0) != "ok")
                problems.push_back(check.text(0));
        return problems;
    }

    void begin() override
    {
        forget_staged();
        // A large page cache keeps a bulk write's pages in memory: each page
        // the cache has to give up goes to the WAL, and reading it back looks
        // through the WAL's whole index, which grows with the transaction
        // (a million lit areas write 1.4 GB, and pages freed by the table
        // they replace are read back). 2 GB holds them; memory is taken
        // only as pages are written.
        db().exec("PRAGMA cache_size = -2097152");
        // Debian builds SQLite with secure delete on: every page a dropped
        // table frees is zeroed, through the WAL and again at checkpoint, so
        // replacing a result of 3 GB wrote 6 GB more. FAST zeroes only
        // within pages that are written anyway.
        db().exec("PRAGMA secure_delete = FAST");
        db().exec("BEGIN IMMEDIATE");
    }
    void commit() override
    {
        std::vector<std::string> placed;  // files new in the folder, gone again if the commit fails
        std::set<std::string> kept;
        try {
            for (auto& [name, staged] : m_staged) {
                if (!staged.recorded)
                    continue;
                // The same name is the same checksum: an identical file may be there already.
                auto target = file_at(staged.location);
                std::error_code ec;
                bool existed = fs::exists(target, ec);
                staged.output->commit_as(target);
                if (!existed)
                    placed.push_back(target);
                kept.insert(staged.location);
            }
            db().exec("COMMIT");
        } catch (...) {
            std::error_code ec;
            for (const auto& file : placed)
                fs::remove(file, ec);
            throw;
        }
        // Only now that no record points to them are the files replaced removed.
        std::error_code ec;
        for (const auto& location : m_superseded)
            if (!kept.count(location))
                fs::remove(file_at(location), ec);
        forget_staged();
    }

    void rollback() override
    {
        forget_staged();
        db().exec("ROLLBACK");
    }

    StagedRaster stage_raster(RasterRole role, const std::string& name,
                              const std::function<void(const std::string& target)>& write) override
    {
        std::string base = fs::path(m_path).stem().string() + (role == RasterRole::result ? ".result." : ".") + name;
        auto output = std::make_unique<TemporaryOutput>(file_at(base + ".tif"));
        write(output->temporary_path());
        StagedRaster staged;
        staged.checksum = file_checksum(output->temporary_path());
        auto written = open_raster_file(output->temporary_path());
        staged.frame = written.frame();
        staged.no_data = written.no_data();
        staged.location = base + "." + staged.checksum + ".tif";
        m_staged[name] = StagedFile{std::move(output), staged.location, false};
        return staged;
    }

    void prepare_class(const ClassSchema& schema, bool replace) override
    {
        if (has_class(schema.name)) {
            if (replace)
                db().exec("DELETE FROM " + sql_identifier(schema.name));
            return;
        }
        std::string columns = "fid INTEGER PRIMARY KEY";
        for (const auto& f : schema.fields)
            columns += ", " + sql_identifier(f.name) + " " + field_type_sql(f.type);
        db().exec("CREATE TABLE " + sql_identifier(schema.name) + " (" + columns + ")");
        auto add = db().prepare("SELECT AddGeometryColumn(?, 'geom', ?, ?, 'XY', 1)");
        add.bind(1, std::string_view(schema.name));
        add.bind(2, std::int64_t{m_srid});
        add.bind(3, std::string_view(geometry_type_sql(schema.geometry)));
        if (!add.step() || add.int64(0) != 1)
            throw StorageError(m_path + ": cannot add the geometry column of " + schema.name);
        auto index = db().prepare("SELECT CreateSpatialIndex(?, 'geom')");
        index.bind(1, std::string_view(schema.name));
        if (!index.step() || index.int64(0) != 1)
            throw StorageError(m_path + ": cannot create the spatial index of " + schema.name);
        if (!schema.id_field.empty())
            db().exec("CREATE UNIQUE INDEX " + sql_identifier(schema.name + "_" + schema.id_field) + " ON " +
                      sql_identifier(schema.name) + " (" + sql_identifier(schema.id_field) + ")");
    }

    std::unique_ptr<FeatureWriter> writer(const ClassSchema& schema) override
    {
        return std::make_unique<SpatialiteWriter>(db(), schema, m_srid);
    }

    void set_value(const ClassSchema& schema, std::int64_t fid, const std::string& field,
                   const Value& value) override
    {
        auto stmt = db().prepare("UPDATE " + sql_identifier(schema.name) + " SET " + sql_identifier(field) +
                                 " = ? WHERE fid = ?");
        bind_value(stmt, 1, value);
        stmt.bind(2, fid);
        stmt.step();
    }

    void remove_features(const ClassSchema& schema, const std::string& field, const Value& value) override
    {
        // SpatiaLite's triggers take the features out of the spatial index.
        auto stmt = db().prepare("DELETE FROM " + sql_identifier(schema.name) + " WHERE " +
                                 sql_identifier(field) + " = ?");
        bind_value(stmt, 1, value);
        stmt.step();
    }

    void put_access_token(const AccessToken& token) override
    {
        db().exec(create_access_tokens_sql);
        auto stmt = db().prepare("INSERT OR REPLACE INTO lantern_access_tokens "
                                 "(name, scope, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)");
        stmt.bind(1, std::string_view(token.name));
        stmt.bind(2, std::string_view(token.scope));
        stmt.bind(3, std::string_view(token.hash));
        stmt.bind(4, std::string_view(token.created_at));
        bind_text_or_null(stmt, 5, token.revoked_at);
        stmt.step();
    }

    void append_status_change(const StatusChange& change) override
    {
        db().exec(create_status_audit_sql);
        auto stmt = db().prepare("INSERT INTO lantern_status_audit "
                                 "(time, token, class, device, old_status, new_status) VALUES (?, ?, ?, ?, ?, ?)");
        stmt.bind(1, std::string_view(change.time));
        stmt.bind(2, std::string_view(change.token));
        stmt.bind(3, std::string_view(change.class_name));
        stmt.bind(4, std::string_view(change.device));
        bind_text_or_null(stmt, 5, change.old_status);
        stmt.bind(6, std::string_view(change.new_status));
        stmt.step();
    }

    void put_class_record(const ClassRecord& r) override
    {
        auto stmt = db().prepare(
            "INSERT OR REPLACE INTO lantern_classes (name, source, imported_at, feature_count, "
            "checksum, min_x, min_y, max_x, max_y) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        stmt.bind(1, std::string_view(r.name));
        stmt.bind(2, std::string_view(r.source));
        stmt.bind(3, std::string_view(r.imported_at));
        stmt.bind(4, r.feature_count);
        stmt.bind(5, std::string_view(r.checksum));
        bind_bounds(stmt, 6, r.extent);
        stmt.step();
    }

    void put_raster_record(const RasterRecord& r) override
    {
        note_replaced(recorded_path("SELECT path FROM lantern_rasters WHERE name = ?", r.name), r.name, r.path);
        auto stmt = db().prepare(
            "INSERT OR REPLACE INTO lantern_rasters (name, path, source, imported_at, checksum, "
            "width, height, pixel_width, pixel_height, min_x, min_y, max_x, max_y) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        stmt.bind(1, std::string_view(r.name));
        stmt.bind(2, std::string_view(r.path));
        stmt.bind(3, std::string_view(r.source));
        stmt.bind(4, std::string_view(r.imported_at));
        stmt.bind(5, std::string_view(r.checksum));
        stmt.bind(6, std::int64_t{r.width});
        stmt.bind(7, std::int64_t{r.height});
        stmt.bind(8, r.pixel_width);
        stmt.bind(9, r.pixel_height);
        bind_bounds(stmt, 10, r.extent);
        stmt.step();
    }

    void put_result_record(const ResultRecord& r) override
    {
        db().exec(create_results_sql);
        note_replaced(recorded_path(result_path_sql, r.name), r.name,
                      r.kind == ResultKind::raster ? r.path : std::string());
        nlohmann::json inputs = nlohmann::json::array();
        for (const auto& input : r.inputs)
            inputs.push_back({{"name", input.name}, {"checksum", input.checksum}});
        bool features = r.kind == ResultKind::features;
        auto stmt = db().prepare(
            "INSERT OR REPLACE INTO lantern_results (name, kind, analysis, parameters, created_at, "
            "inputs, description, checksum, min_x, min_y, max_x, max_y, path, width, height, "
            "pixel_width, pixel_height, unit, no_data, table_name, schema, feature_count) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        stmt.bind(1, std::string_view(r.name));
        stmt.bind(2, std::string_view(to_string(r.kind)));
        stmt.bind(3, std::string_view(r.analysis));
        stmt.bind(4, std::string_view(r.parameters.dump()));
        stmt.bind(5, std::string_view(r.created_at));
        stmt.bind(6, std::string_view(inputs.dump()));
        stmt.bind(7, std::string_view(r.description));
        stmt.bind(8, std::string_view(r.checksum));
        bind_bounds(stmt, 9, r.extent);
        if (features) {
            for (int k = 13; k <= 19; ++k)
                stmt.bind_null(k);
            stmt.bind(20, std::string_view(r.schema.name));
            stmt.bind(21, std::string_view(schema_to_json(r.schema).dump()));
            stmt.bind(22, r.feature_count);
        } else {
            stmt.bind(13, std::string_view(r.path));
            stmt.bind(14, std::int64_t{r.width});
            stmt.bind(15, std::int64_t{r.height});
            stmt.bind(16, r.pixel_width);
            stmt.bind(17, r.pixel_height);
            stmt.bind(18, std::string_view(r.unit));
            if (r.no_data)
                stmt.bind(19, *r.no_data);
            else
                stmt.bind_null(19);
            for (int k = 20; k <= 22; ++k)
                stmt.bind_null(k);
        }
        stmt.step();
    }

    std::map<std::string, std::string> class_descriptions() const override
    {
        std::map<std::string, std::string> out;
        if (!has_table("lantern_class_descriptions"))
            return out;
        auto stmt = db().prepare("SELECT name, document FROM lantern_class_descriptions");
        while (stmt.step())
            out[stmt.text(0)] = stmt.text(1);
        return out;
    }

    void put_class_description(const std::string& name, const std::string& document) override
    {
        db().exec(create_class_descriptions_sql);
        auto stmt = db().prepare(
            "INSERT OR REPLACE INTO lantern_class_descriptions (name, document) VALUES (?, ?)");
        stmt.bind(1, std::string_view(name));
        stmt.bind(2, std::string_view(document));
        stmt.step();
    }

    void drop_result(const std::string& name) override
    {
        auto record = result_record(name);
        if (!record)
            return;
        if (record->kind == ResultKind::features && has_class(record->schema.name)) {
            // SpatiaLite's DropTable takes the geometry column's metadata, its
            // R*Tree and triggers with the table.
            auto drop = db().prepare("SELECT DropTable(NULL, ?)");
            drop.bind(1, std::string_view(record->schema.name));
            if (!drop.step() || drop.int64(0) != 1)
                throw StorageError(m_path + ": cannot drop the table of result " + name);
        }
        if (record->kind == ResultKind::raster)
            m_superseded.push_back(record->path);
        auto forget = db().prepare("DELETE FROM lantern_results WHERE name = ?");
        forget.bind(1, std::string_view(name));
        forget.step();
    }

private:
    static constexpr const char* result_path_sql =
        "SELECT path FROM lantern_results WHERE name = ? AND kind = 'raster'";

    // A raster written in this transaction, to be put in place on commit
    // when a record names its location.
    struct StagedFile {
        std::unique_ptr<TemporaryOutput> output;
        std::string location;
        bool recorded = false;
    };

    Database& db() const { return m_conn->db(); }

    std::string file_at(const std::string& location) const
    {
        return (fs::absolute(m_path).parent_path() / location).string();
    }

    std::optional<std::string> recorded_path(const std::string& sql, const std::string& name) const
    {
        if (sql == result_path_sql && !has_results_table())
            return std::nullopt;
        auto stmt = db().prepare(sql);
        stmt.bind(1, std::string_view(name));
        if (!stmt.step())
            return std::nullopt;
        return stmt.text(0);
    }

    // The file of an imported raster or a raster result, by name.
    std::string raster_file(const std::string& name) const
    {
        auto path = recorded_path("SELECT path FROM lantern_rasters WHERE name = ?", name);
        if (!path)
            path = recorded_path(result_path_sql, name);
        if (!path)
            throw UsageError(m_path + ": the city has no raster " + name);
        return file_at(*path);
    }

    // A record of `name` now points to location (empty: to no raster):
    // keep its staged raster, drop the file it pointed to before.
    void note_replaced(const std::optional<std::string>& before, const std::string& name,
                       const std::string& location)
    {
        if (before && *before != location)
            m_superseded.push_back(*before);
        if (auto it = m_staged.find(name); it != m_staged.end() && it->second.location == location)
            it->second.recorded = true;
    }

    void forget_staged()
    {
        m_staged.clear();  // their temporaries go with them
        m_superseded.clear();
    }

    bool has_results_table() const { return has_table("lantern_results"); }

    bool has_table(std::string_view name) const
    {
        auto stmt = db().prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
        stmt.bind(1, name);
        return stmt.step();
    }

    std::vector<ResultRecord> read_result_records(const std::string& only) const
    {
        std::vector<ResultRecord> out;
        if (!has_results_table())
            return out;
        std::string sql =
            "SELECT name, kind, analysis, parameters, created_at, inputs, description, checksum, "
            "min_x, min_y, max_x, max_y, path, width, height, pixel_width, pixel_height, unit, "
            "no_data, schema, feature_count FROM lantern_results";
        sql += only.empty() ? " ORDER BY name" : " WHERE name = ?";
        auto stmt = db().prepare(sql);
        if (!only.empty())
            stmt.bind(1, std::string_view(only));
        while (stmt.step()) {
            ResultRecord r;
            r.name = stmt.text(0);
            try {
                auto kind = result_kind_from_string(stmt.text(1));
                if (!kind)
                    throw std::invalid_argument("unknown kind '" + stmt.text(1) + "'");
                r.kind = *kind;
                r.analysis = stmt.text(2);
                r.parameters = nlohmann::json::parse(stmt.text(3));
                r.created_at = stmt.text(4);
                for (const auto& input : nlohmann::json::parse(stmt.text(5)))
                    r.inputs.push_back({input.at("name").get<std::string>(),
                                        input.at("checksum").get<std::string>()});
                r.description = stmt.text(6);
                r.checksum = stmt.text(7);
                r.extent = read_bounds(stmt, 8);
                if (r.kind == ResultKind::raster) {
                    r.path = stmt.text(12);
                    r.width = static_cast<int>(stmt.int64(13));
                    r.height = static_cast<int>(stmt.int64(14));
                    r.pixel_width = stmt.real(15);
                    r.pixel_height = stmt.real(16);
                    r.unit = stmt.text(17);
                    if (!stmt.is_null(18))
                        r.no_data = stmt.real(18);
                } else {
                    r.schema = schema_from_json(nlohmann::json::parse(stmt.text(19)));
                    r.feature_count = stmt.int64(20);
                }
            } catch (const Error&) {
                throw;
            } catch (const std::exception& e) {
                throw StorageError(m_path + ": the record of result " + r.name + " is damaged (" +
                                   e.what() + ")");
            }
            out.push_back(std::move(r));
        }
        return out;
    }

    int register_srid(const Crs& crs)
    {
        if (auto code = crs.epsg()) {
            auto stmt = db().prepare("SELECT InsertEpsgSrid(?)");
            stmt.bind(1, std::int64_t{*code});
            if (stmt.step() && stmt.int64(0) == 1)
                return *code;
        }
        auto stmt = db().prepare(
            "INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, ref_sys_name, proj4text, "
            "srtext) VALUES (?, 'lantern', ?, ?, ?, ?)");
        stmt.bind(1, std::int64_t{custom_srid});
        stmt.bind(2, std::int64_t{custom_srid});
        stmt.bind(3, std::string_view(crs.name()));
        stmt.bind(4, std::string_view(crs.proj4()));
        stmt.bind(5, std::string_view(crs.wkt()));
        stmt.step();
        return custom_srid;
    }

    std::vector<ClassRecord> read_class_records(const std::string& only) const
    {
        std::string sql =
            "SELECT name, source, imported_at, feature_count, checksum, min_x, min_y, max_x, "
            "max_y FROM lantern_classes";
        sql += only.empty() ? " ORDER BY name" : " WHERE name = ?";
        auto stmt = db().prepare(sql);
        if (!only.empty())
            stmt.bind(1, std::string_view(only));
        std::vector<ClassRecord> out;
        while (stmt.step()) {
            ClassRecord r;
            r.name = stmt.text(0);
            r.source = stmt.text(1);
            r.imported_at = stmt.text(2);
            r.feature_count = stmt.int64(3);
            r.checksum = stmt.text(4);
            r.extent = read_bounds(stmt, 5);
            out.push_back(r);
        }
        return out;
    }

    // An integer of the city's metadata; none when it is missing or not one.
    std::optional<int> metadata_integer(const std::string& key) const
    {
        auto it = m_city_values.find(key);
        return it == m_city_values.end() ? std::nullopt : parse_integer<int>(it->second);
    }

    std::unique_ptr<SpatialiteConnection> m_conn;
    std::string m_path;
    std::map<std::string, std::string> m_city_values;
    int m_srid = 0;
    std::map<std::string, StagedFile> m_staged;  // by raster name
    std::vector<std::string> m_superseded;       // locations the transaction's records no longer point to
};

bool has_write_permission(const std::string& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        return false;
    // Root passes access(W_OK) on any file, so a file with no write bit at all
    // is also taken as the owner's wish that it stays unchanged.
    return (st.st_mode & 0222) != 0 && ::access(path.c_str(), W_OK) == 0;
}

bool starts_with(const std::string& text, const std::string& prefix)
{
    return text.rfind(prefix, 0) == 0;
}

bool ends_with(const std::string& text, const std::string& suffix)
{
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::unique_ptr<Storage> open_spatialite_city(const std::string& path, Access access)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw StorageError(path + ": no such city database", Choice::missing_city);
    if (fs::is_directory(path, ec))
        throw StorageError(path + ": not a city database (it is a folder)");
    if (access == Access::read_write && !has_write_permission(path))
        throw StorageError(path + ": the city database is read-only");
    auto storage = std::make_unique<SpatialiteStorage>(
        path, access == Access::read_only ? Database::Mode::read_only : Database::Mode::read_write);
    storage->load();
    if (access == Access::read_write)
        storage->use_write_ahead_log();
    return storage;
}

std::unique_ptr<Storage> create_spatialite_city(const std::string& path, const std::string& name,
                                                const Crs& crs, const std::optional<Bounds>& bounds)
{
    std::error_code ec;
    if (fs::exists(path, ec))
        throw FileError(path + ": already exists", Choice::existing_city);
    // Built under a temporary name and renamed, so a failed init leaves nothing.
    TemporaryOutput output(path);
    {
        SpatialiteStorage storage(output.temporary_path(), Database::Mode::create);
        storage.initialize(name, crs, bounds);
    }
    output.commit();
    return open_spatialite_city(path, Access::read_write);
}

void remove_spatialite_city(const std::string& path)
{
    fs::path db(path);
    fs::path folder = fs::absolute(db).parent_path();
    std::string file = db.filename().string(), stem = db.stem().string();
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        return;
    std::vector<fs::path> owned;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        auto name = entry.path().filename().string();
        bool database = name == file || name == file + "-wal" || name == file + "-shm" || name == file + "-journal";
        bool raster = starts_with(name, stem + ".") && ends_with(name, ".tif");
        bool temporary = starts_with(name, "." + stem + ".") && name.find(".tmp-") != std::string::npos;
        if (database || raster || temporary)
            owned.push_back(entry.path());
    }
    for (const auto& p : owned)
        fs::remove_all(p, ec);
}

}  // namespace lantern::core
