// Analysis results: records, staleness and the batch that lands one run's
// results all at once, rasters through the storage's transaction.

#include <lantern/core/storage/results.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/storage/feature_check.hpp>

namespace lantern::core {

namespace {

// How deep stale_reasons follows results made from results.
constexpr int max_result_depth = 8;

const std::map<GeometryKind, std::string>& geometry_names()
{
    static const std::map<GeometryKind, std::string> names = {
        {GeometryKind::point, "point"},
        {GeometryKind::line, "line"},
        {GeometryKind::polygon, "polygon"},
        {GeometryKind::point_or_polygon, "point_or_polygon"}};
    return names;
}

const std::map<FieldType, std::string>& field_type_names()
{
    static const std::map<FieldType, std::string> names = {
        {FieldType::integer, "integer"}, {FieldType::real, "real"}, {FieldType::text, "text"},
        {FieldType::boolean, "boolean"}};
    return names;
}

template <typename Enum>
Enum enum_from_name(const std::map<Enum, std::string>& names, const std::string& text)
{
    for (const auto& [value, name] : names)
        if (name == text)
            return value;
    throw std::invalid_argument("unknown value '" + text + "'");
}

// What the city holds under a name now, for inputs: its checksum and when it
// was last written, or nothing.
struct Current {
    std::string checksum;
    std::string written_at;
    std::optional<ResultRecord> result;  // when the input is a result
};

std::optional<Current> current_state(const Storage& storage, const std::string& name)
{
    if (auto c = storage.class_record(name))
        return Current{c->checksum, c->imported_at, std::nullopt};
    for (const auto& r : storage.raster_records())
        if (r.name == name)
            return Current{r.checksum, r.imported_at, std::nullopt};
    if (auto r = storage.result_record(name))
        return Current{r->checksum, r->created_at, r};
    return std::nullopt;
}

std::vector<std::string> stale_reasons_at(const Storage& storage, const ResultRecord& record, int depth)
{
    std::vector<std::string> reasons;
    for (const auto& input : record.inputs) {
        auto now = current_state(storage, input.name);
        if (!now) {
            reasons.push_back(input.name + " is no longer in the city");
        } else if (now->checksum != input.checksum) {
            reasons.push_back(input.name + (now->result ? " was made again on " : " was imported again on ") +
                              now->written_at + " after this result was made");
        } else if (now->result && depth < max_result_depth) {
            for (const auto& reason : stale_reasons_at(storage, *now->result, depth + 1))
                reasons.push_back(input.name + ", which this result was made from, is stale: " + reason);
        }
    }
    return reasons;
}

// A table name for a feature result: SQL-friendly, and not one that another
// result or a feature class uses.
std::string result_table_name(const Storage& storage, const std::string& result_name)
{
    std::string base = "result_";
    for (char c : result_name)
        base += c == '.' || c == '-' ? '_' : c;
    auto taken = [&](const std::string& table) {
        if (storage.class_record(table) || storage.has_class(table))
            return true;
        for (const auto& r : storage.result_records())
            if (r.kind == ResultKind::features && r.schema.name == table && r.name != result_name)
                return true;
        return false;
    };
    std::string table = base;
    for (int k = 2; taken(table); ++k)
        table = base + "_" + std::to_string(k);
    return table;
}

}  // namespace

std::string to_string(ResultKind kind)
{
    return kind == ResultKind::raster ? "raster" : "features";
}

std::optional<ResultKind> result_kind_from_string(const std::string& text)
{
    if (text == "raster")
        return ResultKind::raster;
    if (text == "features")
        return ResultKind::features;
    return std::nullopt;
}

nlohmann::json schema_to_json(const ClassSchema& schema)
{
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : schema.fields) {
        nlohmann::json field = {{"name", f.name},
                                {"type", field_type_names().at(f.type)},
                                {"required", f.required},
                                {"allowed", f.allowed},
                                {"description", f.description}};
        field["min"] = f.min ? nlohmann::json(*f.min) : nlohmann::json(nullptr);
        field["max"] = f.max ? nlohmann::json(*f.max) : nlohmann::json(nullptr);
        fields.push_back(field);
    }
    return {{"name", schema.name},
            {"layer", schema.layer},
            {"description", schema.description},
            {"geometry", geometry_names().at(schema.geometry)},
            {"id_field", schema.id_field},
            {"fields", fields}};
}

ClassSchema schema_from_json(const nlohmann::json& j)
{
    ClassSchema schema;
    schema.name = j.at("name").get<std::string>();
    schema.layer = j.value("layer", "");
    schema.description = j.value("description", "");
    schema.geometry = enum_from_name(geometry_names(), j.at("geometry").get<std::string>());
    schema.id_field = j.value("id_field", "");
    for (const auto& f : j.at("fields")) {
        FieldDef field;
        field.name = f.at("name").get<std::string>();
        field.type = enum_from_name(field_type_names(), f.at("type").get<std::string>());
        field.required = f.value("required", false);
        if (f.contains("min") && !f["min"].is_null())
            field.min = f["min"].get<double>();
        if (f.contains("max") && !f["max"].is_null())
            field.max = f["max"].get<double>();
        field.allowed = f.value("allowed", std::vector<std::string>{});
        field.description = f.value("description", "");
        schema.fields.push_back(field);
    }
    return schema;
}

void check_result_name(const std::string& name)
{
    bool ok = !name.empty() && name.size() <= 64 && name[0] >= 'a' && name[0] <= 'z' &&
              std::all_of(name.begin(), name.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                         c == '-';
              });
    if (!ok)
        throw UsageError("'" + name + "' is not a result name: a lower-case letter followed by up "
                         "to 63 lower-case letters, digits, '_', '.' or '-'");
}

std::vector<ResultInput> current_inputs(const Storage& storage, const std::vector<std::string>& names)
{
    std::vector<ResultInput> inputs;
    for (const auto& name : names) {
        if (std::any_of(inputs.begin(), inputs.end(), [&](const ResultInput& i) { return i.name == name; }))
            continue;
        auto now = current_state(storage, name);
        if (!now)
            throw DataError(storage.location() + ": the city has no " + name, Choice::missing_class);
        inputs.push_back({name, now->checksum});
    }
    return inputs;
}

std::vector<std::string> stale_reasons(const Storage& storage, const ResultRecord& record)
{
    return stale_reasons_at(storage, record, 0);
}

void require_current(const Storage& storage, const ResultRecord& record, const std::string& override_hint)
{
    auto reasons = stale_reasons(storage, record);
    if (reasons.empty())
        return;
    std::string why;
    for (const auto& reason : reasons)
        why += (why.empty() ? "" : "; ") + reason;
    std::string message = storage.location() + ": result " + record.name + " is stale: " + why +
                          ". Run the " + record.analysis + " analysis again to refresh it";
    if (!override_hint.empty())
        message += ", or " + override_hint;
    throw DataError(message);
}

// ---------------------------------------------------------------------------

struct FeatureSink::State {
    ResultRecord record;
    std::unique_ptr<FeatureWriter> writer;
    FeatureRules rules;
    ContentDigest digest;
    std::int64_t count = 0;

    State(ResultRecord r, std::unique_ptr<FeatureWriter> w)
        : record(std::move(r)), writer(std::move(w)), rules(record.schema, std::nullopt)
    {
    }
};

FeatureSink::FeatureSink(std::unique_ptr<State> state) : m_state(std::move(state)) {}
FeatureSink::~FeatureSink() = default;

std::int64_t FeatureSink::count() const
{
    return m_state->count;
}

void FeatureSink::insert(const std::vector<unsigned char>& wkb, const std::vector<Value>& values)
{
    auto& s = *m_state;
    if (!s.writer)
        throw std::logic_error("result " + s.record.name + " was committed already");
    const auto& schema = s.record.schema;
    std::string label = "result " + s.record.name + " feature " + std::to_string(s.count + 1);
    if (values.size() != schema.fields.size())
        throw std::logic_error(label + ": " + std::to_string(values.size()) + " values for " +
                               std::to_string(schema.fields.size()) + " fields");
    std::vector<unsigned char> stored;
    Bounds bounds;
    if (auto plain = s.rules.normalize_polygon_wkb(wkb, stored)) {
        bounds = *plain;
    } else {
        OGRGeometry* parsed = nullptr;
        if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &parsed, wkb.size()) != OGRERR_NONE)
            throw DataError(label + ": unreadable geometry");
        std::unique_ptr<OGRGeometry> geometry(parsed);
        if (auto problem = s.rules.normalize(*geometry, stored))
            throw DataError(label + ": " + problem->reason);
        OGREnvelope envelope;
        geometry->getEnvelope(&envelope);
        bounds = {envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY};
    }
    if (auto problems = s.rules.check_values(values); !problems.empty()) {
        const auto& p = problems.front();
        throw DataError(label + ": field " + p.field + " = '" + p.value + "': " + p.reason);
    }
    // A whole number for a real field is stored as a real: hash it as one, so
    // the checksum is that of what a scan reads back.
    auto typed = values;
    for (std::size_t i = 0; i < typed.size(); ++i)
        if (auto* n = std::get_if<std::int64_t>(&typed[i]); n && schema.fields[i].type == FieldType::real)
            typed[i] = static_cast<double>(*n);
    auto fid = s.writer->insert(stored, typed, bounds);
    if (!fid)
        throw DataError(label + ": " + s.rules.feature_label(typed) + " was given already");
    s.digest.add(*fid, stored, typed, bounds);
    ++s.count;
}

// ---------------------------------------------------------------------------

struct ResultBatch::State {
    Storage& storage;
    std::string analysis;
    nlohmann::json parameters;
    std::vector<ResultInput> inputs;
    bool open = false;  // the storage transaction
    bool done = false;

    std::vector<std::string> names;  // in the order they were added
    std::map<std::string, ResultRecord> rasters;
    std::vector<std::unique_ptr<FeatureSink>> sinks;

    State(Storage& s, std::string a, nlohmann::json p, std::vector<ResultInput> i)
        : storage(s), analysis(std::move(a)), parameters(std::move(p)), inputs(std::move(i))
    {
    }

    ResultRecord start_record(const std::string& name, ResultKind kind, const std::string& description)
    {
        ResultRecord r;
        r.name = name;
        r.kind = kind;
        r.analysis = analysis;
        r.parameters = parameters;
        r.inputs = inputs;
        r.description = description;
        return r;
    }

    // Checks a new result name, once per batch, and notes what it replaces.
    void claim(const std::string& name)
    {
        check_result_name(name);
        if (std::find(names.begin(), names.end(), name) != names.end())
            throw std::logic_error("result " + name + " is added twice in one " + analysis + " run");
        auto imported = storage.raster_records();
        if (storage.class_record(name) ||
            std::any_of(imported.begin(), imported.end(), [&](const RasterRecord& r) { return r.name == name; }))
            throw UsageError(storage.location() + ": " + name +
                             " is an imported class or raster; a result cannot take its name");
        names.push_back(name);
    }

    // Undoes everything; never throws.
    void abandon() noexcept
    {
        if (open) {
            open = false;
            try {
                storage.rollback();
            } catch (...) {
                // SQLite rolls back on close anyway.
            }
        }
        done = true;
    }
};

ResultBatch::ResultBatch(Storage& storage, std::string analysis, nlohmann::json parameters,
                         std::vector<ResultInput> inputs)
    : m_state(std::make_unique<State>(storage, std::move(analysis), std::move(parameters),
                                      std::move(inputs)))
{
    storage.begin();
    m_state->open = true;
}

ResultBatch::~ResultBatch()
{
    if (!m_state->done)
        m_state->abandon();
}

void ResultBatch::add_written_raster(const std::string& name, const std::string& description,
                                     const std::string& unit,
                                     const std::function<void(const std::string& target)>& write)
{
    auto& s = *m_state;
    s.claim(name);
    auto record = s.start_record(name, ResultKind::raster, description);
    record.unit = unit;
    auto staged = s.storage.stage_raster(RasterRole::result, name, write);
    describe_staged(record, staged);
    record.no_data = staged.no_data;
    s.rasters.emplace(name, std::move(record));
}

FeatureSink& ResultBatch::add_features(const std::string& name, const std::string& description,
                                       ClassSchema schema)
{
    auto& s = *m_state;
    s.claim(name);
    // The table is made anew: the schema may differ from the last run's.
    s.storage.drop_result(name);
    schema.name = result_table_name(s.storage, name);
    s.storage.prepare_class(schema, true);
    auto record = s.start_record(name, ResultKind::features, description);
    record.schema = schema;
    auto writer = s.storage.writer(schema);
    s.sinks.push_back(std::unique_ptr<FeatureSink>(
        new FeatureSink(std::make_unique<FeatureSink::State>(std::move(record), std::move(writer)))));
    return *s.sinks.back();
}

std::vector<ResultRecord> ResultBatch::commit()
{
    auto& s = *m_state;
    if (s.done)
        throw std::logic_error("the " + s.analysis + " results were committed or abandoned already");
    std::vector<ResultRecord> records;
    try {
        std::string now = utc_now();
        for (auto& sink : s.sinks) {
            auto& state = *sink->m_state;
            state.writer->finish();
            state.writer.reset();
            ClassRecord summary;
            state.digest.fill(summary);
            state.record.feature_count = summary.feature_count;
            state.record.checksum = summary.checksum;
            state.record.extent = summary.extent;
            state.record.created_at = now;
            s.storage.put_result_record(state.record);
            records.push_back(state.record);
        }
        for (auto& [name, record] : s.rasters) {
            record.created_at = now;
            // A raster may replace a feature result of the same name: drop its table.
            s.storage.drop_result(name);
            s.storage.put_result_record(record);
            records.push_back(record);
        }
        s.storage.commit();
        s.open = false;
    } catch (...) {
        s.abandon();
        throw;
    }
    s.done = true;
    std::sort(records.begin(), records.end(),
              [](const ResultRecord& a, const ResultRecord& b) { return a.name < b.name; });
    return records;
}

// ---------------------------------------------------------------------------

struct ResultEdit::State {
    Storage& storage;
    std::map<std::string, ResultRecord> edited;
    std::map<std::string, std::unique_ptr<FeatureSink>> sinks;

    explicit State(Storage& s) : storage(s) {}

    ResultRecord& record(const std::string& name)
    {
        if (auto it = edited.find(name); it != edited.end())
            return it->second;
        auto r = storage.result_record(name);
        if (!r || r->kind != ResultKind::features)
            throw UsageError(storage.location() + ": the city has no feature result " + name);
        return edited.emplace(name, std::move(*r)).first->second;
    }
};

ResultEdit::ResultEdit(Storage& storage) : m_state(std::make_unique<State>(storage)) {}
ResultEdit::~ResultEdit() = default;

void ResultEdit::remove(const std::string& name, const std::string& field, const Value& value)
{
    m_state->storage.remove_features(m_state->record(name).schema, field, value);
}

void ResultEdit::clear(const std::string& name)
{
    m_state->storage.prepare_class(m_state->record(name).schema, true);
}

void ResultEdit::keep(const std::string& name)
{
    m_state->record(name);
}

FeatureSink& ResultEdit::add(const std::string& name)
{
    auto& s = *m_state;
    auto& sink = s.sinks[name];
    if (!sink) {
        const auto& record = s.record(name);
        sink.reset(new FeatureSink(
            std::make_unique<FeatureSink::State>(record, s.storage.writer(record.schema))));
    }
    return *sink;
}

std::vector<ResultRecord> ResultEdit::finish()
{
    auto& s = *m_state;
    for (auto& [name, sink] : s.sinks)
        if (sink->m_state->writer) {
            sink->m_state->writer->finish();
            sink->m_state->writer.reset();
        }
    std::string now = utc_now();
    std::vector<ResultRecord> records;
    for (auto& [name, record] : s.edited) {
        auto summary = summarize(s.storage, record.schema);
        record.feature_count = summary.feature_count;
        record.checksum = summary.checksum;
        record.extent = summary.extent;
        std::vector<std::string> input_names;
        for (const auto& input : record.inputs)
            input_names.push_back(input.name);
        record.inputs = current_inputs(s.storage, input_names);
        record.created_at = now;
        s.storage.put_result_record(record);
        records.push_back(record);
    }
    return records;
}

void remove_results(Storage& storage, const std::vector<std::string>& names)
{
    Transaction transaction(storage);
    for (const auto& name : names) {
        if (!storage.result_record(name))
            throw UsageError(storage.location() + ": the city has no result " + name);
        storage.drop_result(name);
    }
    transaction.commit();
}

}  // namespace lantern::core
