#pragma once
// A PMTiles v3 reader, for the tests that read back what the writer made.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/tiles/pmtiles.hpp>

namespace lantern::core {

// Reads an archive (whole into memory: for tests and small archives).
class PmtilesReader {
public:
    // Throws FileError when unreadable, DataError when not PMTiles v3.
    explicit PmtilesReader(const std::string& path);

    const PmtilesHeader& header() const { return m_header; }
    nlohmann::json metadata() const;
    // The root directory's entries as stored (leaves not expanded).
    std::vector<PmtilesEntry> root_entries() const;
    // Every tile entry, leaf directories expanded, in tile id order.
    std::vector<PmtilesEntry> tile_entries() const;
    // The tile's stored bytes (still compressed); none when absent.
    std::optional<std::string> tile(const TileId& tile) const;

private:
    std::vector<PmtilesEntry> directory(std::uint64_t offset, std::uint64_t length) const;
    std::string m_bytes;
    PmtilesHeader m_header;
};

}  // namespace lantern::core
