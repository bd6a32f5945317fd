#pragma once
// One description per feature class: its schema, how it goes into tiles, how
// maps draw it, and its part in the lookup and the search. Built-in classes
// are described in their domain files; a city adds its own from a JSON file
// of the same form (docs/classes.md), kept in the city database. The
// catalogue, tiles, maps, the portal, the OGC API and the lookup read these.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/render/render.hpp>
#include <lantern/core/schema/schema.hpp>

namespace lantern::layers {

// How the class goes into vector tiles (docs/tiles.md).
struct TileSpec {
    int min_zoom = 12;
    int max_zoom = 17;
    // Below this zoom the layer is thinned evenly: one feature in 2 kept per
    // zoom level below it, in Hilbert-curve order. 0: never thinned.
    int full_zoom = 0;
    // Fields that go into tiles; empty means every field but "source".
    std::vector<std::string> fields;
};

// One rule of a class's map style; rules are drawn in order.
struct StyleRule {
    core::Rgba fill{};    // polygon and dot fill; opacity 0: none
    core::Rgba stroke{};  // lines, outlines; opacity 0: none
    double stroke_px = 1;
    // A line's width on the ground, metres (a road's carriageway): drawn at
    // whichever is wider at the map's scale, this or stroke_px. 0: none.
    double stroke_m = 0;
    double dot_px = 6;
    // Only the features whose text field where_field holds where_value;
    // empty: every feature.
    std::string where_field;
    std::string where_value;
};

// How maps name the class's features (docs/classes.md): the renderer's label
// style; a description leaves class_name empty (label_styles() fills it in).
using LabelRule = core::LabelStyle;

// A point class's part in the lookup at a place (docs/api.md): its nearest
// feature within `within_m`, under "nearest" in the answer; or every feature
// within `within_m`, nearest first, as a list named after the class (and, in
// a parcel's report, every feature within that distance of the parcel).
struct LookupPart {
    enum class Answer { nearest, all_within };
    Answer answer = Answer::nearest;
    double within_m = 0;
};

// How /api/search finds a class's features: by the words of a label made of
// the first of `fields` that is not empty and the others in parentheses
// ("Chùa Cầu (Japanese Bridge)"), and of the feature's id.
struct SearchPart {
    std::vector<std::string> fields;
    std::string kind;  // what the hits are called; empty: the class's name
    // Among hits that match alike, kinds of lower rank come first.
    int rank = 5;
    // One hit per label, with no id: a street once, however many segments
    // it has.
    bool once_per_label = false;
};

struct ClassDescription {
    core::ClassSchema schema;
    TileSpec tiles;
    std::vector<StyleRule> style;
    int draw_order = 0;  // maps draw classes by ascending draw_order
    std::vector<LabelRule> labels;
    std::optional<LookupPart> lookup;
    std::vector<SearchPart> search;  // a class may be found as several kinds
    bool built_in = false;  // described in the code rather than by the city

    const std::string& name() const { return schema.name; }
    // The style rules as the renderer takes them, in rule order.
    std::vector<core::LayerStyle> layer_styles() const;
    // The label rules as the renderer takes them.
    std::vector<core::LabelStyle> label_styles() const;
};

// Reads a description from its JSON form. Every error is a UsageError that
// names `file` and the path of the field, e.g. "hydrants.json: fields[2].type:
// 'float' is not one of text, integer, real, boolean". A "source" text field
// is added when the fields have none. Does not check the name against the
// built-in classes (the registry does).
ClassDescription parse_class_description(const nlohmann::json& json, const std::string& file);
// The same from a file: unreadable files and bad JSON name the file too.
ClassDescription read_class_description_file(const std::string& path);
// The JSON form, which parse_class_description reads back to an equal description.
nlohmann::json to_json(const ClassDescription& description);

// Style rules in their JSON form (the description's "style").
nlohmann::json style_json(const std::vector<StyleRule>& rules);
// Label rules in their JSON form (the description's "labels").
nlohmann::json labels_json(const std::vector<LabelRule>& rules);

// "#rrggbb" or "#rrggbbaa".
std::string colour_text(const core::Rgba& colour);

}  // namespace lantern::layers
