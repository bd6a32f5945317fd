#pragma once
// How the city's classes look on a map: the one style table the overview
// map and the flood maps share.

#include <vector>

#include <lantern/core/render/render.hpp>

namespace lantern::layers {

// Every built-in class, in drawing order (first = bottom); each class's rules
// come from its description (ClassRegistry::map_styles for a city's classes).
const std::vector<core::LayerStyle>& map_styles();

}  // namespace lantern::layers
