#pragma once
// The city's vector tiles written to one archive file for offline maps and
// static hosting: MBTiles or PMTiles, chosen by the output's extension
// (core/tiles/tile_archive.hpp). Tiles render on the thread pool (core/base/parallel.hpp)
// and are written by one thread in PMTiles tile id order; empty tiles are left out.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/layers/tiles.hpp>

namespace lantern::layers {

// Zooms archived when none are asked for: the layers' own ranges clipped to
// this, where the city's detail ends (clients overzoom beyond it).
constexpr int default_archive_max_zoom = 16;

struct TileArchiveOptions {
    std::optional<int> min_zoom;  // default: the layers' lowest min_zoom
    std::optional<int> max_zoom;  // default: their highest max_zoom, at most default_archive_max_zoom
    std::vector<std::string> layer_names;  // default: every layer of the TileSet
    unsigned threads = 0;                  // render threads, the caller's included; 0: the default pool's
    bool progress = false;                 // a progress bar on stderr
    std::string description;  // default: the city and its layers
    std::string attribution;  // default: the city's name and Lantern
};

struct TileArchiveZoom {
    int zoom = 0;
    std::uint64_t tiles_checked = 0;  // tiles over the layers' bounds
    std::uint64_t tiles_written = 0;  // of them, with features
    std::uint64_t tile_bytes = 0;     // compressed
};

struct TileArchiveSummary {
    std::string path;
    std::string format;  // "mbtiles" or "pmtiles"
    std::vector<std::string> layers;
    int min_zoom = 0;
    int max_zoom = 0;
    core::Bounds bounds;  // WGS 84
    std::uint64_t tiles_written = 0;
    std::uint64_t unique_tiles = 0;
    std::uint64_t tile_bytes = 0;  // compressed tiles, before deduplication
    std::uint64_t file_bytes = 0;
    std::vector<TileArchiveZoom> zooms;
    unsigned threads = 0;
    double seconds = 0;

    nlohmann::json to_json() const;
};

// Writes the archive. Throws UsageError for an unknown extension or layer or
// a bad zoom range, DataError when the layers have no tiles in the range
// (the archive would be empty), FileError when the output cannot be written.
// On any error the output is left as it was.
TileArchiveSummary write_tile_archive(TileSet& tiles, const std::string& path,
                                      const TileArchiveOptions& options = {});

}  // namespace lantern::layers
