// The MVT encoder: what it writes decodes back to the input on the integer
// grid, clipped to the buffered tile, and every polygon stays valid and
// oriented as the specification says even where rounding alone breaks it.

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include <lantern/core/testing/mvt_check.hpp>
#include <lantern/core/testing/mvt_decode.hpp>
#include <lantern/core/tiles/mvt.hpp>

using namespace lantern::core;

namespace {

using Ring = std::vector<TilePoint>;

TileGeometry polygon(std::vector<Ring> rings)
{
    TileGeometry g;
    g.type = TileGeometryType::polygon;
    g.polygons.push_back(std::move(rings));
    return g;
}

Ring square(double x0, double y0, double x1, double y1)
{
    return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
}

std::string encode_one(const TileGeometry& geometry, const MvtProperties& properties = {})
{
    MvtLayerEncoder layer("test");
    layer.add(7, geometry, properties);
    std::string tile;
    layer.append_to(tile);
    return tile;
}

// Sum of the decoded polygons' areas (holes negative), in tile units.
double decoded_area(const std::string& tile)
{
    double area = 0;
    for (const auto& layer : decode_mvt(tile))
        for (const auto& feature : layer.features)
            for (const auto& poly : feature.polygons)
                for (const auto& ring : poly)
                    area += mvt_ring_area(ring);
    return area;
}

void require_clean(const std::string& tile)
{
    auto check = check_mvt(tile);
    for (const auto& problem : check.problems)
        UNSCOPED_INFO(to_string(problem));
    REQUIRE(check.ok());
}

}  // namespace

TEST_CASE("A square inside the tile decodes back with its exterior ring positive")
{
    // Counter-clockwise on screen (negative in tile coordinates) on input.
    Ring ring{{10, 10}, {10, 110}, {110, 110}, {110, 10}, {10, 10}};
    std::string tile = encode_one(polygon({ring}), {{"name", std::string("a")}});
    require_clean(tile);
    auto layers = decode_mvt(tile);
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].version == 2u);
    CHECK(layers[0].extent == 4096u);
    REQUIRE(layers[0].features.size() == 1);
    const auto& feature = layers[0].features[0];
    CHECK(feature.id == 7u);
    REQUIRE(feature.polygons.size() == 1);
    REQUIRE(feature.polygons[0].size() == 1);
    CHECK(feature.polygons[0][0].size() == 5);
    CHECK(mvt_ring_area(feature.polygons[0][0]) == Approx(100.0 * 100.0));
}

TEST_CASE("A hole comes right after its exterior with negative area")
{
    std::string tile =
        encode_one(polygon({square(0, 0, 100, 100), square(20, 20, 40, 40)}));
    require_clean(tile);
    auto feature = decode_mvt(tile)[0].features[0];
    REQUIRE(feature.polygons.size() == 1);
    REQUIRE(feature.polygons[0].size() == 2);
    CHECK(mvt_ring_area(feature.polygons[0][0]) == Approx(10000));
    CHECK(mvt_ring_area(feature.polygons[0][1]) == Approx(-400));
}

TEST_CASE("A polygon larger than the tile is clipped to the buffered tile")
{
    std::string tile = encode_one(polygon({square(-5000, -5000, 9000, 9000)}));
    require_clean(tile);
    double side = 4096 + 2 * 64;
    CHECK(decoded_area(tile) == Approx(side * side));
}

TEST_CASE("A concave polygon crossing the tile edge is clipped without zero-width bridges")
{
    // A U opening downwards whose two legs leave the bottom of the buffered tile.
    Ring u{{100, 4000}, {100, 5000}, {300, 5000}, {300, 4100}, {500, 4100},
           {500, 5000}, {700, 5000}, {700, 4000}, {100, 4000}};
    std::string tile = encode_one(polygon({u}));
    require_clean(tile);
    // Inside the buffer (y <= 4160): the bar 600 x 100 and two legs 200 x 60.
    CHECK(decoded_area(tile) == Approx(600 * 100 + 2 * 200 * 60));
    CHECK(decode_mvt(tile)[0].features[0].polygons.size() == 2 - 1);
}

TEST_CASE("A notch that rounding would collapse onto the edge leaves a valid polygon")
{
    // Valid as given; rounded vertex by vertex, the notch's two sides fall
    // onto x = 5 and its tip onto the bottom edge: a self-touching ring.
    Ring notched{{0, 0},      {10, 0},     {10, 10}, {5.2, 10}, {5.2, 0.4},
                 {4.8, 0.4},  {4.8, 10},   {0, 10},  {0, 0}};
    std::string tile = encode_one(polygon({notched}));
    require_clean(tile);
    CHECK(decoded_area(tile) == Approx(100).margin(5));
}

TEST_CASE("Parts of a multipolygon that rounding brings together stay one valid multipolygon")
{
    TileGeometry g;
    g.type = TileGeometryType::polygon;
    g.polygons.push_back({square(0, 0, 10.3, 10)});
    g.polygons.push_back({square(10.4, 0, 20, 10)});  // both edges round to x = 10
    std::string tile = encode_one(g);
    require_clean(tile);
    CHECK(decoded_area(tile) == Approx(200));
    CHECK(decode_mvt(tile)[0].features[0].polygons.size() == 1);
}

TEST_CASE("A polygon thinner than a tile unit is dropped, not written degenerate")
{
    MvtLayerEncoder layer("test");
    CHECK_FALSE(layer.add(1, polygon({{{0, 0}, {100, 0.2}, {100, 0.4}, {0, 0}}}), {}));
    CHECK(layer.feature_count() == 0);
    std::string tile;
    layer.append_to(tile);
    CHECK(tile.empty());
}

TEST_CASE("Lines and rings with a coordinate that is not finite are left out, not rounded")
{
    // Rounded, NaN became the int64 minimum and overflowed a ring's area
    // (tests/fuzz/regressions/fuzz_mvt_polygons/nan-vertex) or a line's deltas.
    const double nan = std::nan("");
    Ring broken{{10, 10}, {110, 10}, {nan, 60}, {110, 110}, {10, 110}, {10, 10}};
    MvtLayerEncoder layer("test");
    CHECK_FALSE(layer.add(1, polygon({broken}), {}));
    Ring hole = square(20, 20, 40, 40);
    hole[1].y = std::numeric_limits<double>::infinity();
    std::string tile = encode_one(polygon({square(0, 0, 100, 100), hole}));
    require_clean(tile);
    auto feature = decode_mvt(tile)[0].features[0];
    REQUIRE(feature.polygons.size() == 1);
    CHECK(feature.polygons[0].size() == 1);
    CHECK(decoded_area(tile) == Approx(10000));

    TileGeometry lines;
    lines.type = TileGeometryType::line;
    lines.lines = {{{10, 10}, {nan, 20}, {100, 100}}, {{0, 0}, {50, 0}}};
    tile = encode_one(lines);
    require_clean(tile);
    auto kept = decode_mvt(tile)[0].features[0].lines;
    REQUIRE(kept.size() == 1);
    CHECK(kept[0] == MvtPath{{0, 0}, {50, 0}});
}

TEST_CASE("Lines are clipped to the buffered tile and lose repeated points")
{
    TileGeometry line;
    line.type = TileGeometryType::line;
    line.lines.push_back({{-1000, 100}, {100, 100}, {100.2, 100.1}, {200, 100}, {5000, 100}});
    line.lines.push_back({{10, 10}, {10.2, 10.3}});  // one point once rounded
    std::string tile = encode_one(line);
    require_clean(tile);
    auto feature = decode_mvt(tile)[0].features[0];
    REQUIRE(feature.lines.size() == 1);
    CHECK(feature.lines[0].front() == MvtPoint{-64, 100});
    CHECK(feature.lines[0].back() == MvtPoint{4160, 100});
    for (std::size_t i = 1; i < feature.lines[0].size(); ++i)
        CHECK_FALSE(feature.lines[0][i] == feature.lines[0][i - 1]);
}

TEST_CASE("A line that leaves and re-enters the tile becomes two pieces")
{
    TileGeometry line;
    line.type = TileGeometryType::line;
    line.lines.push_back({{100, 100}, {100, -500}, {300, -500}, {300, 100}});
    auto feature = decode_mvt(encode_one(line))[0].features[0];
    REQUIRE(feature.lines.size() == 2);
    CHECK(feature.lines[0].back() == MvtPoint{100, -64});
    CHECK(feature.lines[1].front() == MvtPoint{300, -64});
}

TEST_CASE("Points outside the buffered tile are dropped and the rest rounded")
{
    TileGeometry points;
    points.type = TileGeometryType::point;
    points.points = {{-65, 0}, {-63.6, 5.4}, {4160, 4160}, {4161, 0}};
    auto feature = decode_mvt(encode_one(points))[0].features[0];
    REQUIRE(feature.points.size() == 2);
    CHECK(feature.points[0] == MvtPoint{-64, 5});
    CHECK(feature.points[1] == MvtPoint{4160, 4160});
}

TEST_CASE("Properties keep their types and each key and value is written once")
{
    MvtLayerEncoder layer("test");
    TileGeometry p;
    p.type = TileGeometryType::point;
    p.points = {{1, 1}};
    MvtProperties props{{"count", std::int64_t{-3}},
                        {"height", 7.5},
                        {"name", std::string("Chùa Cầu")},
                        {"missing", std::monostate{}}};
    layer.add(1, p, props);
    layer.add(2, p, props);
    std::string tile;
    layer.append_to(tile);
    require_clean(tile);
    auto decoded = decode_mvt(tile)[0];
    CHECK(decoded.keys.size() == 3);
    CHECK(decoded.values.size() == 3);
    const auto& properties = decoded.features[1].properties;
    REQUIRE(properties.size() == 3);
    CHECK(std::get<std::int64_t>(properties[0].second) == -3);
    CHECK(std::get<double>(properties[1].second) == 7.5);
    CHECK(std::get<std::string>(properties[2].second) == "Chùa Cầu");
    CHECK(decoded.features[1].id == 2u);
}

TEST_CASE("Random jagged polygons at the grid's scale always encode valid")
{
    // Star-shaped rings a few tile units across, where rounding breaks many.
    std::mt19937 random(20261127);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::size_t polygons = 0;
    std::size_t kept = 0;
    for (int trial = 0; trial < 2000; ++trial) {
        double cx = 4096 * unit(random);
        double cy = -100 + 4296 * unit(random);
        double radius = 1 + 12 * unit(random);
        int vertices = 5 + static_cast<int>(20 * unit(random));
        Ring ring;
        for (int i = 0; i < vertices; ++i) {
            double angle = 2 * M_PI * i / vertices;
            double r = radius * (0.3 + 0.7 * unit(random));
            ring.push_back({cx + r * std::cos(angle), cy + r * std::sin(angle)});
        }
        ring.push_back(ring.front());
        MvtLayerEncoder layer("test");
        kept += layer.add(static_cast<std::uint64_t>(trial), polygon({ring}), {}) ? 1 : 0;
        std::string tile;
        layer.append_to(tile);
        auto check = check_mvt(tile);
        polygons += check.polygons;
        for (const auto& problem : check.problems)
            FAIL_CHECK("trial " << trial << ": " << to_string(problem));
    }
    CHECK(kept > 1500);
    CHECK(polygons >= kept);
}

TEST_CASE("Simplification applies the tolerance to what is inside the tile")
{
    MvtOptions options;
    options.simplify_tolerance = 8;
    MvtLayerEncoder layer("test", options);
    TileGeometry line;
    line.type = TileGeometryType::line;
    // Zigzags of 3 units along y = 100, then far outside the tile.
    std::vector<TilePoint> zigzag;
    for (int x = 0; x <= 4000; x += 100)
        zigzag.push_back({static_cast<double>(x), 100.0 + ((x / 100) % 2) * 3});
    zigzag.push_back({100000, 100});
    line.lines.push_back(zigzag);
    layer.add(1, line, {});
    std::string tile;
    layer.append_to(tile);
    auto feature = decode_mvt(tile)[0].features[0];
    REQUIRE(feature.lines.size() == 1);
    CHECK(feature.lines[0].size() == 2);
    CHECK(feature.lines[0].back() == MvtPoint{4160, 100});
}
