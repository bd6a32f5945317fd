// The box grid against a scan of every box, on random boxes of the sizes a
// city has (parcels, wards), at random points and on the boxes' edges.

#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <vector>

#include <lantern/core/geometry/box_grid.hpp>

using lantern::core::BoxGrid;
using lantern::core::Bounds;
using lantern::core::PlanePoint;

namespace {

std::vector<std::size_t> holding(const BoxGrid& grid, PlanePoint p)
{
    std::vector<std::size_t> out;
    grid.holding(p, [&](std::size_t id) { out.push_back(id); });
    return out;
}

std::vector<std::size_t> holding_by_hand(const std::vector<Bounds>& boxes, PlanePoint p)
{
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < boxes.size(); ++i)
        if (p.x >= boxes[i].min_x && p.x <= boxes[i].max_x && p.y >= boxes[i].min_y && p.y <= boxes[i].max_y)
            out.push_back(i);
    return out;
}

}  // namespace

TEST_CASE("a box grid finds the boxes holding a point as a scan of every box does")
{
    // Parcels (many small boxes), wards (a few large ones overlapping), and
    // boxes of no width or height (a point, a straight line).
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> at(0, 10000), small(1, 60), large(2000, 7000);
    std::vector<Bounds> boxes;
    for (int i = 0; i < 3000; ++i) {
        double x = at(rng), y = at(rng);
        boxes.push_back({x, y, x + small(rng), y + small(rng)});
    }
    for (int i = 0; i < 12; ++i) {
        double x = at(rng) * 0.4, y = at(rng) * 0.4;
        boxes.push_back({x, y, x + large(rng), y + large(rng)});
    }
    boxes.push_back({5000, 5000, 5000, 5000});
    boxes.push_back({100, 200, 9000, 200});
    BoxGrid grid(boxes);
    REQUIRE(grid.cells() > 1);

    std::vector<PlanePoint> points;
    for (int i = 0; i < 20000; ++i)
        points.push_back({at(rng) * 1.1 - 500, at(rng) * 1.1 - 500});  // some outside every box
    for (const auto& b : boxes) {  // corners and edges: the boundary holds
        points.push_back({b.min_x, b.min_y});
        points.push_back({b.max_x, b.max_y});
        points.push_back({b.min_x, (b.min_y + b.max_y) / 2});
    }
    std::size_t held = 0;
    for (auto p : points) {
        auto expected = holding_by_hand(boxes, p);
        held += !expected.empty();
        INFO("point " << p.x << ' ' << p.y);
        REQUIRE(holding(grid, p) == expected);
    }
    CHECK(held > points.size() / 2);
}

TEST_CASE("a box grid of many boxes over the whole extent stays small")
{
    // A thousand copies of one large box would be filed in every cell at
    // four cells per box: the grid is made coarser instead.
    std::vector<Bounds> boxes(1000, Bounds{0, 0, 1000, 1000});
    boxes.push_back({10, 10, 11, 11});
    BoxGrid grid(boxes);
    CHECK(grid.entries() <= 16 * boxes.size() + grid.cells());
    auto found = holding(grid, {10.5, 10.5});
    REQUIRE(found.size() == 1001);
    CHECK(found.back() == 1000);
    CHECK(holding(grid, {500, 500}).size() == 1000);
}

TEST_CASE("an empty box grid holds nothing")
{
    BoxGrid grid(std::vector<Bounds>{});
    CHECK(holding(grid, {0, 0}).empty());
    BoxGrid one({Bounds{1, 1, 2, 2}});
    CHECK(holding(one, {1.5, 1.5}) == std::vector<std::size_t>{0});
    CHECK(holding(one, {2.5, 1.5}).empty());
    CHECK(holding(one, {std::nan(""), 1.5}).empty());
}
