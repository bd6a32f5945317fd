#pragma once
// One layer's features in one tile: chosen through the R-tree, thinned,
// moved into tile coordinates and generalised below the layer's max zoom.

#include <vector>

#include <lantern/core/tiles/mvt.hpp>
#include <lantern/core/tiles/tile_math.hpp>
#include <lantern/layers/tiles.hpp>

#include "layer_features.hpp"
#include "tile_layers.hpp"

namespace lantern::layers::tiles {

// Whether tiles of this zoom are simplified and leave out small parts.
bool generalises(const TileLayerConfig& config, const core::TileId& tile);

// The encoder options for the layer at this tile (its simplification).
core::MvtOptions tile_options(const TileLayerConfig& config, const core::TileId& tile);

// Adds the layer's features in the tile to the encoder. extra_level thins
// the layer further (one more halving each) when the tile is over its limits.
void render_layer(const LayerFeatures& features, const TileLayerConfig& config,
                  const std::vector<TileField>& fields, const core::TileId& tile, int extra_level,
                  core::MvtLayerEncoder& encoder);

}  // namespace lantern::layers::tiles
