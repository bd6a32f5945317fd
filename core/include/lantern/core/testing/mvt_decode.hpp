#pragma once
// Mapbox Vector Tile 2.1 decoding (github.com/mapbox/vector-tile-spec, 2.1):
// a tile's layers with their features, typed properties and geometries in
// integer tile coordinates (x right, y down). The checker (mvt_check.hpp)
// and the tests that compare Lantern's tiles with other decoders read tiles
// through it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lantern::core {

enum class MvtGeometryType { unknown = 0, point = 1, line = 2, polygon = 3 };

struct MvtPoint {
    // Wider than the spec's 32 bits so that a stream of deltas cannot overflow.
    std::int64_t x = 0;
    std::int64_t y = 0;
    friend bool operator==(const MvtPoint&, const MvtPoint&) = default;
};

using MvtPath = std::vector<MvtPoint>;

// A property value as it was written. The spec's int_value and sint_value
// differ only in their wire encoding and both arrive as int64.
using MvtValue = std::variant<std::string, float, double, std::int64_t, std::uint64_t, bool>;

struct MvtFeature {
    std::optional<std::uint64_t> id;
    MvtGeometryType type = MvtGeometryType::unknown;
    std::vector<std::pair<std::string, MvtValue>> properties;  // in the order of the tags
    std::vector<MvtPoint> points;  // point
    std::vector<MvtPath> lines;    // line
    // polygon: rings closed (the first point repeated at the end). A ring of
    // positive area starts a polygon; the rings of negative or zero area after
    // it are its holes, as the spec defines.
    std::vector<std::vector<MvtPath>> polygons;
};

struct MvtLayer {
    std::string name;
    std::optional<std::uint32_t> version;  // none when not written
    std::optional<std::uint32_t> extent;   // none when not written (readers assume 4096)
    std::vector<std::string> keys;         // the layer's tables, as written
    std::vector<std::optional<MvtValue>> values;  // none for a value the spec does not allow
    std::vector<MvtFeature> features;
};

// A departure from the specification: where it is and what is wrong.
struct MvtProblem {
    std::string layer;                          // empty for the tile as a whole
    std::optional<std::size_t> feature_index;   // position in the layer
    std::optional<std::uint64_t> feature_id;
    std::string what;
};

// `layer "parcels", feature 12 (#3): ring 1 of polygon 0 has 3 points`
std::string to_string(const MvtProblem& problem);

using MvtProblemHandler = std::function<void(MvtProblem)>;

// Decodes a tile. What the decoder meets on the way that breaks the
// specification (fields of the wrong type, tags out of range, repeated keys
// in a feature, command stream errors, zero-length segments, a ClosePath
// missing or repeated, a feature without type or geometry) goes to
// `on_problem`, and decoding goes on as far as it can; without a handler the
// first such problem throws DataError. Layer-level rules (version, extent,
// unique names) and geometric ones (ring size and orientation, validity) are
// the checker's. Throws DataError when the bytes are not a protocol buffer.
std::vector<MvtLayer> decode_mvt(std::string_view tile, const MvtProblemHandler& on_problem = {});

// The ring's area by the surveyor's formula in tile coordinates: positive
// for an exterior ring (clockwise as drawn, y down), negative for a hole.
// The ring is closed (first point repeated last).
double mvt_ring_area(const MvtPath& ring);

}  // namespace lantern::core
