#include <lantern/core/tiles/pmtiles.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unordered_map>

#include <lantern/core/base/checksum.hpp>
#include <lantern/core/base/error.hpp>
#include <lantern/core/base/gzip.hpp>
#include <lantern/core/base/temporary_output.hpp>

namespace lantern::core {

// ---- tile ids: Hilbert curves per zoom (the spec's zxy_to_tileid) ----------

namespace {

// One step of the Hilbert curve: turn the quadrant so that the next, smaller
// square is walked in the orientation the curve enters it.
void rotate(std::uint64_t n, std::uint64_t& x, std::uint64_t& y, std::uint64_t rx, std::uint64_t ry)
{
    if (ry == 0) {
        if (rx == 1) {
            x = n - 1 - x;
            y = n - 1 - y;
        }
        std::swap(x, y);
    }
}

std::uint64_t tiles_below_zoom(int z)
{
    return ((std::uint64_t{1} << (2 * z)) - 1) / 3;
}

}  // namespace

std::uint64_t pmtiles_tile_id(const TileId& tile)
{
    if (!tile_exists(tile))
        throw std::invalid_argument("pmtiles_tile_id: no tile " + std::to_string(tile.z) + "/" +
                                    std::to_string(tile.x) + "/" + std::to_string(tile.y));
    const std::uint64_t n = std::uint64_t{1} << tile.z;
    std::uint64_t x = tile.x, y = tile.y, d = 0;
    for (std::uint64_t s = n / 2; s > 0; s /= 2) {
        std::uint64_t rx = (x & s) > 0 ? 1 : 0;
        std::uint64_t ry = (y & s) > 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        rotate(n, x, y, rx, ry);
    }
    return tiles_below_zoom(tile.z) + d;
}

TileId pmtiles_tile(std::uint64_t tile_id)
{
    for (int z = 0; z <= max_tile_zoom; ++z) {
        const std::uint64_t first = tiles_below_zoom(z), count = std::uint64_t{1} << (2 * z);
        if (tile_id >= first + count)
            continue;
        std::uint64_t t = tile_id - first, x = 0, y = 0;
        for (std::uint64_t s = 1; s < (std::uint64_t{1} << z); s *= 2) {
            std::uint64_t rx = 1 & (t / 2);
            std::uint64_t ry = 1 & (t ^ rx);
            rotate(s, x, y, rx, ry);
            x += s * rx;
            y += s * ry;
            t /= 4;
        }
        return {z, static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y)};
    }
    throw DataError("PMTiles: tile id " + std::to_string(tile_id) + " lies beyond zoom " +
                    std::to_string(max_tile_zoom));
}

// ---- varints, header and directories ----------------------------------------

void append_varint(std::string& out, std::uint64_t value)
{
    while (value >= 0x80) {
        out.push_back(static_cast<char>((value & 0x7f) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<char>(value));
}

std::uint64_t read_varint(std::string_view bytes, std::size_t& pos)
{
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (pos >= bytes.size())
            throw DataError("PMTiles: a varint runs past the end of its directory");
        auto byte = static_cast<unsigned char>(bytes[pos++]);
        value |= std::uint64_t{byte & 0x7fu} << shift;
        if ((byte & 0x80) == 0)
            return value;
    }
    throw DataError("PMTiles: a varint longer than 64 bits");
}

namespace {

template <typename T>
void put_le(std::string& out, T value)
{
    auto bits = static_cast<std::uint64_t>(value);
    for (std::size_t i = 0; i < sizeof(T); ++i)
        out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

template <typename T>
T get_le(std::string_view bytes, std::size_t offset)
{
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        bits |= std::uint64_t{static_cast<unsigned char>(bytes[offset + i])} << (8 * i);
    return static_cast<T>(bits);
}

constexpr std::string_view magic = "PMTiles";

}  // namespace

std::string encode_pmtiles_header(const PmtilesHeader& h)
{
    std::string out(magic);
    out.push_back(3);
    for (std::uint64_t v : {h.root_offset, h.root_length, h.metadata_offset, h.metadata_length,
                            h.leaves_offset, h.leaves_length, h.tile_data_offset, h.tile_data_length,
                            h.addressed_tiles, h.tile_entries, h.tile_contents})
        put_le(out, v);
    out.push_back(h.clustered ? 1 : 0);
    put_le(out, static_cast<std::uint8_t>(h.internal_compression));
    put_le(out, static_cast<std::uint8_t>(h.tile_compression));
    put_le(out, static_cast<std::uint8_t>(h.tile_type));
    put_le(out, h.min_zoom);
    put_le(out, h.max_zoom);
    for (std::int32_t v : {h.min_lon_e7, h.min_lat_e7, h.max_lon_e7, h.max_lat_e7})
        put_le(out, v);
    put_le(out, h.center_zoom);
    put_le(out, h.center_lon_e7);
    put_le(out, h.center_lat_e7);
    return out;
}

PmtilesHeader decode_pmtiles_header(std::string_view bytes)
{
    if (bytes.size() < pmtiles_header_size || bytes.substr(0, magic.size()) != magic)
        throw DataError("not a PMTiles archive (no PMTiles header)");
    if (bytes[7] != 3)
        throw DataError("unsupported PMTiles version " + std::to_string(static_cast<int>(bytes[7])) +
                        " (Lantern reads version 3)");
    PmtilesHeader h;
    std::uint64_t* fields[] = {&h.root_offset,      &h.root_length,     &h.metadata_offset,
                               &h.metadata_length,  &h.leaves_offset,   &h.leaves_length,
                               &h.tile_data_offset, &h.tile_data_length, &h.addressed_tiles,
                               &h.tile_entries,     &h.tile_contents};
    std::size_t offset = 8;
    for (auto* field : fields) {
        *field = get_le<std::uint64_t>(bytes, offset);
        offset += 8;
    }
    h.clustered = bytes[96] == 1;
    h.internal_compression = static_cast<PmtilesCompression>(bytes[97]);
    h.tile_compression = static_cast<PmtilesCompression>(bytes[98]);
    h.tile_type = static_cast<PmtilesTileType>(bytes[99]);
    h.min_zoom = get_le<std::uint8_t>(bytes, 100);
    h.max_zoom = get_le<std::uint8_t>(bytes, 101);
    h.min_lon_e7 = get_le<std::int32_t>(bytes, 102);
    h.min_lat_e7 = get_le<std::int32_t>(bytes, 106);
    h.max_lon_e7 = get_le<std::int32_t>(bytes, 110);
    h.max_lat_e7 = get_le<std::int32_t>(bytes, 114);
    h.center_zoom = get_le<std::uint8_t>(bytes, 118);
    h.center_lon_e7 = get_le<std::int32_t>(bytes, 119);
    h.center_lat_e7 = get_le<std::int32_t>(bytes, 123);
    return h;
}

std::string encode_pmtiles_directory(const std::vector<PmtilesEntry>& entries)
{
    std::string out;
    append_varint(out, entries.size());
    std::uint64_t last_id = 0;
    for (const auto& e : entries) {
        append_varint(out, e.tile_id - last_id);
        last_id = e.tile_id;
    }
    for (const auto& e : entries)
        append_varint(out, e.run_length);
    for (const auto& e : entries)
        append_varint(out, e.length);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        bool contiguous = i > 0 && entries[i].offset == entries[i - 1].offset + entries[i - 1].length;
        append_varint(out, contiguous ? 0 : entries[i].offset + 1);
    }
    return out;
}

std::vector<PmtilesEntry> decode_pmtiles_directory(std::string_view bytes)
{
    std::size_t pos = 0;
    std::uint64_t count = read_varint(bytes, pos);
    // Every entry takes at least four bytes.
    if (count > bytes.size() / 4)
        throw DataError("PMTiles: a directory claims " + std::to_string(count) +
                        " entries in " + std::to_string(bytes.size()) + " bytes");
    std::vector<PmtilesEntry> entries(count);
    std::uint64_t last_id = 0;
    for (auto& e : entries) {
        last_id += read_varint(bytes, pos);
        e.tile_id = last_id;
    }
    auto read_u32 = [&](const char* what) {
        std::uint64_t v = read_varint(bytes, pos);
        if (v > UINT32_MAX)
            throw DataError(std::string("PMTiles: a directory entry's ") + what + " exceeds 32 bits");
        return static_cast<std::uint32_t>(v);
    };
    for (auto& e : entries)
        e.run_length = read_u32("run length");
    for (auto& e : entries)
        e.length = read_u32("length");
    for (std::size_t i = 0; i < entries.size(); ++i) {
        std::uint64_t v = read_varint(bytes, pos);
        if (v == 0 && i == 0)
            throw DataError("PMTiles: the first directory entry has no offset");
        entries[i].offset = v == 0 ? entries[i - 1].offset + entries[i - 1].length : v - 1;
    }
    return entries;
}

// ---- the writer --------------------------------------------------------------

namespace {

constexpr int directory_gzip_level = 9;

std::int32_t e7(double degrees)
{
    return static_cast<std::int32_t>(std::lround(degrees * 1e7));
}

struct Directories {
    std::string root;    // compressed
    std::string leaves;  // compressed leaf directories, one after another
};

// The whole index in the root when it fits; otherwise leaves of a growing
// number of entries until the root that lists them fits (the spec leaves the
// split to writers; this is the way the reference writer chooses it).
Directories build_directories(const std::vector<PmtilesEntry>& entries, const PmtilesOptions& options)
{
    Directories d;
    d.root = gzip_compress(encode_pmtiles_directory(entries), directory_gzip_level);
    if (d.root.size() <= options.max_root_bytes)
        return d;
    std::size_t leaf_entries = std::max<std::size_t>(options.min_leaf_entries, 1);
    while (true) {
        d.leaves.clear();
        std::vector<PmtilesEntry> root;
        for (std::size_t first = 0; first < entries.size(); first += leaf_entries) {
            std::size_t last = std::min(entries.size(), first + leaf_entries);
            std::vector<PmtilesEntry> leaf(entries.begin() + static_cast<std::ptrdiff_t>(first),
                                           entries.begin() + static_cast<std::ptrdiff_t>(last));
            std::string bytes = gzip_compress(encode_pmtiles_directory(leaf), directory_gzip_level);
            root.push_back({leaf.front().tile_id, d.leaves.size(), static_cast<std::uint32_t>(bytes.size()), 0});
            d.leaves += bytes;
        }
        d.root = gzip_compress(encode_pmtiles_directory(root), directory_gzip_level);
        if (d.root.size() <= options.max_root_bytes || root.size() == 1)
            return d;
        leaf_entries += leaf_entries / 5 + 1;
    }
}

}  // namespace

struct PmtilesWriter::State {
    PmtilesOptions options;
    TemporaryOutput output;
    TemporaryOutput spool;  // the tile data until the directories are known
    std::FILE* spool_file = nullptr;
    bool spool_at_end = true;
    std::uint64_t data_length = 0;
    std::vector<PmtilesEntry> entries;
    // Blobs by content hash; a hit is compared byte for byte before reuse.
    std::unordered_map<std::uint64_t, std::vector<std::pair<std::uint64_t, std::uint32_t>>> blobs;
    TileArchiveStats stats;
    bool finished = false;

    State(const std::string& path, PmtilesOptions o) : options(o), output(path), spool(path) {}
    ~State()
    {
        if (spool_file)
            std::fclose(spool_file);
    }

    [[noreturn]] void write_failed() const
    {
        throw FileError(output.path() + ": cannot write the archive: " + std::strerror(errno));
    }

    bool spool_holds(std::uint64_t offset, std::string_view bytes)
    {
        std::string stored(bytes.size(), '\0');
        spool_at_end = false;
        if (std::fseek(spool_file, static_cast<long>(offset), SEEK_SET) != 0 ||
            std::fread(stored.data(), 1, stored.size(), spool_file) != stored.size())
            write_failed();
        return stored == bytes;
    }

    std::uint64_t store(std::string_view bytes)
    {
        ContentHash hash;
        hash.add(bytes);
        auto& candidates = blobs[hash.value()];
        for (const auto& [offset, length] : candidates)
            if (length == bytes.size() && spool_holds(offset, bytes))
                return offset;
        if (!spool_at_end && std::fseek(spool_file, 0, SEEK_END) != 0)
            write_failed();
        spool_at_end = true;
        if (std::fwrite(bytes.data(), 1, bytes.size(), spool_file) != bytes.size())
            write_failed();
        std::uint64_t offset = data_length;
        data_length += bytes.size();
        candidates.emplace_back(offset, static_cast<std::uint32_t>(bytes.size()));
        ++stats.unique_tiles;
        return offset;
    }
};

PmtilesWriter::PmtilesWriter(std::string path, PmtilesOptions options)
    : m_state(std::make_unique<State>(path, options))
{
    m_state->spool_file = std::fopen(m_state->spool.temporary_path().c_str(), "w+b");
    if (!m_state->spool_file)
        throw FileError(path + ": cannot create the archive: " + std::strerror(errno));
}

PmtilesWriter::~PmtilesWriter() = default;

void PmtilesWriter::add(const TileId& tile, std::string_view gzipped_mvt)
{
    auto& s = *m_state;
    if (s.finished)
        throw std::logic_error("PmtilesWriter::add after finish");
    if (gzipped_mvt.empty() || gzipped_mvt.size() > UINT32_MAX)
        throw std::invalid_argument("PmtilesWriter::add: a tile of " +
                                    std::to_string(gzipped_mvt.size()) + " bytes");
    std::uint64_t id = pmtiles_tile_id(tile);
    if (!s.entries.empty() && id < s.entries.back().tile_id + s.entries.back().run_length)
        throw std::invalid_argument("PmtilesWriter::add: tiles must come in ascending tile id order");
    std::uint64_t offset = s.store(gzipped_mvt);
    auto length = static_cast<std::uint32_t>(gzipped_mvt.size());
    auto* last = s.entries.empty() ? nullptr : &s.entries.back();
    if (last && last->tile_id + last->run_length == id && last->offset == offset &&
        last->run_length < UINT32_MAX)
        ++last->run_length;
    else
        s.entries.push_back({id, offset, length, 1});
    ++s.stats.tiles;
    s.stats.tile_bytes += length;
}

TileArchiveStats PmtilesWriter::finish(const TileArchiveInfo& info)
{
    auto& s = *m_state;
    if (s.finished)
        throw std::logic_error("PmtilesWriter::finish twice");
    if (s.entries.empty())
        throw DataError(s.output.path() + ": no tiles to write (a PMTiles archive holds at least one)");
    Directories directories = build_directories(s.entries, s.options);
    std::string metadata = gzip_compress(nlohmann::json{{"name", info.name},
                                                        {"description", info.description},
                                                        {"attribution", info.attribution},
                                                        {"type", "overlay"},
                                                        {"version", "1.0.0"},
                                                        {"vector_layers", info.vector_layers}}
                                             .dump(),
                                         directory_gzip_level);

    PmtilesHeader h;
    h.root_offset = pmtiles_header_size;
    h.root_length = directories.root.size();
    h.metadata_offset = h.root_offset + h.root_length;
    h.metadata_length = metadata.size();
    h.leaves_offset = h.metadata_offset + h.metadata_length;
    h.leaves_length = directories.leaves.size();
    h.tile_data_offset = h.leaves_offset + h.leaves_length;
    h.tile_data_length = s.data_length;
    h.addressed_tiles = s.stats.tiles;
    h.tile_entries = s.entries.size();
    h.tile_contents = s.stats.unique_tiles;
    h.clustered = true;
    h.internal_compression = PmtilesCompression::gzip;
    h.tile_compression = PmtilesCompression::gzip;
    h.tile_type = PmtilesTileType::mvt;
    h.min_zoom = static_cast<std::uint8_t>(info.min_zoom);
    h.max_zoom = static_cast<std::uint8_t>(info.max_zoom);
    h.min_lon_e7 = e7(info.bounds.min_x);
    h.min_lat_e7 = e7(info.bounds.min_y);
    h.max_lon_e7 = e7(info.bounds.max_x);
    h.max_lat_e7 = e7(info.bounds.max_y);
    h.center_zoom = static_cast<std::uint8_t>(info.center_zoom);
    h.center_lon_e7 = e7(info.center_lon);
    h.center_lat_e7 = e7(info.center_lat);

    {
        std::ofstream out(s.output.temporary_path(), std::ios::binary | std::ios::trunc);
        out << encode_pmtiles_header(h) << directories.root << metadata << directories.leaves;
        std::fflush(s.spool_file);
        std::rewind(s.spool_file);
        s.spool_at_end = false;
        std::string chunk(1 << 20, '\0');
        while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), s.spool_file))
            out.write(chunk.data(), static_cast<std::streamsize>(n));
        if (std::ferror(s.spool_file))
            s.write_failed();
        out.close();
        if (!out)
            throw FileError(s.output.path() + ": cannot write the archive (disk full?)");
    }
    std::fclose(s.spool_file);
    s.spool_file = nullptr;
    s.output.commit();
    s.finished = true;
    s.stats.file_bytes = std::filesystem::file_size(s.output.path());
    return s.stats;
}

}  // namespace lantern::core
