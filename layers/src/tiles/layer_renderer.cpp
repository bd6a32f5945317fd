#include "layer_renderer.hpp"

#include <lantern/core/tiles/tile_generalise.hpp>

namespace lantern::layers::tiles {

bool generalises(const TileLayerConfig& config, const core::TileId& tile)
{
    return tile.z < config.max_zoom;
}

core::MvtOptions tile_options(const TileLayerConfig& config, const core::TileId& tile)
{
    core::MvtOptions options;
    if (generalises(config, tile))
        options.simplify_tolerance = simplify_tolerance_px * options.extent / 256.0;
    return options;
}

namespace {

using core::TileGeometry;
using core::TileGeometryType;
using core::TilePoint;

// EPSG:3857 to tile coordinates, and the sizes below which parts are left
// out at this zoom (none at the layer's max zoom).
struct TileFrame {
    double min_x = 0;
    double max_y = 0;
    double scale = 0;  // tile units per metre
    double min_length = 0;  // metres
    double min_area = 0;    // square metres

    std::vector<TilePoint> to_tile(const std::vector<TilePoint>& part) const
    {
        std::vector<TilePoint> out(part.size());
        for (std::size_t i = 0; i < part.size(); ++i)
            out[i] = {(part[i].x - min_x) * scale, (max_y - part[i].y) * scale};
        return out;
    }
};

void add_lines(const TileFeature& feature, const TileFrame& frame, TileGeometry& geometry)
{
    for (std::size_t i = 0; i < feature.parts.size(); ++i)
        if (feature.part_sizes[i] >= frame.min_length)
            geometry.lines.push_back(frame.to_tile(feature.parts[i]));
}

void add_polygons(const TileFeature& feature, const TileFrame& frame, TileGeometry& geometry)
{
    for (std::size_t k = 0; k < feature.polygon_starts.size(); ++k) {
        std::size_t first = feature.polygon_starts[k];
        std::size_t last =
            k + 1 < feature.polygon_starts.size() ? feature.polygon_starts[k + 1] : feature.parts.size();
        if (feature.part_sizes[first] < frame.min_area)
            continue;
        std::vector<std::vector<TilePoint>> rings;
        for (std::size_t i = first; i < last; ++i)
            if (i == first || feature.part_sizes[i] >= frame.min_area)
                rings.push_back(frame.to_tile(feature.parts[i]));
        geometry.polygons.push_back(std::move(rings));
    }
}

}  // namespace

void render_layer(const LayerFeatures& features, const TileLayerConfig& config,
                  const std::vector<TileField>& fields, const core::TileId& tile, int extra_level,
                  core::MvtLayerEncoder& encoder)
{
    const core::MvtOptions& options = encoder.options();
    core::Bounds bounds = core::tile_bounds(tile);
    double size = bounds.max_x - bounds.min_x;
    TileFrame frame;
    frame.min_x = bounds.min_x;
    frame.max_y = bounds.max_y;
    frame.scale = options.extent / size;
    if (generalises(config, tile)) {
        double metres_per_pixel = size / 256;
        frame.min_length = min_line_length_px * metres_per_pixel;
        frame.min_area = min_polygon_area_px2 * metres_per_pixel * metres_per_pixel;
    }

    double margin = options.buffer / frame.scale;
    core::Bounds query{bounds.min_x - margin, bounds.min_y - margin, bounds.max_x + margin,
                       bounds.max_y + margin};
    int level = (config.full_zoom > tile.z ? config.full_zoom - tile.z : 0) + extra_level;

    core::MvtProperties properties;
    for (std::uint32_t index : features.query(query)) {
        const TileFeature& feature = features.feature(index);
        if (!core::kept_at_level(feature.rank, level))
            continue;
        TileGeometry geometry;
        geometry.type = feature.type;
        switch (feature.type) {
        case TileGeometryType::point: geometry.points = frame.to_tile(feature.parts.front()); break;
        case TileGeometryType::line: add_lines(feature, frame, geometry); break;
        case TileGeometryType::polygon: add_polygons(feature, frame, geometry); break;
        }
        properties.clear();
        for (std::size_t i = 0; i < fields.size(); ++i)
            properties.emplace_back(fields[i].name, feature.values[i]);
        encoder.add(feature.id, geometry, properties);
    }
}

}  // namespace lantern::layers::tiles
