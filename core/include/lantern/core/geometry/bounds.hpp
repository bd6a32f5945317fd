#pragma once
// An axis-aligned box in the map units of whatever CRS its coordinates are in.

#include <algorithm>

namespace lantern::core {

struct Bounds {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    bool intersects(const Bounds& other) const
    {
        return min_x <= other.max_x && other.min_x <= max_x && min_y <= other.max_y &&
               other.min_y <= max_y;
    }
    void expand(const Bounds& other)
    {
        min_x = std::min(min_x, other.min_x);
        min_y = std::min(min_y, other.min_y);
        max_x = std::max(max_x, other.max_x);
        max_y = std::max(max_y, other.max_y);
    }
};

}  // namespace lantern::core
