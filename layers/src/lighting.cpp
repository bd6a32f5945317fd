#include "layers.hpp"

namespace lantern::layers::detail {

ClassDescription lamps()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "lamps";
    s.layer = "lighting";
    s.description = "Street lamps with their type, output and state.";
    s.geometry = core::GeometryKind::point;
    s.id_field = "lamp_id";
    s.fields = {
        text("lamp_id", "lamp identifier", Need::required),
        text("lamp_type", "light source", Need::optional,
             {"LED", "sodium", "solar-LED", "metal-halide", "fluorescent"}),
        real("power_w", "electrical power, watts", 0.0, 2000.0),
        real("height_m", "mounting height, metres", 0.0, 50.0),
        real("lumens", "luminous flux, lumens", 0.0, 300000.0),
        text("status", "operating state", Need::optional, {"on", "off", "faulty", "maintenance"}),
        source_field(),
    };
    d.tiles = {14, 17, 16, {"lamp_id", "lamp_type", "power_w", "height_m", "status"}};
    d.style = {draw({255, 210, 0, 255}, {110, 90, 0, 255}, 1, 7)};
    d.draw_order = 100;
    return d;
}

}  // namespace lantern::layers::detail
