#pragma once
// The analysis results store, shared by every analysis. A result is a raster (kept
// by the storage like the DEM) or a table of features, recorded with its analysis,
// parameters, time and the checksums of the inputs it was computed from, so that a
// result whose inputs were imported again since is stale and not served as current.
//
// One analysis run writes its results through one ResultBatch: all of them
// land together on commit, or none does, and a run again with the same
// result names replaces them.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/raster/grid.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/schema/schema.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

std::string to_string(ResultKind kind);  // "raster" or "features"
std::optional<ResultKind> result_kind_from_string(const std::string& text);

// A feature result's schema as JSON and back, kept with its record.
nlohmann::json schema_to_json(const ClassSchema& schema);
ClassSchema schema_from_json(const nlohmann::json& j);

// Result names say what they hold: "flow_acc", "flood_depth_2.0m". Throws
// UsageError unless the name is a lower-case letter followed by up to 63 of
// [a-z0-9_.-].
void check_result_name(const std::string& name);

// The named classes, rasters or results with their checksums now, to record
// as a result's inputs. Throws DataError naming an input the city lacks.
std::vector<ResultInput> current_inputs(const Storage& storage, const std::vector<std::string>& names);

// Why a result no longer matches what it was computed from: an input imported
// again (or a result input made again) with other content, an input gone, a
// result input that is itself stale. Empty when the result is current.
std::vector<std::string> stale_reasons(const Storage& storage, const ResultRecord& record);

// Throws DataError saying why the result is stale and how to refresh it, with
// override_hint (e.g. "pass --allow-stale to use it anyway") appended.
void require_current(const Storage& storage, const ResultRecord& record,
                     const std::string& override_hint = {});

// Receives the features of one feature result.
class FeatureSink {
public:
    ~FeatureSink();
    FeatureSink(const FeatureSink&) = delete;
    FeatureSink& operator=(const FeatureSink&) = delete;

    // Adds a feature: WKB in the city CRS (made 2D, single parts promoted to
    // multi where the schema stores multi) and values in schema field order.
    // Throws DataError for a geometry of the wrong type or empty, a value its
    // field does not take, or an id already given.
    void insert(const std::vector<unsigned char>& wkb, const std::vector<Value>& values);
    std::int64_t count() const;

private:
    friend class ResultBatch;
    friend class ResultEdit;
    struct State;
    explicit FeatureSink(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

// One analysis run's results, committed all at once or not at all. The
// constructor begins the storage's write transaction (readers keep reading);
// destroying the batch without commit() rolls it back, rasters written
// included, so a failed or interrupted run leaves the city as it was.
class ResultBatch {
public:
    ResultBatch(Storage& storage, std::string analysis, nlohmann::json parameters,
                std::vector<ResultInput> inputs);
    ~ResultBatch();
    ResultBatch(const ResultBatch&) = delete;
    ResultBatch& operator=(const ResultBatch&) = delete;

    // Writes raster result `name` through the storage (as a GeoTIFF, no-data
    // as write_geotiff takes it); unit names what the cell values measure
    // ("m", "hours", "cells", "D8 code").
    void add_raster(const std::string& name, const std::string& description, const std::string& unit,
                    const Grid<float>& grid)
    {
        add_written_raster(name, description, unit, [&](const std::string& target) { write_geotiff(target, grid); });
    }
    template <typename T>
    void add_raster(const std::string& name, const std::string& description, const std::string& unit,
                    const Grid<T>& grid, std::optional<double> no_data_value)
    {
        add_written_raster(name, description, unit,
                           [&](const std::string& target) { write_geotiff(target, grid, no_data_value); });
    }
    // Starts feature result `name`, an empty table with the schema's fields
    // and geometry (schema.name is replaced by the result's table name).
    FeatureSink& add_features(const std::string& name, const std::string& description,
                              ClassSchema schema);

    // Makes the results current, replacing results of the same names, and
    // returns their records. Removes raster files no record points to any more.
    std::vector<ResultRecord> commit();

private:
    void add_written_raster(const std::string& name, const std::string& description, const std::string& unit,
                            const std::function<void(const std::string& target)>& write);

    struct State;
    std::unique_ptr<State> m_state;
};

// Changes stored feature results in place, inside a transaction the caller
// holds, so that a change to a class and the results it changes commit
// together (a device's status and its coverage: docs/api.md). finish()
// makes each edited result's record current: its count, extent and checksum
// read again, its inputs' checksums as they are then, its time now.
class ResultEdit {
public:
    explicit ResultEdit(Storage& storage);
    ~ResultEdit();
    ResultEdit(const ResultEdit&) = delete;
    ResultEdit& operator=(const ResultEdit&) = delete;

    // Deletes the features of result `name` whose field holds `value`.
    // Throws UsageError when the city has no feature result of that name.
    void remove(const std::string& name, const std::string& field, const Value& value);
    // Deletes every feature of result `name`.
    void clear(const std::string& name);
    // Adds features to result `name`.
    FeatureSink& add(const std::string& name);
    // Leaves result `name`'s features as they are but makes its record
    // current on finish (an input changed in a way that does not change it).
    void keep(const std::string& name);
    // Updates the records of the results edited; the caller commits.
    std::vector<ResultRecord> finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// Removes results, their tables and their rasters, in one transaction. Throws
// UsageError naming a result the city does not have.
void remove_results(Storage& storage, const std::vector<std::string>& names);

}  // namespace lantern::core
