// The point-in-polygons locator: points on shared edges and vertices go to
// the lowest index, points a millimetre aside to the polygon they are in,
// holes hold nothing; and on random polygons it answers as a scan of every
// ring by the even-odd rule does.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <vector>

#include <lantern/core/geometry/polygon_locator.hpp>
#include <lantern/core/geometry/ring_measure.hpp>

using namespace lantern::core;

namespace {

std::vector<PlanePolygon> box(double x0, double y0, double x1, double y1)
{
    return {{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, {}}};
}

// Whether p lies on one of the ring's edges (exactly: the tests' holes have
// axis-parallel edges at whole coordinates).
bool on_ring(const PlaneRing& ring, PlanePoint p)
{
    for (std::size_t k = 0, j = ring.size() - 1; k < ring.size(); j = k++) {
        const auto& a = ring[j];
        const auto& b = ring[k];
        double cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        if (cross == 0 && p.x >= std::min(a.x, b.x) && p.x <= std::max(a.x, b.x) && p.y >= std::min(a.y, b.y) &&
            p.y <= std::max(a.y, b.y))
            return true;
    }
    return false;
}

// The lowest index whose polygons hold p, ring by ring: inside or on the
// exterior, and not strictly inside a hole.
std::optional<std::size_t> by_scan(const std::vector<std::vector<PlanePolygon>>& polygons, PlanePoint p)
{
    for (std::size_t i = 0; i < polygons.size(); ++i)
        for (const auto& part : polygons[i]) {
            bool in = ring_contains(part.exterior, p);
            for (const auto& hole : part.holes)
                in = in && !(ring_contains(hole, p) && !on_ring(hole, p));
            if (in)
                return i;
        }
    return std::nullopt;
}

}  // namespace

TEST_CASE("points on shared edges and vertices go to the lowest index, a millimetre aside to their side")
{
    // Four squares of 100 m meeting at (100, 100), given out of map order:
    // 0 south-east, 1 north-west, 2 north-east, 3 south-west.
    const std::vector<std::vector<PlanePolygon>> wards = {
        box(100, 0, 200, 100), box(0, 100, 100, 200), box(100, 100, 200, 200), box(0, 0, 100, 100)};
    const PolygonLocator locator(wards);
    const double mm = 0.001;
    struct Case {
        PlanePoint p;
        std::optional<std::size_t> ward;
    };
    const std::vector<Case> cases = {
        {{100, 100}, 0},                 // the vertex of all four
        {{100 - mm, 100 + mm}, 1},       // a millimetre into each
        {{100 + mm, 100 + mm}, 2},
        {{100 - mm, 100 - mm}, 3},
        {{100 + mm, 100 - mm}, 0},
        {{100, 150}, 1},                 // the edge of 1 and 2
        {{100 - mm, 150}, 1},
        {{100 + mm, 150}, 2},
        {{100, 50}, 0},                  // the edge of 0 and 3
        {{100 - mm, 50}, 3},
        {{100 + mm, 50}, 0},
        {{50, 100}, 1},                  // the edge of 1 and 3
        {{50, 100 - mm}, 3},
        {{50, 100 + mm}, 1},
        {{150, 100}, 0},                 // the edge of 0 and 2
        {{150, 100 + mm}, 2},
        {{150, 100 - mm}, 0},
        {{0, 50}, 3},                    // an outer edge, and just outside it
        {{-mm, 50}, std::nullopt},
        {{200, 200}, 2},                 // an outer corner
        {{200 + mm, 200}, std::nullopt},
    };
    for (const auto& c : cases) {
        INFO("at (" << c.p.x << ", " << c.p.y << ")");
        CHECK(locator.locate(c.p) == c.ward);
        CHECK(by_scan(wards, c.p) == c.ward);
    }
    // Every holder, in index order, first of them the located one.
    std::vector<std::size_t> holders;
    locator.holding({100, 100}, [&](std::size_t i) { holders.push_back(i); });
    CHECK(holders == std::vector<std::size_t>{0, 1, 2, 3});
}

TEST_CASE("a hole holds nothing but its edge, and an empty polygon keeps its index")
{
    std::vector<PlanePolygon> ring_ward = box(0, 0, 100, 100);
    ring_ward[0].holes.push_back({{40, 40}, {60, 40}, {60, 60}, {40, 60}});
    const std::vector<std::vector<PlanePolygon>> wards = {{}, ring_ward, box(40, 40, 60, 60)};
    const PolygonLocator locator(wards);
    CHECK(locator.size() == 3);
    CHECK(locator.locate({10, 10}) == std::optional<std::size_t>(1));
    CHECK(locator.locate({50, 50}) == std::optional<std::size_t>(2));  // in the hole: the island
    CHECK(locator.locate({40, 50}) == std::optional<std::size_t>(1));  // the hole's edge, shared
    CHECK(locator.locate({40.001, 50}) == std::optional<std::size_t>(2));
    CHECK(locator.locate({39.999, 50}) == std::optional<std::size_t>(1));
    CHECK(!PolygonLocator({{}, {}}).locate({0, 0}));
    CHECK(!PolygonLocator().locate({0, 0}));
}

TEST_CASE("on random overlapping polygons the locator answers as a scan of every ring")
{
    std::mt19937 rng(22);
    std::uniform_real_distribution<double> at(0, 1000), size(20, 300), unit(0, 1);
    std::vector<std::vector<PlanePolygon>> polygons;
    for (int i = 0; i < 60; ++i) {
        // A star-shaped ring of 12 to 40 vertices round a centre.
        PlanePoint c{at(rng), at(rng)};
        double r = size(rng);
        int n = 12 + static_cast<int>(unit(rng) * 28);
        PlaneRing ring;
        for (int k = 0; k < n; ++k) {
            double angle = 2 * 3.14159265358979 * k / n;
            double reach = r * (0.4 + 0.6 * unit(rng));
            ring.push_back({c.x + reach * std::cos(angle), c.y + reach * std::sin(angle)});
        }
        polygons.push_back({{ring, {}}});
    }
    const PolygonLocator locator(polygons);
    for (int k = 0; k < 20000; ++k) {
        PlanePoint p{at(rng) * 1.1 - 50, at(rng) * 1.1 - 50};
        INFO("at (" << p.x << ", " << p.y << ")");
        REQUIRE(locator.locate(p) == by_scan(polygons, p));
    }
    // Vertices lie on their ring: the lowest polygon holding them.
    for (std::size_t i = 0; i < polygons.size(); ++i)
        for (const auto& v : polygons[i][0].exterior) {
            auto found = locator.locate(v);
            REQUIRE(found);
            CHECK(*found <= i);
            CHECK(found == by_scan(polygons, v));
        }
}
