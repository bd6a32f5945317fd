#include <lantern/core/schema/schema.hpp>

#include <algorithm>
#include <cmath>

#include <lantern/core/base/numbers.hpp>

namespace lantern::core {

std::string to_string(GeometryKind kind)
{
    switch (kind) {
    case GeometryKind::point: return "Point";
    case GeometryKind::line: return "LineString";
    case GeometryKind::polygon: return "Polygon";
    case GeometryKind::point_or_polygon: return "Point or Polygon";
    }
    return "?";
}

std::string to_string(FieldType type)
{
    switch (type) {
    case FieldType::integer: return "integer";
    case FieldType::real: return "real";
    case FieldType::text: return "text";
    case FieldType::boolean: return "boolean";
    }
    return "?";
}

const FieldDef* ClassSchema::field(const std::string& field_name) const
{
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const FieldDef& f) { return f.name == field_name; });
    return it == fields.end() ? nullptr : &*it;
}

std::string to_display(const Value& value)
{
    struct Visitor {
        std::string operator()(std::monostate) const { return "NULL"; }
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const { return general_text(v, 15); }
        std::string operator()(const std::string& v) const { return v; }
    };
    return std::visit(Visitor{}, value);
}

nlohmann::json value_json(const Value& value)
{
    if (const auto* s = std::get_if<std::string>(&value))
        return *s;
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return *i;
    return nullptr;
}

namespace {

std::optional<std::string> check_number(const FieldDef& field, double number)
{
    if (!std::isfinite(number))
        return "not a finite number";
    if (field.min && number < *field.min)
        return "below the minimum " + general_text(*field.min);
    if (field.max && number > *field.max)
        return "above the maximum " + general_text(*field.max);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> check_value(const FieldDef& field, const Value& value)
{
    if (std::holds_alternative<std::monostate>(value))
        return field.required ? std::optional<std::string>("required value is missing")
                              : std::nullopt;
    switch (field.type) {
    case FieldType::integer:
        if (!std::holds_alternative<std::int64_t>(value))
            return "expected an integer";
        return check_number(field, static_cast<double>(std::get<std::int64_t>(value)));
    case FieldType::boolean: {
        const auto* i = std::get_if<std::int64_t>(&value);
        if (!i || (*i != 0 && *i != 1))
            return "expected a boolean (0 or 1)";
        return std::nullopt;
    }
    case FieldType::real:
        if (auto* i = std::get_if<std::int64_t>(&value))
            return check_number(field, static_cast<double>(*i));
        if (!std::holds_alternative<double>(value))
            return "expected a number";
        return check_number(field, std::get<double>(value));
    case FieldType::text: {
        if (!std::holds_alternative<std::string>(value))
            return "expected text";
        const auto& text = std::get<std::string>(value);
        if (field.required && text.empty())
            return "required value is empty";
        if (!field.allowed.empty() &&
            std::find(field.allowed.begin(), field.allowed.end(), text) == field.allowed.end()) {
            std::string list;
            for (const auto& a : field.allowed)
                list += (list.empty() ? "" : ", ") + a;
            return "not one of the allowed values (" + list + ")";
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

}  // namespace lantern::core
