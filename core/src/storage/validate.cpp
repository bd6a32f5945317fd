#include <lantern/core/storage/validate.hpp>

#include <algorithm>
#include <unordered_map>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/progress.hpp>
#include <lantern/core/storage/feature_check.hpp>

namespace lantern::core {

namespace {

void validate_class(const Storage& storage, const ClassSchema& schema, const ClassRecord& record,
                    const std::optional<Bounds>& bounds, bool progress, Report& report)
{
    const std::string& file = storage.location();
    FeatureRules rules(schema, bounds);
    std::unordered_map<std::string, std::int64_t> first_fid_of_id;
    ProgressBar bar("validate " + schema.name, record.feature_count, progress);
    std::int64_t seen = 0;
    storage.scan(schema, [&](const StoredFeature& f) {
        bar.update(++seen);
        std::string label = rules.feature_label(f.values);
        auto add = [&](const Problem& p) {
            report.add({Severity::error, file, schema.name, f.fid, label, p.field, p.value, p.reason});
        };
        for (const auto& p : rules.check_geometry(f.wkb))
            add(p);
        for (const auto& p : rules.check_values(f.values))
            add(p);
        if (rules.id_index() >= 0) {
            const auto& v = f.values[static_cast<std::size_t>(rules.id_index())];
            if (!std::holds_alternative<std::monostate>(v)) {
                auto [it, inserted] = first_fid_of_id.emplace(to_display(v), f.fid);
                if (!inserted)
                    add({schema.id_field, to_display(v),
                         "duplicate id (also feature " + std::to_string(it->second) + ")"});
            }
        }
    });
    bar.finish();
    for (const auto& problem : storage.index_problems(schema))
        report.add({Severity::error, file, schema.name, std::nullopt, "", "", "",
                    problem});
    auto now = summarize(storage, schema);
    if (now.feature_count != record.feature_count || now.checksum != record.checksum)
        report.add({Severity::error, file, schema.name, std::nullopt, "", "", "",
                    "content changed outside lantern (recorded " +
                        std::to_string(record.feature_count) + " features, checksum " +
                        record.checksum + "; found " + std::to_string(now.feature_count) +
                        ", checksum " + now.checksum + ")"});
}

void validate_rasters(const Storage& storage, Report& report)
{
    for (const auto& r : storage.raster_records()) {
        auto now = storage.raster_state(r.name);
        if (!now.checksum)
            report.add({Severity::error, storage.location(), r.name, std::nullopt, "", "", now.where,
                        "raster file is missing: " + now.where});
        else if (*now.checksum != r.checksum)
            report.add({Severity::error, storage.location(), r.name, std::nullopt, "", "", now.where,
                        "raster file " + now.where + " changed since import (checksum " + *now.checksum +
                            ", recorded " + r.checksum + ")"});
    }
}

// A result's file or table as its record describes it. Staleness is not a
// problem here: a stale result is intact, only out of date.
void validate_results(const Storage& storage, Report& report)
{
    const std::string& file = storage.location();
    for (const auto& r : storage.result_records()) {
        if (r.kind == ResultKind::raster) {
            auto now = storage.raster_state(r.name);
            if (!now.checksum)
                report.add({Severity::error, file, r.name, std::nullopt, "", "", now.where,
                            "result file is missing: " + now.where});
            else if (*now.checksum != r.checksum)
                report.add({Severity::error, file, r.name, std::nullopt, "", "", now.where,
                            "result file " + now.where + " changed since it was made (checksum " +
                                *now.checksum + ", recorded " + r.checksum + ")"});
            continue;
        }
        if (!storage.has_class(r.schema.name)) {
            report.add({Severity::error, file, r.name, std::nullopt, "", "", "",
                        "recorded as a result but its table " + r.schema.name + " is missing"});
            continue;
        }
        for (const auto& problem : storage.index_problems(r.schema))
            report.add({Severity::error, file, r.name, std::nullopt, "", "", "", problem});
        auto now = summarize(storage, r.schema);
        if (now.feature_count != r.feature_count || now.checksum != r.checksum)
            report.add({Severity::error, file, r.name, std::nullopt, "", "", "",
                        "content changed since it was made (recorded " +
                            std::to_string(r.feature_count) + " features, checksum " + r.checksum +
                            "; found " + std::to_string(now.feature_count) + ", checksum " +
                            now.checksum + ")"});
    }
}

}  // namespace

Report validate_city(const Storage& storage, const std::vector<ClassSchema>& schemas,
                     bool progress)
{
    Report report;
    for (const auto& problem : storage.integrity_problems())
        report.add({Severity::error, storage.location(), "", std::nullopt, "", "", "",
                    "integrity check: " + problem});
    auto city = storage.city();
    bool bar = progress && ProgressBar::stderr_is_terminal();
    for (const auto& record : storage.class_records()) {
        auto schema = std::find_if(schemas.begin(), schemas.end(),
                                   [&](const ClassSchema& s) { return s.name == record.name; });
        if (schema == schemas.end()) {
            report.add({Severity::warning, storage.location(), record.name, std::nullopt, "", "",
                        "", "not a known feature class"});
            continue;
        }
        if (!storage.has_class(record.name)) {
            report.add({Severity::error, storage.location(), record.name, std::nullopt, "", "",
                        "", "recorded in the metadata but its table is missing"});
            continue;
        }
        validate_class(storage, *schema, record, city.bounds, bar, report);
    }
    for (const auto& schema : schemas)
        if (storage.has_class(schema.name) && !storage.class_record(schema.name))
            report.add({Severity::error, storage.location(), schema.name, std::nullopt, "", "", "",
                        "table exists but no import is recorded"});
    validate_rasters(storage, report);
    validate_results(storage, report);
    return report;
}

}  // namespace lantern::core
