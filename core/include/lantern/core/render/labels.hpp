#pragma once
// Label placement on a page: names at points, along lines and inside areas,
// by priority, with no two labels overlapping and none leaving the page.
// Works in page pixels (x east, y down) on text boxes whose sizes the caller
// measured, so it knows no font and no class.

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>
#include <lantern/core/geometry/plane.hpp>

namespace lantern::core {

// What a label names, in page pixels: a point (a heritage site), lines (the
// segments of one street: ends that meet are joined, so a street of many
// segments is one line to place on), or areas (a ward, a river).
struct LabelRequest {
    std::string text;
    int priority = 0;  // lower is placed first
    double width = 0;  // the text's box, pixels
    double height = 0;
    std::vector<PlanePoint> points;
    std::vector<std::vector<PlanePoint>> lines;
    std::vector<PlanePolygon> areas;
    // A point's label stands this far from it (a dot's radius and a gap).
    double point_offset = 0;
    // A line's label is repeated about this far apart along it; 0: once.
    double spacing = 0;
};

struct LabelPage {
    double width = 0;
    double height = 0;
    double margin = 2;            // no label comes nearer the edge than this
    double padding = 2;           // kept clear around every label
    std::vector<Bounds> reserved; // boxes no label may cover (a legend), y down
};

// One placed label: its text box turned by `angle` about its centre.
struct PlacedLabel {
    std::size_t request = 0;  // index into the requests
    PlanePoint centre;
    double angle = 0;  // radians, clockwise from the page's x axis (y is down), in (-pi/2, pi/2]
    std::array<PlanePoint, 4> corners;  // the box, after turning
};

// Places the labels in priority order (then longer lines and larger areas
// first): each takes the first spot where its box, with padding, lies
// inside the page's margin and clear of the reserved boxes and of every label
// placed before it. A point tries right, left, above and below it; a line
// takes nearly straight stretches, the text turned along them and never upside
// down, slid along the line to find room, repeated at `spacing`; an area takes
// the inner points farthest from its edge first. What finds no room is left out.
std::vector<PlacedLabel> place_labels(const std::vector<LabelRequest>& requests, const LabelPage& page);

}  // namespace lantern::core
