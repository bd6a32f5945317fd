#include <lantern/core/testing/pmtiles_reader.hpp>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/gzip.hpp>

namespace lantern::core {

namespace {

// Whether [offset, offset + length) lies in a file of `size` bytes, without
// the sum wrapping round (a damaged header may hold any 64-bit numbers).
bool within(std::uint64_t offset, std::uint64_t length, std::uint64_t size)
{
    return offset <= size && length <= size - offset;
}

// base + offset, or none when the sum would wrap round.
std::optional<std::uint64_t> add(std::uint64_t base, std::uint64_t offset)
{
    if (offset > std::numeric_limits<std::uint64_t>::max() - base)
        return std::nullopt;
    return base + offset;
}

}  // namespace

PmtilesReader::PmtilesReader(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path + ": cannot open");
    m_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    try {
        m_header = decode_pmtiles_header(m_bytes);
    } catch (const DataError& e) {
        throw DataError(path + ": " + e.what());
    }
    if (!within(m_header.tile_data_offset, m_header.tile_data_length, m_bytes.size()))
        throw DataError(path + ": truncated PMTiles archive");
}

namespace {

std::string internal_decompress(std::string_view bytes, PmtilesCompression compression)
{
    if (compression == PmtilesCompression::gzip)
        return gzip_decompress(bytes);
    if (compression == PmtilesCompression::none)
        return std::string(bytes);
    throw DataError("PMTiles: unsupported internal compression " +
                    std::to_string(static_cast<int>(compression)));
}

}  // namespace

std::vector<PmtilesEntry> PmtilesReader::directory(std::uint64_t offset, std::uint64_t length) const
{
    if (!within(offset, length, m_bytes.size()))
        throw DataError("PMTiles: a directory lies beyond the end of the file");
    return decode_pmtiles_directory(internal_decompress(
        std::string_view(m_bytes).substr(offset, length), m_header.internal_compression));
}

nlohmann::json PmtilesReader::metadata() const
{
    if (!within(m_header.metadata_offset, m_header.metadata_length, m_bytes.size()))
        throw DataError("PMTiles: the metadata lies beyond the end of the file");
    return nlohmann::json::parse(internal_decompress(
        std::string_view(m_bytes).substr(m_header.metadata_offset, m_header.metadata_length),
        m_header.internal_compression));
}

std::vector<PmtilesEntry> PmtilesReader::root_entries() const
{
    return directory(m_header.root_offset, m_header.root_length);
}

std::vector<PmtilesEntry> PmtilesReader::tile_entries() const
{
    std::vector<PmtilesEntry> tiles;
    for (const auto& e : root_entries()) {
        if (e.run_length > 0) {
            tiles.push_back(e);
            continue;
        }
        auto leaf = add(m_header.leaves_offset, e.offset);
        if (!leaf)
            throw DataError("PMTiles: a leaf directory lies beyond the end of the file");
        for (const auto& leaf_entry : directory(*leaf, e.length)) {
            if (leaf_entry.run_length == 0)
                throw DataError("PMTiles: leaf directories nested deeper than one level");
            tiles.push_back(leaf_entry);
        }
    }
    return tiles;
}

std::optional<std::string> PmtilesReader::tile(const TileId& tile) const
{
    const std::uint64_t id = pmtiles_tile_id(tile);
    auto entries = root_entries();
    // The root and at most a few levels of leaves (the spec advises one).
    for (int depth = 0; depth < 4; ++depth) {
        auto after = std::upper_bound(entries.begin(), entries.end(), id,
                                      [](std::uint64_t v, const PmtilesEntry& e) { return v < e.tile_id; });
        if (after == entries.begin())
            return std::nullopt;
        const PmtilesEntry e = *(after - 1);
        if (e.run_length > 0) {
            if (id >= e.tile_id + e.run_length)
                return std::nullopt;
            auto start = add(m_header.tile_data_offset, e.offset);
            if (!start || !within(*start, e.length, m_bytes.size()))
                throw DataError("PMTiles: a tile lies beyond the end of the file");
            return m_bytes.substr(*start, e.length);
        }
        auto leaf = add(m_header.leaves_offset, e.offset);
        if (!leaf)
            throw DataError("PMTiles: a leaf directory lies beyond the end of the file");
        entries = directory(*leaf, e.length);
    }
    throw DataError("PMTiles: leaf directories nested too deep");
}

}  // namespace lantern::core
