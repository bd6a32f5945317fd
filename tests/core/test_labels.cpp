// Label placement on hand-made pages: boxes worked out by hand.
#include <catch2/catch.hpp>

#include <cmath>

#include <lantern/core/render/labels.hpp>

#include "support/quads.hpp"

using namespace lantern;
using core::LabelPage;
using core::LabelRequest;
using core::PlacedLabel;
using core::PlanePoint;

namespace {

constexpr double pi = 3.14159265358979323846;

LabelRequest point_label(std::string text, PlanePoint p, double width, double height, int priority = 5)
{
    LabelRequest r;
    r.text = std::move(text);
    r.priority = priority;
    r.width = width;
    r.height = height;
    r.points = {p};
    r.point_offset = 4;
    return r;
}

LabelRequest line_label(std::string text, std::vector<std::vector<PlanePoint>> lines, double width,
                        double height, double spacing = 0)
{
    LabelRequest r;
    r.text = std::move(text);
    r.width = width;
    r.height = height;
    r.lines = std::move(lines);
    r.spacing = spacing;
    return r;
}

LabelPage page(double w, double h)
{
    LabelPage p;
    p.width = w;
    p.height = h;
    p.margin = 2;
    p.padding = 1;
    return p;
}

core::Bounds box_of(const PlacedLabel& label)
{
    core::Bounds b{1e300, 1e300, -1e300, -1e300};
    for (const auto& c : label.corners)
        b.expand({c.x, c.y, c.x, c.y});
    return b;
}

void check_apart_and_inside(const std::vector<PlacedLabel>& placed, const LabelPage& p)
{
    for (std::size_t i = 0; i < placed.size(); ++i) {
        for (const auto& c : placed[i].corners) {
            CHECK(c.x >= p.margin - 1e-9);
            CHECK(c.y >= p.margin - 1e-9);
            CHECK(c.x <= p.width - p.margin + 1e-9);
            CHECK(c.y <= p.height - p.margin + 1e-9);
        }
        for (std::size_t j = 0; j < i; ++j)
            CHECK_FALSE(lantern::test::quads_overlap(placed[i].corners, placed[j].corners));
    }
}

}  // namespace

TEST_CASE("a point's label stands to its right, else to its left, else above, clear of labels placed first")
{
    auto p = page(240, 200);
    // A (priority 1) takes the right of its point: x 104-154. B, 90 px on,
    // cannot go right (off the page) nor left (x 136-186, over A's box), so
    // goes above. C, at the right edge with nothing near, goes left.
    std::vector<LabelRequest> requests = {point_label("B", {190, 100}, 50, 12, 6),
                                          point_label("A", {100, 100}, 50, 12, 1),
                                          point_label("C", {230, 170}, 50, 12, 6)};
    auto placed = core::place_labels(requests, p);
    REQUIRE(placed.size() == 3);
    CHECK(placed[0].request == 1);  // A first: priority 1
    CHECK(placed[0].centre.x == Approx(100 + 4 + 25));
    CHECK(placed[0].centre.y == Approx(100));
    CHECK(placed[0].angle == 0);
    CHECK(placed[1].request == 0);
    CHECK(placed[1].centre.x == Approx(190));
    CHECK(placed[1].centre.y == Approx(100 - 4 - 6));
    CHECK(placed[2].request == 2);
    CHECK(placed[2].centre.x == Approx(230 - 4 - 25));
    CHECK(placed[2].centre.y == Approx(170));
    check_apart_and_inside(placed, p);
}

TEST_CASE("labels never leave the page nor cover a reserved box")
{
    auto p = page(300, 100);
    p.reserved = {{0, 0, 150, 100}};  // a legend over the left half
    // A point at the right edge: its label goes to its left; one under the
    // legend finds no room.
    std::vector<LabelRequest> requests = {point_label("edge", {295, 50}, 60, 12),
                                          point_label("legend", {60, 50}, 40, 12)};
    auto placed = core::place_labels(requests, p);
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].request == 0);
    CHECK(placed[0].centre.x == Approx(295 - 4 - 30));
    check_apart_and_inside(placed, p);
}

TEST_CASE("a street's name lies along it, never upside down, and only where it is long enough")
{
    auto p = page(500, 500);
    // A line drawn from the lower right to the upper left at 45 degrees: the
    // text reads from the lower left... turned by -45 degrees (up to the right).
    std::vector<LabelRequest> requests = {line_label("Trần Phú", {{{400, 400}, {100, 100}}}, 100, 14)};
    auto placed = core::place_labels(requests, p);
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].angle == Approx(pi / 4));  // y runs down: the line from (100,100) to (400,400)
    CHECK(placed[0].centre.x == Approx(250));
    CHECK(placed[0].centre.y == Approx(250));

    // Drawn east to west, a level street reads west to east (angle 0, not pi).
    requests = {line_label("Lê Lợi", {{{400, 50}, {100, 50}}}, 100, 14)};
    placed = core::place_labels(requests, p);
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].angle == Approx(0).margin(1e-12));

    // A street shorter than its name gets none.
    requests = {line_label("Nguyễn Thái Học", {{{100, 50}, {180, 50}}}, 100, 14)};
    CHECK(core::place_labels(requests, p).empty());

    // ... unless its segments, end to end, are long enough: two segments of
    // 80 px meeting at (180, 50) (one drawn backwards) make one of 160 px.
    requests = {line_label("Nguyễn Thái Học", {{{100, 50}, {180, 50}}, {{260, 50}, {180, 50}}}, 100, 14)};
    placed = core::place_labels(requests, p);
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].centre.x == Approx(180));

    // A sharp bend under the text: the name slides off the corner to a straight part.
    requests = {line_label("Bạch Đằng", {{{50, 300}, {250, 300}, {250, 480}}}, 100, 14)};
    placed = core::place_labels(requests, p);
    REQUIRE(placed.size() == 1);
    auto b = box_of(placed[0]);
    CHECK(b.max_x <= 250 + 1e-9);
    CHECK(placed[0].angle == Approx(0).margin(1e-12));
}

TEST_CASE("a long street's name is repeated about its spacing apart")
{
    auto p = page(1000, 100);
    std::vector<LabelRequest> requests = {line_label("Hùng Vương", {{{10, 50}, {990, 50}}}, 80, 12, 300)};
    auto placed = core::place_labels(requests, p);
    // 980 px at 300 apart: three labels, at 1/6, 3/6 and 5/6 of the line.
    REQUIRE(placed.size() == 3);
    std::vector<double> xs;
    for (const auto& l : placed)
        xs.push_back(l.centre.x);
    std::sort(xs.begin(), xs.end());
    CHECK(xs[0] == Approx(10 + 980.0 / 6));
    CHECK(xs[1] == Approx(10 + 980.0 / 2));
    CHECK(xs[2] == Approx(10 + 5 * 980.0 / 6));
    check_apart_and_inside(placed, p);
}

TEST_CASE("crossing streets: the one placed first keeps the crossing, the other slides along")
{
    auto p = page(400, 400);
    std::vector<LabelRequest> requests = {line_label("Minor", {{{200, 20}, {200, 380}}}, 120, 14),
                                          line_label("Main", {{{20, 200}, {380, 200}}}, 120, 14)};
    requests[0].priority = 5;
    requests[1].priority = 1;
    auto placed = core::place_labels(requests, p);
    REQUIRE(placed.size() == 2);
    CHECK(placed[0].request == 1);
    CHECK(placed[0].centre.x == Approx(200));
    CHECK(placed[1].request == 0);
    CHECK(std::abs(placed[1].angle) == Approx(pi / 2));
    CHECK(std::abs(placed[1].centre.y - 200) > 60);
    check_apart_and_inside(placed, p);
}

TEST_CASE("an area's name goes inside it, far from its edge, and inside the page")
{
    auto p = page(400, 300);
    LabelRequest ward;
    ward.text = "Minh An";
    ward.width = 60;
    ward.height = 14;
    // An L-shaped ward: a wide bar along the bottom and a narrow one up the left.
    ward.areas = {{{{0, 300}, {400, 300}, {400, 200}, {40, 200}, {40, 0}, {0, 0}}, {}}};
    auto placed = core::place_labels({ward}, p);
    REQUIRE(placed.size() == 1);
    auto b = box_of(placed[0]);
    CHECK(b.min_y >= 200);  // in the bottom bar: the left one is narrower than the name
    CHECK(b.max_y <= 300 - p.margin);
    // An area mostly off the page is named on its part on the page.
    LabelRequest river = ward;
    river.text = "Thu Bồn";
    river.areas = {{{{-1000, 120}, {380, 120}, {380, 180}, {-1000, 180}}, {}}};
    placed = core::place_labels({river}, p);
    REQUIRE(placed.size() == 1);
    b = box_of(placed[0]);
    CHECK(b.min_x >= p.margin);
    CHECK(b.min_y >= 120);
    CHECK(b.max_y <= 180);
}
