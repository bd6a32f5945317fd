#pragma once
// The web map tile grid: EPSG:3857 (spherical Mercator) cut into 2^z x 2^z
// square tiles per zoom, x eastwards and y southwards from the north-west
// corner (the XYZ scheme of web maps; MBTiles rows count from the south).

#include <cstdint>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>

namespace lantern::core {

// Half the extent of the EPSG:3857 square: pi times the sphere's radius.
constexpr double web_mercator_half_extent = 20037508.342789244;
// Tile zooms Lantern serves and archives (z 0 to 24: under 3 cm a tile pixel).
constexpr int max_tile_zoom = 24;

struct TileId {
    int z = 0;
    std::uint32_t x = 0;
    std::uint32_t y = 0;
    friend bool operator==(const TileId&, const TileId&) = default;
};

// True when 0 <= z <= max_tile_zoom and x, y < 2^z.
bool tile_exists(const TileId& tile);

// The tile's square in EPSG:3857 metres.
Bounds tile_bounds(const TileId& tile);

// Every tile at zoom z that intersects a box in EPSG:3857 metres, row by row.
std::vector<TileId> tiles_covering(const Bounds& mercator, int z);

// The TMS row of a tile (MBTiles): rows counted from the south.
inline std::uint32_t tms_row(const TileId& tile)
{
    return ((std::uint32_t{1} << tile.z) - 1) - tile.y;
}

// WGS 84 longitude/latitude (degrees) to EPSG:3857 metres and back; latitudes
// are clamped to the square's +-85.0511 degrees.
void lonlat_to_mercator(double lon, double lat, double& x, double& y);
void mercator_to_lonlat(double x, double y, double& lon, double& lat);

}  // namespace lantern::core
