#include <lantern/core/vector_import.hpp>

#include <charconv>
#include <cmath>
#include <strings.h>

#include <ogrsf_frmts.h>

#include <lantern/core/feature_check.hpp>
#include <lantern/core/gdal.hpp>
#include <lantern/core/progress.hpp>
#include <lantern/core/utf8.hpp>

namespace lantern::core {

namespace {

constexpr const char* source_field = "source";

struct Converted {
    Value value;
    std::optional<std::string> problem;
};

std::string trimmed(const char* text)
{
    std::string s = text;
    auto begin = s.find_first_not_of(" \t");
    if (begin == std::string::npos)
        return "";
    auto end = s.find_last_not_of(" \t");
    return s.substr(begin, end - begin + 1);
}

// Reads a source field as the class field's type. Text columns holding
// numbers (CSV) are parsed strictly: "12a" is an error, not 12.
Converted convert(OGRFeature& feature, int index, FieldType type)
{
    if (!feature.IsFieldSetAndNotNull(index))
        return {std::monostate{}, std::nullopt};
    auto source_type = feature.GetFieldDefnRef(index)->GetType();
    const char* raw = feature.GetFieldAsString(index);
    switch (type) {
    case FieldType::text:
        return {std::string(raw), std::nullopt};
    case FieldType::integer: {
        if (source_type == OFTInteger || source_type == OFTInteger64)
            return {std::int64_t{feature.GetFieldAsInteger64(index)}, std::nullopt};
        if (source_type == OFTReal) {
            double d = feature.GetFieldAsDouble(index);
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15)
                return {static_cast<std::int64_t>(d), std::nullopt};
            return {std::string(raw), "expected an integer"};
        }
        std::string text = trimmed(raw);
        if (text.empty())
            return {std::monostate{}, std::nullopt};
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size())
            return {std::string(raw), "expected an integer"};
        return {v, std::nullopt};
    }
    case FieldType::real: {
        if (source_type == OFTInteger || source_type == OFTInteger64 || source_type == OFTReal)
            return {feature.GetFieldAsDouble(index), std::nullopt};
        std::string text = trimmed(raw);
        if (text.empty())
            return {std::monostate{}, std::nullopt};
        double v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size())
            return {std::string(raw), "expected a number"};
        return {v, std::nullopt};
    }
    }
    return {std::monostate{}, std::nullopt};
}

int find_field(OGRFeatureDefn& defn, const std::string& name)
{
    for (int i = 0; i < defn.GetFieldCount(); ++i)
        if (strcasecmp(defn.GetFieldDefn(i)->GetNameRef(), name.c_str()) == 0)
            return i;
    return -1;
}

// For each class field, the index of the source field that fills it, or -1.
std::vector<int> bind_fields(const ClassSchema& schema, VectorSource& source,
                             const ImportOptions& options, const std::string& file,
                             std::vector<std::string>& ignored)
{
    auto& defn = *source.layer().GetLayerDefn();
    std::string available;
    for (const auto& n : source.field_names())
        available += (available.empty() ? "" : ", ") + n;
    for (const auto& [dst, src] : options.field_map) {
        if (!schema.field(dst))
            throw UsageError("--map " + dst + "=" + src + ": " + schema.name +
                             " has no field '" + dst + "'");
        if (find_field(defn, src) < 0)
            throw UsageError("--map " + dst + "=" + src + ": " + file + " has no field '" + src +
                             "' (it has: " + available + ")");
    }
    std::vector<int> binding;
    std::vector<bool> used(static_cast<std::size_t>(defn.GetFieldCount()), false);
    Report missing;
    for (const auto& f : schema.fields) {
        auto mapped = options.field_map.find(f.name);
        int index = find_field(defn, mapped == options.field_map.end() ? f.name : mapped->second);
        binding.push_back(index);
        if (index >= 0)
            used[static_cast<std::size_t>(index)] = true;
        else if (f.required && !(options.id_prefix && f.name == schema.id_field))
            missing.add({Severity::error, file, schema.name, std::nullopt, "", f.name, "",
                         "required field is missing from the source (it has: " + available +
                             "; map one with --map " + f.name + "=FIELD)"});
    }
    if (!missing.ok())
        throw ImportRejected(missing.issues().front().to_text(), missing);
    for (std::size_t i = 0; i < used.size(); ++i)
        if (!used[i])
            ignored.emplace_back(defn.GetFieldDefn(static_cast<int>(i))->GetNameRef());
    return binding;
}

Crs resolve_source_crs(VectorSource& source, const ImportOptions& options,
                       const std::string& file)
{
    if (options.source_crs)
        return Crs::from_user(*options.source_crs);
    if (auto crs = source.crs())
        return *crs;
    throw DataError(file + ": the source has no CRS; name it with --s-srs (e.g. EPSG:4326, "
                           "EPSG:32649 or VN2000:TM3:107.75)");
}

}  // namespace

InvalidGeometryPolicy parse_invalid_policy(const std::string& text)
{
    if (text == "reject")
        return InvalidGeometryPolicy::reject;
    if (text == "repair")
        return InvalidGeometryPolicy::repair;
    if (text == "skip")
        return InvalidGeometryPolicy::skip;
    throw UsageError("--invalid must be reject, repair or skip (got '" + text + "')");
}

ImportResult import_vector(Storage& storage, const ClassSchema& schema,
                           const ImportOptions& options)
{
    const std::string& file = options.source.path;
    VectorSource source(options.source);
    ImportResult result;
    result.source_label = source.label();

    auto binding = bind_fields(schema, source, options, file, result.ignored_fields);
    Crs source_crs = resolve_source_crs(source, options, file);
    result.source_crs = source_crs.definition();
    auto city = storage.city();
    Crs city_crs = Crs::from_user(city.crs);
    Transform to_city(source_crs, city_crs);
    FeatureRules rules(schema, city.bounds);

    bool has_rows = storage.has_class(schema.name) && storage.count(schema.name) > 0;
    if (has_rows && options.mode == WriteMode::create)
        throw UsageError(schema.name + " already has " +
                         std::to_string(storage.count(schema.name)) +
                         " features; pass --append or --replace");
    // An append continues the digest of what is there; without a record of it
    // (a table filled outside lantern) the class is summarised afresh instead.
    std::optional<ClassRecord> previous;
    if (has_rows && options.mode == WriteMode::append)
        previous = storage.class_record(schema.name);
    bool digest_complete = !has_rows || options.mode != WriteMode::append || previous;
    ContentDigest digest = previous ? ContentDigest(*previous) : ContentDigest();

    Transaction transaction(storage);
    storage.prepare_class(schema, options.mode == WriteMode::replace);
    auto writer = storage.writer(schema);

    int source_index = -1;
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        if (schema.fields[i].name == source_field)
            source_index = static_cast<int>(i);

    ProgressBar progress("import " + schema.name, source.feature_count(),
                         options.progress && ProgressBar::stderr_is_terminal());
    auto& layer = source.layer();
    layer.ResetReading();
    std::vector<Value> values(schema.fields.size());
    std::vector<unsigned char> wkb;
    Report& report = result.report;
    ScopedGdalErrors quiet;

    while (report.error_count() < options.max_errors) {
        OGRFeatureUniquePtr feature(layer.GetNextFeature());
        if (!feature) {
            if (CPLGetLastErrorType() >= CE_Failure)
                throw DataError(file + ": reading stopped after feature " +
                                std::to_string(result.read) + " (" +
                                ScopedGdalErrors::last_message("unknown GDAL error") + ")");
            break;
        }
        ++result.read;
        progress.update(result.read);

        std::vector<Problem> problems;
        for (std::size_t i = 0; i < schema.fields.size(); ++i) {
            if (binding[i] < 0) {
                values[i] = std::monostate{};
                continue;
            }
            auto converted = convert(*feature, binding[i], schema.fields[i].type);
            values[i] = std::move(converted.value);
            if (converted.problem)
                problems.push_back({schema.fields[i].name, printable(to_display(values[i])),
                                    *converted.problem});
        }
        if (options.id_prefix && rules.id_index() >= 0) {
            auto& id = values[static_cast<std::size_t>(rules.id_index())];
            if (std::holds_alternative<std::monostate>(id))
                id = *options.id_prefix + std::to_string(result.read);
        }
        if (source_index >= 0 && binding[static_cast<std::size_t>(source_index)] < 0)
            values[static_cast<std::size_t>(source_index)] = source.label();
        if (problems.empty())
            problems = rules.check_values(values);

        std::string label = rules.feature_label(values);

        bool skip = false;
        std::optional<Bounds> bounds;
        OGRGeometry* geometry = feature->GetGeometryRef();
        if (!geometry) {
            problems.push_back({"geometry", "", "no geometry"});
        } else if (!to_city.apply(*geometry)) {
            problems.push_back({"geometry", "", "cannot transform into " + city_crs.name()});
        } else if (auto problem = rules.normalize(*geometry, wkb)) {
            problems.push_back(*problem);
        } else {
            for (auto& p : rules.check_geometry(wkb, &bounds)) {
                if (!FeatureRules::is_invalidity(p) ||
                    options.invalid == InvalidGeometryPolicy::reject) {
                    problems.push_back(p);
                    continue;
                }
                Issue note{Severity::warning, file, schema.name, result.read, label, "geometry",
                           "", ""};
                if (options.invalid == InvalidGeometryPolicy::skip) {
                    note.reason = "skipped: " + p.reason;
                    skip = true;
                } else {
                    wkb = rules.repair(wkb);
                    if (wkb.empty()) {
                        problems.push_back({"geometry", "", p.reason + "; nothing is left after repair"});
                        continue;
                    }
                    note.reason = "repaired with make-valid: " + p.reason;
                    ++result.repaired;
                }
                report.add(note);
            }
        }

        if (problems.empty() && skip) {
            ++result.skipped;
            continue;
        }
        if (problems.empty()) {
            if (auto fid = writer->insert(wkb, values)) {
                digest.add(*fid, wkb, values, bounds);
                ++result.imported;
                continue;
            }
            const auto& id = values[static_cast<std::size_t>(rules.id_index())];
            problems.push_back({schema.id_field, printable(to_display(id)), "duplicate id"});
        }
        for (const auto& p : problems)
            report.add({Severity::error, file, schema.name, result.read, label, p.field, p.value,
                        p.reason});
    }
    progress.finish();

    if (!report.ok()) {
        std::string message;
        for (const auto& issue : report.issues())
            if (issue.severity == Severity::error) {
                message = issue.to_text();
                break;
            }
        if (report.error_count() > 1)
            message += " (and " + std::to_string(report.error_count() - 1) + " more)";
        throw ImportRejected(message, report);
    }

    writer->finish();
    writer.reset();
    if (digest_complete) {
        result.record.name = schema.name;
        digest.fill(result.record);
    } else {
        result.record = summarize(storage, schema);
    }
    result.record.source = source.label();
    result.record.imported_at = utc_now();
    storage.put_class_record(result.record);
    transaction.commit();
    return result;
}

}  // namespace lantern::core
