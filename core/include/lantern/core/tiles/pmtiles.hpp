#pragma once
// PMTiles v3 (github.com/protomaps/PMTiles, spec/v3/spec.md): one file laid
// out as a 127-byte header, the root directory, JSON metadata, leaf
// directories and the tile data. Tiles are addressed by a tile id, their
// position on the series of Hilbert curves from zoom 0 up; directories list
// (tile id, offset, length, run length) entries, varint-encoded column by
// column and gzip-compressed. Lantern writes clustered archives (tile data in
// tile id order), stores identical tiles once and folds runs of consecutive
// identical tiles into one entry.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/tiles/tile_archive.hpp>

namespace lantern::core {

// The tile's id: all tiles of lower zooms ((4^z - 1) / 3) plus its distance
// along zoom z's Hilbert curve. z0 is 0, z1's four tiles 1..4, z2 starts at 5.
std::uint64_t pmtiles_tile_id(const TileId& tile);
// The tile an id stands for. Throws DataError beyond zoom max_tile_zoom.
TileId pmtiles_tile(std::uint64_t tile_id);

// Protocol Buffers varints (little-endian base 128).
void append_varint(std::string& out, std::uint64_t value);
// Reads one varint at pos and moves pos past it. Throws DataError when the
// bytes end first or it runs over 64 bits.
std::uint64_t read_varint(std::string_view bytes, std::size_t& pos);

enum class PmtilesCompression : std::uint8_t { unknown = 0, none = 1, gzip = 2, brotli = 3, zstd = 4 };
enum class PmtilesTileType : std::uint8_t { unknown = 0, mvt = 1, png = 2, jpeg = 3, webp = 4, avif = 5 };

constexpr std::size_t pmtiles_header_size = 127;
// Header and root directory must fit the first 16 KiB a client fetches.
constexpr std::size_t pmtiles_max_root_bytes = 16384 - pmtiles_header_size;

struct PmtilesHeader {
    std::uint64_t root_offset = 0, root_length = 0;
    std::uint64_t metadata_offset = 0, metadata_length = 0;
    std::uint64_t leaves_offset = 0, leaves_length = 0;
    std::uint64_t tile_data_offset = 0, tile_data_length = 0;
    std::uint64_t addressed_tiles = 0, tile_entries = 0, tile_contents = 0;
    bool clustered = false;
    PmtilesCompression internal_compression = PmtilesCompression::gzip;
    PmtilesCompression tile_compression = PmtilesCompression::gzip;
    PmtilesTileType tile_type = PmtilesTileType::mvt;
    std::uint8_t min_zoom = 0, max_zoom = 0;
    // Degrees times 10^7.
    std::int32_t min_lon_e7 = 0, min_lat_e7 = 0, max_lon_e7 = 0, max_lat_e7 = 0;
    std::uint8_t center_zoom = 0;
    std::int32_t center_lon_e7 = 0, center_lat_e7 = 0;
};

// The 127 header bytes, little-endian.
std::string encode_pmtiles_header(const PmtilesHeader& header);
// Throws DataError unless the bytes start with a version 3 PMTiles header.
PmtilesHeader decode_pmtiles_header(std::string_view bytes);

// A directory entry: a run of tiles sharing one blob (run_length >= 1), or a
// leaf directory (run_length 0) whose first tile is tile_id. Offsets count
// from the tile data section, or from the leaf section for a leaf.
struct PmtilesEntry {
    std::uint64_t tile_id = 0;
    std::uint64_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t run_length = 0;
    friend bool operator==(const PmtilesEntry&, const PmtilesEntry&) = default;
};

// A directory's bytes before internal compression: the entry count, then the
// tile id deltas, run lengths, lengths and offsets (0 when contiguous with the
// previous entry, offset + 1 otherwise), each a varint.
std::string encode_pmtiles_directory(const std::vector<PmtilesEntry>& entries);
std::vector<PmtilesEntry> decode_pmtiles_directory(std::string_view bytes);

struct PmtilesOptions {
    // The compressed root directory's limit; smaller values force leaf
    // directories (tests).
    std::size_t max_root_bytes = pmtiles_max_root_bytes;
    // Entries per leaf directory at first; grown by a fifth until the root fits.
    std::size_t min_leaf_entries = 4096;
};

class PmtilesWriter : public TileArchiveWriter {
public:
    // Creates the temporary files beside path. Throws FileError.
    explicit PmtilesWriter(std::string path, PmtilesOptions options = {});
    ~PmtilesWriter() override;
    PmtilesWriter(const PmtilesWriter&) = delete;
    PmtilesWriter& operator=(const PmtilesWriter&) = delete;

    // Tiles must come in strictly ascending pmtiles_tile_id order.
    void add(const TileId& tile, std::string_view gzipped_mvt) override;
    TileArchiveStats finish(const TileArchiveInfo& info) override;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace lantern::core
