// Lantern's decoder and encoder against the public Mapbox Vector Tile
// fixtures (@mapbox/mvt-fixtures, installed in tests/js by
// .ci/install-references) and the decoder of Mapbox GL and MapLibre
// (@mapbox/vector-tile, through node). For every fixture valid under spec 2:
//   1. our decoding matches the fixture's tile.json (layers, keys, typed
//      values, ids, types, tags) and @mapbox/vector-tile's decoding of the
//      same tile.mvt (geometry included);
//   2. re-encoded with core::MvtLayerEncoder, the tile decodes with
//      @mapbox/vector-tile to the same layers, ids, properties and geometry.
// Fixtures the encoder cannot carry are skipped for step 2, each with its
// reason (docs/mvt-checks.md lists them).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>

#include <lantern/core/testing/mvt_check.hpp>
#include <lantern/core/testing/mvt_decode.hpp>
#include <lantern/core/tiles/mvt.hpp>

#include "support/support.hpp"
#include "tiles/tile_decoders.hpp"

using namespace lantern;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string fixtures_dir()
{
    return test::js_dir() + "/node_modules/@mapbox/mvt-fixtures/fixtures";
}

struct Fixture {
    std::string name;
    std::string mvt_path;
    json info;
    json expected;  // tile.json: the tile's protocol buffer as JSON
};

std::vector<Fixture> valid_v2_fixtures()
{
    if (!fs::is_directory(fixtures_dir()))
        FAIL("no " << fixtures_dir()
                   << ": run `bash .ci/install-references` (npm ci --prefix tests/js)");
    std::vector<Fixture> fixtures;
    for (const auto& entry : fs::directory_iterator(fixtures_dir())) {
        const std::string dir = entry.path().string();
        if (!fs::exists(dir + "/info.json") || !fs::exists(dir + "/tile.mvt"))
            continue;
        Fixture f{entry.path().filename().string(), dir + "/tile.mvt",
                  json::parse(test::read_file(dir + "/info.json")),
                  json::parse(test::read_file(dir + "/tile.json"))};
        if (f.info.value("validity", json::object()).value("v2", false))
            fixtures.push_back(std::move(f));
    }
    std::sort(fixtures.begin(), fixtures.end(),
              [](const Fixture& a, const Fixture& b) { return a.name < b.name; });
    return fixtures;
}

// Fixtures counted valid that break a MUST of spec 2.1, which our decoder
// reports (and decodes on, as @mapbox/vector-tile does).
const std::map<std::string, std::string> known_problems = {
    // Byte for byte the tile of 003, "missing geometry type", counted
    // invalid: 4.2 says a feature MUST contain a type field.
    {"016", "no geometry type"},
    // A MoveTo announcing 536870911 points holds one: 4.3.2 says a command
    // of count n is followed by n pairs of parameters.
    {"057", "MoveTo of count 536870911 ends after 1 full point"},
};

// A value of tile.json ({"string_value": "world"}) as our decoder gives it.
json expected_value(const json& value)
{
    if (value.size() != 1)
        return nullptr;
    auto entry = value.begin();
    const std::string type = entry.key();
    const json& v = entry.value();
    if (type == "float_value")
        return static_cast<double>(v.get<float>());
    // 076 lists "613" as a number, but its tile holds the text.
    if (type == "string_value" && !v.is_string())
        return v.dump();
    return v;
}

// Layers, keys, values, ids, types and tags as tile.json has them. Its
// writer leaves out fields at their proto2 defaults, so an extent of 4096 is
// listed although most tiles do not write it: extents compare as readers
// take them (4096 when not written).
json tile_json_view(const json& tile)
{
    auto layers = json::array();
    for (const auto& layer : tile.value("layers", json::array())) {
        auto values = json::array();
        for (const auto& v : layer.value("values", json::array()))
            values.push_back(expected_value(v));
        auto features = json::array();
        for (const auto& f : layer.value("features", json::array())) {
            auto properties = json::object();
            const auto tags = f.value("tags", json::array());
            for (std::size_t i = 0; i + 1 < tags.size(); i += 2)
                properties[layer["keys"][tags[i].get<std::size_t>()].get<std::string>()] =
                    values[tags[i + 1].get<std::size_t>()];
            features.push_back({{"id", f.contains("id") ? f["id"] : json(nullptr)},
                                {"type", f.value("type", 0)},
                                {"properties", properties}});
        }
        layers.push_back({{"name", layer["name"]},
                          {"version", layer.value("version", 1)},
                          {"extent", layer.value("extent", 4096)},
                          {"keys", layer.value("keys", json::array())},
                          {"values", values},
                          {"features", features}});
    }
    return layers;
}

json decoder_view(const std::vector<core::MvtLayer>& decoded)
{
    auto layers = json::array();
    for (const auto& layer : decoded) {
        auto values = json::array();
        for (const auto& v : layer.values)
            values.push_back(v ? test::to_json(*v) : json(nullptr));
        auto features = json::array();
        for (const auto& f : layer.features) {
            auto properties = json::object();
            for (const auto& [key, value] : f.properties)
                properties[key] = test::to_json(value);
            features.push_back({{"id", f.id ? json(*f.id) : json(nullptr)},
                                {"type", static_cast<int>(f.type)},
                                {"properties", properties}});
        }
        layers.push_back({{"name", layer.name},
                          {"version", layer.version.value_or(1)},
                          {"extent", layer.extent.value_or(4096)},
                          {"keys", layer.keys},
                          {"values", values},
                          {"features", features}});
    }
    return layers;
}

// Why the encoder cannot carry the fixture, or nothing when it can.
std::string reason_to_skip(const std::vector<core::MvtLayer>& layers)
{
    for (const auto& layer : layers) {
        const auto extent = static_cast<std::int64_t>(layer.extent.value_or(4096));
        for (const auto& f : layer.features) {
            if (f.type == core::MvtGeometryType::unknown)
                return "a feature of UNKNOWN geometry type, which the encoder does not write";
            for (const auto& [key, value] : f.properties) {
                if (std::holds_alternative<bool>(value))
                    return "a bool value (property \"" + key +
                           "\"): Lantern's values are integers, reals and text";
                if (const auto* u = std::get_if<std::uint64_t>(&value);
                    u && *u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                    return "a uint value beyond int64";
            }
            auto outside = [&](const core::MvtPoint& p) {
                return p.x < -extent || p.y < -extent || p.x > 2 * extent || p.y > 2 * extent;
            };
            bool far = std::any_of(f.points.begin(), f.points.end(), outside);
            for (const auto& line : f.lines)
                far = far || std::any_of(line.begin(), line.end(), outside);
            for (const auto& polygon : f.polygons)
                for (const auto& ring : polygon)
                    far = far || std::any_of(ring.begin(), ring.end(), outside);
            if (far)
                return "coordinates more than a tile outside the tile, which the encoder clips "
                       "away by design";
        }
    }
    return {};
}

core::Value to_value(const core::MvtValue& value)
{
    if (const auto* s = std::get_if<std::string>(&value))
        return *s;
    if (const auto* f = std::get_if<float>(&value))
        return static_cast<double>(*f);
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return *i;
    return static_cast<std::int64_t>(std::get<std::uint64_t>(value));
}

std::vector<core::TilePoint> tile_points(const core::MvtPath& path)
{
    std::vector<core::TilePoint> out;
    for (const auto& p : path)
        out.push_back({static_cast<double>(p.x), static_cast<double>(p.y)});
    return out;
}

// The decoded layers written again by Lantern's encoder, with a buffer of a
// whole tile so that nothing of a fixture is clipped.
std::string reencode(const std::vector<core::MvtLayer>& layers)
{
    std::string tile;
    for (const auto& layer : layers) {
        const std::uint32_t extent = layer.extent.value_or(4096);
        core::MvtLayerEncoder encoder(layer.name, {extent, extent});
        for (const auto& f : layer.features) {
            core::TileGeometry geometry;
            if (f.type == core::MvtGeometryType::point) {
                geometry.type = core::TileGeometryType::point;
                geometry.points = tile_points(f.points);
            } else if (f.type == core::MvtGeometryType::line) {
                geometry.type = core::TileGeometryType::line;
                for (const auto& line : f.lines)
                    geometry.lines.push_back(tile_points(line));
            } else {
                geometry.type = core::TileGeometryType::polygon;
                for (const auto& polygon : f.polygons) {
                    geometry.polygons.emplace_back();
                    for (const auto& ring : polygon)
                        geometry.polygons.back().push_back(tile_points(ring));
                }
            }
            core::MvtProperties properties;
            for (const auto& [key, value] : f.properties)
                properties.emplace_back(key, to_value(value));
            CHECK(encoder.add(f.id.value_or(0), geometry, properties));
        }
        encoder.append_to(tile);
    }
    return tile;
}

// A ring read from its lowest point on, so that two rings that differ only
// in where they start compare equal; orientation is kept.
json normalised_ring(const json& ring)
{
    if (ring.size() < 2 || ring.front() != ring.back())
        return ring;
    std::vector<json> open(ring.begin(), ring.end() - 1);
    const auto lowest = std::min_element(open.begin(), open.end(), [](const json& a, const json& b) {
        return std::make_pair(a[0].get<double>(), a[1].get<double>()) <
               std::make_pair(b[0].get<double>(), b[1].get<double>());
    });
    std::rotate(open.begin(), lowest, open.end());
    open.push_back(open.front());
    return open;
}

// A decoded tile keyed by layer name, with polygon rings normalised, ids
// left out where the fixture has none (the encoder always writes one) and
// layers without features left out (@mapbox/vector-tile skips them, and the
// encoder does not write them: spec 4.1, a layer SHOULD contain a feature).
json comparable(const json& tile, const json& ids_from)
{
    json layers = json::object();
    for (const auto& layer : tile["layers"]) {
        if (layer["features"].empty())
            continue;
        json copy = layer;
        const json* source = nullptr;
        for (const auto& l : ids_from["layers"])
            if (l["name"] == layer["name"])
                source = &l;
        for (std::size_t i = 0; i < copy["features"].size(); ++i) {
            auto& f = copy["features"][i];
            if (f["type"] == 3)
                for (auto& ring : f["geometry"])
                    ring = normalised_ring(ring);
            if (source && i < (*source)["features"].size() &&
                (*source)["features"][i]["id"].is_null())
                f["id"] = nullptr;
        }
        layers[layer["name"].get<std::string>()] = copy;
    }
    return layers;
}

}  // namespace

TEST_CASE("valid mvt-fixtures decode as tile.json and @mapbox/vector-tile say and survive re-encoding")
{
    const auto fixtures = valid_v2_fixtures();
    REQUIRE(fixtures.size() >= 40);  // 4.0.0 has 46 valid under spec 2

    test::TempDir dir;
    std::vector<std::string> files;        // fixture tiles, then our tiles
    std::vector<std::vector<core::MvtLayer>> ours;
    std::vector<std::string> reencoded_names, reencoded_files, skipped;
    for (const auto& fixture : fixtures) {
        INFO("fixture " << fixture.name << ": " << fixture.info.value("description", ""));
        std::vector<core::MvtProblem> problems;
        const std::string bytes = test::read_file(fixture.mvt_path);
        auto layers = core::decode_mvt(bytes, [&](core::MvtProblem p) { problems.push_back(p); });
        std::string problem_text;
        for (const auto& p : problems)
            problem_text += core::to_string(p) + "\n";
        INFO(problem_text);
        if (const auto known = known_problems.find(fixture.name); known != known_problems.end())
            CHECK(problem_text.find(known->second) != std::string::npos);
        else
            CHECK(problems.empty());
        const json expected = tile_json_view(fixture.expected);
        const json actual = decoder_view(layers);
        INFO(test::first_differences(expected, actual));
        CHECK(expected == actual);

        files.push_back(fixture.mvt_path);
        if (const auto reason = reason_to_skip(layers); !reason.empty()) {
            skipped.push_back(fixture.name + " (" + reason + ")");
        } else {
            const std::string path = dir.file(fixture.name + ".mvt");
            const std::string tile = reencode(layers);
            const auto check = core::check_mvt(tile);
            std::string check_text;
            for (const auto& p : check.problems)
                check_text += core::to_string(p) + "\n";
            INFO("checker on the re-encoded tile:\n" << check_text);
            CHECK(check.ok());
            test::write_file(path, tile);
            reencoded_names.push_back(fixture.name);
            reencoded_files.push_back(path);
        }
        ours.push_back(std::move(layers));
    }
    const std::size_t fixture_count = files.size();
    files.insert(files.end(), reencoded_files.begin(), reencoded_files.end());
    const json node = test::decode_with_node(files);

    for (std::size_t i = 0; i < fixture_count; ++i) {
        INFO("fixture " << fixtures[i].name << ": our decoder and @mapbox/vector-tile");
        const json expected = comparable(node[i], node[i]);
        const json actual = comparable(test::node_shape(ours[i]), node[i]);
        INFO(test::first_differences(expected, actual));
        CHECK(expected == actual);
    }
    std::map<std::string, std::size_t> fixture_index;
    for (std::size_t i = 0; i < fixture_count; ++i)
        fixture_index[fixtures[i].name] = i;
    for (std::size_t k = 0; k < reencoded_names.size(); ++k) {
        const std::size_t i = fixture_index[reencoded_names[k]];
        INFO("fixture " << reencoded_names[k] << ": re-encoded by Lantern, decoded by @mapbox/vector-tile");
        const json expected = comparable(node[i], node[i]);
        const json actual = comparable(node[fixture_count + k], node[i]);
        INFO(test::first_differences(expected, actual));
        CHECK(expected == actual);
    }
    std::string skipped_text;
    for (const auto& s : skipped)
        skipped_text += "\n  " + s;
    std::printf("mvt-fixtures: %zu valid under spec 2 decoded; %zu re-encoded and compared; "
                "%zu not re-encoded:%s\n",
                fixture_count, reencoded_names.size(), skipped.size(), skipped_text.c_str());
}

TEST_CASE("the checker finds a problem in every mvt-fixture that is invalid under spec 2")
{
    if (!fs::is_directory(fixtures_dir()))
        FAIL("no " << fixtures_dir()
                   << ": run `bash .ci/install-references` (npm ci --prefix tests/js)");
    std::size_t invalid = 0;
    for (const auto& entry : fs::directory_iterator(fixtures_dir())) {
        const std::string dir = entry.path().string();
        if (!fs::exists(dir + "/info.json") || !fs::exists(dir + "/tile.mvt"))
            continue;
        const json info = json::parse(test::read_file(dir + "/info.json"));
        if (info.value("validity", json::object()).value("v2", true))
            continue;
        ++invalid;
        INFO("fixture " << entry.path().filename().string() << ": "
                        << info.value("description", ""));
        const auto result = core::check_mvt(test::read_file(dir + "/tile.mvt"));
        CHECK_FALSE(result.ok());
    }
    CHECK(invalid >= 20);
}
