#include <lantern/layers/class_description.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <lantern/core/base/error.hpp>

namespace lantern::layers {

namespace {

using nlohmann::json;

// Classes a city adds are drawn over the built-in ones unless they say otherwise.
constexpr int default_draw_order = 200;

const std::vector<std::pair<std::string, core::GeometryKind>>& geometry_names()
{
    static const std::vector<std::pair<std::string, core::GeometryKind>> names = {
        {"point", core::GeometryKind::point},
        {"line", core::GeometryKind::line},
        {"polygon", core::GeometryKind::polygon},
        {"point_or_polygon", core::GeometryKind::point_or_polygon},
    };
    return names;
}

const std::vector<std::pair<std::string, core::FieldType>>& type_names()
{
    static const std::vector<std::pair<std::string, core::FieldType>> names = {
        {"text", core::FieldType::text},
        {"integer", core::FieldType::integer},
        {"real", core::FieldType::real},
        {"boolean", core::FieldType::boolean},
    };
    return names;
}

template <typename T>
std::string name_of(const std::vector<std::pair<std::string, T>>& names, T value)
{
    for (const auto& [name, v] : names)
        if (v == value)
            return name;
    return "?";
}

// Names are SQL table and column names and MVT layer and key names: kept to
// what needs no quoting anywhere.
bool is_plain_name(const std::string& s)
{
    if (s.empty() || s.size() > 63 || s[0] < 'a' || s[0] > 'z')
        return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

// Tables the database keeps for itself (Lantern's metadata, results,
// SpatiaLite's and SQLite's own).
bool is_reserved_table(const std::string& name)
{
    for (const char* prefix : {"lantern_", "result_", "sqlite_", "spatial", "geometry_columns",
                               "views_", "virts_", "vector_layers", "idx_", "sql_statements",
                               "data_licenses", "knn", "elementarygeometries"})
        if (name.rfind(prefix, 0) == 0)
            return true;
    return name == "dem";
}

// Reads one JSON document, naming the file and the path of every error.
class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string& path, const std::string& what) const
    {
        throw core::UsageError(m_file + ": " + (path.empty() ? "" : path + ": ") + what);
    }

    void only_keys(const json& object, const std::string& path,
                   const std::vector<std::string>& keys) const
    {
        for (const auto& [key, value] : object.items())
            if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
                std::string known;
                for (const auto& k : keys)
                    known += (known.empty() ? "" : ", ") + k;
                fail(join(path, key), "unknown field (known: " + known + ")");
            }
    }

    const json& object(const json& parent, const std::string& path) const
    {
        if (!parent.is_object())
            fail(path, "expected an object");
        return parent;
    }

    const json* member(const json& object, const std::string& path, const std::string& key,
                       bool required) const
    {
        auto it = object.find(key);
        if (it == object.end()) {
            if (required)
                fail(join(path, key), "missing");
            return nullptr;
        }
        return &*it;
    }

    std::string text(const json& value, const std::string& path, bool non_empty = true) const
    {
        if (!value.is_string())
            fail(path, "expected text, got " + value.dump());
        auto s = value.get<std::string>();
        if (non_empty && s.empty())
            fail(path, "is empty");
        return s;
    }

    double number(const json& value, const std::string& path, double min, double max) const
    {
        if (!value.is_number())
            fail(path, "expected a number, got " + value.dump());
        double v = value.get<double>();
        if (!(v >= min && v <= max))
            fail(path, value.dump() + " is outside " + format(min) + " to " + format(max));
        return v;
    }

    int integer(const json& value, const std::string& path, int min, int max) const
    {
        if (!value.is_number_integer())
            fail(path, "expected an integer, got " + value.dump());
        return static_cast<int>(number(value, path, min, max));
    }

    bool boolean(const json& value, const std::string& path) const
    {
        if (!value.is_boolean())
            fail(path, "expected true or false, got " + value.dump());
        return value.get<bool>();
    }

    template <typename T>
    T one_of(const json& value, const std::string& path,
             const std::vector<std::pair<std::string, T>>& names) const
    {
        auto s = text(value, path);
        std::string list;
        for (const auto& [name, v] : names) {
            if (name == s)
                return v;
            list += (list.empty() ? "" : ", ") + name;
        }
        fail(path, "'" + s + "' is not one of " + list);
    }

    std::vector<std::string> text_list(const json& value, const std::string& path) const
    {
        if (!value.is_array())
            fail(path, "expected a list of text");
        std::vector<std::string> out;
        for (std::size_t i = 0; i < value.size(); ++i) {
            auto s = text(value[i], index(path, i));
            if (std::find(out.begin(), out.end(), s) != out.end())
                fail(index(path, i), "'" + s + "' is listed twice");
            out.push_back(s);
        }
        return out;
    }

    core::Rgba colour(const json& value, const std::string& path) const
    {
        auto s = text(value, path);
        bool hex = std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
        if (s[0] != '#' || (s.size() != 7 && s.size() != 9) || !hex)
            fail(path, "'" + s + "' is not a colour #rrggbb or #rrggbbaa");
        core::Rgba out{0, 0, 0, 255};
        for (std::size_t i = 1; i + 1 < s.size(); i += 2)
            std::from_chars(s.data() + i, s.data() + i + 2, out[i / 2], 16);
        return out;
    }

    static std::string join(const std::string& path, const std::string& key)
    {
        return path.empty() ? key : path + "." + key;
    }
    static std::string index(const std::string& path, std::size_t i)
    {
        return path + "[" + std::to_string(i) + "]";
    }
    static std::string format(double v)
    {
        std::ostringstream out;
        out << v;
        return out.str();
    }

private:
    std::string m_file;
};

core::FieldDef parse_field(const Reader& r, const json& j, const std::string& path)
{
    r.object(j, path);
    r.only_keys(j, path, {"name", "type", "required", "description", "min", "max", "allowed"});
    core::FieldDef f;
    f.name = r.text(*r.member(j, path, "name", true), Reader::join(path, "name"));
    if (!is_plain_name(f.name) || f.name == "fid" || f.name == "geom")
        r.fail(Reader::join(path, "name"), "'" + f.name + "' is not a field name ([a-z][a-z0-9_]*, "
                                           "not fid or geom)");
    f.type = r.one_of(*r.member(j, path, "type", true), Reader::join(path, "type"), type_names());
    if (auto* v = r.member(j, path, "required", false))
        f.required = r.boolean(*v, Reader::join(path, "required"));
    if (auto* v = r.member(j, path, "description", false))
        f.description = r.text(*v, Reader::join(path, "description"), false);
    bool numeric = f.type == core::FieldType::integer || f.type == core::FieldType::real;
    for (const char* bound : {"min", "max"}) {
        auto* v = r.member(j, path, bound, false);
        if (!v)
            continue;
        if (!numeric)
            r.fail(Reader::join(path, bound), "only integer and real fields have bounds");
        double n = r.number(*v, Reader::join(path, bound), -1e300, 1e300);
        (std::string(bound) == "min" ? f.min : f.max) = n;
    }
    if (f.min && f.max && *f.min > *f.max)
        r.fail(Reader::join(path, "max"), Reader::format(*f.max) + " is below min " +
                                              Reader::format(*f.min));
    if (auto* v = r.member(j, path, "allowed", false)) {
        if (f.type != core::FieldType::text)
            r.fail(Reader::join(path, "allowed"), "only text fields have allowed values");
        f.allowed = r.text_list(*v, Reader::join(path, "allowed"));
    }
    if (f.type == core::FieldType::boolean) {
        f.min = 0;  // stored as the integer 0 or 1
        f.max = 1;
    }
    return f;
}

void parse_fields(const Reader& r, const json& j, ClassDescription& d)
{
    const auto& list = *r.member(j, "", "fields", true);
    if (!list.is_array() || list.empty())
        r.fail("fields", "expected a list of at least one field");
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto path = Reader::index("fields", i);
        auto f = parse_field(r, list[i], path);
        if (d.schema.field(f.name))
            r.fail(Reader::join(path, "name"), "'" + f.name + "' is declared twice");
        d.schema.fields.push_back(std::move(f));
    }
    if (const auto* source = d.schema.field("source")) {
        if (source->type != core::FieldType::text)
            r.fail("fields", "the 'source' field must be text");
    } else {
        core::FieldDef f;
        f.name = "source";
        f.description = "where the feature came from (file, agency, or 'synthetic')";
        d.schema.fields.push_back(std::move(f));
    }
    if (auto* v = r.member(j, "", "id_field", false)) {
        d.schema.id_field = r.text(*v, "id_field");
        auto it = std::find_if(d.schema.fields.begin(), d.schema.fields.end(),
                               [&](const core::FieldDef& f) { return f.name == d.schema.id_field; });
        if (it == d.schema.fields.end())
            r.fail("id_field", "'" + d.schema.id_field + "' is not one of the fields");
        if (it->type != core::FieldType::text && it->type != core::FieldType::integer)
            r.fail("id_field", "'" + d.schema.id_field + "' must be a text or integer field");
        it->required = true;  // an id is unique and present
    }
}

// A field the description refers to by name must exist, with this type when given.
void require_field(const Reader& r, const ClassDescription& d, const std::string& name,
                   const std::string& path, std::optional<core::FieldType> type = std::nullopt)
{
    const auto* f = d.schema.field(name);
    if (!f)
        r.fail(path, "'" + name + "' is not one of the fields");
    if (type && f->type != *type)
        r.fail(path, "'" + name + "' is not a " + name_of(type_names(), *type) + " field");
}

void parse_tiles(const Reader& r, const json& j, ClassDescription& d)
{
    auto* tiles = r.member(j, "", "tiles", false);
    if (!tiles)
        return;
    r.object(*tiles, "tiles");
    r.only_keys(*tiles, "tiles", {"min_zoom", "max_zoom", "full_zoom", "fields"});
    auto& t = d.tiles;
    if (auto* v = r.member(*tiles, "tiles", "min_zoom", false))
        t.min_zoom = r.integer(*v, "tiles.min_zoom", 0, 22);
    if (auto* v = r.member(*tiles, "tiles", "max_zoom", false))
        t.max_zoom = r.integer(*v, "tiles.max_zoom", t.min_zoom, 22);
    if (t.max_zoom < t.min_zoom)
        r.fail("tiles.min_zoom", std::to_string(t.min_zoom) + " is above max_zoom " +
                                     std::to_string(t.max_zoom));
    if (auto* v = r.member(*tiles, "tiles", "full_zoom", false)) {
        t.full_zoom = r.integer(*v, "tiles.full_zoom", 0, t.max_zoom);
        if (t.full_zoom != 0 && t.full_zoom < t.min_zoom)
            r.fail("tiles.full_zoom", std::to_string(t.full_zoom) +
                                          " is neither 0 (never thinned) nor within the zooms");
    }
    if (auto* v = r.member(*tiles, "tiles", "fields", false)) {
        t.fields = r.text_list(*v, "tiles.fields");
        for (std::size_t i = 0; i < t.fields.size(); ++i)
            require_field(r, d, t.fields[i], Reader::index("tiles.fields", i));
    }
}

// A rule's "where": one text field and the value it must hold.
void parse_where(const Reader& r, const json& j, const std::string& path, const ClassDescription& d,
                 std::string& field, std::string& value)
{
    auto* where = r.member(j, path, "where", false);
    if (!where)
        return;
    auto where_path = Reader::join(path, "where");
    if (!where->is_object() || where->size() != 1)
        r.fail(where_path, "expected one text field and its value, e.g. {\"status\": \"faulty\"}");
    field = where->begin().key();
    require_field(r, d, field, Reader::join(where_path, field), core::FieldType::text);
    value = r.text(where->begin().value(), Reader::join(where_path, field));
}

bool parse_flag(const Reader& r, const json& j, const std::string& path, const char* key)
{
    auto* v = r.member(j, path, key, false);
    if (!v)
        return false;
    if (!v->is_boolean())
        r.fail(Reader::join(path, key), "expected true or false");
    return v->get<bool>();
}

StyleRule parse_style_rule(const Reader& r, const json& j, const std::string& path,
                           const ClassDescription& d)
{
    r.object(j, path);
    r.only_keys(j, path, {"where", "fill", "stroke", "stroke_px", "stroke_m", "dot_px"});
    StyleRule rule;
    parse_where(r, j, path, d, rule.where_field, rule.where_value);
    if (auto* v = r.member(j, path, "fill", false))
        rule.fill = r.colour(*v, Reader::join(path, "fill"));
    if (auto* v = r.member(j, path, "stroke", false))
        rule.stroke = r.colour(*v, Reader::join(path, "stroke"));
    if (auto* v = r.member(j, path, "stroke_px", false))
        rule.stroke_px = r.number(*v, Reader::join(path, "stroke_px"), 0, 64);
    if (auto* v = r.member(j, path, "stroke_m", false))
        rule.stroke_m = r.number(*v, Reader::join(path, "stroke_m"), 0, 1000);
    if (auto* v = r.member(j, path, "dot_px", false))
        rule.dot_px = r.number(*v, Reader::join(path, "dot_px"), 0, 64);
    if (rule.fill[3] == 0 && rule.stroke[3] == 0)
        r.fail(path, "draws nothing: give a fill or a stroke");
    return rule;
}

void parse_style(const Reader& r, const json& j, ClassDescription& d)
{
    const auto& list = *r.member(j, "", "style", true);
    if (!list.is_array() || list.empty())
        r.fail("style", "expected a list of at least one rule");
    for (std::size_t i = 0; i < list.size(); ++i)
        d.style.push_back(parse_style_rule(r, list[i], Reader::index("style", i), d));
    d.draw_order = default_draw_order;
    if (auto* v = r.member(j, "", "draw_order", false))
        d.draw_order = r.integer(*v, "draw_order", -100000, 100000);
}

LabelRule parse_label_rule(const Reader& r, const json& j, const std::string& path, const ClassDescription& d)
{
    r.object(j, path);
    r.only_keys(j, path, {"field", "where", "priority", "priority_by", "size_px", "colour", "bold", "italic",
                          "spacing_px"});
    LabelRule rule;
    auto field_path = Reader::join(path, "field");
    rule.field = r.text(*r.member(j, path, "field", true), field_path);
    require_field(r, d, rule.field, field_path, core::FieldType::text);
    parse_where(r, j, path, d, rule.only_field, rule.only_value);
    if (auto* v = r.member(j, path, "priority", false))
        rule.priority = r.integer(*v, Reader::join(path, "priority"), 0, 100);
    if (auto* by = r.member(j, path, "priority_by", false)) {
        auto by_path = Reader::join(path, "priority_by");
        if (!by->is_object() || by->size() != 1 || !by->begin().value().is_object())
            r.fail(by_path, "expected one text field and the priority of its values, e.g. "
                            "{\"class\": {\"primary\": 2}}");
        rule.priority_field = by->begin().key();
        auto values_path = Reader::join(by_path, rule.priority_field);
        require_field(r, d, rule.priority_field, values_path, core::FieldType::text);
        for (const auto& [value, priority] : by->begin().value().items())
            rule.priority_by_value[value] = r.integer(priority, Reader::join(values_path, value), 0, 100);
    }
    if (auto* v = r.member(j, path, "size_px", false))
        rule.size_px = r.number(*v, Reader::join(path, "size_px"), 4, 72);
    if (auto* v = r.member(j, path, "colour", false))
        rule.colour = r.colour(*v, Reader::join(path, "colour"));
    rule.bold = parse_flag(r, j, path, "bold");
    rule.italic = parse_flag(r, j, path, "italic");
    if (auto* v = r.member(j, path, "spacing_px", false))
        rule.spacing_px = r.number(*v, Reader::join(path, "spacing_px"), 0, 10000);
    return rule;
}

void parse_labels(const Reader& r, const json& j, ClassDescription& d)
{
    auto* list = r.member(j, "", "labels", false);
    if (!list)
        return;
    if (!list->is_array())
        r.fail("labels", "expected a list of label rules");
    for (std::size_t i = 0; i < list->size(); ++i)
        d.labels.push_back(parse_label_rule(r, (*list)[i], Reader::index("labels", i), d));
}

void parse_lookup(const Reader& r, const json& j, ClassDescription& d)
{
    auto* lookup = r.member(j, "", "lookup", false);
    if (!lookup)
        return;
    r.object(*lookup, "lookup");
    r.only_keys(*lookup, "lookup", {"nearest_within_m", "all_within_m"});
    if (d.schema.geometry != core::GeometryKind::point &&
        d.schema.geometry != core::GeometryKind::point_or_polygon)
        r.fail("lookup", "only point classes have a part in the lookup");
    auto* nearest = r.member(*lookup, "lookup", "nearest_within_m", false);
    auto* all = r.member(*lookup, "lookup", "all_within_m", false);
    if ((nearest != nullptr) == (all != nullptr))
        r.fail("lookup", "expected one of nearest_within_m and all_within_m");
    LookupPart part;
    part.answer = nearest ? LookupPart::Answer::nearest : LookupPart::Answer::all_within;
    part.within_m = r.number(nearest ? *nearest : *all,
                             nearest ? "lookup.nearest_within_m" : "lookup.all_within_m", 0.001, 100000);
    d.lookup = part;
}

SearchPart parse_search_part(const Reader& r, const json& j, const std::string& path,
                             const ClassDescription& d)
{
    r.object(j, path);
    r.only_keys(j, path, {"fields", "kind", "once_per_label"});
    SearchPart part;
    auto fields_path = Reader::join(path, "fields");
    part.fields = r.text_list(*r.member(j, path, "fields", true), fields_path);
    if (part.fields.empty())
        r.fail(fields_path, "expected at least one text field");
    for (std::size_t i = 0; i < part.fields.size(); ++i)
        require_field(r, d, part.fields[i], Reader::index(fields_path, i), core::FieldType::text);
    if (auto* v = r.member(j, path, "kind", false)) {
        part.kind = r.text(*v, Reader::join(path, "kind"));
        if (!is_plain_name(part.kind))
            r.fail(Reader::join(path, "kind"), "'" + part.kind + "' is not a name ([a-z][a-z0-9_]*)");
    }
    part.once_per_label = parse_flag(r, j, path, "once_per_label");
    return part;
}

// One search part as an object, or several as a list.
void parse_search(const Reader& r, const json& j, ClassDescription& d)
{
    auto* search = r.member(j, "", "search", false);
    if (!search)
        return;
    if (!search->is_array()) {
        d.search.push_back(parse_search_part(r, *search, "search", d));
        return;
    }
    if (search->empty())
        r.fail("search", "expected a part or a list of at least one");
    for (std::size_t i = 0; i < search->size(); ++i)
        d.search.push_back(parse_search_part(r, (*search)[i], Reader::index("search", i), d));
}

}  // namespace

std::vector<core::LayerStyle> ClassDescription::layer_styles() const
{
    std::vector<core::LayerStyle> out;
    for (const auto& rule : style) {
        out.emplace_back(schema.name, rule.fill, rule.stroke, rule.stroke_px, rule.dot_px,
                         rule.where_field, rule.where_value);
        out.back().stroke_m = rule.stroke_m;
    }
    return out;
}

std::vector<core::LabelStyle> ClassDescription::label_styles() const
{
    std::vector<core::LabelStyle> out = labels;
    for (auto& label : out)
        label.class_name = schema.name;
    return out;
}

ClassDescription parse_class_description(const json& j, const std::string& file)
{
    Reader r(file);
    if (!j.is_object())
        r.fail("", "expected a JSON object describing one class");
    r.only_keys(j, "", {"name", "layer", "description", "geometry", "id_field", "fields", "tiles",
                        "style", "draw_order", "labels", "lookup", "search"});
    ClassDescription d;
    auto& s = d.schema;
    s.name = r.text(*r.member(j, "", "name", true), "name");
    if (!is_plain_name(s.name) || is_reserved_table(s.name))
        r.fail("name", "'" + s.name + "' is not a class name ([a-z][a-z0-9_]*, at most 63 "
                                      "characters, not a name the database keeps for itself)");
    s.layer = r.text(*r.member(j, "", "layer", true), "layer");
    s.description = r.text(*r.member(j, "", "description", true), "description");
    s.geometry = r.one_of(*r.member(j, "", "geometry", true), "geometry", geometry_names());
    parse_fields(r, j, d);
    parse_tiles(r, j, d);
    parse_style(r, j, d);
    parse_labels(r, j, d);
    parse_lookup(r, j, d);
    parse_search(r, j, d);
    return d;
}

ClassDescription read_class_description_file(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw core::FileError(path + ": cannot read the class description");
    json j;
    try {
        j = json::parse(in);
    } catch (const json::parse_error& e) {
        throw core::UsageError(path + ": not JSON (" + e.what() + ")");
    }
    return parse_class_description(j, path);
}

std::string colour_text(const core::Rgba& colour)
{
    static const char* digits = "0123456789abcdef";
    std::string out = "#";
    for (std::size_t i = 0; i < (colour[3] == 255 ? 3u : 4u); ++i) {
        out += digits[colour[i] >> 4];
        out += digits[colour[i] & 15];
    }
    return out;
}

json style_json(const std::vector<StyleRule>& rules)
{
    json style = json::array();
    for (const auto& rule : rules) {
        json r;
        if (!rule.where_field.empty())
            r["where"] = {{rule.where_field, rule.where_value}};
        r["fill"] = colour_text(rule.fill);
        r["stroke"] = colour_text(rule.stroke);
        r["stroke_px"] = rule.stroke_px;
        if (rule.stroke_m > 0)
            r["stroke_m"] = rule.stroke_m;
        r["dot_px"] = rule.dot_px;
        style.push_back(std::move(r));
    }
    return style;
}

json labels_json(const std::vector<LabelRule>& rules)
{
    json labels = json::array();
    for (const auto& rule : rules) {
        json l = {{"field", rule.field}, {"priority", rule.priority}};
        if (!rule.only_field.empty())
            l["where"] = {{rule.only_field, rule.only_value}};
        if (!rule.priority_field.empty())
            l["priority_by"] = {{rule.priority_field, rule.priority_by_value}};
        l["size_px"] = rule.size_px;
        l["colour"] = colour_text(rule.colour);
        if (rule.bold)
            l["bold"] = true;
        if (rule.italic)
            l["italic"] = true;
        if (rule.spacing_px > 0)
            l["spacing_px"] = rule.spacing_px;
        labels.push_back(std::move(l));
    }
    return labels;
}

json to_json(const ClassDescription& d)
{
    const auto& s = d.schema;
    json fields = json::array();
    for (const auto& f : s.fields) {
        json field = {{"name", f.name}, {"type", name_of(type_names(), f.type)}};
        if (f.required)
            field["required"] = true;
        if (f.type != core::FieldType::boolean) {
            if (f.min)
                field["min"] = *f.min;
            if (f.max)
                field["max"] = *f.max;
        }
        if (!f.allowed.empty())
            field["allowed"] = f.allowed;
        field["description"] = f.description;
        fields.push_back(std::move(field));
    }
    json out = {{"name", s.name},
                {"layer", s.layer},
                {"description", s.description},
                {"geometry", name_of(geometry_names(), s.geometry)},
                {"fields", fields},
                {"tiles",
                 {{"min_zoom", d.tiles.min_zoom},
                  {"max_zoom", d.tiles.max_zoom},
                  {"full_zoom", d.tiles.full_zoom},
                  {"fields", d.tiles.fields}}},
                {"style", style_json(d.style)},
                {"draw_order", d.draw_order}};
    if (!s.id_field.empty())
        out["id_field"] = s.id_field;
    if (!d.labels.empty())
        out["labels"] = labels_json(d.labels);
    if (d.lookup)
        out["lookup"] = {{d.lookup->answer == LookupPart::Answer::nearest ? "nearest_within_m" : "all_within_m",
                          d.lookup->within_m}};
    json search = json::array();
    for (const auto& part : d.search) {
        json p = {{"fields", part.fields}};
        if (!part.kind.empty())
            p["kind"] = part.kind;
        if (part.once_per_label)
            p["once_per_label"] = true;
        search.push_back(std::move(p));
    }
    if (search.size() == 1)
        out["search"] = search.front();
    else if (!search.empty())
        out["search"] = search;
    return out;
}

}  // namespace lantern::layers
