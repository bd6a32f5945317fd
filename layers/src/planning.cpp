#include "layers.hpp"

namespace lantern::layers::detail {

namespace {

// Zones tinted by their type, as planning maps colour them.
StyleRule tint(const char* zone_type, core::Rgba fill)
{
    return with_where(draw(fill, {0, 0, 0, 0}, 1, 6), "zone_type", zone_type);
}

}  // namespace

ClassDescription zones()
{
    ClassDescription d;
    auto& s = d.schema;
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
    d.tiles = {11, 17, 0,
               {"zone_id", "zone_type", "max_height_m", "max_floors", "max_coverage_pct",
                "max_far", "plan_ref"}};
    d.style = {
        tint("residential", {245, 200, 110, 110}),
        tint("mixed-use", {235, 130, 90, 110}),
        tint("heritage", {175, 95, 45, 120}),
        tint("tourism", {225, 110, 170, 100}),
        tint("public", {165, 120, 205, 110}),
        tint("green", {100, 175, 80, 120}),
        tint("agriculture", {205, 225, 150, 90}),
        tint("infrastructure", {150, 150, 165, 110}),
        draw({0, 0, 0, 0}, {200, 184, 130, 140}, 1, 6),  // then outlined
    };
    d.draw_order = 30;
    return d;
}

}  // namespace lantern::layers::detail
