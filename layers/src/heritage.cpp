#include "layers.hpp"

namespace lantern::layers::detail {

ClassDescription heritage_sites()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "heritage_sites";
    s.layer = "heritage";
    s.description = "Ranked relics and heritage places, as points or outlines.";
    s.geometry = core::GeometryKind::point_or_polygon;
    s.id_field = "site_id";
    s.fields = {
        text("site_id", "relic identifier", Need::required),
        text("name", "name in Vietnamese", Need::required),
        text("name_en", "name in English"),
        text("rank", "protection rank", Need::required,
             {"world", "special-national", "national", "provincial", "listed"}),
        text("kind", "kind of place (old-house, assembly-hall, temple, bridge-temple, ...)"),
        source_field(),
    };
    d.tiles = {10, 17, 0, {"site_id", "name", "name_en", "rank", "kind"}};
    d.style = {draw({200, 20, 20, 200}, {120, 0, 0, 255}, 2, 11)};
    d.draw_order = 120;
    // The heritage sites are named first: they are what the map is read for.
    d.labels = {label("name", 1, 11, {120, 0, 0, 255})};
    d.labels.front().bold = true;
    d.lookup = LookupPart{LookupPart::Answer::all_within, 100};
    d.search = {search_part({"name", "name_en"}, "heritage_site", 1)};
    return d;
}

ClassDescription heritage_zones()
{
    ClassDescription d;
    auto& s = d.schema;
    s.name = "heritage_zones";
    s.layer = "heritage";
    s.description = "Heritage protection zones: I (absolute protection) and II (buffer).";
    s.geometry = core::GeometryKind::polygon;
    s.id_field = "zone_id";
    s.fields = {
        text("zone_id", "zone identifier", Need::required),
        text("protection", "protection zone under the heritage law", Need::required, {"I", "II"}),
        text("name", "name of the protected area"),
        text("rules", "what the zone's rules allow and forbid"),
        real("max_height_m", "highest new building or repair allowed, metres", 0.0, 300.0),
        integer("max_floors", "most floors allowed", 0.0, 100.0),
        real("min_site_distance_m", "how far new buildings keep from a heritage site, metres", 0.0, 1000.0),
        source_field(),
    };
    d.tiles = {10, 17, 0, {"zone_id", "protection", "name"}};
    d.style = {with_where(draw({192, 57, 43, 30}, {192, 57, 43, 255}, 2.5, 6), "protection", "I"),
               with_where(draw({230, 126, 34, 30}, {230, 126, 34, 255}, 2, 6), "protection", "II")};
    d.draw_order = 40;
    return d;
}

}  // namespace lantern::layers::detail
