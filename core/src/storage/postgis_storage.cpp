// The city database on PostgreSQL with PostGIS, for an office of editors,
// QGIS on every desk and servers side by side: one schema per city, its
// feature classes and feature results ordinary PostGIS tables (fid primary
// key, typed columns, a geometry column with the city's SRID and a GiST
// index), Lantern's records in lantern_* tables beside them, and rasters as
// their GeoTIFF bytes in lantern_raster_cells, in chunks (docs/architecture.md
// says why not PostGIS raster or large objects).
//
// Writers: a transaction per import or analysis (READ COMMITTED); a writer
// takes a transaction-scoped advisory lock on each class or result it writes,
// so two writers of one class queue (5 s, then "busy") while writers of
// different ones run side by side. A result's table is emptied rather than
// dropped when its columns stay the same, so readers of the old rows never
// wait for the analysis; tables that must go are dropped at commit. Every
// commit that wrote notifies lantern_<schema>, which is how servers learn of
// changes (change_counter) without asking.

#include "storage_backends.hpp"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <unordered_set>

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <lantern/core/base/checksum.hpp>
#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/results.hpp>

#include "postgres_connection.hpp"

namespace lantern::core {

namespace {

namespace fs = std::filesystem;
using detail::CopyRow;
using detail::PgConnection;
using detail::PgParams;
using detail::PgResult;
using detail::quote_identifier;

constexpr int format_version = 1;
// Custom SRIDs (a VN-2000 zone, say) are numbered from here, within the
// range PostGIS leaves to users.
constexpr int first_custom_srid = 990001;
constexpr int last_custom_srid = 998999;
// Raster bytes per row of lantern_raster_cells.
constexpr std::size_t raster_chunk_bytes = 1 << 20;
// Rows per query when scanning a table, so a million features never sit in
// memory at once.
constexpr int scan_batch = 20000;
// PostgreSQL cuts longer identifiers short.
constexpr std::size_t max_identifier_bytes = 63;

std::string geometry_type_sql(GeometryKind kind)
{
    switch (kind) {
    case GeometryKind::point: return "Point";
    case GeometryKind::line: return "MultiLineString";
    case GeometryKind::polygon: return "MultiPolygon";
    case GeometryKind::point_or_polygon: return "Geometry";
    }
    return "Geometry";
}

std::string field_type_sql(FieldType type)
{
    switch (type) {
    case FieldType::integer:
    case FieldType::boolean: return "bigint";
    case FieldType::real: return "double precision";
    case FieldType::text: return "text";
    }
    return "text";
}

nlohmann::json bounds_json(const Bounds& b)
{
    return nlohmann::json::array({b.min_x, b.min_y, b.max_x, b.max_y});
}

std::optional<Bounds> read_bounds(const PgResult& r, int row, int first_column)
{
    if (r.is_null(row, first_column))
        return std::nullopt;
    return Bounds{r.real(row, first_column), r.real(row, first_column + 1), r.real(row, first_column + 2),
                  r.real(row, first_column + 3)};
}

void add_bounds(PgParams& params, const std::optional<Bounds>& b)
{
    if (!b) {
        for (int k = 0; k < 4; ++k)
            params.null();
        return;
    }
    params.real(b->min_x).real(b->min_y).real(b->max_x).real(b->max_y);
}

FieldType field_type(const ClassSchema& schema, const std::string& field)
{
    const auto* def = schema.field(field);
    return def ? def->type : FieldType::text;
}

// WKB as PostGIS's binary input takes it with the SRID: EWKB, the SRID flag
// set on the outer type and the SRID after it.
std::string ewkb_with_srid(const std::vector<unsigned char>& wkb, int srid)
{
    std::string out(reinterpret_cast<const char*>(wkb.data()), wkb.size());
    if (wkb.size() < 5)
        return out;  // PostGIS refuses it, naming the problem
    bool little = wkb[0] == 1;
    auto put32 = [&](std::size_t at, std::uint32_t v, bool insert) {
        char bytes[4];
        for (int i = 0; i < 4; ++i)
            bytes[i] = static_cast<char>(little ? (v >> (8 * i)) & 0xff : (v >> (8 * (3 - i))) & 0xff);
        if (insert)
            out.insert(at, bytes, 4);
        else
            out.replace(at, 4, bytes, 4);
    };
    std::uint32_t type = 0;
    for (int i = 0; i < 4; ++i)
        type |= static_cast<std::uint32_t>(wkb[little ? 1 + i : 4 - i]) << (8 * i);
    put32(1, type | 0x20000000u, false);
    put32(5, static_cast<std::uint32_t>(srid), true);
    return out;
}

// A key of an id value for the duplicate check; the type tag keeps 1 and "1" apart.
std::string id_key(const Value& value)
{
    if (auto* i = std::get_if<std::int64_t>(&value))
        return "i" + std::to_string(*i);
    if (auto* d = std::get_if<double>(&value)) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "r%.17g", *d);
        return buffer;
    }
    if (auto* s = std::get_if<std::string>(&value))
        return "t" + *s;
    return {};
}

// A file under the system's temporary folder, removed with this object.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& suffix)
    {
        std::random_device rd;
        m_path = (fs::temp_directory_path() / ("lantern-raster-" + std::to_string(rd()) + "-" +
                                               std::to_string(rd()) + suffix))
                     .string();
    }
    ~ScratchFile()
    {
        std::error_code ec;
        fs::remove(m_path, ec);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

class PostgisStorage;

// Inserts features with COPY in binary: the fids are given here (after the
// table's largest), so insert() can answer at once, and an id already there
// is caught before it is sent.
class PostgisWriter : public FeatureWriter {
public:
    // rows_in is called once the rows are sent, before the table is analysed.
    PostgisWriter(PgConnection& conn, std::string table, const ClassSchema& schema, int srid,
                  std::function<void()> rows_in)
        : m_conn(conn), m_table(std::move(table)), m_schema(schema), m_srid(srid), m_rows_in(std::move(rows_in))
    {
        std::string columns = "fid, geom";
        for (const auto& f : schema.fields)
            columns += ", " + quote_identifier(f.name);
        m_copy_sql = "COPY " + m_table + " (" + columns + ") FROM STDIN (FORMAT binary)";
        m_next_fid = m_conn.query("SELECT coalesce(max(fid), 0) FROM " + m_table).int64(0, 0) + 1;
        if (!schema.id_field.empty()) {
            m_id_index = static_cast<int>(std::find_if(schema.fields.begin(), schema.fields.end(),
                                                       [&](const FieldDef& f) { return f.name == schema.id_field; }) -
                                          schema.fields.begin());
            auto ids = m_conn.query("SELECT " + quote_identifier(schema.id_field) + " FROM " + m_table);
            for (int row = 0; row < ids.rows(); ++row)
                if (!ids.is_null(row, 0))
                    m_ids.insert(id_key(ids.value(row, 0)));
        }
    }

    std::optional<std::int64_t> insert(const std::vector<unsigned char>& wkb, const std::vector<Value>& values,
                                       const Bounds&) override
    {
        if (!claim_id(values))
            return std::nullopt;
        std::int64_t fid = m_next_fid++;
        send(fid, wkb, values);
        return fid;
    }

    bool insert_as(std::int64_t fid, const std::vector<unsigned char>& wkb, const std::vector<Value>& values,
                   const Bounds&) override
    {
        if (fid < m_next_fid || !claim_id(values))
            return false;
        m_next_fid = fid + 1;
        send(fid, wkb, values);
        return true;
    }

    void finish() override
    {
        m_conn.end_copy();
        m_rows_in();
        if (m_inserted == 0)
            return;
        // QGIS adds features through the identity's default: it starts after ours.
        m_conn.query("SELECT setval(pg_get_serial_sequence($1, 'fid'), $2)",
                     PgParams().text(m_table).integer(m_next_fid - 1));
        m_conn.exec("ANALYZE " + m_table);
    }

private:
    // False when the feature's id is taken already.
    bool claim_id(const std::vector<Value>& values)
    {
        return m_id_index < 0 || m_id_index >= static_cast<int>(values.size()) ||
               std::holds_alternative<std::monostate>(values[m_id_index]) ||
               m_ids.insert(id_key(values[m_id_index])).second;
    }

    void send(std::int64_t fid, const std::vector<unsigned char>& wkb, const std::vector<Value>& values)
    {
        CopyRow row(static_cast<int>(m_schema.fields.size()) + 2);
        row.integer(fid);
        row.bytes(ewkb_with_srid(wkb, m_srid));
        for (std::size_t i = 0; i < m_schema.fields.size(); ++i) {
            try {
                row.value(values.at(i), m_schema.fields[i].type);
            } catch (const DataError& e) {
                throw DataError(m_conn.where() + ": " + m_schema.name + "." + m_schema.fields[i].name + ": " +
                                e.what());
            }
        }
        m_conn.copy_row(m_copy_sql, row.data());
        ++m_inserted;
    }

    PgConnection& m_conn;
    std::string m_table;  // qualified and quoted
    ClassSchema m_schema;
    int m_srid;
    std::function<void()> m_rows_in;
    std::string m_copy_sql;
    std::int64_t m_next_fid = 1;
    std::int64_t m_inserted = 0;
    int m_id_index = -1;
    std::unordered_set<std::string> m_ids;
};

class PostgisStorage : public Storage {
public:
    PostgisStorage(const detail::PostgresLocation& location, Access access)
        : m_conn(std::make_unique<PgConnection>(location.connect, location.redacted)),
          m_location(location.redacted), m_schema(location.schema),
          m_channel(notify_channel(location.schema))
    {
        use_postgis_search_path();
        // A streaming replica takes no LISTEN (notifications are not in the
        // WAL): there, changes are seen as WAL replayed.
        m_standby = m_conn->query("SELECT pg_is_in_recovery()").int64(0, 0) != 0;
        if (!m_standby)
            m_conn->exec("LISTEN " + quote_identifier(m_channel));
        if (access == Access::read_only)
            m_conn->exec("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    }

    bool exists() const
    {
        return !m_conn->query("SELECT to_regclass($1)", PgParams().text(table("lantern_city"))).is_null(0, 0);
    }

    void load()
    {
        if (!exists())
            throw StorageError(m_location + ": no such city database (schema " + m_schema +
                                   " has no Lantern metadata)",
                               Choice::missing_city);
        auto values = m_conn->query("SELECT key, value FROM " + table("lantern_city"));
        for (int row = 0; row < values.rows(); ++row)
            m_city_values[values.text(row, 0)] = values.text(row, 1);
        auto version = metadata_integer("format_version");
        auto srid = metadata_integer("srid");
        if (!version || !srid)
            throw StorageError(m_location + ": not a city database (damaged Lantern metadata)");
        if (*version > format_version)
            throw StorageError(m_location + ": city database format " + std::to_string(*version) +
                               " is newer than this Lantern understands (" + std::to_string(format_version) + ")");
        m_srid = *srid;
    }

    void initialize(const std::string& name, const Crs& crs, const std::optional<Bounds>& bounds)
    {
        m_conn->exec("BEGIN");
        m_conn->exec("CREATE SCHEMA IF NOT EXISTS " + quote_identifier(m_schema));
        m_srid = register_srid(crs);
        m_conn->exec("CREATE TABLE " + table("lantern_city") + " (key text PRIMARY KEY, value text NOT NULL)");
        m_conn->exec("CREATE TABLE " + table("lantern_classes") +
                     " (name text PRIMARY KEY, source text, imported_at text, feature_count bigint, checksum text, "
                     "min_x double precision, min_y double precision, max_x double precision, max_y double precision)");
        m_conn->exec("CREATE TABLE " + table("lantern_rasters") +
                     " (name text PRIMARY KEY, path text NOT NULL, source text, imported_at text, checksum text, "
                     "width bigint, height bigint, pixel_width double precision, pixel_height double precision, "
                     "min_x double precision, min_y double precision, max_x double precision, max_y double precision)");
        m_conn->exec("CREATE TABLE " + table("lantern_raster_cells") +
                     " (location text NOT NULL, part integer NOT NULL, bytes bytea NOT NULL, "
                     "PRIMARY KEY (location, part))");
        m_conn->exec("CREATE TABLE " + table("lantern_results") +
                     " (name text PRIMARY KEY, kind text NOT NULL, analysis text NOT NULL, parameters text NOT NULL, "
                     "created_at text, inputs text NOT NULL, description text, checksum text, "
                     "min_x double precision, min_y double precision, max_x double precision, max_y double precision, "
                     "path text, width bigint, height bigint, pixel_width double precision, "
                     "pixel_height double precision, unit text, no_data double precision, table_name text, "
                     "schema text, feature_count bigint)");
        m_conn->exec("CREATE TABLE " + table("lantern_class_descriptions") +
                     " (name text PRIMARY KEY, document text NOT NULL)");
        m_conn->exec("CREATE TABLE " + table("lantern_access_tokens") +
                     " (name text PRIMARY KEY, scope text NOT NULL, hash text NOT NULL UNIQUE, "
                     "created_at text NOT NULL, revoked_at text)");
        m_conn->exec("CREATE TABLE " + table("lantern_status_audit") +
                     " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, time text NOT NULL, token text NOT NULL, "
                     "class text NOT NULL, device text NOT NULL, old_status text, new_status text NOT NULL)");
        auto put_value = [&](const std::string& key, const std::string& value) {
            m_conn->query("INSERT INTO " + table("lantern_city") + " (key, value) VALUES ($1, $2)",
                          PgParams().text(key).text(value));
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
        notify();
        m_conn->exec("COMMIT");
    }

    // Drops the tables the city made: its classes (those it imported and
    // those it added), its feature results and its records; then the
    // schema, if nothing else is left in it. Tables of others stay.
    void remove()
    {
        if (!exists())
            return;
        m_conn->exec("BEGIN");
        std::set<std::string> tables;
        for (const auto& record : read_class_records(""))
            tables.insert(record.name);
        for (const auto& [name, document] : class_descriptions())
            tables.insert(name);
        for (const auto& record : read_result_records(""))
            if (record.kind == ResultKind::features)
                tables.insert(record.schema.name);
        for (const char* t : {"lantern_city", "lantern_classes", "lantern_rasters", "lantern_raster_cells",
                              "lantern_results", "lantern_class_descriptions", "lantern_access_tokens",
                              "lantern_status_audit"})
            tables.insert(t);
        for (const auto& t : tables)
            m_conn->exec("DROP TABLE IF EXISTS " + table(t));
        if (m_schema != "public") {
            m_conn->exec("SAVEPOINT schema_left");
            try {
                m_conn->exec("DROP SCHEMA " + quote_identifier(m_schema));
            } catch (const StorageError&) {
                m_conn->exec("ROLLBACK TO SAVEPOINT schema_left");  // it holds tables of others
            }
        }
        notify();
        m_conn->exec("COMMIT");
    }

    const std::string& location() const override { return m_location; }

    CityRecord city() const override
    {
        CityRecord record;
        record.name = m_city_values.at("name");
        record.crs = m_city_values.at("crs");
        record.created_at = m_city_values.at("created_at");
        if (auto it = m_city_values.find("bounds"); it != m_city_values.end()) {
            auto j = nlohmann::json::parse(it->second);
            record.bounds = Bounds{j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>(),
                                   j.at(3).get<double>()};
        }
        return record;
    }

    std::vector<ClassRecord> class_records() const override { return read_class_records(""); }

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
        auto r = m_conn->query("SELECT name, path, source, imported_at, checksum, width, height, pixel_width, "
                               "pixel_height, min_x, min_y, max_x, max_y FROM " +
                               table("lantern_rasters") + " ORDER BY name");
        for (int row = 0; row < r.rows(); ++row) {
            RasterRecord record;
            record.name = r.text(row, 0);
            record.path = r.text(row, 1);
            record.source = r.text(row, 2);
            record.imported_at = r.text(row, 3);
            record.checksum = r.text(row, 4);
            record.width = static_cast<int>(r.int64(row, 5));
            record.height = static_cast<int>(r.int64(row, 6));
            record.pixel_width = r.real(row, 7);
            record.pixel_height = r.real(row, 8);
            record.extent = read_bounds(r, row, 9).value_or(Bounds{});
            out.push_back(record);
        }
        return out;
    }

    std::vector<ResultRecord> result_records() const override { return read_result_records(""); }

    std::optional<ResultRecord> result_record(const std::string& name) const override
    {
        auto records = read_result_records(name);
        if (records.empty())
            return std::nullopt;
        return records.front();
    }

    std::map<std::string, std::string> class_descriptions() const override
    {
        std::map<std::string, std::string> out;
        auto r = m_conn->query("SELECT name, document FROM " + table("lantern_class_descriptions"));
        for (int row = 0; row < r.rows(); ++row)
            out[r.text(row, 0)] = r.text(row, 1);
        return out;
    }

    std::int64_t change_counter() const override
    {
        if (m_standby) {
            auto replayed = m_conn->query("SELECT pg_last_wal_replay_lsn()::text").text(0, 0);
            if (replayed != m_replayed) {
                m_replayed = replayed;
                ++m_changes;
            }
            return m_changes;
        }
        m_changes += m_conn->take_notifications();
        return m_changes;
    }

    bool has_class(const std::string& name) const override
    {
        if (m_dropping.count(name))
            return false;
        return m_conn
                   ->query("SELECT 1 FROM geometry_columns WHERE f_table_schema = $1 AND f_table_name = $2 "
                           "AND f_geometry_column = 'geom'",
                           PgParams().text(m_schema).text(name))
                   .rows() > 0;
    }

    void scan(const ClassSchema& schema, const std::function<void(const StoredFeature&)>& visit) const override
    {
        // Keyset pages through the primary key: each page a query of its
        // own, so visit may read the city too.
        std::string sql = select_features_sql(schema) + " WHERE fid > $1 ORDER BY fid LIMIT " +
                          std::to_string(scan_batch);
        StoredFeature feature;
        std::int64_t after = std::numeric_limits<std::int64_t>::min();
        for (;;) {
            auto r = m_conn->query(sql, PgParams().integer(after));
            for (int row = 0; row < r.rows(); ++row) {
                read_feature(r, row, schema, feature);
                visit(feature);
            }
            if (r.rows() < scan_batch)
                break;
            after = feature.fid;
        }
    }

    std::int64_t count(const std::string& name) const override
    {
        return m_conn->query("SELECT count(*) FROM " + table(name)).int64(0, 0);
    }

    std::optional<Bounds> extent(const std::string& name) const override
    {
        // From the coordinates (box3d) rather than ST_Extent, whose boxes
        // are the index's floats rounded outwards.
        auto r = m_conn->query("SELECT min(ST_XMin(geom::box3d)), min(ST_YMin(geom::box3d)), "
                               "max(ST_XMax(geom::box3d)), max(ST_YMax(geom::box3d)) FROM " +
                               table(name));
        return read_bounds(r, 0, 0);
    }

    std::vector<StoredFeature> find(const ClassSchema& schema, const std::string& field,
                                    const Value& value) const override
    {
        auto r = m_conn->query(select_features_sql(schema) + " WHERE " + quote_identifier(field) +
                                   " = $1 ORDER BY fid",
                               PgParams().value(value, field_type(schema, field)));
        std::vector<StoredFeature> found(static_cast<std::size_t>(r.rows()));
        for (int row = 0; row < r.rows(); ++row)
            read_feature(r, row, schema, found[static_cast<std::size_t>(row)]);
        return found;
    }

    std::vector<AccessToken> access_tokens() const override
    {
        std::vector<AccessToken> tokens;
        auto r = m_conn->query("SELECT name, scope, hash, created_at, revoked_at FROM " +
                               table("lantern_access_tokens") + " ORDER BY created_at, name");
        for (int row = 0; row < r.rows(); ++row)
            tokens.push_back({r.text(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3), r.text(row, 4)});
        return tokens;
    }

    std::vector<StatusChange> status_changes() const override
    {
        std::vector<StatusChange> changes;
        auto r = m_conn->query("SELECT time, token, class, device, old_status, new_status FROM " +
                               table("lantern_status_audit") + " ORDER BY id");
        for (int row = 0; row < r.rows(); ++row)
            changes.push_back({r.text(row, 0), r.text(row, 1), r.text(row, 2), r.text(row, 3), r.text(row, 4),
                               r.text(row, 5)});
        return changes;
    }

    std::vector<std::string> index_problems(const ClassSchema& schema) const override
    {
        std::vector<std::string> problems;
        auto r = m_conn->query(
            "SELECT count(*) FILTER (WHERE i.indisvalid), count(*) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
            "JOIN pg_attribute t ON t.attrelid = i.indrelid AND t.attnum = i.indkey[0] "
            "WHERE i.indrelid = to_regclass($1) AND a.amname = 'gist' AND t.attname = 'geom'",
            PgParams().text(table(schema.name)));
        if (r.int64(0, 1) == 0)
            problems.push_back("the spatial index (GiST on geom) is missing");
        else if (r.int64(0, 0) == 0)
            problems.push_back("the spatial index (GiST on geom) is not valid; REINDEX it");
        return problems;
    }

    std::vector<std::string> integrity_problems() const override
    {
        // PostgreSQL checks its own pages; what is Lantern's to check is
        // that no raster's cells are kept without a record naming them.
        std::vector<std::string> problems;
        auto r = m_conn->query("SELECT count(DISTINCT location) FROM " + table("lantern_raster_cells") +
                               " c WHERE NOT EXISTS (SELECT 1 FROM " + table("lantern_rasters") +
                               " r WHERE r.path = c.location) AND NOT EXISTS (SELECT 1 FROM " +
                               table("lantern_results") + " s WHERE s.path = c.location)");
        if (r.int64(0, 0) > 0)
            problems.push_back(std::to_string(r.int64(0, 0)) + " rasters' cells are kept without a record");
        return problems;
    }

    RasterDataset open_raster(const std::string& name) const override
    {
        std::string location = raster_location(name);
        std::string label = m_location + ": raster " + name;
        // In GDAL's memory file system: nothing touches the disk, so a full
        // temporary folder cannot fail a read.
        std::string bytes;
        for_each_raster_chunk(location, [&](std::string_view chunk) { bytes.append(chunk); });
        if (bytes.empty())
            throw FileError(label + ": its cells (" + location + ") are missing");
        ensure_gdal();
        static std::atomic<std::uint64_t> opened{0};
        std::string file = "/vsimem/lantern-raster-" + std::to_string(++opened) + ".tif";
        auto* buffer = static_cast<GByte*>(CPLMalloc(bytes.size()));
        std::memcpy(buffer, bytes.data(), bytes.size());
        VSIFCloseL(VSIFileFromMemBuffer(file.c_str(), buffer, bytes.size(), TRUE));
        ScopedGdalErrors quiet;
        std::unique_ptr<GDALDataset> ds(
            GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
        // The open dataset keeps the bytes; the name can go at once.
        VSIUnlink(file.c_str());
        if (!ds)
            throw DataError(label + ": cannot read it (" + ScopedGdalErrors::last_message("GDAL gave no reason") +
                            ")");
        return RasterDataset(std::move(ds), label);
    }

    void save_raster(const std::string& name, const std::string& target) const override
    {
        std::string location = raster_location(name);
        if (!write_raster_cells(location, target))
            throw FileError(m_location + ": raster " + name + ": its cells (" + location + ") are missing");
    }

    RasterState raster_state(const std::string& name) const override
    {
        RasterState state;
        std::string location = raster_location(name);
        state.where = m_location + ": " + location;
        ContentHash hash;
        std::int64_t parts = 0;
        for_each_raster_chunk(location, [&](std::string_view bytes) {
            hash.add(bytes);
            ++parts;
        });
        if (parts > 0)
            state.checksum = hash.hex();
        return state;
    }

    void begin() override
    {
        m_unindexed.clear();
        m_staged.clear();
        m_superseded.clear();
        m_claimed.clear();
        m_dropping.clear();
        m_conn->exec("BEGIN");
        // A second writer of the same class or result waits this long for
        // the first, then gives up with "busy".
        m_conn->exec("SET LOCAL lock_timeout = '5s'");
    }

    void commit() override
    {
        for (const auto& [name, staged] : m_staged)
            if (!staged.recorded)
                m_superseded.push_back(staged.location);
        for (const auto& location : m_superseded)
            drop_cells_unless_recorded(location);
        while (!m_unindexed.empty())
            build_indexes(m_unindexed.begin()->first);
        for (const auto& name : m_dropping)
            m_conn->exec("DROP TABLE IF EXISTS " + table(name));
        notify();
        m_conn->exec("COMMIT");
        m_staged.clear();
        m_superseded.clear();
        m_dropping.clear();
    }

    void rollback() override
    {
        m_unindexed.clear();
        m_staged.clear();
        m_superseded.clear();
        m_dropping.clear();
        m_conn->abandon_copy();
        m_conn->exec("ROLLBACK");
    }

    void prepare_class(const ClassSchema& schema, bool replace) override
    {
        if (schema.name.size() > max_identifier_bytes)
            throw StorageError(m_location + ": the name " + schema.name + " is longer than PostgreSQL's " +
                               std::to_string(max_identifier_bytes) + " bytes");
        claim("table", schema.name);
        bool dropping = m_dropping.erase(schema.name) > 0;
        if (has_class(schema.name)) {
            if (!dropping || table_matches(schema)) {
                if (replace || dropping)
                    m_conn->exec("DELETE FROM " + table(schema.name));
                return;
            }
            m_conn->exec("DROP TABLE " + table(schema.name));
        }
        std::string columns = "fid bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
        for (const auto& f : schema.fields)
            columns += ", " + quote_identifier(f.name) + " " + field_type_sql(f.type);
        columns += ", geom geometry(" + geometry_type_sql(schema.geometry) + ", " + std::to_string(m_srid) + ")";
        m_conn->exec("CREATE TABLE " + table(schema.name) + " (" + columns + ")");
        // A table no one else sees yet is indexed once its rows are in:
        // building a GiST index whole is several times faster than growing
        // it row by row.
        m_unindexed[schema.name] = schema;
    }

    std::unique_ptr<FeatureWriter> writer(const ClassSchema& schema) override
    {
        claim("table", schema.name);
        return std::make_unique<PostgisWriter>(*m_conn, table(schema.name), schema, m_srid,
                                               [this, name = schema.name] { build_indexes(name); });
    }

    void set_value(const ClassSchema& schema, std::int64_t fid, const std::string& field,
                   const Value& value) override
    {
        claim("table", schema.name);
        m_conn->query("UPDATE " + table(schema.name) + " SET " + quote_identifier(field) + " = $1 WHERE fid = $2",
                      PgParams().value(value, field_type(schema, field)).integer(fid));
    }

    void remove_features(const ClassSchema& schema, const std::string& field, const Value& value) override
    {
        claim("table", schema.name);
        m_conn->query("DELETE FROM " + table(schema.name) + " WHERE " + quote_identifier(field) + " = $1",
                      PgParams().value(value, field_type(schema, field)));
    }

    void put_access_token(const AccessToken& token) override
    {
        m_conn->query("INSERT INTO " + table("lantern_access_tokens") +
                          " (name, scope, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5) "
                          "ON CONFLICT (name) DO UPDATE SET scope = excluded.scope, hash = excluded.hash, "
                          "created_at = excluded.created_at, revoked_at = excluded.revoked_at",
                      PgParams()
                          .text(token.name)
                          .text(token.scope)
                          .text(token.hash)
                          .text(token.created_at)
                          .text_or_null(token.revoked_at));
    }

    void append_status_change(const StatusChange& change) override
    {
        m_conn->query("INSERT INTO " + table("lantern_status_audit") +
                          " (time, token, class, device, old_status, new_status) VALUES ($1, $2, $3, $4, $5, $6)",
                      PgParams()
                          .text(change.time)
                          .text(change.token)
                          .text(change.class_name)
                          .text(change.device)
                          .text_or_null(change.old_status)
                          .text(change.new_status));
    }

    void put_class_record(const ClassRecord& r) override
    {
        claim("table", r.name);
        PgParams params;
        params.text(r.name).text(r.source).text(r.imported_at).integer(r.feature_count).text(r.checksum);
        add_bounds(params, r.extent);
        m_conn->query("INSERT INTO " + table("lantern_classes") +
                          " (name, source, imported_at, feature_count, checksum, min_x, min_y, max_x, max_y) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (name) DO UPDATE SET "
                          "source = excluded.source, imported_at = excluded.imported_at, "
                          "feature_count = excluded.feature_count, checksum = excluded.checksum, "
                          "min_x = excluded.min_x, min_y = excluded.min_y, max_x = excluded.max_x, "
                          "max_y = excluded.max_y",
                      params);
    }

    StagedRaster stage_raster(RasterRole role, const std::string& name,
                              const std::function<void(const std::string& target)>& write) override
    {
        ScratchFile file(".tif");
        write(file.path());
        StagedRaster staged;
        staged.checksum = file_checksum(file.path());
        {
            auto written = open_raster_file(file.path());
            staged.frame = written.frame();
            staged.no_data = written.no_data();
        }
        staged.location = std::string(role == RasterRole::result ? "result/" : "raster/") + name + "/" +
                          staged.checksum;
        // The same location is the same checksum: identical cells may be kept already.
        if (!has_raster_cells(staged.location))
            put_raster_cells(staged.location, file.path());
        m_staged[name] = StagedCells{staged.location, false};
        return staged;
    }

    void put_raster_record(const RasterRecord& r) override
    {
        claim("raster", r.name);
        note_replaced(recorded_path(table("lantern_rasters"), r.name), r.name, r.path);
        PgParams params;
        params.text(r.name)
            .text(r.path)
            .text(r.source)
            .text(r.imported_at)
            .text(r.checksum)
            .integer(r.width)
            .integer(r.height)
            .real(r.pixel_width)
            .real(r.pixel_height);
        add_bounds(params, r.extent);
        m_conn->query("INSERT INTO " + table("lantern_rasters") +
                          " (name, path, source, imported_at, checksum, width, height, pixel_width, pixel_height, "
                          "min_x, min_y, max_x, max_y) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                          "$13) ON CONFLICT (name) DO UPDATE SET path = excluded.path, source = excluded.source, "
                          "imported_at = excluded.imported_at, checksum = excluded.checksum, width = excluded.width, "
                          "height = excluded.height, pixel_width = excluded.pixel_width, "
                          "pixel_height = excluded.pixel_height, min_x = excluded.min_x, min_y = excluded.min_y, "
                          "max_x = excluded.max_x, max_y = excluded.max_y",
                      params);
    }

    void put_result_record(const ResultRecord& r) override
    {
        claim("result", r.name);
        note_replaced(recorded_result_path(r.name), r.name, r.kind == ResultKind::raster ? r.path : std::string());
        nlohmann::json inputs = nlohmann::json::array();
        for (const auto& input : r.inputs)
            inputs.push_back({{"name", input.name}, {"checksum", input.checksum}});
        PgParams params;
        params.text(r.name)
            .text(to_string(r.kind))
            .text(r.analysis)
            .text(r.parameters.dump())
            .text(r.created_at)
            .text(inputs.dump())
            .text(r.description)
            .text(r.checksum);
        add_bounds(params, r.extent);
        if (r.kind == ResultKind::features) {
            for (int k = 0; k < 7; ++k)
                params.null();
            params.text(r.schema.name).text(schema_to_json(r.schema).dump()).integer(r.feature_count);
        } else {
            params.text(r.path).integer(r.width).integer(r.height).real(r.pixel_width).real(r.pixel_height).text(
                r.unit);
            if (r.no_data)
                params.real(*r.no_data);
            else
                params.null();
            params.null().null().null();
        }
        std::string columns =
            "name, kind, analysis, parameters, created_at, inputs, description, checksum, min_x, min_y, max_x, "
            "max_y, path, width, height, pixel_width, pixel_height, unit, no_data, table_name, schema, "
            "feature_count";
        std::string updates;
        std::string_view rest = columns;
        rest.remove_prefix(6);  // all but name
        while (!rest.empty()) {
            auto end = rest.find(", ");
            std::string column(rest.substr(0, end));
            updates += (updates.empty() ? "" : ", ") + column + " = excluded." + column;
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
        }
        m_conn->query("INSERT INTO " + table("lantern_results") + " (" + columns +
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
                          "$18, $19, $20, $21, $22) ON CONFLICT (name) DO UPDATE SET " +
                          updates,
                      params);
    }

    void put_class_description(const std::string& name, const std::string& document) override
    {
        m_conn->query("INSERT INTO " + table("lantern_class_descriptions") +
                          " (name, document) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET document = "
                          "excluded.document",
                      PgParams().text(name).text(document));
    }

    void drop_result(const std::string& name) override
    {
        auto record = result_record(name);
        if (!record)
            return;
        claim("result", name);
        if (record->kind == ResultKind::features && has_class(record->schema.name)) {
            // Dropped at commit, unless the analysis makes the same table
            // again (prepare_class empties it instead): readers of the old
            // rows then never wait for the analysis.
            claim("table", record->schema.name);
            m_dropping.insert(record->schema.name);
        }
        if (record->kind == ResultKind::raster)
            m_superseded.push_back(record->path);
        m_conn->query("DELETE FROM " + table("lantern_results") + " WHERE name = $1", PgParams().text(name));
    }

private:
    struct StagedCells {
        std::string location;
        bool recorded = false;
    };

    static std::string notify_channel(const std::string& schema)
    {
        std::string channel = "lantern_" + schema;
        if (channel.size() > max_identifier_bytes) {
            ContentHash hash;
            hash.add(schema);
            channel = "lantern_" + hash.hex();
        }
        return channel;
    }

    std::string table(std::string_view name) const { return quote_identifier(m_schema) + "." + quote_identifier(name); }

    void use_postgis_search_path()
    {
        auto r = m_conn->query(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
            "WHERE e.extname = 'postgis'");
        if (r.rows() == 0) {
            try {
                m_conn->exec("CREATE EXTENSION IF NOT EXISTS postgis");
            } catch (const StorageError&) {
                throw StorageError(m_location + ": PostGIS is not installed in this database, and this role may "
                                                "not install it; ask its owner to run CREATE EXTENSION postgis");
            }
            r = m_conn->query(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
                "WHERE e.extname = 'postgis'");
        }
        // Only PostGIS's schema: every table of the city is named with its own.
        m_conn->query("SELECT set_config('search_path', $1, false)", PgParams().text(quote_identifier(r.text(0, 0))));
    }

    void notify() { m_conn->query("SELECT pg_notify($1, '')", PgParams().text(m_channel)); }

    // Takes the transaction's advisory lock on a class, result or raster,
    // waiting for another writer of it up to lock_timeout.
    void claim(const std::string& kind, const std::string& name)
    {
        std::string key = m_schema + '\x1f' + kind + '\x1f' + name;
        if (!m_claimed.insert(key).second)
            return;
        m_conn->query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", PgParams().text(key));
    }

    // The spatial index and the id's unique index of a table made in this
    // transaction, once its rows are in. The name is taken by value: the
    // caller may pass the key of the entry erased here.
    void build_indexes(std::string name)
    {
        auto it = m_unindexed.find(name);
        if (it == m_unindexed.end())
            return;
        ClassSchema schema = it->second;
        m_unindexed.erase(it);
        m_conn->exec("CREATE INDEX ON " + table(name) + " USING gist (geom)");
        if (!schema.id_field.empty())
            m_conn->exec("CREATE UNIQUE INDEX ON " + table(name) + " (" + quote_identifier(schema.id_field) + ")");
    }

    // Whether the table's columns are the schema's, in order, with its geometry type.
    bool table_matches(const ClassSchema& schema) const
    {
        auto r = m_conn->query(
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = to_regclass($1) "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            PgParams().text(table(schema.name)));
        std::vector<std::pair<std::string, std::string>> expected{{"fid", "bigint"}};
        for (const auto& f : schema.fields)
            expected.emplace_back(f.name, field_type_sql(f.type));
        std::string geometry = "geometry(" + geometry_type_sql(schema.geometry) + "," + std::to_string(m_srid) + ")";
        std::transform(geometry.begin(), geometry.end(), geometry.begin(), [](unsigned char c) { return std::tolower(c); });
        expected.emplace_back("geom", geometry);
        if (r.rows() != static_cast<int>(expected.size()))
            return false;
        for (int row = 0; row < r.rows(); ++row) {
            std::string type = r.text(row, 1);
            std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
            if (r.text(row, 0) != expected[static_cast<std::size_t>(row)].first ||
                type != expected[static_cast<std::size_t>(row)].second)
                return false;
        }
        return true;
    }

    std::string select_features_sql(const ClassSchema& schema) const
    {
        std::string columns = "fid, ST_AsBinary(geom, 'NDR')";
        for (const auto& f : schema.fields)
            columns += ", " + quote_identifier(f.name);
        return "SELECT " + columns + " FROM " + table(schema.name);
    }

    static void read_feature(const PgResult& r, int row, const ClassSchema& schema, StoredFeature& feature)
    {
        feature.fid = r.int64(row, 0);
        auto wkb = r.bytes(row, 1);
        feature.wkb.assign(wkb.begin(), wkb.end());
        feature.values.resize(schema.fields.size());
        for (std::size_t i = 0; i < schema.fields.size(); ++i)
            feature.values[i] = r.value(row, static_cast<int>(i) + 2);
    }

    std::optional<std::string> recorded_path(const std::string& records, const std::string& name) const
    {
        auto r = m_conn->query("SELECT path FROM " + records + " WHERE name = $1", PgParams().text(name));
        if (r.rows() == 0)
            return std::nullopt;
        return r.text(0, 0);
    }

    std::optional<std::string> recorded_result_path(const std::string& name) const
    {
        auto r = m_conn->query("SELECT path FROM " + table("lantern_results") + " WHERE name = $1 AND kind = 'raster'",
                               PgParams().text(name));
        if (r.rows() == 0)
            return std::nullopt;
        return r.text(0, 0);
    }

    std::string raster_location(const std::string& name) const
    {
        auto path = recorded_path(table("lantern_rasters"), name);
        if (!path)
            path = recorded_result_path(name);
        if (!path)
            throw UsageError(m_location + ": the city has no raster " + name);
        return *path;
    }

    void note_replaced(const std::optional<std::string>& before, const std::string& name, const std::string& location)
    {
        if (before && *before != location)
            m_superseded.push_back(*before);
        if (auto it = m_staged.find(name); it != m_staged.end() && it->second.location == location)
            it->second.recorded = true;
    }

    bool has_raster_cells(const std::string& location) const
    {
        return m_conn
                   ->query("SELECT 1 FROM " + table("lantern_raster_cells") + " WHERE location = $1 LIMIT 1",
                           PgParams().text(location))
                   .rows() > 0;
    }

    void put_raster_cells(const std::string& location, const std::string& file)
    {
        std::ifstream in(file, std::ios::binary);
        if (!in)
            throw FileError(file + ": cannot read the raster just written");
        std::vector<char> buffer(raster_chunk_bytes);
        std::string sql = "INSERT INTO " + table("lantern_raster_cells") + " (location, part, bytes) VALUES ($1, $2, $3)";
        for (std::int64_t part = 0; in; ++part) {
            in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
            auto size = static_cast<std::size_t>(in.gcount());
            if (size == 0 && part > 0)
                break;
            m_conn->query(sql, PgParams().text(location).integer(part).bytes(buffer.data(), size));
        }
    }

    // Calls visit with the raster's bytes in order, a chunk at a time.
    void for_each_raster_chunk(const std::string& location, const std::function<void(std::string_view)>& visit) const
    {
        std::string sql = "SELECT bytes FROM " + table("lantern_raster_cells") + " WHERE location = $1 AND part = $2";
        for (std::int64_t part = 0;; ++part) {
            auto r = m_conn->query(sql, PgParams().text(location).integer(part));
            if (r.rows() == 0)
                return;
            visit(r.bytes(0, 0));
        }
    }

    // Writes the raster's bytes to file; false when none are kept.
    bool write_raster_cells(const std::string& location, const std::string& file) const
    {
        std::ofstream out(file, std::ios::binary);
        bool any = false;
        for_each_raster_chunk(location, [&](std::string_view bytes) {
            out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
            any = true;
        });
        out.close();
        if (!out)
            throw FileError(file + ": cannot write a raster read from " + m_location);
        return any;
    }

    void drop_cells_unless_recorded(const std::string& location)
    {
        m_conn->query("DELETE FROM " + table("lantern_raster_cells") + " WHERE location = $1 AND NOT EXISTS "
                      "(SELECT 1 FROM " + table("lantern_rasters") + " WHERE path = $1) AND NOT EXISTS "
                      "(SELECT 1 FROM " + table("lantern_results") + " WHERE path = $1)",
                      PgParams().text(location));
    }

    // The records of a lantern_* table by name, or only the one named `only`.
    PgResult records(const std::string& columns, const std::string& records_table, const std::string& only) const
    {
        std::string sql = "SELECT " + columns + " FROM " + table(records_table);
        if (only.empty())
            return m_conn->query(sql + " ORDER BY name");
        return m_conn->query(sql + " WHERE name = $1", PgParams().text(only));
    }

    std::vector<ResultRecord> read_result_records(const std::string& only) const
    {
        auto r = records("name, kind, analysis, parameters, created_at, inputs, description, checksum, min_x, min_y, "
                         "max_x, max_y, path, width, height, pixel_width, pixel_height, unit, no_data, schema, "
                         "feature_count",
                         "lantern_results", only);
        std::vector<ResultRecord> out;
        for (int row = 0; row < r.rows(); ++row) {
            ResultRecord record;
            record.name = r.text(row, 0);
            try {
                auto kind = result_kind_from_string(r.text(row, 1));
                if (!kind)
                    throw std::invalid_argument("unknown kind '" + r.text(row, 1) + "'");
                record.kind = *kind;
                record.analysis = r.text(row, 2);
                record.parameters = nlohmann::json::parse(r.text(row, 3));
                record.created_at = r.text(row, 4);
                for (const auto& input : nlohmann::json::parse(r.text(row, 5)))
                    record.inputs.push_back(
                        {input.at("name").get<std::string>(), input.at("checksum").get<std::string>()});
                record.description = r.text(row, 6);
                record.checksum = r.text(row, 7);
                record.extent = read_bounds(r, row, 8);
                if (record.kind == ResultKind::raster) {
                    record.path = r.text(row, 12);
                    record.width = static_cast<int>(r.int64(row, 13));
                    record.height = static_cast<int>(r.int64(row, 14));
                    record.pixel_width = r.real(row, 15);
                    record.pixel_height = r.real(row, 16);
                    record.unit = r.text(row, 17);
                    if (!r.is_null(row, 18))
                        record.no_data = r.real(row, 18);
                } else {
                    record.schema = schema_from_json(nlohmann::json::parse(r.text(row, 19)));
                    record.feature_count = r.int64(row, 20);
                }
            } catch (const Error&) {
                throw;
            } catch (const std::exception& e) {
                throw StorageError(m_location + ": the record of result " + record.name + " is damaged (" + e.what() +
                                   ")");
            }
            out.push_back(std::move(record));
        }
        return out;
    }

    std::vector<ClassRecord> read_class_records(const std::string& only) const
    {
        auto r = records("name, source, imported_at, feature_count, checksum, min_x, min_y, max_x, max_y",
                         "lantern_classes", only);
        std::vector<ClassRecord> out;
        for (int row = 0; row < r.rows(); ++row) {
            ClassRecord record;
            record.name = r.text(row, 0);
            record.source = r.text(row, 1);
            record.imported_at = r.text(row, 2);
            record.feature_count = r.int64(row, 3);
            record.checksum = r.text(row, 4);
            record.extent = read_bounds(r, row, 5);
            out.push_back(record);
        }
        return out;
    }

    // The city CRS's SRID: its EPSG code when PostGIS knows it, else a
    // custom one, shared by cities of the same CRS in this database.
    int register_srid(const Crs& crs)
    {
        if (auto code = crs.epsg()) {
            if (m_conn->query("SELECT 1 FROM spatial_ref_sys WHERE srid = $1", PgParams().integer(*code)).rows() > 0)
                return *code;
        }
        auto wkt = crs.wkt();
        auto same = m_conn->query("SELECT srid FROM spatial_ref_sys WHERE srtext = $1 AND srid BETWEEN $2 AND $3",
                                  PgParams().text(wkt).integer(first_custom_srid).integer(last_custom_srid));
        if (same.rows() > 0)
            return static_cast<int>(same.int64(0, 0));
        auto next = m_conn->query("SELECT coalesce(max(srid) + 1, $1) FROM spatial_ref_sys WHERE srid BETWEEN $1 AND $2",
                                  PgParams().integer(first_custom_srid).integer(last_custom_srid));
        int srid = static_cast<int>(next.int64(0, 0));
        if (srid > last_custom_srid)
            throw StorageError(m_location + ": no custom SRID is left for " + crs.name());
        m_conn->query("INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                      "VALUES ($1, 'lantern', $1, $2, $3)",
                      PgParams().integer(srid).text(wkt).text(crs.proj4()));
        return srid;
    }

    std::optional<int> metadata_integer(const std::string& key) const
    {
        auto it = m_city_values.find(key);
        return it == m_city_values.end() ? std::nullopt : parse_integer<int>(it->second);
    }

    std::unique_ptr<PgConnection> m_conn;
    std::string m_location;  // the URI without its password
    std::string m_schema;
    std::string m_channel;
    std::map<std::string, std::string> m_city_values;
    int m_srid = 0;
    mutable std::int64_t m_changes = 0;
    bool m_standby = false;             // connected to a streaming replica
    mutable std::string m_replayed;     // on a replica: the WAL position replayed last seen
    std::map<std::string, StagedCells> m_staged;  // by raster name
    std::vector<std::string> m_superseded;        // raster locations records no longer point to
    std::set<std::string> m_claimed;              // advisory locks this transaction holds
    std::set<std::string> m_dropping;             // tables dropped at commit
    std::map<std::string, ClassSchema> m_unindexed;  // tables made in this transaction, not yet indexed
};

}  // namespace

std::unique_ptr<Storage> open_postgis_city(const std::string& location, Access access)
{
    auto storage = std::make_unique<PostgisStorage>(detail::parse_postgres_location(location), access);
    storage->load();
    return storage;
}

std::unique_ptr<Storage> create_postgis_city(const std::string& location, const std::string& name, const Crs& crs,
                                             const std::optional<Bounds>& bounds)
{
    auto parsed = detail::parse_postgres_location(location);
    {
        PostgisStorage storage(parsed, Access::read_write);
        if (storage.exists())
            throw FileError(parsed.redacted + ": already exists (schema " + parsed.schema + " holds a city)",
                            Choice::existing_city);
        storage.initialize(name, crs, bounds);
    }
    return open_postgis_city(location, Access::read_write);
}

void remove_postgis_city(const std::string& location)
{
    PostgisStorage storage(detail::parse_postgres_location(location), Access::read_write);
    storage.remove();
}

}  // namespace lantern::core
