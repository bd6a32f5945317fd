// lantern tiles: the city's vector tiles into an MBTiles or PMTiles archive.
//
//   enumerate: per zoom, the tiles over the bounds of the layers shown there
//   order:     by PMTiles tile id (zoom, then Hilbert curve), which PMTiles
//              needs for clustered data and MBTiles does not mind
//   render:    the thread pool renders and gzips a batch of tiles at a time
//   write:     the calling thread adds them to the archive in order

#include <lantern/layers/tile_archive.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/gzip.hpp>
#include <lantern/core/base/parallel.hpp>
#include <lantern/core/base/progress.hpp>
#include <lantern/core/tiles/pmtiles.hpp>
#include <lantern/core/tiles/tile_archive.hpp>
#include <lantern/core/tiles/tile_math.hpp>

namespace lantern::layers {

namespace {

std::vector<TileLayerInfo> chosen_layers(const TileSet& tiles, const std::vector<std::string>& names)
{
    if (names.empty())
        return tiles.layers();
    std::vector<TileLayerInfo> chosen;
    std::set<std::string> seen;
    for (const auto& name : names) {
        if (!seen.insert(name).second)
            continue;
        auto layer = tiles.layer(name);
        if (!layer) {
            std::string known;
            for (const auto& l : tiles.layers())
                known += (known.empty() ? "" : ", ") + l.name;
            throw core::UsageError("no tile layer '" + name + "' in this city (layers: " + known + ")");
        }
        chosen.push_back(*layer);
    }
    return chosen;
}

void choose_zooms(const std::vector<TileLayerInfo>& layers, const TileArchiveOptions& options, int& min_zoom,
                  int& max_zoom)
{
    int lowest = core::max_tile_zoom, highest = 0;
    for (const auto& l : layers) {
        lowest = std::min(lowest, l.min_zoom);
        highest = std::max(highest, l.max_zoom);
    }
    min_zoom = options.min_zoom.value_or(lowest);
    // Never below the lowest layer's min zoom, or the default would archive nothing.
    max_zoom = options.max_zoom.value_or(
        std::max(min_zoom, std::min(highest, std::max(default_archive_max_zoom, lowest))));
    if (min_zoom < 0 || max_zoom > core::max_tile_zoom || min_zoom > max_zoom)
        throw core::UsageError("zooms " + std::to_string(min_zoom) + " to " + std::to_string(max_zoom) +
                               ": the lowest zoom must not be above the highest, nor the highest above " +
                               std::to_string(core::max_tile_zoom));
}

core::Bounds to_mercator(const core::Bounds& lonlat)
{
    core::Bounds m;
    core::lonlat_to_mercator(lonlat.min_x, lonlat.min_y, m.min_x, m.min_y);
    core::lonlat_to_mercator(lonlat.max_x, lonlat.max_y, m.max_x, m.max_y);
    return m;
}

// Every tile over the bounds of the layers shown at its zoom, in PMTiles
// tile id order.
std::vector<core::TileId> tiles_to_render(const std::vector<TileLayerInfo>& layers, int min_zoom,
                                          int max_zoom)
{
    std::vector<std::pair<std::uint64_t, core::TileId>> ordered;
    for (int z = min_zoom; z <= max_zoom; ++z) {
        std::vector<TileLayerInfo> shown;
        for (const auto& l : layers)
            if (l.bounds && z >= l.min_zoom && z <= l.max_zoom)
                shown.push_back(l);
        if (shown.empty())
            continue;
        for (const auto& tile : core::tiles_covering(to_mercator(combined_bounds(shown)), z))
            ordered.emplace_back(core::pmtiles_tile_id(tile), tile);
    }
    std::sort(ordered.begin(), ordered.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<core::TileId> tiles;
    tiles.reserve(ordered.size());
    for (const auto& [id, tile] : ordered)
        tiles.push_back(tile);
    return tiles;
}

// The zoom at which the bounds span about two tiles across: a first view of
// the whole city.
int center_zoom(const core::Bounds& lonlat, int min_zoom, int max_zoom)
{
    double width = std::max(lonlat.max_x - lonlat.min_x, 1e-6);
    int z = static_cast<int>(std::floor(std::log2(2 * 360.0 / width)));
    return std::clamp(z, min_zoom, max_zoom);
}

core::TileArchiveInfo archive_info(const TileSet& tiles, const std::vector<TileLayerInfo>& layers,
                                   const core::Bounds& bounds, int min_zoom, int max_zoom,
                                   const TileArchiveOptions& options)
{
    core::TileArchiveInfo info;
    info.name = tiles.city_name();
    std::string names;
    for (const auto& l : layers)
        names += (names.empty() ? "" : ", ") + l.name;
    info.description = !options.description.empty() ? options.description
                                                     : info.name + " vector tiles: " + names;
    info.attribution = !options.attribution.empty() ? options.attribution
                                                    : info.name + " city data (Lantern)";
    info.min_zoom = min_zoom;
    info.max_zoom = max_zoom;
    info.bounds = bounds;
    info.center_lon = (bounds.min_x + bounds.max_x) / 2;
    info.center_lat = (bounds.min_y + bounds.max_y) / 2;
    info.center_zoom = center_zoom(bounds, min_zoom, max_zoom);
    // The layers the archive can hold, with their zoom ranges cut to its own.
    std::vector<TileLayerInfo> shown;
    for (auto l : layers) {
        if (l.max_zoom < min_zoom || l.min_zoom > max_zoom)
            continue;
        l.min_zoom = std::max(l.min_zoom, min_zoom);
        l.max_zoom = std::min(l.max_zoom, max_zoom);
        shown.push_back(l);
    }
    info.vector_layers = vector_layers_json(shown);
    return info;
}

// An empty archive helps no one (and PMTiles cannot hold one).
core::DataError no_tiles(const TileArchiveSummary& summary)
{
    std::string names;
    for (const auto& name : summary.layers)
        names += (names.empty() ? "" : ", ") + name;
    return core::DataError("no tiles to write: " + names + " have no features at zooms " +
                           std::to_string(summary.min_zoom) + " to " + std::to_string(summary.max_zoom));
}

}  // namespace

nlohmann::json TileArchiveSummary::to_json() const
{
    nlohmann::json per_zoom = nlohmann::json::array();
    for (const auto& z : zooms)
        per_zoom.push_back({{"zoom", z.zoom},
                            {"tiles_checked", z.tiles_checked},
                            {"tiles_written", z.tiles_written},
                            {"tile_bytes", z.tile_bytes}});
    return {{"path", path},
            {"format", format},
            {"layers", layers},
            {"min_zoom", min_zoom},
            {"max_zoom", max_zoom},
            {"bounds", {bounds.min_x, bounds.min_y, bounds.max_x, bounds.max_y}},
            {"tiles_written", tiles_written},
            {"unique_tiles", unique_tiles},
            {"tile_bytes", tile_bytes},
            {"file_bytes", file_bytes},
            {"zooms", per_zoom},
            {"threads", threads},
            {"seconds", seconds}};
}

TileArchiveSummary write_tile_archive(TileSet& tiles, const std::string& path, const TileArchiveOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    TileArchiveSummary summary;
    summary.path = path;
    summary.format = core::to_string(core::tile_archive_format(path));

    const auto layers = chosen_layers(tiles, options.layer_names);
    if (layers.empty())
        throw core::DataError("the city has no tile layers to archive");
    for (const auto& l : layers)
        summary.layers.push_back(l.name);
    choose_zooms(layers, options, summary.min_zoom, summary.max_zoom);

    bool has_bounds = std::any_of(layers.begin(), layers.end(),
                                  [](const TileLayerInfo& l) { return l.bounds.has_value(); });
    const auto to_render = tiles_to_render(layers, summary.min_zoom, summary.max_zoom);
    if (!has_bounds || to_render.empty())
        throw no_tiles(summary);
    summary.bounds = combined_bounds(layers);

    auto writer = core::open_tile_archive(path);
    // The pool runs no more threads than it has, whatever is asked.
    const unsigned pool_threads = core::default_pool().workers() + 1;
    summary.threads = options.threads > 0 ? std::min(options.threads, pool_threads) : pool_threads;
    summary.threads = static_cast<unsigned>(std::min<std::size_t>(summary.threads, to_render.size()));
    for (int z = summary.min_zoom; z <= summary.max_zoom; ++z)
        summary.zooms.push_back({z, 0, 0, 0});

    core::ProgressBar progress("tiles", static_cast<std::int64_t>(to_render.size()),
                               options.progress && core::ProgressBar::stderr_is_terminal());
    {
        // One selection for every tile: an import meanwhile cannot mix versions.
        auto selection = tiles.select(summary.layers);
        // Rendered and gzipped a batch at a time on the pool, the calling
        // thread too, then written in order: memory holds one batch.
        const std::size_t batch = std::max<std::size_t>(64, std::size_t{summary.threads} * 32);
        std::vector<std::string> rendered(batch);
        for (std::size_t first = 0; first < to_render.size(); first += batch) {
            const std::size_t count = std::min(batch, to_render.size() - first);
            core::parallel_for(
                count,
                [&](std::size_t k) {
                    std::string mvt = tiles.render(*selection, to_render[first + k]);
                    rendered[k] = mvt.empty() ? std::string() : core::gzip_compress(mvt);
                },
                {.grain = 1, .threads = summary.threads});
            for (std::size_t k = 0; k < count; ++k) {
                const auto& tile = to_render[first + k];
                const std::string& bytes = rendered[k];
                auto& zoom = summary.zooms[static_cast<std::size_t>(tile.z - summary.min_zoom)];
                ++zoom.tiles_checked;
                if (!bytes.empty()) {
                    writer->add(tile, bytes);
                    ++zoom.tiles_written;
                    zoom.tile_bytes += bytes.size();
                }
                progress.update(static_cast<std::int64_t>(first + k + 1));
            }
        }
    }
    progress.finish();
    if (std::none_of(summary.zooms.begin(), summary.zooms.end(),
                     [](const TileArchiveZoom& z) { return z.tiles_written > 0; }))
        throw no_tiles(summary);

    auto stats = writer->finish(archive_info(tiles, layers, summary.bounds, summary.min_zoom,
                                             summary.max_zoom, options));
    summary.tiles_written = stats.tiles;
    summary.unique_tiles = stats.unique_tiles;
    summary.tile_bytes = stats.tile_bytes;
    summary.file_bytes = stats.file_bytes;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return summary;
}

}  // namespace lantern::layers
