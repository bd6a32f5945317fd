#pragma once
// The Hoi An sample city: the real open data of data/hoian plus a
// deterministic, plausible synthetic city (terrain, rivers, wards, streets,
// buildings, parcels, zoning, heritage zones, drainage, lamps, cameras;
// hydrants, a fire station and street trees for classes the city adds).
// docs/sample-city.md lists every rule and number.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <lantern/core/crs/crs.hpp>

namespace lantern::layers {

struct SampleCityOptions {
    std::string out_dir;   // source files go to OUT_DIR/sources
    std::string data_dir;  // the real data: data/hoian
    std::uint64_t seed = 1;
    int scale = 1;  // multiplies buildings, parcels and devices: K copies of the town side by side
    bool progress = false;
};

// One source file to import into a class, with what the import needs to know.
struct SampleSource {
    std::string class_name;
    std::string path;
    std::optional<std::string> source_crs;
    std::map<std::string, std::string> field_map;
};

struct SampleCityFiles {
    std::string city_crs;  // EPSG:32649
    std::string boundary;  // the real city boundary
    core::Bounds bounds;   // the city bounds, in the city CRS
    std::vector<SampleSource> vectors;
    // Classes a city adds from their description files in data/classes
    // (hydrants, fire_stations, trees): imported once they have been added.
    std::vector<SampleSource> added_classes;
    std::string dem;
};

// Writes the source files (GeoJSON, CSV, GeoTIFF) to OUT_DIR/sources and says
// how to import them. Same seed and scale, byte-identical files.
SampleCityFiles write_sample_sources(const SampleCityOptions& options);

}  // namespace lantern::layers
