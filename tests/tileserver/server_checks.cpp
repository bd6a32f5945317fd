#include "tileserver/server_checks.hpp"

#include <catch2/catch.hpp>

#include <zlib.h>

#include <algorithm>
#include <cmath>

#include "support/backend.hpp"

namespace lantern::test {

std::string sample_city()
{
    if (backend() == Backend::postgis)
        return postgis_city(LANTERN_SAMPLE_CITY_SCHEMA);
    return std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite";
}

core::TileId tile_at(double lon, double lat, int z)
{
    const double pi = std::acos(-1.0);
    double n = std::ldexp(1.0, z);
    double lat_rad = lat * pi / 180;
    auto x = static_cast<std::uint32_t>(std::floor((lon + 180) / 360 * n));
    auto y = static_cast<std::uint32_t>(
        std::floor((1 - std::log(std::tan(lat_rad) + 1 / std::cos(lat_rad)) / pi) / 2 * n));
    return {z, x, y};
}

std::string tile_path(const std::string& layers, const core::TileId& tile)
{
    return "/tiles/" + layers + "/" + std::to_string(tile.z) + "/" + std::to_string(tile.x) + "/" +
           std::to_string(tile.y) + ".mvt";
}

std::string inflate_gzip(const std::string& data)
{
    z_stream stream{};
    REQUIRE(inflateInit2(&stream, 16 + MAX_WBITS) == Z_OK);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[65536];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    REQUIRE(status == Z_STREAM_END);
    return out;
}

double metric(const std::string& page, const std::string& series)
{
    auto at = page.find("\n" + series + " ");
    if (at == std::string::npos)
        return 0;
    return std::stod(page.substr(at + series.size() + 2));
}

nlohmann::json get_json(unsigned short port, const std::string& target, const Headers& headers)
{
    auto response = fetch(port, target, headers);
    INFO(target << ": " << response.body);
    REQUIRE(response.status == 200);
    CHECK(response.header("content-type") == "application/json");
    return nlohmann::json::parse(response.body);
}

int zoom_for(const nlohmann::json& tilejson)
{
    return std::clamp(14, tilejson["minzoom"].get<int>(), tilejson["maxzoom"].get<int>());
}

}  // namespace lantern::test
