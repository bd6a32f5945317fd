#pragma once
// The feature classes of a city, each declared once by its domain layer.

#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>

namespace lantern::layers {

// Every vector feature class, in documentation order.
const std::vector<core::ClassSchema>& feature_classes();

// The class with this name; throws UsageError naming the known classes.
const core::ClassSchema& feature_class(const std::string& name);

// The raster classes (the DEM), imported by lantern import CITY dem FILE.
bool is_raster_class(const std::string& name);

// A land-use code of the Vietnamese land law (parcels' land_use) and its names.
struct LandUse {
    std::string code, name_vi, name_en;
};
// Every code parcels may carry, in the law's order.
const std::vector<LandUse>& land_uses();
// The code's entry, or nullptr for an unknown code.
const LandUse* land_use(const std::string& code);
// Whether the code is of the land law's agricultural group (rice, crops,
// forest, aquaculture, salt): land not built on until its use is changed.
bool is_agricultural(const std::string& code);

// docs/layers.md, generated from the schemas so the two cannot drift apart.
std::string layers_markdown();

}  // namespace lantern::layers
