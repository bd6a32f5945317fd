#pragma once
// Points, rings and polygons in a plane, in the city CRS's metres: the types
// the geometry algorithms share.

#include <vector>

namespace lantern::core {

struct PlanePoint {
    double x = 0;  // map units, metres
    double y = 0;  // north
};
using PlaneRing = std::vector<PlanePoint>;  // no repeated closing point

struct PlanePolygon {
    PlaneRing exterior;
    std::vector<PlaneRing> holes;
};

}  // namespace lantern::core
