#pragma once
// The city database behind one interface. Everything SQL and SpatiaLite is in
// the SpatiaLite implementation; a PostGIS backend for a province or a country
// is a second implementation of Storage, not a rewrite of its callers.
//
// Features cross the interface as WKB in the city CRS plus typed values in the
// order of the class schema, so callers never see the backend's encodings.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/crs.hpp>
#include <lantern/core/schema.hpp>

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

// A raster registered with the city, e.g. the DEM: a GeoTIFF beside the database.
struct RasterRecord {
    std::string name;
    std::string path;  // relative to the database's folder
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

// What an analysis made (results.hpp): a GeoTIFF beside the database or a
// table of features, with what it was made from.
struct ResultRecord {
    std::string name;  // what it holds, e.g. "flood_depth_2.0m"
    ResultKind kind = ResultKind::raster;
    std::string analysis;  // e.g. "flood"
    nlohmann::json parameters = nlohmann::json::object();
    std::string created_at;  // ISO 8601, UTC
    std::vector<ResultInput> inputs;
    std::string description;
    std::string checksum;  // raster: of the file's bytes; features: content (ContentDigest)
    std::optional<Bounds> extent;  // in the city CRS; none for an empty feature result

    // raster
    std::string path;  // relative to the database's folder
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

struct StoredFeature {
    std::int64_t fid = 0;
    std::vector<unsigned char> wkb;
    std::vector<Value> values;  // in schema field order
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
    // Absolute path of a raster file given its registered relative path.
    virtual std::string raster_file(const std::string& relative_path) const = 0;
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
    // What is wrong with the class's spatial index; empty when nothing.
    virtual std::vector<std::string> index_problems(const ClassSchema& schema) const = 0;
    // What a low-level integrity check of the whole store finds; empty when nothing.
    virtual std::vector<std::string> integrity_problems() const = 0;

    // Writing, only between begin() and commit() or rollback().
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    // Creates the class's table when it is missing; empties it when replace is set.
    virtual void prepare_class(const ClassSchema& schema, bool replace) = 0;
    virtual std::unique_ptr<FeatureWriter> writer(const ClassSchema& schema) = 0;
    virtual void put_class_record(const ClassRecord& record) = 0;
    virtual void put_raster_record(const RasterRecord& record) = 0;
    // Adds or replaces a result's record (not its table, which prepare_class makes).
    virtual void put_result_record(const ResultRecord& record) = 0;
    // Adds or replaces the document kept for a class (class_descriptions).
    virtual void put_class_description(const std::string& name, const std::string& document) = 0;
    // Forgets a result: its record and, for features, its table. A raster
    // result's file is the caller's to remove once this is committed.
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

// Opens an existing city database. Throws StorageError when the path is not
// one, or is read-only (no write bit) and read_write was asked for.
std::unique_ptr<Storage> open_city(const std::string& path, Access access);
// Creates a new city database; refuses to overwrite an existing file.
std::unique_ptr<Storage> create_city(const std::string& path, const std::string& name,
                                     const Crs& crs, const std::optional<Bounds>& bounds);

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
