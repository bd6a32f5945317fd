// Each class's schema accepts good features and names what is wrong with bad
// ones; docs/layers.md is the schema, word for word.

#include <catch2/catch.hpp>

#include <lantern/core/storage/feature_check.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/support.hpp"

using namespace lantern;
using core::Value;

namespace {

// A value every rule of the field accepts.
Value good_value(const core::FieldDef& f)
{
    if (!f.allowed.empty())
        return f.allowed.front();
    switch (f.type) {
    case core::FieldType::text: return std::string("Phố Trần Phú");
    case core::FieldType::integer: return std::int64_t(f.min ? *f.min : 1);
    case core::FieldType::real: return f.min ? *f.min : 1.5;
    case core::FieldType::boolean: return std::int64_t{1};
    }
    return std::monostate{};
}

std::vector<Value> good_values(const core::ClassSchema& s)
{
    std::vector<Value> values;
    for (const auto& f : s.fields)
        values.push_back(good_value(f));
    return values;
}

std::vector<core::Problem> check(const std::string& cls, const std::string& field, Value value)
{
    const auto& schema = layers::feature_class(cls);
    core::FeatureRules rules(schema, std::nullopt);
    auto values = good_values(schema);
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        if (schema.fields[i].name == field)
            values[i] = std::move(value);
    return rules.check_values(values);
}

}  // namespace

TEST_CASE("every class accepts a feature with good values and refuses missing required ones")
{
    REQUIRE(layers::feature_classes().size() == 12);
    for (const auto& schema : layers::feature_classes()) {
        INFO(schema.name);
        core::FeatureRules rules(schema, std::nullopt);
        CHECK(rules.check_values(good_values(schema)).empty());
        CHECK(schema.field("source") != nullptr);
        if (!schema.id_field.empty()) {
            REQUIRE(schema.field(schema.id_field) != nullptr);
            CHECK(schema.field(schema.id_field)->required);
        }
        for (const auto& f : schema.fields) {
            if (!f.required)
                continue;
            auto problems = check(schema.name, f.name, std::monostate{});
            REQUIRE(problems.size() == 1);
            CHECK(problems[0].field == f.name);
            CHECK(problems[0].reason == "required value is missing");
        }
    }
}

TEST_CASE("bad values are named with the field and the value and the reason")
{
    struct Row {
        std::string cls, field;
        Value value;
        std::string reason;
    };
    const std::vector<Row> rows = {
        {"cameras", "heading_deg", 400.0, "above the maximum 360"},
        {"cameras", "heading_deg", -1.0, "below the minimum 0"},
        {"cameras", "purpose", std::string("spying"), "not one of the allowed values"},
        {"lamps", "power_w", -5.0, "below the minimum 0"},
        {"lamps", "status", std::string("broken"), "not one of the allowed values"},
        {"parcels", "land_use", std::string("XYZ"), "not one of the allowed values"},
        {"parcels", "area_m2", std::string("big"), "expected a number"},
        {"zones", "max_coverage_pct", 120.0, "above the maximum 100"},
        {"zones", "max_floors", 2.5, "expected an integer"},
        {"drainage_pipes", "diameter_mm", 10.0, "below the minimum 50"},
        {"drainage_nodes", "kind", std::string("hole"), "not one of the allowed values"},
        {"heritage_sites", "rank", std::string("local"), "not one of the allowed values"},
        {"heritage_zones", "protection", std::string("III"), "not one of the allowed values"},
        {"buildings", "levels", std::int64_t{200}, "above the maximum 150"},
        {"roads", "class", std::string("highway"), "not one of the allowed values"},
        {"water", "kind", std::string("ocean"), "not one of the allowed values"},
        {"wards", "kind", std::string("district"), "not one of the allowed values"},
        {"wards", "name", std::string("Ph\xe6\xf4ng"), "text is not valid UTF-8"},
    };
    for (const auto& row : rows) {
        INFO(row.cls << "." << row.field << " = " << core::to_display(row.value));
        auto problems = check(row.cls, row.field, row.value);
        REQUIRE(problems.size() == 1);
        CHECK(problems[0].field == row.field);
        CHECK_THAT(problems[0].reason, Catch::StartsWith(row.reason));
    }
}

TEST_CASE("unknown classes are refused with the list of known ones")
{
    CHECK_THROWS_WITH(layers::feature_class("lampposts"),
                      Catch::Contains("unknown feature class 'lampposts'") &&
                          Catch::Contains("parcels") && Catch::Contains("dem"));
    CHECK(layers::is_raster_class("dem"));
}

TEST_CASE("docs/layers.md matches the schemas")
{
    std::string docs = test::read_file(std::string(LANTERN_SOURCE_DIR) + "/docs/layers.md");
    // Regenerate with: build/cli/lantern classes --markdown > docs/layers.md
    CHECK(docs == layers::layers_markdown());
}
