#pragma once
// Tiles as JSON in the shape tests/js/decode_tile.mjs prints, from
// @mapbox/vector-tile through node and from Lantern's decoder, so that the
// two can be compared field by field.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/testing/mvt_decode.hpp>

#include "support/node_script.hpp"

namespace lantern::test {

// Decodes each file with @mapbox/vector-tile (node tests/js/decode_tile.mjs).
// Fails the test, saying how to install them, when node or the packages are
// missing.
nlohmann::json decode_with_node(const std::vector<std::string>& mvt_files);

// Lantern's decoding in the same shape. Versions and extents not written are
// given as readers assume them (1 and 4096); a point feature has one path per
// point and a polygon feature its rings in order, as loadGeometry() has them.
nlohmann::json node_shape(const std::vector<core::MvtLayer>& layers);

nlohmann::json to_json(const core::MvtValue& value);

// The first differences between two documents as JSON Patch operations, for
// failure messages.
std::string first_differences(const nlohmann::json& expected, const nlohmann::json& actual,
                              std::size_t max_count = 5);

}  // namespace lantern::test
