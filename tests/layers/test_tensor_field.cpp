// Street tensor fields and evenly spaced streamlines, on fields whose
// streamlines are known: straight parallel lines and circles.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sample/tensor_field.hpp"

using namespace lantern::core;
using namespace lantern::layers::sample;

namespace {

constexpr double pi = std::numbers::pi;

double distance(PlanePoint a, PlanePoint b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

// The least distance between points of two lines.
double gap(const std::vector<PlanePoint>& a, const std::vector<PlanePoint>& b)
{
    double least = INFINITY;
    for (const auto& p : a)
        for (const auto& q : b)
            least = std::min(least, distance(p, q));
    return least;
}

}  // namespace

TEST_CASE("a street tensor is the same for opposite directions and sums without cancelling")
{
    auto east = StreetTensor::along(0), west = StreetTensor::along(pi);
    CHECK(east.a == Approx(west.a));
    CHECK(east.b == Approx(west.b).margin(1e-12));
    // Two equal sources at 30 and 60 degrees: streets at 45.
    CHECK((StreetTensor::along(pi / 6) + StreetTensor::along(pi / 3)).major_angle() == Approx(pi / 4));
    // The same with one of them pointing the other way.
    CHECK((StreetTensor::along(pi / 6 + pi) + StreetTensor::along(pi / 3)).major_angle() == Approx(pi / 4));
    // A stronger source wins: 3 east and 1 north give streets east.
    CHECK((StreetTensor::along(0, 3) + StreetTensor::along(pi / 2, 1)).major_angle() == Approx(0).margin(1e-12));
    // Equal crossing sources leave no direction.
    CHECK((StreetTensor::along(0) + StreetTensor::along(pi / 2)).strength() == Approx(0).margin(1e-12));
}

TEST_CASE("a tensor grid reads back its samples and interpolates between them")
{
    Bounds box{0, 0, 100, 50};
    TensorGrid grid(box, 10, [](PlanePoint p) { return StreetTensor{p.x, p.y}; });
    // A linear field is interpolated exactly, also between the samples.
    for (PlanePoint p : {PlanePoint{0, 0}, PlanePoint{35, 12.5}, PlanePoint{99.9, 49.9}}) {
        CHECK(grid.at(p).a == Approx(p.x).margin(1e-9));
        CHECK(grid.at(p).b == Approx(p.y).margin(1e-9));
    }
    // Outside, the nearest edge's value.
    CHECK(grid.at({-20, 25}).a == Approx(0).margin(1e-9));
    CHECK(grid.at({150, 80}).b == Approx(50));
}

TEST_CASE("a uniform field gives straight parallel streets one separation apart")
{
    Bounds box{0, 0, 1000, 600};
    const double angle = pi / 9;  // 20 degrees
    TensorGrid grid(box, 50, [&](PlanePoint) { return StreetTensor::along(angle); });
    auto inside = [&](PlanePoint p) { return p.x >= 0 && p.x <= 1000 && p.y >= 0 && p.y <= 600; };
    StreamlineOptions options;
    options.separation = 60;
    options.step = 5;
    for (auto family : {StreetFamily::major, StreetFamily::minor}) {
        auto lines = trace_streamlines(grid, family, {{500, 300}}, inside, options);
        REQUIRE(lines.size() >= 5);
        double direction = angle + (family == StreetFamily::minor ? pi / 2 : 0);
        double ux = std::cos(direction), uy = std::sin(direction);
        std::vector<double> offsets;  // of each line across the direction
        for (const auto& line : lines) {
            for (const auto& p : line)
                CHECK(inside(p));
            // Straight: every point at the same offset across the direction.
            double offset = -line.front().x * uy + line.front().y * ux;
            for (const auto& p : line)
                CHECK(-p.x * uy + p.y * ux == Approx(offset).margin(1e-6));
            offsets.push_back(offset);
        }
        std::sort(offsets.begin(), offsets.end());
        for (std::size_t i = 1; i < offsets.size(); ++i)
            CHECK(offsets[i] - offsets[i - 1] == Approx(options.separation).margin(1e-6));
        // The lines fill the box: no point of it is farther than a separation
        // from the nearest line of the family.
        for (double x = 0; x <= 1000; x += 50)
            for (double y = 0; y <= 600; y += 50) {
                double off = -x * uy + y * ux;
                double nearest = INFINITY;
                for (double o : offsets)
                    nearest = std::min(nearest, std::abs(o - off));
                CHECK(nearest <= options.separation);
            }
    }
}

TEST_CASE("a field of circles gives closed rings that keep their distance")
{
    // Streets round a centre, as around a square: major lines are circles.
    PlanePoint centre{0, 0};
    Bounds box{-500, -500, 500, 500};
    TensorGrid grid(box, 5, [&](PlanePoint p) {
        double r = distance(p, centre);
        return r < 1e-9 ? StreetTensor{} : StreetTensor::along(std::atan2(p.y, p.x) + pi / 2);
    });
    auto inside = [&](PlanePoint p) { return distance(p, centre) <= 400; };
    StreamlineOptions options;
    options.separation = 80;
    options.step = 2;
    auto rings = trace_streamlines(grid, StreetFamily::major, {{200, 0}}, inside, options);
    REQUIRE(rings.size() >= 3);
    for (const auto& ring : rings) {
        // A circle: every point at the seed's radius, within the tracing error.
        double radius = distance(ring.front(), centre);
        for (const auto& p : ring)
            CHECK(distance(p, centre) == Approx(radius).epsilon(0.01));
        // Closed: it ends within the test distance of where it began, having
        // gone most of the way round.
        CHECK(distance(ring.front(), ring.back()) <= options.separation * options.test_ratio + options.step);
        CHECK(static_cast<double>(ring.size()) * options.step >= 2 * pi * radius * 0.8);
    }
    for (std::size_t i = 0; i < rings.size(); ++i)
        for (std::size_t j = i + 1; j < rings.size(); ++j)
            CHECK(gap(rings[i], rings[j]) >= options.separation * options.test_ratio);
    // The minor lines are the spokes: straight towards the centre.
    auto spokes = trace_streamlines(grid, StreetFamily::minor, {{200, 0}}, inside, options);
    REQUIRE(!spokes.empty());
    for (const auto& spoke : spokes)
        for (std::size_t i = 1; i < spoke.size(); ++i) {
            PlanePoint p = spoke[i - 1], q = spoke[i];
            if (distance(p, centre) < 20)
                continue;
            // Each step runs along the radius through it.
            double sine = ((q.x - p.x) * p.y - (q.y - p.y) * p.x) / (distance(p, q) * distance(p, centre));
            CHECK(std::abs(sine) < 0.01);
        }
}

TEST_CASE("streamlines keep clear of lines drawn before and stop at the region's edge")
{
    Bounds box{0, 0, 400, 400};
    TensorGrid grid(box, 50, [](PlanePoint) { return StreetTensor::along(0); });
    auto inside = [](PlanePoint p) { return p.x >= 0 && p.x <= 400 && p.y >= 0 && p.y <= 400; };
    StreamlineOptions options;
    options.separation = 100;
    std::vector<std::vector<PlanePoint>> existing = {{{0, 200}, {400, 200}}};
    // A seed on the existing line's row is refused; the lines drawn stay
    // a separation away from it.
    auto lines = trace_streamlines(grid, StreetFamily::major, {{200, 200}, {200, 150}, {200, 40}}, inside, options,
                                   existing);
    REQUIRE(!lines.empty());
    for (const auto& line : lines) {
        CHECK(gap(line, existing.front()) >= options.separation * options.test_ratio);
        CHECK(line.front().x >= 0);
        CHECK(line.back().x <= 400);
        // It runs the whole width, to within a step of each edge.
        CHECK(std::min(line.front().x, line.back().x) <= options.step);
        CHECK(std::max(line.front().x, line.back().x) >= 400 - options.step);
    }
    // No point of the region is farther than a separation from a line.
    for (double y = 0; y <= 400; y += 20) {
        double nearest = std::abs(y - 200);
        for (const auto& line : lines)
            nearest = std::min(nearest, std::abs(y - line.front().y));
        CHECK(nearest <= options.separation);
    }
}
