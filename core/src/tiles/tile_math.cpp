#include <lantern/core/tiles/tile_math.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lantern::core {

namespace {

constexpr double max_latitude = 85.05112877980659;
constexpr double earth_radius = web_mercator_half_extent / std::numbers::pi;

double tile_size(int z)
{
    return 2 * web_mercator_half_extent / std::ldexp(1.0, z);
}

}  // namespace

bool tile_exists(const TileId& tile)
{
    if (tile.z < 0 || tile.z > max_tile_zoom)
        return false;
    std::uint32_t count = std::uint32_t{1} << tile.z;
    return tile.x < count && tile.y < count;
}

Bounds tile_bounds(const TileId& tile)
{
    double size = tile_size(tile.z);
    double min_x = -web_mercator_half_extent + tile.x * size;
    double max_y = web_mercator_half_extent - tile.y * size;
    return {min_x, max_y - size, min_x + size, max_y};
}

std::vector<TileId> tiles_covering(const Bounds& mercator, int z)
{
    std::vector<TileId> tiles;
    if (z < 0 || z > max_tile_zoom)
        return tiles;
    double size = tile_size(z);
    double last = std::ldexp(1.0, z) - 1;
    auto column = [&](double x) {
        return std::clamp(std::floor((x + web_mercator_half_extent) / size), 0.0, last);
    };
    auto row = [&](double y) {
        return std::clamp(std::floor((web_mercator_half_extent - y) / size), 0.0, last);
    };
    auto x0 = static_cast<std::uint32_t>(column(mercator.min_x));
    auto x1 = static_cast<std::uint32_t>(column(mercator.max_x));
    auto y0 = static_cast<std::uint32_t>(row(mercator.max_y));
    auto y1 = static_cast<std::uint32_t>(row(mercator.min_y));
    tiles.reserve(static_cast<std::size_t>(x1 - x0 + 1) * (y1 - y0 + 1));
    for (std::uint32_t y = y0; y <= y1; ++y)
        for (std::uint32_t x = x0; x <= x1; ++x)
            tiles.push_back({z, x, y});
    return tiles;
}

void lonlat_to_mercator(double lon, double lat, double& x, double& y)
{
    constexpr double degree = std::numbers::pi / 180;
    lat = std::clamp(lat, -max_latitude, max_latitude);
    x = earth_radius * lon * degree;
    y = earth_radius * std::log(std::tan(std::numbers::pi / 4 + lat * degree / 2));
}

void mercator_to_lonlat(double x, double y, double& lon, double& lat)
{
    constexpr double degree = std::numbers::pi / 180;
    lon = x / earth_radius / degree;
    lat = (2 * std::atan(std::exp(y / earth_radius)) - std::numbers::pi / 2) / degree;
    lat = std::clamp(lat, -max_latitude, max_latitude);
}

}  // namespace lantern::core
