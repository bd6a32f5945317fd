#pragma once
// What the tile server tests share: the sample city, tile arithmetic
// written out independently of Lantern's, and readers for the server's
// answers (JSON, gzip, metrics).

#include <string>

#include <nlohmann/json.hpp>

#include <lantern/core/tiles/tile_math.hpp>

#include "tileserver/http_client.hpp"

namespace lantern::test {

// The sample city's database, built by the CTest fixture "sample_city"; on
// the PostGIS backend its copy in the cluster's schema LANTERN_SAMPLE_CITY_SCHEMA
// (the fixture "sample_city_postgis").
std::string sample_city();

// The Japanese Covered Bridge, in the middle of the Ancient Town.
inline constexpr double ancient_town_lon = 108.3262;
inline constexpr double ancient_town_lat = 15.8773;

// The XYZ tile holding a point (the slippy-map formula, written out here).
core::TileId tile_at(double lon, double lat, int z);

// "/tiles/LAYERS/Z/X/Y.mvt"
std::string tile_path(const std::string& layers, const core::TileId& tile);

// gzip inflated with zlib directly, not through Lantern's wrapper.
std::string inflate_gzip(const std::string& data);

// The value of a metric line such as `name{route="tile",status="200"} 3`; 0 when absent.
double metric(const std::string& page, const std::string& series);

// A 200 JSON answer, parsed; fails the test otherwise.
nlohmann::json get_json(unsigned short port, const std::string& target, const Headers& headers = {});

// Zoom 14 where a TileJSON's layers are drawn, else the nearest zoom they are.
int zoom_for(const nlohmann::json& tilejson);

}  // namespace lantern::test
