#pragma once
// A PNG that a test made, read back with GDAL as RGB, for looking at pixels.

#include <array>
#include <string>
#include <vector>

namespace lantern::test {

using Rgb = std::array<int, 3>;

struct Image {
    int width = 0;
    int height = 0;
    int bands = 0;
    std::vector<unsigned char> rgb;  // interleaved

    // The pixel's colour; fails the test outside the image.
    Rgb at(int col, int row) const;
    // Pixels of a colour in the quarter of the image at (right, bottom).
    int count_in_quarter(const Rgb& colour, bool right, bool bottom) const;
};

// Reads a PNG's first three bands; fails the test unless it is a PNG with them.
Image read_png(const std::string& path);

}  // namespace lantern::test
