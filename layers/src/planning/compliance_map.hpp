#pragma once
// The audit's and the land fund's maps: the town over its relief with the
// features found filled in their colours, a legend and the furniture.

#include <string>
#include <vector>

#include <lantern/core/io/grid_vector.hpp>
#include <lantern/core/render/render.hpp>
#include <lantern/layers/plan_compliance.hpp>

namespace lantern::layers::planning {

struct MarkedKind {
    std::string label;  // in the legend
    core::Rgba colour;
    std::vector<core::Wkb> shapes;  // in the city CRS; later kinds drawn over earlier
};

// The buildings as a first kind, in the buildings' colour: the maps draw
// them as marks, under the marked ones.
MarkedKind building_marks(const std::vector<core::Wkb>& buildings);

// Draws options.path; the legend has the title, its lines and the kinds; a
// printed page lists `notes` before its data sources. Throws DataError when
// no kind has a shape and no bounds are given.
void draw_compliance_map(const core::Storage& storage, const std::string& title,
                         const std::vector<std::string>& lines, const std::vector<MarkedKind>& kinds,
                         const ComplianceMapOptions& options, const std::vector<std::string>& notes = {});

}  // namespace lantern::layers::planning
