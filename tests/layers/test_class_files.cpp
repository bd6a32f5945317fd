// The class description files shipped in data/classes follow the agreed
// format, checked by hand here (nlohmann-json), independently of the parser
// that `lantern classes add` uses.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include <lantern/layers/catalogue.hpp>

using Json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path classes_dir = fs::path(LANTERN_SOURCE_DIR) / "data" / "classes";

bool is_colour(const Json& value)
{
    static const std::regex colour("#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?");
    return value.is_string() && std::regex_match(value.get<std::string>(), colour);
}

// The names of the fields of one type ("" for any).
std::set<std::string> field_names(const Json& schema, const std::string& type = "")
{
    std::set<std::string> out;
    for (const auto& field : schema["fields"])
        if (type.empty() || field["type"] == type)
            out.insert(field["name"].get<std::string>());
    return out;
}

void check_fields(const Json& schema)
{
    std::set<std::string> seen;
    for (const auto& field : schema["fields"]) {
        auto name = field["name"].get<std::string>();
        INFO("field " << name);
        CHECK(std::regex_match(name, std::regex("[a-z][a-z0-9_]*")));
        CHECK(seen.insert(name).second);
        auto type = field["type"].get<std::string>();
        CHECK(std::set<std::string>{"text", "integer", "real", "boolean"}.count(type) == 1);
        CHECK(field["description"].is_string());
        if (field.contains("min") || field.contains("max")) {
            CHECK((type == "integer" || type == "real"));
            CHECK(field["min"].get<double>() < field["max"].get<double>());
        }
        if (field.contains("allowed")) {
            CHECK(type == "text");
            CHECK(!field["allowed"].empty());
        }
    }
    auto id = schema["id_field"].get<std::string>();
    CHECK(seen.count(id) == 1);
    for (const auto& field : schema["fields"])
        if (field["name"] == id)
            CHECK(field.value("required", false));
}

void check_presentation(const Json& schema)
{
    const auto& tiles = schema["tiles"];
    int min_zoom = tiles["min_zoom"], max_zoom = tiles["max_zoom"], full_zoom = tiles["full_zoom"];
    CHECK(0 <= min_zoom);
    CHECK(min_zoom <= max_zoom);
    CHECK((full_zoom == 0 || (min_zoom <= full_zoom && full_zoom <= max_zoom)));
    auto fields = field_names(schema);
    for (const auto& f : tiles["fields"])
        CHECK(fields.count(f.get<std::string>()) == 1);

    REQUIRE(!schema["style"].empty());
    CHECK(!schema["style"][0].contains("where"));  // the first rule draws every feature
    bool line = schema["geometry"] == "line";
    auto text_fields = field_names(schema, "text");
    for (const auto& rule : schema["style"]) {
        INFO("style " << rule.dump());
        CHECK(is_colour(rule["stroke"]));
        CHECK((line || is_colour(rule["fill"])));
        CHECK((line || rule["dot_px"].get<int>() > 0));
        if (rule.contains("where"))
            for (const auto& [field, value] : rule["where"].items())
                CHECK(text_fields.count(field) == 1);
    }
    CHECK(schema["draw_order"].is_number_integer());
    if (schema.contains("lookup")) {
        CHECK(schema["geometry"] == "point");
        CHECK(schema["lookup"]["nearest_within_m"].get<double>() > 0);
    }
    if (schema.contains("search"))
        for (const auto& f : schema["search"]["fields"])
            CHECK(text_fields.count(f.get<std::string>()) == 1);
}

}  // namespace

TEST_CASE("the shipped class description files follow the format and name no built-in class")
{
    std::set<std::string> built_in;
    for (const auto& schema : lantern::layers::feature_classes())
        built_in.insert(schema.name);
    std::set<std::string> names;
    for (const auto* file :
         {"hydrants", "fire_stations", "trees", "power_lines", "telecom_cabinets", "water_pipes"}) {
        INFO(file);
        std::ifstream in(classes_dir / (std::string(file) + ".json"));
        REQUIRE(in);
        auto schema = Json::parse(in);
        CHECK(schema["name"] == file);
        CHECK(built_in.count(file) == 0);
        CHECK(names.insert(schema["name"].get<std::string>()).second);
        CHECK(schema["layer"].is_string());
        CHECK(schema["description"].get<std::string>().size() > 20);
        const std::set<std::string> geometries = {"point", "line", "polygon", "point_or_polygon"};
        CHECK(geometries.count(schema["geometry"].get<std::string>()) == 1);
        check_fields(schema);
        check_presentation(schema);
    }
    // The README names every file.
    std::ifstream readme(classes_dir / "README.md");
    std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
    for (const auto& name : names)
        CHECK(text.find(name + ".json") != std::string::npos);
}
