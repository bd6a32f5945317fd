#pragma once
// MBTiles 1.3 (github.com/mapbox/mbtiles-spec): an SQLite database with a
// metadata(name, value) table and tiles(zoom_level, tile_column, tile_row,
// tile_data) with TMS rows (counted from the south, core::tms_row) and
// gzip-compressed MVT ("format" = "pbf") in tile_data.

#include <memory>
#include <string>

#include <lantern/core/tiles/tile_archive.hpp>

namespace lantern::core {

class MbtilesWriter : public TileArchiveWriter {
public:
    // Creates the temporary database beside path. Throws FileError.
    explicit MbtilesWriter(std::string path);
    ~MbtilesWriter() override;
    MbtilesWriter(const MbtilesWriter&) = delete;
    MbtilesWriter& operator=(const MbtilesWriter&) = delete;

    void add(const TileId& tile, std::string_view gzipped_mvt) override;
    TileArchiveStats finish(const TileArchiveInfo& info) override;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace lantern::core
