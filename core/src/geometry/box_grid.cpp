#include <lantern/core/geometry/box_grid.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>
#include <stdexcept>

namespace lantern::core {

namespace {

// Cells per box aimed at, and the most entries per box allowed before the
// cells are made coarser (a city of large, overlapping boxes).
constexpr double cells_per_box = 4;
constexpr double entries_per_box = 16;

}  // namespace

BoxGrid::BoxGrid(const std::vector<Bounds>& boxes)
{
    if (boxes.empty())
        return;
    if (boxes.size() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("BoxGrid: too many boxes");
    m_extent = boxes.front();
    for (const auto& b : boxes)
        m_extent.expand(b);
    double width = m_extent.max_x - m_extent.min_x, height = m_extent.max_y - m_extent.min_y;
    double count = static_cast<double>(boxes.size());
    m_cell = std::sqrt(std::max(width * height, 1e-12) / (cells_per_box * count));
    m_cell = std::max({m_cell, width / 4096, height / 4096, 1e-9});

    auto span = [&](double low, double high, double origin, std::size_t cells) {
        return std::pair{clamped((low - origin) / m_cell, cells), clamped((high - origin) / m_cell, cells)};
    };
    auto entries_at_this_size = [&] {
        double entries = 0;
        for (const auto& b : boxes) {
            auto [c0, c1] = span(b.min_x, b.max_x, m_extent.min_x, m_columns);
            auto [r0, r1] = span(b.min_y, b.max_y, m_extent.min_y, m_rows);
            entries += static_cast<double>((c1 - c0 + 1) * (r1 - r0 + 1));
        }
        return entries;
    };
    while (true) {
        m_columns = static_cast<std::size_t>(width / m_cell) + 1;
        m_rows = static_cast<std::size_t>(height / m_cell) + 1;
        if (entries_at_this_size() <= entries_per_box * count + static_cast<double>(m_columns * m_rows))
            break;
        m_cell *= 2;
    }

    // Counted, then filed in id order, so each cell's list is sorted.
    auto each_cell = [&](const Bounds& b, auto&& f) {
        auto [c0, c1] = span(b.min_x, b.max_x, m_extent.min_x, m_columns);
        auto [r0, r1] = span(b.min_y, b.max_y, m_extent.min_y, m_rows);
        for (std::size_t r = r0; r <= r1; ++r)
            for (std::size_t c = c0; c <= c1; ++c)
                f(r * m_columns + c);
    };
    std::vector<std::size_t> first(m_columns * m_rows + 1, 0);
    for (const auto& b : boxes)
        each_cell(b, [&](std::size_t cell) { ++first[cell + 1]; });
    for (std::size_t c = 1; c < first.size(); ++c)
        first[c] += first[c - 1];
    if (first.back() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("BoxGrid: too many entries");
    m_first.assign(first.begin(), first.end());
    m_entries.resize(first.back());
    for (std::uint32_t id = 0; id < boxes.size(); ++id)
        each_cell(boxes[id], [&](std::size_t cell) { m_entries[first[cell]++] = {boxes[id], id}; });
}

}  // namespace lantern::core
