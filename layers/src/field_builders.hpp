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

}  // namespace lantern::layers::detail
