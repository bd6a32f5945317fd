// Depression filling and flood thresholds share this flood. It follows Zhou,
// Sun and Fu (2016), "An efficient variant of the Priority-Flood algorithm
// for filling depressions in raster digital elevation models" (Computers &
// Geosciences 90, 87-96): the priority queue holds only the cells where water
// may spill; the cells of a depression are filled through a plain queue at the
// spill level, and the cells on a slope up from it are closed through another
// plain queue without ever entering the priority queue, since their value
// cannot change.

#include "priority_flood.hpp"

#include <deque>
#include <limits>
#include <queue>

#include "cell_neighbours.hpp"

namespace lantern::core::flood {

std::vector<std::uint8_t> edge_states(int width, int height)
{
    std::vector<std::uint8_t> states(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0);
    if (width <= 0 || height <= 0)
        return states;
    const auto w = static_cast<std::size_t>(width);
    const auto last_row = static_cast<std::size_t>(height - 1) * w;
    for (std::size_t col = 0; col < w; ++col) {
        states[col] |= on_edge;
        states[last_row + col] |= on_edge;
    }
    for (std::size_t row = 0; row < static_cast<std::size_t>(height); ++row) {
        states[row * w] |= on_edge;
        states[row * w + w - 1] |= on_edge;
    }
    return states;
}

namespace {

template <typename Index>
class Flood {
public:
    Flood(float* values, std::uint8_t* states, int width, int height)
        : m_values(values), m_states(states), m_neighbours(width, height),
          m_cells(static_cast<std::size_t>(width) * static_cast<std::size_t>(height))
    {
    }

    Raised run()
    {
        for (std::size_t i = 0; i < m_cells; ++i)
            if (m_states[i] & seed)
                m_spill.push({m_values[i], static_cast<Index>(i)});
        while (!m_spill.empty()) {
            const QueuedCell<Index> top = m_spill.top();
            m_spill.pop();
            spill_into_neighbours(top.cell, top.value);
            while (!m_depression.empty()) {
                const Index c = m_depression.front();
                m_depression.pop_front();
                spill_into_neighbours(c, top.value);
            }
            while (!m_slope.empty()) {
                const Index c = m_slope.front();
                m_slope.pop_front();
                climb(c);
            }
        }
        return m_raised;
    }

private:
    // Open neighbours at or below the level fill to it and spill on at once
    // (the depression queue); higher ones keep their value and start a slope.
    void spill_into_neighbours(Index c, float level)
    {
        Index around[neighbour_count];
        const int count = m_neighbours.list(c, m_states[c] & on_edge, around);
        for (int k = 0; k < count; ++k) {
            const Index n = around[k];
            if (m_states[n] & closed)
                continue;
            m_states[n] |= closed;
            const float z = m_values[n];
            if (z <= level) {
                if (z < level) {
                    ++m_raised.cells;
                    m_raised.volume += static_cast<double>(level) - static_cast<double>(z);
                    m_values[n] = level;
                }
                m_depression.push_back(n);
            } else {
                m_slope.push_back(n);
            }
        }
    }

    // Up a slope every open neighbour at or above a cell keeps its value and
    // is closed at once. A lower open neighbour may belong to another
    // depression, so the cell waits in the priority queue until its level
    // comes, unless that neighbour will be reached from lower down anyway.
    void climb(Index c)
    {
        const float here = m_values[c];
        Index around[neighbour_count];
        const int count = m_neighbours.list(c, m_states[c] & on_edge, around);
        bool spills = false;
        for (int k = 0; k < count; ++k) {
            const Index n = around[k];
            if (m_states[n] & closed)
                continue;
            if (m_values[n] >= here) {
                m_states[n] |= closed;
                m_slope.push_back(n);
            } else if (!spills && !reached_below(n, c, here)) {
                spills = true;
            }
        }
        if (spills)
            m_spill.push({here, c});
    }

    // Whether open cell n has a closed neighbour other than `from` with a
    // value below `level`. A closed cell next to an open one has not yet
    // spilled into it, and either it or a still lower neighbour of the open
    // cell will, before the flood reaches `level`; so `from` need not wait in
    // the priority queue for n's sake. On rough terrain this spares the
    // priority queue about a third of its cells. No-data is NaN and never
    // below.
    bool reached_below(Index n, Index from, float level) const
    {
        Index around[neighbour_count];
        const int count = m_neighbours.list(n, m_states[n] & on_edge, around);
        for (int k = 0; k < count; ++k) {
            const Index q = around[k];
            if (q != from && (m_states[q] & closed) && m_values[q] < level)
                return true;
        }
        return false;
    }

    float* m_values;
    std::uint8_t* m_states;
    CellNeighbours<Index> m_neighbours;
    std::size_t m_cells;
    std::priority_queue<QueuedCell<Index>, std::vector<QueuedCell<Index>>, LowestFirst> m_spill;
    std::deque<Index> m_depression;  // filled cells still to spill, all at the current level
    std::deque<Index> m_slope;       // closed cells above the level still to climb from
    Raised m_raised;
};

}  // namespace

Raised flood_from_seeds(float* values, std::uint8_t* states, int width, int height)
{
    const auto cells = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
    if (cells <= std::numeric_limits<std::uint32_t>::max())
        return Flood<std::uint32_t>(values, states, width, height).run();
    return Flood<std::uint64_t>(values, states, width, height).run();
}

}  // namespace lantern::core::flood
