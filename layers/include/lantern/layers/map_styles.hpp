#pragma once
// How the city's classes look on a map: the one style table the overview
// map and the flood maps share.

#include <vector>

#include <lantern/core/render/render.hpp>

namespace lantern::layers {

// Every class, in drawing order (first = bottom).
const std::vector<core::LayerStyle>& map_styles();

}  // namespace lantern::layers
