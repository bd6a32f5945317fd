#pragma once
// How the city's classes look and are named on a map: the one style table
// the overview map and the flood maps share.

#include <vector>

#include <lantern/core/render/render.hpp>

namespace lantern::layers {

// Every built-in class, in drawing order (first = bottom); each class's rules
// come from its description (ClassRegistry::map_styles for a city's classes).
const std::vector<core::LayerStyle>& map_styles();
// Every built-in class's label rules (ClassRegistry::map_labels for a city's classes).
const std::vector<core::LabelStyle>& map_labels();

}  // namespace lantern::layers
