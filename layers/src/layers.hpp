#pragma once
// Each domain layer declares its feature classes here; catalogue.cpp lists them.

#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>

#include "field_builders.hpp"

namespace lantern::layers::detail {

const std::vector<std::string>& land_use_codes();
core::ClassSchema parcels();
core::ClassSchema zones();
core::ClassSchema drainage_pipes();
core::ClassSchema drainage_nodes();
core::ClassSchema lamps();
core::ClassSchema cameras();
core::ClassSchema heritage_sites();
core::ClassSchema heritage_zones();
core::ClassSchema buildings();
core::ClassSchema roads();
core::ClassSchema water();
core::ClassSchema wards();

}  // namespace lantern::layers::detail
