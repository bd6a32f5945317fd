#pragma once
// A raster grid in memory: one value per cell in a flat, row-major vector
// (row 0 is the northern edge), and the frame that places it on the map.
// Algorithms in core take and return Grids; only grid_io touches files.
//
// No-data: float grids use NaN in memory (written as -9999 to files); other
// value types name their no-data value where they are produced.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>

namespace lantern::core {

// Where a grid lies: its size, its north-west corner and its cell size, in
// a projected CRS (metres), north up.
struct GridFrame {
    int width = 0;
    int height = 0;
    double origin_x = 0;  // west edge
    double origin_y = 0;  // north edge
    double cell_x = 1;    // cell width
    double cell_y = 1;    // cell height, positive
    std::string crs_wkt;

    std::size_t cells() const { return static_cast<std::size_t>(width) * static_cast<std::size_t>(height); }
    std::size_t index(int col, int row) const
    {
        return static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col);
    }
    bool contains(int col, int row) const { return col >= 0 && row >= 0 && col < width && row < height; }
    double centre_x(int col) const { return origin_x + (col + 0.5) * cell_x; }
    double centre_y(int row) const { return origin_y - (row + 0.5) * cell_y; }
    double cell_area() const { return cell_x * cell_y; }
    Bounds extent() const
    {
        return {origin_x, origin_y - cell_y * height, origin_x + cell_x * width, origin_y};
    }
    // The column and row of the cell holding (x, y); may lie outside the grid.
    int col_of(double x) const { return static_cast<int>(std::floor((x - origin_x) / cell_x)); }
    int row_of(double y) const { return static_cast<int>(std::floor((origin_y - y) / cell_y)); }
    // GDAL's affine geotransform.
    void geotransform(double gt[6]) const
    {
        gt[0] = origin_x;
        gt[1] = cell_x;
        gt[2] = 0;
        gt[3] = origin_y;
        gt[4] = 0;
        gt[5] = -cell_y;
    }
    bool same_cells(const GridFrame& other) const
    {
        return width == other.width && height == other.height && origin_x == other.origin_x &&
               origin_y == other.origin_y && cell_x == other.cell_x && cell_y == other.cell_y;
    }
};

template <typename T>
struct Grid {
    GridFrame frame;
    std::vector<T> values;

    Grid() = default;
    Grid(const GridFrame& f, T fill) : frame(f), values(f.cells(), fill) {}

    int width() const { return frame.width; }
    int height() const { return frame.height; }
    std::size_t cells() const { return values.size(); }
    T& at(int col, int row) { return values[frame.index(col, row)]; }
    const T& at(int col, int row) const { return values[frame.index(col, row)]; }
    T& operator[](std::size_t i) { return values[i]; }
    const T& operator[](std::size_t i) const { return values[i]; }
};

using FloatGrid = Grid<float>;
using ByteGrid = Grid<std::uint8_t>;

inline constexpr float no_data = std::numeric_limits<float>::quiet_NaN();
inline bool is_no_data(float v) { return std::isnan(v); }

// The eight neighbours of a cell, clockwise from east (x to the east, y to
// the south, as rows grow).
inline constexpr int neighbour_count = 8;
inline constexpr int neighbour_dx[neighbour_count] = {1, 1, 0, -1, -1, -1, 0, 1};
inline constexpr int neighbour_dy[neighbour_count] = {0, 1, 1, 1, 0, -1, -1, -1};

}  // namespace lantern::core
