#pragma once
// A small hand-made city whose flood answers are worked out by hand: a river
// on the west, a floodplain at 0.5 m, a ridge at 2.0 m, a pit at 0.3 m behind
// it and high ground at 3.0 m (a 40 x 20 grid of 10 m cells, west to east:
// columns 0-4 river, 5-14 plain, 15-16 ridge, 17-24 pit, 25-39 high ground),
// with buildings, a parcel, a road, a heritage site and two wards on them.

#include <string>

#include "support/support.hpp"

namespace lantern::test {

// Builds the town at city_location(dir, "city.sqlite") and returns where.
std::string build_flood_town(const TempDir& dir);

// Where the town lies in UTM 49N metres: column col of its DEM starts at
// x(col) on the west, row row at y(row) on the north.
struct FloodTownGrid {
    double x0 = 0, y0 = 0;  // north-west corner
    double x(int col) const { return x0 + col * 10.0; }
    double y(int row) const { return y0 - row * 10.0; }
};
FloodTownGrid flood_town_grid();

}  // namespace lantern::test
