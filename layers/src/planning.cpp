#include "layers.hpp"

namespace lantern::layers::detail {

core::ClassSchema zones()
{
    core::ClassSchema s;
    s.name = "zones";
    s.layer = "planning";
    s.description = "Planning zones of the detailed plan with their building rules.";
    s.geometry = core::GeometryKind::polygon;
    s.id_field = "zone_id";
    s.fields = {
        text("zone_id", "zone identifier in the plan", Need::required),
        text("zone_type", "planned use of the zone", Need::required,
             {"residential", "mixed-use", "commercial", "tourism", "heritage", "public", "green",
              "agriculture", "water", "infrastructure", "industrial"}),
        real("max_height_m", "highest building allowed, metres", 0.0, 300.0),
        integer("max_floors", "most floors allowed", 0.0, 100.0),
        real("max_coverage_pct", "largest share of a plot that buildings may cover, percent", 0.0,
             100.0),
        real("max_far", "largest floor-area ratio", 0.0, 30.0),
        text("land_uses", "land-use codes the zone allows, comma-separated (as parcels' land_use)"),
        text("plan_ref", "the plan or decision that sets the rules"),
        source_field(),
    };
    return s;
}

}  // namespace lantern::layers::detail
