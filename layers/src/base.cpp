#include "layers.hpp"

namespace lantern::layers::detail {

ClassDescription buildings()
{
    ClassDescription d;
    auto& s = d.schema;
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
    d.tiles = {13, 17, 15, {"building_id", "height_m", "levels", "use", "name"}};
    d.style = {draw({200, 186, 166, 255}, {150, 134, 112, 160}, 1, 6)};
    d.draw_order = 70;
    return d;
}

ClassDescription roads()
{
    ClassDescription d;
    auto& s = d.schema;
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
    d.tiles = {10, 17, 0, {"road_id", "name", "class", "width_m"}};
    // A casing under a lighter line, as wide as the street on the ground once
    // the map is close enough; main roads wider and tinted.
    d.style = {
        ground_width(draw({0, 0, 0, 0}, {184, 173, 152, 255}, 1.5, 6), 7),
        with_where(ground_width(draw({0, 0, 0, 0}, {184, 173, 152, 255}, 2.5, 6), 14), "class", "primary"),
        ground_width(draw({0, 0, 0, 0}, {255, 255, 255, 255}, 1, 6), 5),
        with_where(ground_width(draw({0, 0, 0, 0}, {255, 243, 196, 255}, 1.5, 6), 12), "class", "primary"),
    };
    d.draw_order = 60;
    // Main streets are named before the others, each name repeated along a long street.
    d.labels = {label("name", 4, 10.5, {70, 60, 50, 255})};
    d.labels.front().priority_field = "class";
    d.labels.front().priority_by_value = {{"primary", 2}, {"secondary", 2}, {"tertiary", 2}, {"trunk", 2}};
    d.labels.front().spacing_px = 400;
    d.search = {search_part({"name"}, "street", 2)};
    d.search.front().once_per_label = true;
    return d;
}

ClassDescription water()
{
    ClassDescription d;
    auto& s = d.schema;
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
    d.tiles = {8, 17, 0, {"name", "kind"}};
    d.style = {draw({166, 206, 227, 255}, {112, 160, 200, 255}, 1, 6)};
    d.draw_order = 10;
    d.labels = {label("name", 5, 11, {30, 80, 140, 255})};
    d.labels.front().italic = true;
    return d;
}

ClassDescription wards()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "wards";
    s.layer = "base";
    s.description = "Administrative wards and communes of the city.";
    s.geometry = core::GeometryKind::polygon;
    s.id_field = "ward_code";
    s.fields = {
        text("ward_code", "official statistical code of the ward or commune", Need::required),
        text("name", "official name", Need::required),
        text("kind", "ward (urban) or commune (rural)", Need::optional, {"ward", "commune"}),
        // After a reorganisation (Hội An's 13 wards and communes became 4
        // units on 1 July 2025) land records still name the former wards:
        // each keeps its polygon and says which unit it is part of now.
        text("unit_code", "code of the administrative unit the ward is part of now, after a reorganisation; "
                          "empty where the ward itself is current"),
        text("unit_name", "name of that unit; empty where the ward itself is current"),
        text("unit_kind", "that unit: ward (urban) or commune (rural)", Need::optional, {"ward", "commune"}),
        source_field(),
    };
    d.tiles = {8, 17, 0, {"ward_code", "name", "kind", "unit_code", "unit_name"}};
    d.style = {draw({0, 0, 0, 0}, {90, 90, 90, 255}, 2, 6)};
    d.draw_order = 20;
    d.labels = {label("name", 3, 13, {90, 90, 90, 255})};
    d.labels.front().bold = true;
    d.search = {search_part({"name"}, "ward", 0)};
    return d;
}

}  // namespace lantern::layers::detail
