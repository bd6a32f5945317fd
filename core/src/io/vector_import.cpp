#include <lantern/core/io/vector_import.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <strings.h>

#include <exception>
#include <optional>
#include <thread>

#include <ogrsf_frmts.h>

#include <lantern/core/base/parallel.hpp>
#include <lantern/core/base/progress.hpp>
#include <lantern/core/base/utf8.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/feature_check.hpp>

#include "bounded_queue.hpp"

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
    // Numbers are read as numbers: formatting them as text first costs time.
    auto raw_text = [&] { return std::string(feature.GetFieldAsString(index)); };
    switch (type) {
    case FieldType::text:
        return {raw_text(), std::nullopt};
    case FieldType::integer: {
        if (source_type == OFTInteger || source_type == OFTInteger64)
            return {std::int64_t{feature.GetFieldAsInteger64(index)}, std::nullopt};
        if (source_type == OFTReal) {
            double d = feature.GetFieldAsDouble(index);
            if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15)
                return {static_cast<std::int64_t>(d), std::nullopt};
            return {raw_text(), "expected an integer"};
        }
        std::string raw = raw_text();
        std::string text = trimmed(raw.c_str());
        if (text.empty())
            return {std::monostate{}, std::nullopt};
        std::int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size())
            return {raw, "expected an integer"};
        return {v, std::nullopt};
    }
    case FieldType::boolean: {
        // GDAL booleans are integers of subtype OFSTBoolean; text says
        // true/false or 1/0.
        if (source_type == OFTInteger || source_type == OFTInteger64) {
            auto v = feature.GetFieldAsInteger64(index);
            if (v == 0 || v == 1)
                return {std::int64_t{v}, std::nullopt};
            return {raw_text(), "expected a boolean (true, false, 1 or 0)"};
        }
        std::string raw = raw_text();
        std::string text = trimmed(raw.c_str());
        if (text.empty())
            return {std::monostate{}, std::nullopt};
        if (strcasecmp(text.c_str(), "true") == 0 || text == "1")
            return {std::int64_t{1}, std::nullopt};
        if (strcasecmp(text.c_str(), "false") == 0 || text == "0")
            return {std::int64_t{0}, std::nullopt};
        return {raw, "expected a boolean (true, false, 1 or 0)"};
    }
    case FieldType::real: {
        if (source_type == OFTInteger || source_type == OFTInteger64 || source_type == OFTReal)
            return {feature.GetFieldAsDouble(index), std::nullopt};
        std::string raw = raw_text();
        std::string text = trimmed(raw.c_str());
        if (text.empty())
            return {std::monostate{}, std::nullopt};
        double v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size())
            return {raw, "expected a number"};
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
            throw UsageError("field mapping " + dst + "=" + src + ": " + schema.name +
                                 " has no field '" + dst + "'",
                             Choice::field_mapping);
        if (find_field(defn, src) < 0)
            throw UsageError("field mapping " + dst + "=" + src + ": " + file + " has no field '" +
                                 src + "' (it has: " + available + ")",
                             Choice::field_mapping);
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
                         "required field is missing from the source (it has: " + available + ")"});
    }
    if (!missing.ok())
        throw ImportRejected(missing.issues().front().to_text(), missing, Choice::field_mapping);
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
    throw DataError(file + ": the source has no CRS", Choice::source_crs);
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
    throw UsageError("invalid-geometry policy '" + text + "': must be reject, repair or skip");
}

namespace {

// One source feature read, converted, reprojected and checked: ready to insert
// unless it has errors or is skipped.
struct PreparedFeature {
    std::int64_t position = 0;  // 1-based, in source order
    std::vector<unsigned char> wkb;
    std::vector<Value> values;
    Bounds bounds;
    std::string label;
    std::vector<Issue> issues;
    bool has_errors = false;
    bool skipped = false;
    bool repaired = false;
};

using Batch = std::vector<PreparedFeature>;

// Turns source features into PreparedFeatures. Owns the GEOS context and the
// coordinate transformation, so it runs in the reader thread only.
class FeaturePreparer {
public:
    FeaturePreparer(const ClassSchema& schema, const ImportOptions& options,
                    const std::vector<int>& binding, const Crs& source_crs, const Crs& city_crs,
                    const std::optional<Bounds>& city_bounds, std::string source_label)
        : m_schema(schema), m_options(options), m_binding(binding),
          m_to_city(source_crs, city_crs), m_city_crs_name(city_crs.name()),
          m_rules(schema, city_bounds), m_source_label(std::move(source_label))
    {
        for (std::size_t i = 0; i < schema.fields.size(); ++i)
            if (schema.fields[i].name == source_field)
                m_source_index = static_cast<int>(i);
    }

    PreparedFeature prepare(OGRFeature& feature, std::int64_t position)
    {
        PreparedFeature out;
        out.position = position;
        std::vector<Problem> problems;
        read_values(feature, out, problems);
        if (problems.empty())
            problems = m_rules.check_values(out.values);
        out.label = m_rules.feature_label(out.values);
        check_geometry(feature.GetGeometryRef(), out, problems);
        for (const auto& p : problems)
            add_error(out, p);
        return out;
    }

    // The duplicate-id error for a feature the storage refused.
    void add_duplicate_error(PreparedFeature& f) const
    {
        const auto& id = f.values[static_cast<std::size_t>(m_rules.id_index())];
        add_error(f, {m_schema.id_field, printable(to_display(id)), "duplicate id"});
    }

private:
    void add_error(PreparedFeature& f, const Problem& p) const
    {
        f.issues.push_back({Severity::error, m_options.source.path, m_schema.name, f.position,
                            f.label, p.field, p.value, p.reason});
        f.has_errors = true;
    }

    void read_values(OGRFeature& feature, PreparedFeature& out, std::vector<Problem>& problems)
    {
        out.values.resize(m_schema.fields.size());
        for (std::size_t i = 0; i < m_schema.fields.size(); ++i) {
            if (m_binding[i] < 0)
                continue;
            auto converted = convert(feature, m_binding[i], m_schema.fields[i].type);
            out.values[i] = std::move(converted.value);
            if (converted.problem)
                problems.push_back({m_schema.fields[i].name, printable(to_display(out.values[i])),
                                    *converted.problem});
        }
        if (m_options.id_prefix && m_rules.id_index() >= 0) {
            auto& id = out.values[static_cast<std::size_t>(m_rules.id_index())];
            if (std::holds_alternative<std::monostate>(id))
                id = *m_options.id_prefix + std::to_string(out.position);
        }
        if (m_source_index >= 0 && m_binding[static_cast<std::size_t>(m_source_index)] < 0)
            out.values[static_cast<std::size_t>(m_source_index)] = m_source_label;
    }

    void check_geometry(OGRGeometry* geometry, PreparedFeature& out, std::vector<Problem>& problems)
    {
        if (!geometry) {
            problems.push_back({"geometry", "", "no geometry"});
            return;
        }
        if (!m_to_city.apply(*geometry)) {
            problems.push_back({"geometry", "", "cannot transform into " + m_city_crs_name});
            return;
        }
        if (auto problem = m_rules.normalize(*geometry, out.wkb)) {
            problems.push_back(*problem);
            return;
        }
        std::optional<Bounds> bounds;
        for (auto& p : m_rules.check_geometry(out.wkb, &bounds)) {
            if (!FeatureRules::is_invalidity(p) ||
                m_options.invalid == InvalidGeometryPolicy::reject) {
                problems.push_back(p);
                continue;
            }
            Issue note{Severity::warning, m_options.source.path, m_schema.name, out.position,
                       out.label, "geometry", "", ""};
            if (m_options.invalid == InvalidGeometryPolicy::skip) {
                note.reason = "skipped: " + p.reason;
                out.skipped = true;
            } else {
                out.wkb = m_rules.repair(out.wkb);
                if (out.wkb.empty()) {
                    problems.push_back({"geometry", "", p.reason + "; nothing is left after repair"});
                    continue;
                }
                // The repaired geometry is checked like any other, and its own bounds kept.
                for (auto& left : m_rules.check_geometry(out.wkb, &bounds))
                    problems.push_back(left);
                note.reason = "repaired with make-valid: " + p.reason;
                out.repaired = true;
            }
            out.issues.push_back(note);
        }
        if (bounds)
            out.bounds = *bounds;
    }

    const ClassSchema& m_schema;
    const ImportOptions& m_options;
    const std::vector<int>& m_binding;
    Transform m_to_city;
    std::string m_city_crs_name;
    FeatureRules m_rules;
    std::string m_source_label;
    int m_source_index = -1;
};

// Reads and prepares features in a thread of its own while the caller's
// thread writes them: GDAL, PROJ and GEOS work overlaps with SQLite's. With
// one thread (default_threads(), --threads 1) the caller reads each batch as
// it asks for it instead. Destroying the reader stops and joins the thread.
class FeatureReader {
public:
    FeatureReader(VectorSource& source, FeaturePreparer& preparer, std::size_t max_errors)
        : m_source(source), m_preparer(preparer), m_max_errors(max_errors), m_queue(8)
    {
        if (default_threads() > 1) {
            m_thread = std::thread([this] { run(); });
        } else {
            m_quiet.emplace();  // GDAL's error state is per thread: the caller's here
            m_source.layer().ResetReading();
        }
    }
    ~FeatureReader()
    {
        m_queue.close();
        if (m_thread.joinable())
            m_thread.join();
    }
    FeatureReader(const FeatureReader&) = delete;
    FeatureReader& operator=(const FeatureReader&) = delete;

    // The next batch, or nothing at the end. Rethrows what the reader threw.
    std::optional<Batch> next()
    {
        if (!m_thread.joinable())
            return read_batch();
        auto batch = m_queue.pop();
        if (!batch && m_error)
            std::rethrow_exception(m_error);
        return batch;
    }

private:
    void run()
    {
        try {
            ScopedGdalErrors quiet;  // GDAL's error state is per thread
            m_source.layer().ResetReading();
            while (auto batch = read_batch())
                if (!m_queue.push(std::move(*batch)))
                    return;
        } catch (...) {
            m_error = std::current_exception();
        }
        m_queue.close();
    }

    // Up to 256 prepared features; nothing at the end of the source or once
    // max_errors features had errors.
    std::optional<Batch> read_batch()
    {
        constexpr std::size_t batch_size = 256;
        Batch batch;
        auto& layer = m_source.layer();
        while (!m_done && m_errors < m_max_errors && batch.size() < batch_size) {
            OGRFeatureUniquePtr feature(layer.GetNextFeature());
            if (!feature) {
                if (CPLGetLastErrorType() >= CE_Failure)
                    throw DataError(m_source.label() + ": reading stopped after feature " +
                                    std::to_string(m_position) + " (" +
                                    ScopedGdalErrors::last_message("unknown GDAL error") + ")");
                m_done = true;
                break;
            }
            batch.push_back(m_preparer.prepare(*feature, ++m_position));
            m_errors += batch.back().has_errors ? 1 : 0;
        }
        if (batch.empty())
            return std::nullopt;
        return batch;
    }

    VectorSource& m_source;
    FeaturePreparer& m_preparer;
    std::size_t m_max_errors;
    std::int64_t m_position = 0;
    std::size_t m_errors = 0;
    bool m_done = false;  // the source's end was read
    std::optional<ScopedGdalErrors> m_quiet;  // when the caller reads
    detail::BoundedQueue<Batch> m_queue;
    std::exception_ptr m_error;  // written before close(), read after pop() saw it
    std::thread m_thread;
};

}  // namespace

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
    FeaturePreparer preparer(schema, options, binding, source_crs, city_crs, city.bounds,
                             source.label());

    std::int64_t existing = storage.has_class(schema.name) ? storage.count(schema.name) : 0;
    bool has_rows = existing > 0;
    if (has_rows && options.mode == WriteMode::create)
        throw UsageError(storage.location() + ": " + schema.name + " already has " +
                             std::to_string(existing) + " features",
                         Choice::existing_features);
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

    ProgressBar progress("import " + schema.name, source.feature_count(),
                         options.progress && ProgressBar::stderr_is_terminal());
    Report& report = result.report;
    {
        FeatureReader reader(source, preparer, options.max_errors);
        while (auto batch = reader.next()) {
            for (auto& f : *batch) {
                ++result.read;
                if (!f.has_errors && !f.skipped) {
                    if (auto fid = writer->insert(f.wkb, f.values, f.bounds)) {
                        digest.add(*fid, f.wkb, f.values, f.bounds);
                        ++result.imported;
                        result.repaired += f.repaired ? 1 : 0;
                    } else {
                        preparer.add_duplicate_error(f);
                    }
                }
                result.skipped += f.skipped && !f.has_errors ? 1 : 0;
                for (auto& issue : f.issues)
                    report.add(std::move(issue));
            }
            progress.update(result.read);
            if (report.error_count() >= options.max_errors)
                break;
        }
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
        bool outside = std::any_of(report.issues().begin(), report.issues().end(), [](const Issue& i) {
            return FeatureRules::is_outside_bounds(i.reason);
        });
        throw ImportRejected(message, report, outside ? Choice::source_crs : Choice::none);
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
