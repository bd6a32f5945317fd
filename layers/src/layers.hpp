#pragma once
// Each domain layer describes its feature classes here, once: schema, tiles,
// map style and their part in the search; classes/registry.cpp lists them.

#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>
#include <lantern/layers/class_description.hpp>

#include "field_builders.hpp"

namespace lantern::layers::detail {

const std::vector<std::string>& land_use_codes();
ClassDescription parcels();
ClassDescription zones();
ClassDescription drainage_pipes();
ClassDescription drainage_nodes();
ClassDescription lamps();
ClassDescription cameras();
ClassDescription heritage_sites();
ClassDescription heritage_zones();
ClassDescription buildings();
ClassDescription roads();
ClassDescription water();
ClassDescription wards();

}  // namespace lantern::layers::detail
