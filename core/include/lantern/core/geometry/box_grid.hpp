#pragma once
// Boxes filed in the cells of a uniform grid over their extent, for point
// queries asked many times over (the lookup API): the boxes that may hold a
// point are the list of the point's cell, read in one go where an R-tree
// descends level by level. About four cells per box keeps the lists short
// where boxes are small and dense (parcels), while large boxes (wards) are
// filed in many cells but are few.

#include <algorithm>
#include <cstdint>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>
#include <lantern/core/geometry/plane.hpp>

namespace lantern::core {

class BoxGrid {
public:
    BoxGrid() = default;
    // Box i is id i.
    explicit BoxGrid(const std::vector<Bounds>& boxes);

    // Calls visit(id) for every box that holds p (edges included), in
    // increasing id order.
    template <typename Visit>
    void holding(PlanePoint p, Visit&& visit) const
    {
        if (m_entries.empty() || !(p.x >= m_extent.min_x && p.x <= m_extent.max_x && p.y >= m_extent.min_y &&
                                 p.y <= m_extent.max_y))
            return;
        std::size_t cell = cell_row(p.y) * m_columns + cell_column(p.x);
        for (std::uint32_t k = m_first[cell]; k < m_first[cell + 1]; ++k) {
            const Bounds& b = m_entries[k].box;
            if (p.x >= b.min_x && p.x <= b.max_x && p.y >= b.min_y && p.y <= b.max_y)
                visit(std::size_t{m_entries[k].id});
        }
    }

    std::size_t cells() const { return m_first.empty() ? 0 : m_first.size() - 1; }
    std::size_t entries() const { return m_entries.size(); }

private:
    std::size_t cell_column(double x) const { return clamped((x - m_extent.min_x) / m_cell, m_columns); }
    std::size_t cell_row(double y) const { return clamped((y - m_extent.min_y) / m_cell, m_rows); }
    static std::size_t clamped(double at, std::size_t count)
    {
        return at <= 0 ? 0 : std::min(static_cast<std::size_t>(at), count - 1);
    }

    // A box with its id, copied into each cell it is filed in: a cell's
    // list is read from one stretch of memory.
    struct Entry {
        Bounds box;
        std::uint32_t id;
    };

    Bounds m_extent;
    double m_cell = 1;
    std::size_t m_columns = 0, m_rows = 0;
    std::vector<std::uint32_t> m_first;  // cell c's entries are m_entries[m_first[c], m_first[c + 1])
    std::vector<Entry> m_entries;
};

}  // namespace lantern::core
