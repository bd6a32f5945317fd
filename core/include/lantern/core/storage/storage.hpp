#pragma once
// The city database behind one interface. Everything SQL and SpatiaLite is in
// the SpatiaLite implementation; a PostGIS backend for a province or a country
// is a second implementation of Storage, not a rewrite of its callers.
//
// Features cross the interface as WKB in the city CRS plus typed values in the
// order of the class schema, so callers never see the backend's encodings.
// Rasters (the DEM, raster results) are written and read through it too:
// where their cells are kept is the backend's business, and nothing above
// core names a file beside the database.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/raster/grid.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>
#include <lantern/core/schema/schema.hpp>

namespace lantern::core {

struct CityRecord {
    std::string name;
    std::string crs;  // as given to init, e.g. "EPSG:32649"
    std::optional<Bounds> bounds;  // in the city CRS; features must intersect them
    std::string created_at;
};

// What the metadata says about one imported feature class.
struct ClassRecord {
    std::string name;
    std::string source;       // source file name and layer
    std::string imported_at;  // ISO 8601, UTC
    std::int64_t feature_count = 0;
    std::string checksum;          // content checksum, see ContentDigest
    std::optional<Bounds> extent;  // in the city CRS; none when empty
};

// A raster imported into the city, e.g. the DEM.
struct RasterRecord {
    std::string name;
    // Where the backend keeps the cells (StagedRaster::location), for
    // listings; read them with Storage::open_raster.
    std::string path;
    std::string source;
    std::string imported_at;
    std::string checksum;  // of the file's bytes
    int width = 0;
    int height = 0;
    double pixel_width = 0;
    double pixel_height = 0;
    Bounds extent;
};

// A class, raster or result a result was computed from, with its checksum
// (ClassRecord, RasterRecord or ResultRecord::checksum) at the time.
struct ResultInput {
    std::string name;
    std::string checksum;
};

enum class ResultKind { raster, features };

// What an analysis made (results.hpp): a raster or a table of features, with
// what it was made from.
struct ResultRecord {
    std::string name;  // what it holds, e.g. "flood_depth_2.0m"
    ResultKind kind = ResultKind::raster;
    std::string analysis;  // e.g. "flood"
    nlohmann::json parameters = nlohmann::json::object();
    std::string created_at;  // ISO 8601, UTC
    std::vector<ResultInput> inputs;
    std::string description;
    std::string checksum;  // raster: StagedRaster::checksum; features: content (ContentDigest)
    std::optional<Bounds> extent;  // in the city CRS; none for an empty feature result

    // raster
    std::string path;  // as RasterRecord::path
    int width = 0;
    int height = 0;
    double pixel_width = 0;
    double pixel_height = 0;
    std::string unit;  // of the cell values, e.g. "m", "hours", "cells"
    std::optional<double> no_data;

    // features: a table like a feature class's, whose schema (name = the
    // table) is kept with the record so it can be scanned and exported
    ClassSchema schema;
    std::int64_t feature_count = 0;
};

// What the storage kept of a raster written with Storage::stage_raster.
struct StagedRaster {
    // Where the cells will be kept once committed, for the record's path;
    // SpatiaLite: a GeoTIFF beside the database, its name relative to it.
    std::string location;
    std::string checksum;  // of the stored bytes
    GridFrame frame;
    std::optional<double> no_data;
};

// An imported raster (RasterRecord) or an analysis result (ResultRecord).
enum class RasterRole { imported, result };

// Fills a RasterRecord's or a raster ResultRecord's path, checksum, size,
// cell size and extent from what the storage kept.
template <typename Record>
void describe_staged(Record& record, const StagedRaster& staged)
{
    record.path = staged.location;
    record.checksum = staged.checksum;
    record.width = staged.frame.width;
    record.height = staged.frame.height;
    record.pixel_width = staged.frame.cell_x;
    record.pixel_height = staged.frame.cell_y;
    record.extent = staged.frame.extent();
}

// A stored raster as it is now, for validation.
struct RasterState {
    std::string where;  // for messages, e.g. the file's path
    std::optional<std::string> checksum;  // none when its cells are missing
};

struct StoredFeature {
    std::int64_t fid = 0;
    std::vector<unsigned char> wkb;
    std::vector<Value> values;  // in schema field order
};

// A bearer token that may write through the tile server (docs/api.md,
// "Device status"). Only the SHA-256 of the token is kept.
struct AccessToken {
    std::string name;
    std::string scope;  // what it may write, e.g. "devices"
    std::string hash;   // of the token, hex
    std::string created_at;
    std::string revoked_at;  // empty while it is valid
};

// One accepted change of a device's status, as the audit keeps it.
struct StatusChange {
    std::string time;  // ISO 8601, UTC, to the millisecond
    std::string token;  // the name of the token that made it
    std::string class_name;
    std::string device;  // the device's id
    std::string old_status;  // empty: none was set
    std::string new_status;
};

class FeatureWriter {
public:
    virtual ~FeatureWriter() = default;
    // Returns the new feature's fid, or nothing when the class's id field
    // already holds this feature's id (the feature is then not inserted).
    // bounds are the geometry's bounds, for the spatial index.
    virtual std::optional<std::int64_t> insert(const std::vector<unsigned char>& wkb,
                                               const std::vector<Value>& values,
                                               const Bounds& bounds) = 0;
    // Inserts a feature under the given fid, as a copy of a city keeps
    // them (the fids of a copy increase); false when the fid or the id is
    // taken already.
    virtual bool insert_as(std::int64_t fid, const std::vector<unsigned char>& wkb,
                           const std::vector<Value>& values, const Bounds& bounds) = 0;
    // Brings indexes up to date with what was inserted; call once, before
    // commit. A backend may defer index upkeep during bulk inserts until here.
    virtual void finish() = 0;
};

class Storage {
public:
    virtual ~Storage() = default;

    // Where the data lives, for messages: a path or a connection name.
    virtual const std::string& location() const = 0;
    virtual CityRecord city() const = 0;
    virtual std::vector<ClassRecord> class_records() const = 0;
    virtual std::optional<ClassRecord> class_record(const std::string& name) const = 0;
    virtual std::vector<RasterRecord> raster_records() const = 0;
    virtual std::vector<ResultRecord> result_records() const = 0;
    virtual std::optional<ResultRecord> result_record(const std::string& name) const = 0;
    // Documents kept per class name beside the data, such as the descriptions
    // of the classes a city adds; core stores the text and does not read it.
    virtual std::map<std::string, std::string> class_descriptions() const = 0;

    // A number that changes whenever another connection (another process,
    // say an import) commits to the database, for readers that keep what
    // they read and must notice when it is out of date.
    virtual std::int64_t change_counter() const = 0;

    // Reading.
    virtual bool has_class(const std::string& name) const = 0;
    virtual void scan(const ClassSchema& schema,
                      const std::function<void(const StoredFeature&)>& visit) const = 0;
    virtual std::int64_t count(const std::string& name) const = 0;
    virtual std::optional<Bounds> extent(const std::string& name) const = 0;
    // The features whose `field` holds `value`, in fid order; through the
    // unique index when `field` is the schema's id field.
    virtual std::vector<StoredFeature> find(const ClassSchema& schema, const std::string& field,
                                            const Value& value) const = 0;
    // The access tokens ever added, revoked ones too, and the audit of device
    // status changes, oldest first; empty for a city that has none.
    virtual std::vector<AccessToken> access_tokens() const = 0;
    virtual std::vector<StatusChange> status_changes() const = 0;
    // What is wrong with the class's spatial index; empty when nothing.
    virtual std::vector<std::string> index_problems(const ClassSchema& schema) const = 0;
    // What a low-level integrity check of the whole store finds; empty when nothing.
    virtual std::vector<std::string> integrity_problems() const = 0;

    // The raster of an imported raster's or a raster result's record, by
    // name. Throws UsageError when the city has no raster of that name,
    // FileError when its cells are missing, DataError when unreadable.
    virtual RasterDataset open_raster(const std::string& name) const = 0;
    // Writes the raster's file as the city keeps it (a GeoTIFF), byte for
    // byte, to target; the same errors as open_raster.
    virtual void save_raster(const std::string& name, const std::string& target) const = 0;
    // Where a recorded raster's cells are and their checksum now (none when
    // they are missing), to compare with the record's.
    virtual RasterState raster_state(const std::string& name) const = 0;

    // Writing, only between begin() and commit() or rollback().
    virtual void begin() = 0;
    // Also puts the rasters staged for the records written in place, and
    // then drops the rasters no record points to any more.
    virtual void commit() = 0;
    // Also drops the rasters staged since begin().
    virtual void rollback() = 0;
    // Creates the class's table when it is missing; empties it when replace is set.
    virtual void prepare_class(const ClassSchema& schema, bool replace) = 0;
    virtual std::unique_ptr<FeatureWriter> writer(const ClassSchema& schema) = 0;
    // Sets one field of the feature `fid` of a class or feature result.
    virtual void set_value(const ClassSchema& schema, std::int64_t fid, const std::string& field,
                           const Value& value) = 0;
    // Deletes the features whose `field` holds `value`.
    virtual void remove_features(const ClassSchema& schema, const std::string& field, const Value& value) = 0;
    // Adds a token, or replaces the one of the same name (to revoke it).
    virtual void put_access_token(const AccessToken& token) = 0;
    virtual void append_status_change(const StatusChange& change) = 0;
    virtual void put_class_record(const ClassRecord& record) = 0;
    // Writes raster `name`'s cells: write(target) writes a GeoTIFF (or any
    // raster GDAL writes) to target, a name the backend picks, and the
    // backend keeps it, for now staged. A record (put_raster_record for
    // imported, put_result_record for result) whose path is the returned
    // location makes commit() keep it; without one, commit() drops it.
    virtual StagedRaster stage_raster(RasterRole role, const std::string& name,
                                      const std::function<void(const std::string& target)>& write) = 0;
    virtual void put_raster_record(const RasterRecord& record) = 0;
    // Adds or replaces a result's record (not its table, which prepare_class makes).
    virtual void put_result_record(const ResultRecord& record) = 0;
    // Adds or replaces the document kept for a class (class_descriptions).
    virtual void put_class_description(const std::string& name, const std::string& document) = 0;
    // Forgets a result: its record and, for features, its table; a raster
    // result's cells go once this is committed.
    virtual void drop_result(const std::string& name) = 0;
};

// Rolls back unless committed: an import either lands whole or not at all.
class Transaction {
public:
    explicit Transaction(Storage& storage) : m_storage(storage) { m_storage.begin(); }
    ~Transaction()
    {
        if (!m_done) {
            try {
                m_storage.rollback();
            } catch (...) {
                // Rolling back during unwinding must not throw; SQLite rolls
                // back on close anyway.
            }
        }
    }
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit()
    {
        m_storage.commit();
        m_done = true;
    }

private:
    Storage& m_storage;
    bool m_done = false;
};

enum class Access { read_only, read_write };

// The location picks the backend: a path is a SpatiaLite file; a libpq URI
// (postgresql:// or postgres://) with a `schema` parameter names a city in a
// PostgreSQL database with PostGIS, e.g.
// postgresql://editor@db.hoian.gov.vn/city?schema=hoian. Messages name the
// URI without its password.
//
// Opens an existing city database. Throws StorageError when the location is
// not one, or is read-only (no write bit) and read_write was asked for.
std::unique_ptr<Storage> open_city(const std::string& location, Access access);
// Creates a new city database; refuses to overwrite an existing one.
std::unique_ptr<Storage> create_city(const std::string& location, const std::string& name,
                                     const Crs& crs, const std::optional<Bounds>& bounds);
// Deletes a city database and everything its backend keeps for it (its
// rasters; SpatiaLite: the database file, its journals, its GeoTIFFs and
// temporaries beside it; PostGIS: its tables, and its schema when nothing else
// is in it). Does nothing when there is none.
void remove_city(const std::string& location);

// Count, extent and checksum of a class's content, accumulated feature by
// feature in fid order. The checksum covers fids, geometries (WKB) and values
// and is independent of the backend: two databases with the same features in
// the same order have the same checksum. Because features are added in fid
// order, an append can resume from the record of what was there before.
class ContentDigest {
public:
    ContentDigest();
    explicit ContentDigest(const ClassRecord& resume_from);
    ~ContentDigest();
    void add(std::int64_t fid, const std::vector<unsigned char>& wkb,
             const std::vector<Value>& values, const std::optional<Bounds>& bounds);
    // Fills feature_count, checksum and extent.
    void fill(ClassRecord& record) const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Count, extent and checksum of a class as it is stored now (a full scan).
ClassRecord summarize(const Storage& storage, const ClassSchema& schema);

// Current UTC time as ISO 8601, for import records.
std::string utc_now();

}  // namespace lantern::core
