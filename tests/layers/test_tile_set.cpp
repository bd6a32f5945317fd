// The city as tile layers, on the sample city: at a layer's max zoom a tile
// holds exactly the features that reach into it, below it the layer is
// thinned evenly and nestedly, and an import is noticed without reopening.

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include <ogr_geometry.h>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/core/testing/mvt_decode.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/tiles.hpp>

#include "support/support.hpp"

using namespace lantern;

namespace {

const std::string city_path = std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite";

std::set<std::uint64_t> ids_in(const std::string& tile, const std::string& layer_name)
{
    std::set<std::uint64_t> ids;
    for (const auto& layer : core::decode_mvt(tile))
        if (layer.name == layer_name)
            for (const auto& feature : layer.features)
                ids.insert(feature.id.value());
    return ids;
}

// The tile at zoom z holding the lon/lat point.
core::TileId tile_at(double lon, double lat, int z)
{
    double x = 0;
    double y = 0;
    core::lonlat_to_mercator(lon, lat, x, y);
    return core::tiles_covering({x, y, x, y}, z).front();
}

// The fids of the point features whose Web Mercator position lies in the
// tile grown by the buffer (64 of 4096 units on every side, or none).
std::set<std::uint64_t> points_in_buffered_tile(const std::string& class_name,
                                                const core::TileId& tile, int buffer = 64)
{
    auto storage = core::open_city(city_path, core::Access::read_only);
    core::Transform to_mercator(core::Crs::from_user(storage->city().crs),
                                core::Crs::from_user("EPSG:3857"));
    core::Bounds b = core::tile_bounds(tile);
    double margin = (b.max_x - b.min_x) * buffer / 4096;
    std::set<std::uint64_t> ids;
    storage->scan(layers::feature_class(class_name), [&](const core::StoredFeature& f) {
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &g, f.wkb.size());
        std::unique_ptr<OGRGeometry> geometry(g);
        double x = geometry->toPoint()->getX();
        double y = geometry->toPoint()->getY();
        to_mercator.apply(x, y);
        if (x >= b.min_x - margin && x <= b.max_x + margin && y >= b.min_y - margin &&
            y <= b.max_y + margin)
            ids.insert(static_cast<std::uint64_t>(f.fid));
    });
    return ids;
}

}  // namespace

TEST_CASE("Every imported class is a tile layer with its fields and zoom range")
{
    layers::TileSet tiles(city_path);
    auto all = tiles.layers();
    for (const auto& schema : layers::feature_classes()) {
        auto layer = tiles.layer(schema.name);
        REQUIRE(layer);
        CHECK(layer->kind == "class");
        CHECK(layer->min_zoom <= layer->max_zoom);
        CHECK(layer->feature_count > 0);
        REQUIRE(layer->bounds);
        CHECK(layer->bounds->min_x > 108);  // Hoi An, in WGS 84
        CHECK(layer->bounds->max_x < 109);
        for (const auto& field : layer->fields)
            CHECK(field.name != "source");
    }
    CHECK(tiles.data_version({"roads"}) != tiles.data_version({"roads", "water"}));
    CHECK_THROWS(tiles.data_version({"no_such_layer"}));
    CHECK_THROWS(tiles.render({"no_such_layer"}, {14, 0, 0}));
}

TEST_CASE("At its max zoom a tile holds exactly the points that reach into it")
{
    layers::TileSet tiles(city_path);
    auto lamps = tiles.layer("lamps");
    REQUIRE(lamps);
    // Around the Japanese Covered Bridge (Chùa Cầu).
    core::TileId tile = tile_at(108.3262, 15.8770, lamps->max_zoom);
    auto expected = points_in_buffered_tile("lamps", tile);
    REQUIRE(expected.size() > 3);
    CHECK(ids_in(tiles.render({"lamps"}, tile), "lamps") == expected);
}

TEST_CASE("Below its full zoom a dense layer is thinned evenly and nestedly")
{
    layers::TileSet tiles(city_path);
    // Lamps are all shown from z16; at z14 one in four is kept.
    core::TileId parent = tile_at(108.3262, 15.8770, 14);
    auto kept = ids_in(tiles.render({"lamps"}, parent), "lamps");
    std::set<std::uint64_t> children_ids;
    std::size_t all_in_children = 0;
    for (std::uint32_t dy = 0; dy < 2; ++dy)
        for (std::uint32_t dx = 0; dx < 2; ++dx) {
            core::TileId child{15, parent.x * 2 + dx, parent.y * 2 + dy};
            auto ids = ids_in(tiles.render({"lamps"}, child), "lamps");
            children_ids.insert(ids.begin(), ids.end());
            all_in_children += points_in_buffered_tile("lamps", child).size();
        }
    REQUIRE(kept.size() > 10);
    // Nested: what z14 shows inside the tile proper, z15 shows too (the
    // parent's buffer reaches beyond its children's).
    for (auto id : points_in_buffered_tile("lamps", parent, 0))
        if (kept.count(id) == 1)
            CHECK(children_ids.count(id) == 1);
    // Two levels below full: about a quarter of the lamps there.
    auto everything = points_in_buffered_tile("lamps", parent);
    double share = static_cast<double>(kept.size()) / static_cast<double>(everything.size());
    CHECK(share == Approx(0.25).margin(0.08));
    CHECK(children_ids.size() < all_in_children);
}

TEST_CASE("A tile over the feature cap is thinned evenly rather than cut off")
{
    layers::TileLimits limits;
    limits.max_features = 40;
    layers::TileSet capped(city_path, limits);
    layers::TileSet full(city_path);
    core::TileId tile = tile_at(108.3262, 15.8770, 17);
    auto all_ids = ids_in(full.render({"lamps"}, tile), "lamps");
    REQUIRE(all_ids.size() > 40);
    auto kept = ids_in(capped.render({"lamps"}, tile), "lamps");
    CHECK(kept.size() <= 40);
    CHECK(kept.size() > 40 / 4);
    for (auto id : kept)
        CHECK(all_ids.count(id) == 1);
}

TEST_CASE("An import into the city changes the layer's version without reopening")
{
    test::TempDir dir;
    std::string copy = dir.file("hoian.sqlite");
    std::filesystem::copy_file(city_path, copy);
    for (const char* suffix : {"-wal", "-shm"})
        if (std::filesystem::exists(city_path + suffix))
            std::filesystem::copy_file(city_path + suffix, copy + suffix);
    layers::TileSet tiles(copy);
    std::string before = tiles.data_version({"heritage_sites"});
    auto sites_before = tiles.layer("heritage_sites")->feature_count;
    CHECK_FALSE(tiles.refresh());
    // The first three landmarks only.
    std::string landmarks = test::read_file(test::hoian_data("heritage_landmarks.csv"));
    std::size_t end = 0;
    for (int line = 0; line < 4; ++line)
        end = landmarks.find('\n', end) + 1;
    test::write_file(dir.file("three.csv"), landmarks.substr(0, end));
    auto result = test::run_lantern({"import", copy, "heritage_sites", dir.file("three.csv"),
                                     "--s-srs", "EPSG:4326", "--map", "name=name_vi",
                                     "--replace", "-q"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK(tiles.refresh());
    CHECK(tiles.data_version({"heritage_sites"}) != before);
    CHECK(tiles.layer("heritage_sites")->feature_count == 3);
    CHECK(sites_before > 3);
    CHECK(ids_in(tiles.render({"heritage_sites"}, tile_at(108.3262, 15.8770, 17)), "heritage_sites")
              .size() <= 3);
}
