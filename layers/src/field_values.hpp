#pragma once
// Reading stored features' values by field name, private to the layers.

#include <cstdint>
#include <optional>
#include <string>

#include <lantern/core/base/error.hpp>
#include <lantern/core/schema/schema.hpp>

namespace lantern::layers::detail {

// A text value, or "" for NULL and numbers.
inline std::string text_value(const core::Value& v)
{
    const auto* s = std::get_if<std::string>(&v);
    return s ? *s : std::string();
}

// A number, or nothing for NULL and text.
inline std::optional<double> real_value(const core::Value& v)
{
    if (const auto* d = std::get_if<double>(&v))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    return std::nullopt;
}

// The position of a field in a class's schema, or none when it has no such
// field (an optional part of a class, read where the class has it).
inline std::optional<std::size_t> find_field(const core::ClassSchema& schema, const std::string& field)
{
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        if (schema.fields[i].name == field)
            return i;
    return std::nullopt;
}

// The position of a field in a class's schema; the classes' fields are
// fixed, so a missing one is a programming error.
inline std::size_t field_index(const core::ClassSchema& schema, const std::string& field)
{
    if (auto i = find_field(schema, field))
        return *i;
    throw core::Error("class " + schema.name + " has no field " + field);
}

}  // namespace lantern::layers::detail
