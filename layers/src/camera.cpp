#include "layers.hpp"

namespace lantern::layers::detail {

ClassDescription cameras()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "cameras";
    s.layer = "camera";
    s.description = "Surveillance cameras with their view direction, angle and range.";
    s.geometry = core::GeometryKind::point;
    s.id_field = "camera_id";
    s.fields = {
        text("camera_id", "camera identifier", Need::required),
        text("purpose", "what the camera watches for; 'socialised' cameras are paid for by "
                        "residents and shops and shared with the city",
             Need::required, {"security", "traffic", "fire", "socialised"}),
        real("heading_deg", "view direction as a compass bearing, degrees clockwise from north",
             0.0, 360.0),
        real("fov_deg", "horizontal field of view, degrees", 1.0, 360.0),
        real("range_m", "useful viewing distance, metres", 1.0, 2000.0),
        real("height_m", "mounting height, metres", 0.0, 100.0),
        integer("resolution_px", "horizontal resolution, pixels; the coverage analysis assumes one by "
                                 "purpose when it is missing (docs/coverage.md)",
                160.0, 20000.0),
        text("status", "operating state", Need::optional, {"online", "offline", "faulty"}),
        source_field(),
    };
    d.tiles = {13, 17, 15,
               {"camera_id", "purpose", "heading_deg", "fov_deg", "range_m", "status"}};
    d.style = {draw({220, 30, 30, 255}, {90, 0, 0, 255}, 1, 7)};
    d.draw_order = 110;
    return d;
}

}  // namespace lantern::layers::detail
