#pragma once
// The rules every feature of a class must satisfy, shared by import (on the
// way in) and validate (on what is stored): geometry type, validity, the city
// bounds, and each value against its field definition.

#include <optional>
#include <string>
#include <vector>

#include <lantern/core/geometry/geos.hpp>
#include <lantern/core/schema/schema.hpp>

class OGRGeometry;

namespace lantern::core {

struct Problem {
    std::string field;  // field name, or "geometry"
    std::string value;  // printable, shortened
    std::string reason;
};

class FeatureRules {
public:
    FeatureRules(const ClassSchema& schema, std::optional<Bounds> city_bounds);

    const ClassSchema& schema() const { return m_schema; }

    // Brings a geometry read from a source into the stored form of the class:
    // 2D, curves linearised, single parts promoted to multi where the class
    // stores multi. Returns the WKB, or the problem when the type is wrong.
    std::optional<Problem> normalize(OGRGeometry& geometry,
                                     std::vector<unsigned char>& wkb) const;

    // normalize without parsing, for the form analyses write most: WKB of a
    // 2D polygon or multipolygon, little-endian, for a class of polygons,
    // promoted to multi by a header. Writes what normalize would and returns
    // the geometry's bounds; nothing for any other input, or a polygon
    // without rings, a ring of fewer than four points or a NaN coordinate,
    // which the caller then parses and hands to normalize.
    std::optional<Bounds> normalize_polygon_wkb(const std::vector<unsigned char>& in,
                                                std::vector<unsigned char>& wkb) const;

    // Checks stored WKB: its type, emptiness, validity and the city bounds.
    // Validity problems come back with field "geometry" and reason starting
    // with "invalid geometry". Sets bounds to the geometry's bounds when given.
    std::vector<Problem> check_geometry(const std::vector<unsigned char>& wkb,
                                        std::optional<Bounds>* bounds = nullptr) const;
    static bool is_invalidity(const Problem& problem);
    // Whether a problem's reason is a geometry outside the city bounds, which
    // most often means the source's CRS is wrong.
    static bool is_outside_bounds(const std::string& reason);

    // A valid version of an invalid geometry, or empty when nothing is left.
    std::vector<unsigned char> repair(const std::vector<unsigned char>& wkb) const;

    // Checks every value (types, required, ranges, allowed values, UTF-8).
    std::vector<Problem> check_values(const std::vector<Value>& values) const;

    // "lamp_id=L-12" for messages, or empty when the class has no id.
    std::string feature_label(const std::vector<Value>& values) const;
    // Index of the id field in the schema, or -1.
    int id_index() const { return m_id_index; }

private:
    ClassSchema m_schema;
    std::optional<Bounds> m_bounds;
    Geos m_geos;
    int m_id_index = -1;
};

}  // namespace lantern::core
