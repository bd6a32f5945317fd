#include <lantern/core/tiles/tile_archive.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include <lantern/core/base/error.hpp>
#include <lantern/core/tiles/mbtiles.hpp>
#include <lantern/core/tiles/pmtiles.hpp>

namespace lantern::core {

const char* to_string(TileArchiveFormat format)
{
    return format == TileArchiveFormat::mbtiles ? "mbtiles" : "pmtiles";
}

TileArchiveFormat tile_archive_format(const std::string& path)
{
    std::string extension = std::filesystem::path(path).extension().string();
    std::transform(extension.begin(), extension.end(), extension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (extension == ".mbtiles")
        return TileArchiveFormat::mbtiles;
    if (extension == ".pmtiles")
        return TileArchiveFormat::pmtiles;
    throw UsageError(path + ": unknown tile archive format; name the output *.mbtiles (MBTiles) or " +
                     "*.pmtiles (PMTiles)");
}

std::unique_ptr<TileArchiveWriter> open_tile_archive(const std::string& path)
{
    if (tile_archive_format(path) == TileArchiveFormat::mbtiles)
        return std::make_unique<MbtilesWriter>(path);
    return std::make_unique<PmtilesWriter>(path);
}

}  // namespace lantern::core
