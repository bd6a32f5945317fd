#pragma once
// Just enough of a Mapbox Vector Tile decoder (protozero, the spec's field
// numbers) to see which layers a tile holds and how many features each has.

#include <string>
#include <vector>

namespace lantern::test {

struct MvtLayerCount {
    std::string name;
    std::size_t features = 0;
};

// Tile.layers (field 3); Layer.name (1) and Layer.features (2).
std::vector<MvtLayerCount> mvt_layer_counts(const std::string& tile);

}  // namespace lantern::test
