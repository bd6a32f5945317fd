#pragma once
// Mapbox Vector Tile 2.1 encoding. A feature's geometry arrives in tile
// coordinates (0..extent, y down, still fractional and unclipped); the
// encoder clips it to the buffered tile, simplifies it when asked, snaps it
// to the integer grid and repairs what snapping broke, so that every polygon it writes is valid:
// exterior rings with positive area in tile coordinates (clockwise on a map),
// holes negative and right after their exterior, no zero-length segment,
// ClosePath once per ring, rings of at least four points. Lines keep no
// repeated points; points outside the buffered tile are dropped, and so are
// lines and rings with a coordinate that is NaN or infinite.

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <lantern/core/schema/schema.hpp>

namespace lantern::core {

struct TilePoint {
    double x = 0;
    double y = 0;
};

enum class TileGeometryType { point, line, polygon };

// A geometry in tile coordinates. Polygon rings may come in either
// orientation; the first ring of each polygon is its exterior.
struct TileGeometry {
    TileGeometryType type = TileGeometryType::point;
    std::vector<TilePoint> points;                           // point
    std::vector<std::vector<TilePoint>> lines;               // line
    std::vector<std::vector<std::vector<TilePoint>>> polygons;  // polygon
};

struct MvtOptions {
    std::uint32_t extent = 4096;
    std::uint32_t buffer = 64;  // tile units kept around the tile on every side
    // Douglas-Peucker tolerance in tile units, applied to lines and rings
    // after clipping (so only what is in the tile is simplified); 0: none.
    double simplify_tolerance = 0;
};

using MvtProperties = std::vector<std::pair<std::string, Value>>;

// One layer of a tile, built feature by feature.
class MvtLayerEncoder {
public:
    explicit MvtLayerEncoder(std::string name, MvtOptions options = {});
    ~MvtLayerEncoder();
    MvtLayerEncoder(MvtLayerEncoder&&) noexcept;
    MvtLayerEncoder& operator=(MvtLayerEncoder&&) noexcept;

    // Clips, snaps and repairs the geometry and adds the feature with its id
    // and properties (NULL values are left out, integers are written as
    // sint, reals as double, text as string, each value once per layer).
    // Returns false when nothing of the geometry is left in the tile.
    bool add(std::uint64_t id, const TileGeometry& geometry, const MvtProperties& properties);

    const std::string& name() const;
    const MvtOptions& options() const;
    std::size_t feature_count() const;
    // Bytes of the encoded layer so far (without the tile's framing).
    std::size_t byte_size() const;

    // Appends the layer to a tile's bytes (field 3 of Tile). Tiles are the
    // concatenation of their layers. Does nothing for a layer without features.
    void append_to(std::string& tile) const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace lantern::core
