#include "layers.hpp"

namespace lantern::layers::detail {

core::ClassSchema buildings()
{
    core::ClassSchema s;
    s.name = "buildings";
    s.layer = "base";
    s.description = "Building footprints with their height or number of floors.";
    s.geometry = core::GeometryKind::polygon;
    s.id_field = "building_id";
    s.fields = {
        text("building_id", "building identifier", Need::required),
        real("height_m", "height above ground, metres", 0.0, 500.0),
        integer("levels", "floors above ground", 0.0, 150.0),
        text("use", "main use (shop-house, house, hotel, temple, school, ...)"),
        text("name", "name, where it has one"),
        text("permit", "building permit: permitted, or unpermitted where it breaks the zone's rules",
             Need::optional, {"permitted", "unpermitted"}),
        source_field(),
    };
    return s;
}

core::ClassSchema roads()
{
    core::ClassSchema s;
    s.name = "roads";
    s.layer = "base";
    s.description = "Street and road centre lines with their class and name.";
    s.geometry = core::GeometryKind::line;
    s.id_field = "road_id";
    s.fields = {
        text("road_id", "road segment identifier", Need::required),
        text("name", "street name"),
        text("class", "road class", Need::optional,
             {"motorway", "trunk", "primary", "secondary", "tertiary", "unclassified",
              "residential", "living_street", "service", "pedestrian", "alley", "track", "path",
              "footway", "cycleway", "bridge"}),
        real("width_m", "carriageway width, metres", 0.0, 100.0),
        source_field(),
    };
    return s;
}

core::ClassSchema water()
{
    core::ClassSchema s;
    s.name = "water";
    s.layer = "base";
    s.description = "Rivers, sea, ponds and wetlands as areas.";
    s.geometry = core::GeometryKind::polygon;
    s.fields = {
        text("name", "name of the water body"),
        text("kind", "kind of water body", Need::required,
             {"river", "sea", "pond", "lake", "canal", "wetland", "lagoon"}),
        source_field(),
    };
    return s;
}

core::ClassSchema wards()
{
    core::ClassSchema s;
    s.name = "wards";
    s.layer = "base";
    s.description = "Administrative wards and communes of the city.";
    s.geometry = core::GeometryKind::polygon;
    s.id_field = "ward_code";
    s.fields = {
        text("ward_code", "official statistical code of the ward or commune", Need::required),
        text("name", "official name", Need::required),
        text("kind", "ward (urban) or commune (rural)", Need::optional, {"ward", "commune"}),
        source_field(),
    };
    return s;
}

}  // namespace lantern::layers::detail
