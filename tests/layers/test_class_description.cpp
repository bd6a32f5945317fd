// Class descriptions: the built-in classes keep the map styles and tile
// settings they had before they were described in one place; a description
// file reads back to what it says and to what to_json writes; every fault
// in a file names the file and the field's path.

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/layers/map_styles.hpp>

#include "support/support.hpp"

using namespace lantern;
using nlohmann::json;

namespace {

// The tile settings as tiles/tile_layers.cpp held them before.
const std::map<std::string, layers::TileSpec>& former_tile_specs()
{
    static const std::map<std::string, layers::TileSpec> specs = {
        {"wards", {8, 17, 0, {"ward_code", "name", "kind", "unit_code", "unit_name"}}},
        {"water", {8, 17, 0, {"name", "kind"}}},
        {"zones",
         {11, 17, 0,
          {"zone_id", "zone_type", "max_height_m", "max_floors", "max_coverage_pct", "max_far",
           "plan_ref"}}},
        {"heritage_zones", {10, 17, 0, {"zone_id", "protection", "name"}}},
        {"heritage_sites", {10, 17, 0, {"site_id", "name", "name_en", "rank", "kind"}}},
        {"roads", {10, 17, 0, {"road_id", "name", "class", "width_m"}}},
        {"parcels", {14, 17, 15, {"parcel_id", "land_use", "area_m2", "ward", "address"}}},
        {"buildings", {13, 17, 15, {"building_id", "height_m", "levels", "use", "name"}}},
        {"lamps", {14, 17, 16, {"lamp_id", "lamp_type", "power_w", "height_m", "status"}}},
        {"cameras",
         {13, 17, 15, {"camera_id", "purpose", "heading_deg", "fov_deg", "range_m", "status"}}},
        {"drainage_pipes", {13, 17, 15, {"pipe_id", "diameter_mm", "material"}}},
        {"drainage_nodes", {14, 17, 16, {"node_id", "kind", "ground_m", "invert_m"}}},
    };
    return specs;
}

// A description file in the team's format, for a class no one ships.
json benches()
{
    return json::parse(R"({
      "name": "benches",
      "layer": "street_furniture",
      "description": "Public benches along streets and in parks.",
      "geometry": "point",
      "id_field": "bench_id",
      "fields": [
        {"name": "bench_id", "type": "text", "required": true, "description": "bench identifier"},
        {"name": "material", "type": "text", "allowed": ["wood", "stone", "metal"], "description": "what it is made of"},
        {"name": "seats", "type": "integer", "min": 1, "max": 20, "description": "places to sit"},
        {"name": "length_m", "type": "real", "min": 0.5, "max": 30, "description": "length, metres"},
        {"name": "shaded", "type": "boolean", "description": "under a tree or a roof"},
        {"name": "status", "type": "text", "required": true, "allowed": ["good", "broken"], "description": "state"}
      ],
      "tiles": {"min_zoom": 15, "max_zoom": 17, "full_zoom": 16, "fields": ["bench_id", "material", "shaded", "status"]},
      "style": [
        {"fill": "#8c6d31", "stroke": "#3b2c10", "stroke_px": 1, "dot_px": 6},
        {"where": {"status": "broken"}, "fill": "#e31a1c80", "stroke": "#67000d", "dot_px": 8}
      ],
      "draw_order": 95,
      "labels": [{"field": "bench_id", "priority": 7, "priority_by": {"status": {"broken": 6}},
                  "size_px": 9, "colour": "#3b2c10", "italic": true, "where": {"material": "stone"}}],
      "lookup": {"nearest_within_m": 150},
      "search": {"fields": ["bench_id", "material"]}
    })");
}

std::string parse_error(const json& j, const std::string& file = "benches.json")
{
    try {
        layers::parse_class_description(j, file);
    } catch (const core::UsageError& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("every built-in style rule draws something, and its condition names a value its field allows")
{
    auto styles = layers::map_styles();
    REQUIRE(styles.size() >= layers::builtin_classes().size());
    for (const auto& c : layers::builtin_classes()) {
        INFO(c.name());
        CHECK_FALSE(c.style.empty());
        for (const auto& rule : c.style) {
            CHECK((rule.fill[3] > 0 || rule.stroke[3] > 0));
            if (rule.where_field.empty())
                continue;
            const auto* field = c.schema.field(rule.where_field);
            REQUIRE(field);
            INFO(rule.where_field << " = " << rule.where_value);
            CHECK(std::find(field->allowed.begin(), field->allowed.end(), rule.where_value) != field->allowed.end());
        }
    }
}

TEST_CASE("the built-in classes' tile settings are the ones they replaced")
{
    REQUIRE(layers::builtin_classes().size() == former_tile_specs().size());
    for (const auto& c : layers::builtin_classes()) {
        INFO(c.name());
        CHECK(c.built_in);
        const auto& before = former_tile_specs().at(c.name());
        CHECK(c.tiles.min_zoom == before.min_zoom);
        CHECK(c.tiles.max_zoom == before.max_zoom);
        CHECK(c.tiles.full_zoom == before.full_zoom);
        CHECK(c.tiles.fields == before.fields);
    }
}

TEST_CASE("every built-in description reads back from its JSON form unchanged")
{
    for (const auto& c : layers::builtin_classes()) {
        INFO(c.name());
        auto j = layers::to_json(c);
        auto back = layers::parse_class_description(j, c.name() + ".json");
        CHECK(layers::to_json(back) == j);
        CHECK(back.schema.fields.size() == c.schema.fields.size());
        CHECK(back.layer_styles().size() == c.layer_styles().size());
    }
}

TEST_CASE("a description file gives the class it describes")
{
    auto d = layers::parse_class_description(benches(), "benches.json");
    CHECK_FALSE(d.built_in);
    CHECK(d.name() == "benches");
    CHECK(d.schema.layer == "street_furniture");
    CHECK(d.schema.geometry == core::GeometryKind::point);
    CHECK(d.schema.id_field == "bench_id");
    // The six fields and the source field every class has.
    REQUIRE(d.schema.fields.size() == 7);
    CHECK(d.schema.fields.back().name == "source");
    const auto* seats = d.schema.field("seats");
    REQUIRE(seats);
    CHECK(seats->type == core::FieldType::integer);
    CHECK(*seats->min == 1);
    CHECK(*seats->max == 20);
    const auto* shaded = d.schema.field("shaded");
    REQUIRE(shaded);
    CHECK(shaded->type == core::FieldType::boolean);
    CHECK(core::check_value(*shaded, std::int64_t{1}) == std::nullopt);
    CHECK(core::check_value(*shaded, std::int64_t{2}).value() == "expected a boolean (0 or 1)");
    CHECK(d.schema.field("material")->allowed == std::vector<std::string>{"wood", "stone", "metal"});
    CHECK(d.tiles.min_zoom == 15);
    CHECK(d.tiles.full_zoom == 16);
    CHECK(d.tiles.fields.size() == 4);
    CHECK(d.draw_order == 95);
    REQUIRE(d.lookup);
    CHECK(d.lookup->answer == layers::LookupPart::Answer::nearest);
    CHECK(d.lookup->within_m == 150);
    REQUIRE(d.search.size() == 1);
    CHECK(d.search[0].fields == std::vector<std::string>{"bench_id", "material"});
    CHECK(d.search[0].kind.empty());  // found as "benches"
    CHECK_FALSE(d.search[0].once_per_label);

    auto styles = d.layer_styles();
    REQUIRE(styles.size() == 2);
    CHECK(styles[0].fill == core::Rgba{0x8c, 0x6d, 0x31, 255});
    CHECK(styles[0].point_px == 6);
    CHECK(styles[1].fill == core::Rgba{0xe3, 0x1a, 0x1c, 0x80});
    CHECK(styles[1].only_field == "status");
    CHECK(styles[1].only_value == "broken");
    CHECK(layers::colour_text(styles[1].fill) == "#e31a1c80");

    // to_json and back: the same description.
    auto j = layers::to_json(d);
    CHECK(j["fields"][4]["type"] == "boolean");
    CHECK(layers::to_json(layers::parse_class_description(j, "again.json")) == j);
}

TEST_CASE("a description without tiles, draw order, lookup or search gets the defaults")
{
    auto j = benches();
    for (const char* key : {"tiles", "draw_order", "lookup", "search", "id_field"})
        j.erase(key);
    auto d = layers::parse_class_description(j, "benches.json");
    CHECK(d.tiles.min_zoom == 12);
    CHECK(d.tiles.max_zoom == 17);
    CHECK(d.tiles.full_zoom == 0);
    CHECK(d.tiles.fields.empty());
    CHECK(d.draw_order > 120);  // over every built-in class
    CHECK_FALSE(d.lookup);
    CHECK(d.search.empty());
    CHECK(d.schema.id_field.empty());
}

TEST_CASE("a description lists every feature within a distance, is searched as several kinds and draws lines "
          "as wide as on the ground")
{
    auto j = benches();
    j["lookup"] = {{"all_within_m", 50}};
    j["search"] = json::array({{{"fields", {"bench_id"}}, {"kind", "bench"}},
                               {{"fields", {"material"}}, {"kind", "material"}, {"once_per_label", true}}});
    j["style"][0]["stroke_m"] = 2.5;
    auto d = layers::parse_class_description(j, "benches.json");
    REQUIRE(d.lookup);
    CHECK(d.lookup->answer == layers::LookupPart::Answer::all_within);
    CHECK(d.lookup->within_m == 50);
    REQUIRE(d.search.size() == 2);
    CHECK(d.search[1].kind == "material");
    CHECK(d.search[1].once_per_label);
    CHECK(d.style[0].stroke_m == 2.5);
    CHECK(d.layer_styles()[0].stroke_m == 2.5);
    auto again = layers::to_json(d);
    CHECK(again["lookup"] == j["lookup"]);
    CHECK(again["search"] == j["search"]);
    CHECK(layers::to_json(layers::parse_class_description(again, "again.json")) == again);
}

TEST_CASE("a description's label rules reach the renderer as written")
{
    auto d = layers::parse_class_description(benches(), "benches.json");
    auto labels = d.label_styles();
    REQUIRE(labels.size() == 1);
    CHECK(labels[0].class_name == "benches");
    CHECK(labels[0].field == "bench_id");
    CHECK(labels[0].priority == 7);
    CHECK(labels[0].priority_field == "status");
    CHECK(labels[0].priority_by_value == std::map<std::string, int>{{"broken", 6}});
    CHECK(labels[0].size_px == 9);
    CHECK(labels[0].colour == core::Rgba{0x3b, 0x2c, 0x10, 255});
    CHECK(labels[0].italic);
    CHECK_FALSE(labels[0].bold);
    CHECK(labels[0].only_field == "material");
    CHECK(labels[0].only_value == "stone");
    CHECK(layers::to_json(layers::parse_class_description(layers::to_json(d), "benches.json")) == layers::to_json(d));
}

TEST_CASE("the built-in maps name heritage sites first, then main streets, wards, other streets and water")
{
    std::map<std::string, core::LabelStyle> by_class;
    for (const auto& style : layers::map_labels())
        by_class[style.class_name] = style;
    REQUIRE(by_class.count("heritage_sites"));
    REQUIRE(by_class.count("roads"));
    REQUIRE(by_class.count("wards"));
    REQUIRE(by_class.count("water"));
    const auto& roads = by_class["roads"];
    int main_street = roads.priority_by_value.at("primary");
    CHECK(by_class["heritage_sites"].priority < main_street);
    CHECK(main_street < by_class["wards"].priority);
    CHECK(by_class["wards"].priority < roads.priority);
    CHECK(roads.priority < by_class["water"].priority);
    CHECK(roads.spacing_px > 0);
}

TEST_CASE("the built-in classes give their parts in the lookup and the search")
{
    std::map<std::string, const layers::ClassDescription*> by_name;
    for (const auto& c : layers::builtin_classes())
        by_name[c.name()] = &c;
    REQUIRE(by_name.at("heritage_sites")->lookup);
    CHECK(by_name.at("heritage_sites")->lookup->answer == layers::LookupPart::Answer::all_within);
    REQUIRE(by_name.at("drainage_nodes")->lookup);
    CHECK(by_name.at("drainage_nodes")->lookup->answer == layers::LookupPart::Answer::nearest);
    std::set<std::string> kinds;
    for (const auto& c : layers::builtin_classes())
        for (const auto& part : c.search)
            kinds.insert(part.kind);
    CHECK(kinds == std::set<std::string>{"ward", "heritage_site", "street", "address", "parcel"});
}

TEST_CASE("every fault in a description file names the file and the field")
{
    struct Case {
        std::string what;
        std::function<void(json&)> spoil;
        std::string message;
    };
    const std::vector<Case> cases = {
        {"a float type", [](json& j) { j["fields"][2]["type"] = "float"; },
         "benches.json: fields[2].type: 'float' is not one of text, integer, real, boolean"},
        {"no name", [](json& j) { j.erase("name"); }, "benches.json: name: missing"},
        {"a name with capitals", [](json& j) { j["name"] = "Benches"; },
         "benches.json: name: 'Benches' is not a class name"},
        {"a name the database keeps", [](json& j) { j["name"] = "lantern_city"; },
         "benches.json: name: 'lantern_city' is not a class name"},
        {"an unknown geometry", [](json& j) { j["geometry"] = "multipoint"; },
         "benches.json: geometry: 'multipoint' is not one of point, line, polygon, point_or_polygon"},
        {"a misspelt key", [](json& j) { j["fields"][1]["alowed"] = json::array(); },
         "benches.json: fields[1].alowed: unknown field"},
        {"a field twice", [](json& j) { j["fields"][3]["name"] = "seats"; },
         "benches.json: fields[3].name: 'seats' is declared twice"},
        {"bounds on text", [](json& j) { j["fields"][1]["min"] = 0; },
         "benches.json: fields[1].min: only integer and real fields have bounds"},
        {"min above max", [](json& j) { j["fields"][2]["min"] = 50; },
         "benches.json: fields[2].max: 20 is below min 50"},
        {"allowed on a number", [](json& j) { j["fields"][2]["allowed"] = {"1"}; },
         "benches.json: fields[2].allowed: only text fields have allowed values"},
        {"required as text", [](json& j) { j["fields"][0]["required"] = "yes"; },
         "benches.json: fields[0].required: expected true or false"},
        {"an id that is no field", [](json& j) { j["id_field"] = "id"; },
         "benches.json: id_field: 'id' is not one of the fields"},
        {"no fields", [](json& j) { j["fields"] = json::array(); },
         "benches.json: fields: expected a list of at least one field"},
        {"a tile field that is no field", [](json& j) { j["tiles"]["fields"][1] = "colour"; },
         "benches.json: tiles.fields[1]: 'colour' is not one of the fields"},
        {"max zoom below min zoom", [](json& j) { j["tiles"]["max_zoom"] = 14; },
         "benches.json: tiles.max_zoom: 14 is outside 15 to 22"},
        {"a bad colour", [](json& j) { j["style"][0]["fill"] = "red"; },
         "benches.json: style[0].fill: 'red' is not a colour #rrggbb or #rrggbbaa"},
        {"a condition on a number", [](json& j) { j["style"][1]["where"] = {{"seats", "2"}}; },
         "benches.json: style[1].where.seats: 'seats' is not a text field"},
        {"no style", [](json& j) { j.erase("style"); }, "benches.json: style: missing"},
        {"a lookup radius of 0", [](json& j) { j["lookup"]["nearest_within_m"] = 0; },
         "benches.json: lookup.nearest_within_m: 0 is outside 0.001 to 100000"},
        {"a lookup on lines", [](json& j) { j["geometry"] = "line"; },
         "benches.json: lookup: only point classes have a part in the lookup"},
        {"a lookup both nearest and all", [](json& j) { j["lookup"]["all_within_m"] = 50; },
         "benches.json: lookup: expected one of nearest_within_m and all_within_m"},
        {"a search kind with spaces", [](json& j) { j["search"]["kind"] = "a bench"; },
         "benches.json: search.kind: 'a bench' is not a name"},
        {"a search list with a bad part", [](json& j) { j["search"] = json::array({{{"fields", {"seats"}}}}); },
         "benches.json: search[0].fields[0]: 'seats' is not a text field"},
        {"a negative ground width", [](json& j) { j["style"][0]["stroke_m"] = -1; },
         "benches.json: style[0].stroke_m: -1 is outside 0 to 1000"},
        {"a search on a number", [](json& j) { j["search"]["fields"] = {"seats"}; },
         "benches.json: search.fields[0]: 'seats' is not a text field"},
        {"a label of a number", [](json& j) { j["labels"][0]["field"] = "seats"; },
         "benches.json: labels[0].field: 'seats' is not a text field"},
        {"a label without a field", [](json& j) { j["labels"][0].erase("field"); },
         "benches.json: labels[0].field: missing"},
        {"a label too small to read", [](json& j) { j["labels"][0]["size_px"] = 2; },
         "benches.json: labels[0].size_px: 2 is outside 4 to 72"},
        {"a label priority that is no number", [](json& j) { j["labels"][0]["priority_by"]["status"]["broken"] = "high"; },
         "benches.json: labels[0].priority_by.status.broken:"},
        {"labels not a list", [](json& j) { j["labels"] = {{"field", "bench_id"}}; },
         "benches.json: labels: expected a list of label rules"},
        {"not an object", [](json& j) { j = json::array(); },
         "benches.json: expected a JSON object describing one class"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto j = benches();
        c.spoil(j);
        CHECK_THAT(parse_error(j), Catch::StartsWith(c.message));
    }
}

TEST_CASE("a description file that is not JSON or cannot be read names the file")
{
    test::TempDir dir;
    test::write_file(dir.file("broken.json"), "{\"name\": \"benches\",");
    CHECK_THROWS_WITH(layers::read_class_description_file(dir.file("broken.json")),
                      Catch::StartsWith(dir.file("broken.json") + ": not JSON"));
    CHECK_THROWS_WITH(layers::read_class_description_file(dir.file("missing.json")),
                      Catch::StartsWith(dir.file("missing.json") + ": cannot read"));
}

TEST_CASE("a city's classes are the built-in ones and those it added, and an add is all or nothing")
{
    test::TempDir dir;
    auto storage = test::new_city(dir);
    CHECK(layers::city_classes(*storage).all().size() == layers::builtin_classes().size());

    auto benches_class = layers::parse_class_description(benches(), "benches.json");
    layers::add_city_class(*storage, benches_class);
    auto classes = layers::city_classes(*storage);
    REQUIRE(classes.all().size() == layers::builtin_classes().size() + 1);
    const auto& added = classes.get("benches");
    CHECK_FALSE(added.built_in);
    CHECK(layers::to_json(added) == layers::to_json(benches_class));
    CHECK(storage->has_class("benches"));
    CHECK(storage->count("benches") == 0);
    // Drawn by its draw order: after the drainage nodes (90), before the lamps (100).
    auto styles = classes.map_styles();
    auto at = [&](const std::string& name) {
        for (std::size_t i = 0; i < styles.size(); ++i)
            if (styles[i].class_name == name)
                return i;
        return styles.size();
    };
    CHECK(at("drainage_nodes") < at("benches"));
    CHECK(at("benches") < at("lamps"));

    CHECK_THROWS_WITH(layers::add_city_class(*storage, benches_class),
                      Catch::Contains("cannot add class 'benches'") &&
                          Catch::Contains("the city has that class already"));
    auto lamps = benches();
    lamps["name"] = "lamps";
    CHECK_THROWS_WITH(layers::add_city_class(*storage, layers::parse_class_description(lamps, "l.json")),
                      Catch::Contains("it is a built-in class"));
    CHECK_THROWS_WITH(classes.get("kiosks"), Catch::Contains("unknown feature class 'kiosks'") &&
                                                 Catch::Contains("benches"));
}
