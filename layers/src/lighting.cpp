#include "layers.hpp"

namespace lantern::layers::detail {

core::ClassSchema lamps()
{
    core::ClassSchema s;
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
    return s;
}

}  // namespace lantern::layers::detail
