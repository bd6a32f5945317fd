// The web map tile grid and the generalisation helpers, on known answers.

#include <catch2/catch.hpp>

#include <lantern/core/tiles/tile_generalise.hpp>
#include <lantern/core/tiles/tile_math.hpp>

using namespace lantern::core;

TEST_CASE("Tile bounds split the Web Mercator square in quarters per zoom")
{
    Bounds world = tile_bounds({0, 0, 0});
    CHECK(world.min_x == Approx(-web_mercator_half_extent));
    CHECK(world.max_y == Approx(web_mercator_half_extent));
    Bounds north_west = tile_bounds({1, 0, 0});
    CHECK(north_west.max_x == Approx(0).margin(1e-6));
    CHECK(north_west.min_y == Approx(0).margin(1e-6));
    Bounds south_east = tile_bounds({1, 1, 1});
    CHECK(south_east.min_x == Approx(0).margin(1e-6));
    CHECK(south_east.max_y == Approx(0).margin(1e-6));
    CHECK(tms_row({1, 0, 0}) == 1u);
    CHECK(tms_row({3, 5, 2}) == 5u);
    CHECK(tile_exists({3, 7, 7}));
    CHECK_FALSE(tile_exists({3, 8, 0}));
    CHECK_FALSE(tile_exists({max_tile_zoom + 1, 0, 0}));
}

TEST_CASE("Longitude and latitude map to Web Mercator and back")
{
    double x = 0;
    double y = 0;
    lonlat_to_mercator(180, 0, x, y);
    CHECK(x == Approx(web_mercator_half_extent));
    CHECK(y == Approx(0).margin(1e-6));
    // Chùa Cầu, Hội An: latitude 15.8770 N stretches by 1 / cos(lat) locally.
    lonlat_to_mercator(108.3262, 15.8770, x, y);
    double lon = 0;
    double lat = 0;
    mercator_to_lonlat(x, y, lon, lat);
    CHECK(lon == Approx(108.3262).epsilon(1e-12));
    CHECK(lat == Approx(15.8770).epsilon(1e-12));
    double x2 = 0;
    double y2 = 0;
    lonlat_to_mercator(108.3262, 15.8770 + 1e-4, x2, y2);
    double metres_per_degree = 6378137.0 * M_PI / 180;
    CHECK((y2 - y) / 1e-4 == Approx(metres_per_degree / std::cos(15.8770 * M_PI / 180)).epsilon(1e-4));
}

TEST_CASE("The tiles covering a box are every tile it touches")
{
    Bounds tile = tile_bounds({4, 3, 5});
    Bounds box{tile.min_x + 1, tile.min_y + 1, tile.max_x + 1, tile.max_y - 1};
    auto tiles = tiles_covering(box, 4);  // one metre into the next column
    REQUIRE(tiles.size() == 2);
    CHECK(tiles.front() == TileId{4, 3, 5});
    CHECK(tiles.back() == TileId{4, 4, 5});
    box.min_y -= 2;  // and one metre into the next row southwards
    CHECK(tiles_covering(box, 4).size() == 4);
}

TEST_CASE("The Hilbert index visits the quadrants in curve order")
{
    std::uint32_t quarter = 1u << 30;
    CHECK(hilbert_index(0.1, 0.1) / quarter == 0);
    CHECK(hilbert_index(0.1, 0.9) / quarter == 1);
    CHECK(hilbert_index(0.9, 0.9) / quarter == 2);
    CHECK(hilbert_index(0.9, 0.1) / quarter == 3);
}

TEST_CASE("Thinning levels are nested")
{
    for (std::uint64_t rank = 0; rank < 64; ++rank)
        for (int level = 1; level < 6; ++level)
            if (kept_at_level(rank, level))
                CHECK(kept_at_level(rank, level - 1));
    int kept = 0;
    for (std::uint64_t rank = 0; rank < 64; ++rank)
        kept += kept_at_level(rank, 3) ? 1 : 0;
    CHECK(kept == 8);
}

TEST_CASE("Douglas-Peucker keeps the vertices farther than the tolerance")
{
    std::vector<TilePoint> line{{0, 0}, {1, 0.2}, {2, -0.2}, {3, 5}, {4, 0}, {5, 0}};
    auto simple = simplify_line(line, 0.5);
    REQUIRE(simple.size() == 5);  // (1, 0.2) lies within 0.5 of (0, 0)-(2, -0.2)
    CHECK(simple[1].x == 2);
    CHECK(simple[2].x == 3);
    CHECK(simple[3].x == 4);
    std::vector<TilePoint> ring{{0, 0}, {10, 0}, {10, 0.1}, {10, 10}, {0, 10}, {0, 0}};
    auto simple_ring = simplify_line(ring, 0.5);
    CHECK(simple_ring.size() == 5);
    CHECK(simple_ring.front().x == simple_ring.back().x);
    CHECK(ring_area(simple_ring) == Approx(100));
    CHECK(line_length({{0, 0}, {3, 4}}) == Approx(5));
}
