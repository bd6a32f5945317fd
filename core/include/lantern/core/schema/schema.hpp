#pragma once
// A feature class declares its schema once: geometry kind, fields with their
// types and constraints. Import, validation, export and the docs all read it.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace lantern::core {

enum class GeometryKind {
    point,    // stored as POINT
    line,     // stored as MULTILINESTRING (single lines are promoted)
    polygon,  // stored as MULTIPOLYGON (single polygons are promoted)
    point_or_polygon,  // stored as GEOMETRY: a POINT or a MULTIPOLYGON
};

// A boolean is stored as the integer 0 or 1.
enum class FieldType { integer, real, text, boolean };

std::string to_string(GeometryKind kind);
std::string to_string(FieldType type);

struct FieldDef {
    std::string name;
    FieldType type = FieldType::text;
    bool required = false;
    std::optional<double> min;  // inclusive bounds for numbers
    std::optional<double> max;
    std::vector<std::string> allowed;  // allowed values for text, empty = any
    std::string description;
};

struct ClassSchema {
    std::string name;         // table name, e.g. "parcels"
    std::string layer;        // domain layer, e.g. "land"
    std::string description;  // one sentence for --help and docs
    GeometryKind geometry = GeometryKind::polygon;
    std::string id_field;  // unique, required; empty when the class has none
    std::vector<FieldDef> fields;

    const FieldDef* field(const std::string& field_name) const;
};

// A typed attribute value; monostate is NULL.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;

std::string to_display(const Value& value);
// A value as JSON: a string, a number, or null.
nlohmann::json value_json(const Value& value);

// Checks one value against its field definition. Returns the reason it is
// wrong, or nothing when it is fine. NULL is only wrong for required fields.
std::optional<std::string> check_value(const FieldDef& field, const Value& value);

}  // namespace lantern::core
