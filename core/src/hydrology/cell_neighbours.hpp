#pragma once
// The eight neighbours of a cell by flat index, for hot loops over large
// grids: offsets are precomputed once, and only cells the caller marks as
// lying on the grid's edge pay for bounds checks.

#include <cstddef>
#include <cstdint>

#include <lantern/core/raster/grid.hpp>

namespace lantern::core {

// Index is an unsigned type wide enough for every cell; offsets wrap modulo
// its range, so c + offset(k) is the neighbour for cells off the edge.
template <typename Index>
class CellNeighbours {
public:
    CellNeighbours(int width, int height) : m_width(width), m_height(height)
    {
        for (int k = 0; k < neighbour_count; ++k)
            m_offset[k] = static_cast<Index>(static_cast<std::ptrdiff_t>(neighbour_dy[k]) * width + neighbour_dx[k]);
    }

    Index offset(int k) const { return m_offset[k]; }

    // Writes the neighbours of cell c inside the grid to around and returns
    // how many there are; on_edge says whether c lies on the grid's edge. A
    // plain loop over the list keeps hot loops free of calls.
    int list(Index c, bool on_edge, Index (&around)[neighbour_count]) const
    {
        if (!on_edge) {
            for (int k = 0; k < neighbour_count; ++k)
                around[k] = static_cast<Index>(c + m_offset[k]);
            return neighbour_count;
        }
        const auto w = static_cast<Index>(m_width);
        const int col = static_cast<int>(c % w);
        const int row = static_cast<int>(c / w);
        int count = 0;
        for (int k = 0; k < neighbour_count; ++k) {
            const int x = col + neighbour_dx[k];
            const int y = row + neighbour_dy[k];
            if (x >= 0 && y >= 0 && x < m_width && y < m_height)
                around[count++] = static_cast<Index>(c + m_offset[k]);
        }
        return count;
    }

private:
    int m_width;
    int m_height;
    Index m_offset[neighbour_count];
};

}  // namespace lantern::core
