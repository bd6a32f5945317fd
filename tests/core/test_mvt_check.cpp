// The vector tile decoder and the specification checker on tiles written
// field by field with protozero, each with one known fault (spec 2.1).

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include <protozero/pbf_writer.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/core/testing/mvt_check.hpp>
#include <lantern/core/testing/mvt_decode.hpp>

using namespace lantern;
using core::MvtPoint;

namespace {

constexpr std::uint32_t move_to = 1, line_to = 2, close_path = 7;

std::uint32_t command(std::uint32_t id, std::uint32_t count)
{
    return (id & 0x7) | (count << 3);
}

// A geometry command stream written from absolute points, the way the spec's
// examples are (4.3.5).
class Commands {
public:
    Commands& move(std::vector<MvtPoint> points)
    {
        m_stream.push_back(command(move_to, static_cast<std::uint32_t>(points.size())));
        add(points);
        return *this;
    }
    Commands& line(std::vector<MvtPoint> points)
    {
        m_stream.push_back(command(line_to, static_cast<std::uint32_t>(points.size())));
        add(points);
        return *this;
    }
    Commands& close(std::uint32_t count = 1)
    {
        m_stream.push_back(command(close_path, count));
        return *this;
    }
    // An integer as it is, for streams the methods above would not write.
    Commands& raw(std::uint32_t value)
    {
        m_stream.push_back(value);
        return *this;
    }
    // A ring as MoveTo, one LineTo and ClosePath; the points without the closing one.
    Commands& ring(std::vector<MvtPoint> points)
    {
        move({points.front()});
        line(std::vector<MvtPoint>(points.begin() + 1, points.end()));
        return close();
    }
    const std::vector<std::uint32_t>& stream() const { return m_stream; }

private:
    void add(const std::vector<MvtPoint>& points)
    {
        for (const auto& p : points) {
            m_stream.push_back(protozero::encode_zigzag32(static_cast<std::int32_t>(p.x - m_cursor.x)));
            m_stream.push_back(protozero::encode_zigzag32(static_cast<std::int32_t>(p.y - m_cursor.y)));
            m_cursor = p;
        }
    }
    std::vector<std::uint32_t> m_stream;
    MvtPoint m_cursor;
};

struct FeatureSpec {
    std::uint64_t id = 7;
    int type = 3;
    Commands geometry;
    std::vector<std::uint32_t> tags = {0, 0};
};

struct LayerSpec {
    std::string name = "test";
    std::uint32_t version = 2;
    bool write_extent = true;
    std::vector<std::string> keys = {"name"};
    std::vector<std::string> values = {"Chua Cau"};
    std::vector<FeatureSpec> features;
};

void write_layer(protozero::pbf_writer& tile, const LayerSpec& spec)
{
    protozero::pbf_writer layer(tile, 3);
    layer.add_uint32(15, spec.version);
    layer.add_string(1, spec.name);
    for (const auto& f : spec.features) {
        protozero::pbf_writer feature(layer, 2);
        feature.add_uint64(1, f.id);
        feature.add_packed_uint32(2, f.tags.begin(), f.tags.end());
        feature.add_enum(3, f.type);
        feature.add_packed_uint32(4, f.geometry.stream().begin(), f.geometry.stream().end());
    }
    for (const auto& key : spec.keys)
        layer.add_string(3, key);
    for (const auto& text : spec.values) {
        protozero::pbf_writer value(layer, 4);
        value.add_string(1, text);
    }
    if (spec.write_extent)
        layer.add_uint32(5, 4096);
}

std::string tile_of(const std::vector<LayerSpec>& layers)
{
    std::string bytes;
    protozero::pbf_writer tile(bytes);
    for (const auto& layer : layers)
        write_layer(tile, layer);
    return bytes;
}

std::string one_feature_tile(int type, Commands geometry)
{
    LayerSpec layer;
    layer.features.push_back({7, type, std::move(geometry), {0, 0}});
    return tile_of({layer});
}

// Clockwise as drawn (y down): positive area, an exterior ring.
const std::vector<MvtPoint> square = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};

std::vector<MvtPoint> reversed(std::vector<MvtPoint> points)
{
    return {points.rbegin(), points.rend()};
}

std::string problems_text(const core::MvtCheckResult& result)
{
    std::string text;
    for (const auto& p : result.problems)
        text += core::to_string(p) + "\n";
    return text;
}

bool reports(const core::MvtCheckResult& result, const std::string& part)
{
    for (const auto& p : result.problems)
        if (core::to_string(p).find(part) != std::string::npos)
            return true;
    return false;
}

}  // namespace

TEST_CASE("a clockwise square decodes back to its points and passes the checker")
{
    const std::string tile = one_feature_tile(3, Commands().ring(square));
    const auto layers = core::decode_mvt(tile);
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].name == "test");
    CHECK(layers[0].version == 2u);
    CHECK(layers[0].extent == 4096u);
    REQUIRE(layers[0].features.size() == 1);
    const auto& feature = layers[0].features[0];
    CHECK(feature.id == 7u);
    CHECK(feature.type == core::MvtGeometryType::polygon);
    REQUIRE(feature.properties.size() == 1);
    CHECK(feature.properties[0].first == "name");
    CHECK(std::get<std::string>(feature.properties[0].second) == "Chua Cau");
    REQUIRE(feature.polygons.size() == 1);
    REQUIRE(feature.polygons[0].size() == 1);
    const core::MvtPath closed = {{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}};
    CHECK(feature.polygons[0][0] == closed);
    CHECK(core::mvt_ring_area(closed) == 100);

    const auto result = core::check_mvt(tile);
    INFO(problems_text(result));
    CHECK(result.ok());
    CHECK(result.layers == 1);
    CHECK(result.features == 1);
    CHECK(result.polygons == 1);
    CHECK(result.rings == 1);
    CHECK(result.invalid_polygons == 0);
}

TEST_CASE("the spec's multipolygon example groups its rings by the sign of their area")
{
    // Spec 4.3.5.6: two polygons, the second with a hole.
    const std::vector<std::uint32_t> spec_stream = {9, 0, 0, 26, 20, 0, 0, 20, 19, 0, 15,
                                                    9, 22, 2, 26, 18, 0, 0, 18, 17, 0, 15,
                                                    9, 4, 13, 26, 0, 8, 8, 0, 0, 7, 15};
    Commands geometry;
    geometry.ring(square).ring({{11, 11}, {20, 11}, {20, 20}, {11, 20}})
        .ring({{13, 13}, {13, 17}, {17, 17}, {17, 13}});
    CHECK(geometry.stream() == spec_stream);

    const std::string tile = one_feature_tile(3, geometry);
    const auto feature = core::decode_mvt(tile).at(0).features.at(0);
    REQUIRE(feature.polygons.size() == 2);
    CHECK(feature.polygons[0].size() == 1);
    REQUIRE(feature.polygons[1].size() == 2);
    CHECK(core::mvt_ring_area(feature.polygons[1][0]) == 81);
    CHECK(core::mvt_ring_area(feature.polygons[1][1]) == -16);
    const auto result = core::check_mvt(tile);
    INFO(problems_text(result));
    CHECK(result.ok());
    CHECK(result.polygons == 2);
    CHECK(result.rings == 3);
}

TEST_CASE("points and lines decode as the spec's examples")
{
    // Spec 4.3.5.2 and 4.3.5.4.
    const auto points = core::decode_mvt(one_feature_tile(1, Commands().move({{5, 7}, {3, 2}})));
    const std::vector<MvtPoint> expected_points = {{5, 7}, {3, 2}};
    CHECK(points.at(0).features.at(0).points == expected_points);

    const auto lines = core::decode_mvt(one_feature_tile(
        2, Commands().move({{2, 2}}).line({{2, 10}, {10, 10}}).move({{1, 1}}).line({{3, 5}})));
    const auto& decoded = lines.at(0).features.at(0).lines;
    REQUIRE(decoded.size() == 2);
    const core::MvtPath first = {{2, 2}, {2, 10}, {10, 10}};
    const core::MvtPath second = {{1, 1}, {3, 5}};
    CHECK(decoded[0] == first);
    CHECK(decoded[1] == second);
}

TEST_CASE("the checker reports each fault of a hand-made tile with its layer and feature")
{
    struct Case {
        const char* fault;
        std::string tile;
        const char* reported;
        bool invalid_polygon;
    };
    LayerSpec old_version;
    old_version.version = 1;
    old_version.features.push_back({7, 3, Commands().ring(square), {0, 0}});
    LayerSpec no_extent;
    no_extent.write_extent = false;
    no_extent.features.push_back({7, 3, Commands().ring(square), {0, 0}});
    LayerSpec twice;
    twice.features.push_back({7, 1, Commands().move({{1, 1}}), {0, 0}});
    LayerSpec repeated_keys;
    repeated_keys.keys = {"name", "name"};
    repeated_keys.features.push_back({7, 1, Commands().move({{1, 1}}), {0, 0}});
    LayerSpec two_ids;
    two_ids.features.push_back({7, 1, Commands().move({{1, 1}}), {0, 0}});
    two_ids.features.push_back({7, 1, Commands().move({{2, 2}}), {0, 0}});

    // A bowtie: (0,0)-(20,20) crosses (0,10)-(20,0); its lobes differ so its
    // area is positive (200) and only GEOS sees the self-intersection.
    const std::vector<MvtPoint> bowtie = {{0, 0}, {0, 10}, {20, 0}, {20, 20}};

    const std::vector<Case> cases = {
        {"a counter-clockwise exterior ring", one_feature_tile(3, Commands().ring(reversed(square))),
         "exterior ring has negative area", false},
        {"a missing ClosePath",
         one_feature_tile(3, Commands().move({{0, 0}}).line({{10, 0}, {10, 10}, {0, 10}})),
         "not closed by ClosePath", false},
        {"a zero-length segment",
         one_feature_tile(3, Commands().move({{0, 0}}).line({{10, 0}, {10, 0}, {10, 10}, {0, 10}}).close()),
         "zero-length segment", false},
        {"a self-intersecting bowtie", one_feature_tile(3, Commands().ring(bowtie)),
         "Self-intersection", true},
        {"a ClosePath of count 2",
         one_feature_tile(3, Commands().move({{0, 0}}).line({{10, 0}, {10, 10}, {0, 10}}).close(2)),
         "ClosePath with count 2", false},
        {"a second ClosePath", one_feature_tile(3, Commands().ring(square).close()),
         "ClosePath repeated", false},
        {"a ring that repeats its first point before closing",
         one_feature_tile(3, Commands().move({{0, 0}}).line({{10, 0}, {10, 10}, {0, 10}, {0, 0}}).close()),
         "zero-length closing segment", false},
        {"a two-point ring", one_feature_tile(3, Commands().move({{0, 0}}).line({{10, 0}}).close()),
         "has 3 points", true},
        {"a hole outside its exterior",
         one_feature_tile(3, Commands().ring(square).ring(reversed({{20, 20}, {30, 20}, {30, 30}, {20, 30}}))),
         "Hole lies outside shell", true},
        {"a ring of zero area", one_feature_tile(3, Commands().ring({{0, 0}, {10, 0}, {20, 0}})),
         "zero area", true},
        {"a MoveTo of count 2 in a line",
         one_feature_tile(2, Commands().move({{0, 0}, {5, 5}}).line({{10, 10}})), "MoveTo with count 2", false},
        {"a line of one point", one_feature_tile(2, Commands().move({{0, 0}})), "MoveTo without a LineTo", false},
        {"a ClosePath in a line", one_feature_tile(2, Commands().move({{0, 0}}).line({{5, 5}}).close()),
         "ClosePath in a line", false},
        {"a LineTo in a point", one_feature_tile(1, Commands().move({{0, 0}}).line({{5, 5}})),
         "LineTo in a point", false},
        {"a command count beyond the geometry's end",
         one_feature_tile(1, Commands().raw(command(move_to, 3)).raw(2).raw(2)), "ends after 1 full point",
         false},
        {"an unknown command", one_feature_tile(1, Commands().raw(command(3, 1)).raw(2).raw(2)),
         "unknown id 3", false},
        {"a tag key out of range", [] {
             LayerSpec layer;
             layer.features.push_back({7, 1, Commands().move({{1, 1}}), {3, 0}});
             return tile_of({layer});
         }(), "key index 3 is out of range", false},
        {"a tag value out of range", [] {
             LayerSpec layer;
             layer.features.push_back({7, 1, Commands().move({{1, 1}}), {0, 5}});
             return tile_of({layer});
         }(), "value index 5", false},
        {"a key twice in one feature", [] {
             LayerSpec layer;
             layer.features.push_back({7, 1, Commands().move({{1, 1}}), {0, 0, 0, 0}});
             return tile_of({layer});
         }(), "appears more than once", false},
        {"an odd number of tags", [] {
             LayerSpec layer;
             layer.features.push_back({7, 1, Commands().move({{1, 1}}), {0, 0, 0}});
             return tile_of({layer});
         }(), "odd number of tags", false},
        {"a feature without geometry", one_feature_tile(1, Commands()), "no geometry", false},
        {"version 1", tile_of({old_version}), "version 1 (must be 2)", false},
        {"no extent", tile_of({no_extent}), "no extent", false},
        {"two layers of one name", tile_of({twice, twice}), "more than one layer of this name", false},
        {"a key written twice in the layer", tile_of({repeated_keys}), "written more than once", false},
        {"two features with one id", tile_of({two_ids}), "another feature of the layer has this id", false},
        {"bytes that are no protocol buffer", std::string("\x1a\xff\xff\xff", 4), "not a vector tile", false},
    };
    for (const auto& c : cases) {
        const auto result = core::check_mvt(c.tile);
        INFO(c.fault << "\n" << problems_text(result));
        CHECK(reports(result, c.reported));
        CHECK((result.invalid_polygons > 0) == c.invalid_polygon);
    }
}

TEST_CASE("problems name the layer and the feature id")
{
    const auto result = core::check_mvt(one_feature_tile(3, Commands().ring(reversed(square))));
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].layer == "test");
    CHECK(result.problems[0].feature_id == 7u);
    CHECK(result.problems[0].feature_index == 0u);
    CHECK(core::to_string(result.problems[0]).rfind("layer \"test\", feature 7 (#0): ", 0) == 0);
}

TEST_CASE("without a problem handler the decoder throws on a fault")
{
    const std::string tile = one_feature_tile(3, Commands().move({{0, 0}}).line({{10, 0}, {10, 10}, {0, 10}}));
    CHECK_THROWS_AS(core::decode_mvt(tile), core::DataError);
    std::vector<core::MvtProblem> seen;
    const auto layers = core::decode_mvt(tile, [&](core::MvtProblem p) { seen.push_back(std::move(p)); });
    CHECK(seen.size() == 1);
    // The ring is still decoded, closed.
    CHECK(layers.at(0).features.at(0).polygons.at(0).at(0).size() == 5);
}

TEST_CASE("a triangle is the smallest ring the checker accepts")
{
    const auto result = core::check_mvt(one_feature_tile(3, Commands().ring({{0, 0}, {10, 0}, {10, 10}})));
    INFO(problems_text(result));
    CHECK(result.ok());
    CHECK(result.polygons == 1);
}
