#pragma once
// Flow directions read as a graph: each data cell has at most one cell
// downstream, and a path ends where it leaves the grid or meets a cell
// without a direction (no-data). Every walk down the graph in hydrology goes
// through here, so paths end the same way everywhere.

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include <lantern/core/base/error.hpp>
#include <lantern/core/hydrology/hydrology.hpp>

namespace lantern::core {

// The neighbour index (0..7) of each byte read as a D8 code, -1 for bytes
// that are no direction; a table, since it is read for every cell.
inline constexpr std::array<std::int8_t, 256> direction_steps = [] {
    std::array<std::int8_t, 256> steps{};
    for (auto& s : steps)
        s = -1;
    for (int k = 0; k < neighbour_count; ++k)
        steps[std::size_t{1} << k] = static_cast<std::int8_t>(k);
    return steps;
}();

class FlowGraph {
public:
    static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

    explicit FlowGraph(const FlowGrid& directions)
        : m_codes(directions.values.data()), m_cells(directions.values.size()), m_width(directions.width()),
          m_height(directions.height())
    {
        for (int k = 0; k < neighbour_count; ++k)
            m_offset[k] = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(neighbour_dy[k]) * m_width +
                                                   neighbour_dx[k]);
    }

    std::size_t cells() const { return m_cells; }
    bool has_data(std::size_t i) const { return direction_steps[m_codes[i]] >= 0; }

    // The cell that i drains into, or none when i is no-data or its water
    // leaves the grid (off the edge or into no-data).
    std::size_t downstream(std::size_t i) const
    {
        const int k = direction_steps[m_codes[i]];
        if (k < 0)
            return none;
        const auto w = static_cast<std::size_t>(m_width);
        const int row = static_cast<int>(i / w);
        const int col = static_cast<int>(i % w);
        const int x = col + neighbour_dx[k];
        const int y = row + neighbour_dy[k];
        if (x < 0 || y < 0 || x >= m_width || y >= m_height)
            return none;
        const std::size_t j = i + m_offset[k];
        return has_data(j) ? j : none;
    }

private:
    const std::uint8_t* m_codes;
    std::size_t m_cells;
    int m_width;
    int m_height;
    std::size_t m_offset[neighbour_count];
};

// For every cell, value_of(t) for the first cell t on its flow path (itself
// included) where is_target(t) holds; nothing_found where the path leaves the
// grid first and on no-data. Linear time without recursion: a cell's path is
// walked down only until a cell whose answer is known, then walked again to
// write the answer, so each cell is passed at most twice overall.
template <typename T, typename IsTarget, typename ValueOf>
std::vector<T> first_on_path(const FlowGraph& graph, IsTarget is_target, ValueOf value_of, T nothing_found)
{
    const std::size_t cells = graph.cells();
    std::vector<T> answer(cells, nothing_found);
    std::vector<std::uint8_t> known(cells, 0);
    for (std::size_t start = 0; start < cells; ++start) {
        if (known[start] || !graph.has_data(start))
            continue;
        std::size_t c = start;
        T found = nothing_found;
        std::size_t steps = 0;
        for (;;) {
            if (known[c]) {
                found = answer[c];
                break;
            }
            if (is_target(c)) {
                found = value_of(c);
                break;
            }
            const std::size_t next = graph.downstream(c);
            if (next == FlowGraph::none)
                break;
            c = next;
            if (++steps > cells)
                throw DataError("flow directions: a flow path runs in a circle");
        }
        const std::size_t end = c;
        for (c = start;; c = graph.downstream(c)) {
            if (!known[c]) {
                answer[c] = found;
                known[c] = 1;
            }
            if (c == end)
                break;
        }
    }
    return answer;
}

}  // namespace lantern::core
