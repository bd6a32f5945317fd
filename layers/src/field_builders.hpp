#pragma once
// Short constructors for schema declarations, private to the layers.

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>
#include <lantern/layers/class_description.hpp>

namespace lantern::layers::detail {

using core::FieldDef;
using core::FieldType;

enum class Need { optional, required };

inline FieldDef text(std::string name, std::string description, Need need = Need::optional,
                     std::vector<std::string> allowed = {})
{
    FieldDef f;
    f.name = std::move(name);
    f.type = FieldType::text;
    f.required = need == Need::required;
    f.allowed = std::move(allowed);
    f.description = std::move(description);
    return f;
}

inline FieldDef number(FieldType type, std::string name, std::string description,
                       std::optional<double> min, std::optional<double> max,
                       Need need = Need::optional)
{
    FieldDef f;
    f.name = std::move(name);
    f.type = type;
    f.required = need == Need::required;
    f.min = min;
    f.max = max;
    f.description = std::move(description);
    return f;
}

inline FieldDef real(std::string name, std::string description, std::optional<double> min,
                     std::optional<double> max, Need need = Need::optional)
{
    return number(FieldType::real, std::move(name), std::move(description), min, max, need);
}

inline FieldDef integer(std::string name, std::string description, std::optional<double> min,
                        std::optional<double> max, Need need = Need::optional)
{
    return number(FieldType::integer, std::move(name), std::move(description), min, max, need);
}

// A result's numbers have no bounds: an analysis stores what it measured.
inline FieldDef measured(std::string name, std::string description)
{
    return real(std::move(name), std::move(description), std::nullopt, std::nullopt);
}

inline FieldDef counted(std::string name, std::string description)
{
    return integer(std::move(name), std::move(description), std::nullopt, std::nullopt);
}

// A feature result's schema, in the results layer.
inline core::ClassSchema result_schema(core::GeometryKind geometry, std::vector<FieldDef> fields)
{
    core::ClassSchema s;
    s.layer = "results";
    s.geometry = geometry;
    s.fields = std::move(fields);
    return s;
}

// Every class records where each feature came from: a file name, an agency,
// or "synthetic" for generated sample data.
inline FieldDef source_field()
{
    return text("source", "where the feature came from (file, agency, or 'synthetic')");
}

// A style rule for every feature of the class.
inline StyleRule draw(core::Rgba fill, core::Rgba stroke, double stroke_px, double dot_px)
{
    StyleRule rule;
    rule.fill = fill;
    rule.stroke = stroke;
    rule.stroke_px = stroke_px;
    rule.dot_px = dot_px;
    return rule;
}

// The rule for the features whose text field holds one value only.
inline StyleRule with_where(StyleRule rule, std::string field, std::string value)
{
    rule.where_field = std::move(field);
    rule.where_value = std::move(value);
    return rule;
}

// The rule with lines as wide as `metres` on the ground where that is wider.
inline StyleRule ground_width(StyleRule rule, double metres)
{
    rule.stroke_m = metres;
    return rule;
}

// A map's names of the class: the text of `field`, placed by priority (lower first).
inline LabelRule label(std::string field, int priority, double size_px, core::Rgba colour)
{
    LabelRule rule;
    rule.field = std::move(field);
    rule.priority = priority;
    rule.size_px = size_px;
    rule.colour = colour;
    return rule;
}

// How /api/search finds the class: by these fields, as hits of this kind.
inline SearchPart search_part(std::vector<std::string> fields, std::string kind, int rank)
{
    SearchPart part;
    part.fields = std::move(fields);
    part.kind = std::move(kind);
    part.rank = rank;
    return part;
}

}  // namespace lantern::layers::detail
