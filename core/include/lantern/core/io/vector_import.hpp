#pragma once
// Imports a vector source into a feature class: maps fields, reprojects into
// the city CRS, checks every feature against the class's rules, and writes
// everything in one transaction. Either the whole import lands or nothing of
// it does.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/report.hpp>
#include <lantern/core/io/vector_source.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

enum class InvalidGeometryPolicy {
    reject,  // the whole import fails (default)
    repair,  // make-valid, keep the feature, report a warning
    skip,    // leave the feature out, report a warning
};

enum class WriteMode {
    create,   // the class must be empty (default): nothing is overwritten by accident
    append,   // add to what is there; ids must stay unique across both
    replace,  // the import replaces the class's features
};

struct ImportOptions {
    SourceOptions source;
    std::optional<std::string> source_crs;      // overrides or supplies the source CRS
    std::map<std::string, std::string> field_map;  // class field -> source field
    // When a feature has no id (CAD drawings rarely do), make one from this
    // prefix and the feature's position in the source: "R-" gives, ...
    std::optional<std::string> id_prefix;
    WriteMode mode = WriteMode::create;
    InvalidGeometryPolicy invalid = InvalidGeometryPolicy::reject;
    bool progress = false;
    std::size_t max_errors = 100;  // stop reading after this many errors
};

struct ImportResult {
    Report report;
    std::string source_label;
    std::string source_crs;
    std::int64_t read = 0;
    std::int64_t imported = 0;
    std::int64_t repaired = 0;
    std::int64_t skipped = 0;
    std::vector<std::string> ignored_fields;  // source fields no class field takes
    ClassRecord record;
};

// Thrown when an import is rolled back because its data breaks the rules;
// carries every problem found.
class ImportRejected : public DataError {
public:
    ImportRejected(const std::string& message, Report report, Choice about = Choice::none)
        : DataError(message, about), m_report(std::move(report))
    {
    }
    const Report& report() const { return m_report; }

private:
    Report m_report;
};

// The "source" field is filled with the source file name where the source has
// no such field, so every feature says where it came from.
ImportResult import_vector(Storage& storage, const ClassSchema& schema,
                           const ImportOptions& options);

InvalidGeometryPolicy parse_invalid_policy(const std::string& text);

}  // namespace lantern::core
