#pragma once
// A tileset in one file: vector tiles (gzip-compressed MVT) with the metadata
// a map client needs. Two formats sit behind one writer interface, chosen by
// the output's extension: MBTiles 1.3 (mbtiles.hpp) and PMTiles v3
// (pmtiles.hpp). Every writer builds a temporary file beside the output and
// renames it onto the output only in finish(), so an interrupted or failed
// run leaves the output as it was and no partial archive behind.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <lantern/core/geometry/bounds.hpp>
#include <lantern/core/tiles/tile_math.hpp>

namespace lantern::core {

// What describes a tileset, in the words of TileJSON.
struct TileArchiveInfo {
    std::string name;
    std::string description;
    std::string attribution;
    int min_zoom = 0;
    int max_zoom = 0;
    Bounds bounds;  // WGS 84 longitude/latitude
    double center_lon = 0;
    double center_lat = 0;
    int center_zoom = 0;
    // TileJSON's "vector_layers" array.
    nlohmann::json vector_layers = nlohmann::json::array();
};

// What a finished archive holds.
struct TileArchiveStats {
    std::uint64_t tiles = 0;           // tiles addressed
    std::uint64_t unique_tiles = 0;    // distinct tile contents
    std::uint64_t tile_bytes = 0;      // compressed tile bytes added, before deduplication
    std::uint64_t file_bytes = 0;      // size of the archive file
};

class TileArchiveWriter {
public:
    virtual ~TileArchiveWriter() = default;

    // Adds one tile: its gzip-compressed MVT bytes (never empty). PMTiles
    // needs tiles in ascending pmtiles_tile_id order (its data is clustered);
    // MBTiles takes any order. A tile added twice is an error.
    virtual void add(const TileId& tile, std::string_view gzipped_mvt) = 0;

    // Writes the metadata and moves the archive onto its path, replacing
    // what was there. Without it (an exception, an early return) the
    // destructor removes the temporary file and the output is untouched.
    virtual TileArchiveStats finish(const TileArchiveInfo& info) = 0;
};

enum class TileArchiveFormat { mbtiles, pmtiles };

const char* to_string(TileArchiveFormat format);

// The format an output path names by its extension (.mbtiles or .pmtiles,
// any case). Throws UsageError naming both for anything else.
TileArchiveFormat tile_archive_format(const std::string& path);

// A writer for the path's format. Throws UsageError for an unknown extension
// and FileError when the temporary file beside the path cannot be made.
std::unique_ptr<TileArchiveWriter> open_tile_archive(const std::string& path);

}  // namespace lantern::core
