#include "layers.hpp"

namespace lantern::layers::detail {

// The lookup gives the nearest drainage node within this distance: beyond it,
// a node is no help to whoever asks where the water goes.
constexpr double drainage_node_reach_m = 1000;

ClassDescription drainage_pipes()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "drainage_pipes";
    s.layer = "drainage";
    s.description = "Storm-water pipes and culverts, drawn from upstream to downstream.";
    s.geometry = core::GeometryKind::line;
    s.id_field = "pipe_id";
    s.fields = {
        text("pipe_id", "pipe identifier", Need::required),
        real("diameter_mm", "internal diameter or height, millimetres", 50.0, 5000.0,
             Need::required),
        text("material", "pipe material", Need::optional,
             {"concrete", "PVC", "HDPE", "brick", "steel", "cast-iron", "stone"}),
        real("up_invert_m", "invert level at the upstream end, metres above datum", -30.0, 100.0),
        real("down_invert_m", "invert level at the downstream end, metres above datum", -30.0,
             100.0),
        real("manning_n", "Manning roughness coefficient", 0.005, 0.1),
        source_field(),
    };
    d.tiles = {13, 17, 15, {"pipe_id", "diameter_mm", "material"}};
    d.style = {draw({0, 0, 0, 0}, {40, 110, 200, 255}, 1, 6)};
    d.draw_order = 80;
    return d;
}

ClassDescription drainage_nodes()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "drainage_nodes";
    s.layer = "drainage";
    s.description = "Manholes, street inlets and outlets of the drainage network.";
    s.geometry = core::GeometryKind::point;
    s.id_field = "node_id";
    s.fields = {
        text("node_id", "node identifier", Need::required),
        text("kind", "what the node is", Need::required, {"manhole", "inlet", "outlet", "junction"}),
        real("ground_m", "ground level, metres above datum", -30.0, 100.0),
        real("invert_m", "invert level, metres above datum", -30.0, 100.0),
        source_field(),
    };
    d.tiles = {14, 17, 16, {"node_id", "kind", "ground_m", "invert_m"}};
    d.style = {draw({40, 110, 200, 255}, {0, 0, 0, 0}, 1, 4)};
    d.draw_order = 90;
    d.lookup = LookupPart{LookupPart::Answer::nearest, drainage_node_reach_m};
    return d;
}

}  // namespace lantern::layers::detail
