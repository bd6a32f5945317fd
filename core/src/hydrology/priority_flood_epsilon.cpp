// Filling so that filled areas drain: Priority-Flood+epsilon from Barnes,
// Lehman and Mulla (2014), "Priority-Flood: An optimal depression-filling and
// watershed-labeling algorithm for digital elevation models" (Computers &
// Geosciences 62, 117-127), Algorithm 3. A cell reached from a cell at or
// above it is raised to the next float above that cell, so every raised cell
// has a strictly lower neighbour on its way out. Raised cells wait in a plain
// queue whose values never decrease from front to back; taking the lower of
// its front and the priority queue's top keeps the whole flood in value order.

#include "priority_flood.hpp"

#include <cmath>
#include <deque>
#include <limits>
#include <queue>

#include "cell_neighbours.hpp"

namespace lantern::core::flood {

namespace {

template <typename Index>
Raised flood_epsilon(float* values, std::uint8_t* states, int width, int height)
{
    const CellNeighbours<Index> neighbours(width, height);
    std::priority_queue<QueuedCell<Index>, std::vector<QueuedCell<Index>>, LowestFirst> open;
    std::deque<Index> pit;  // raised cells, in the order (and so the value order) they were raised
    Raised raised;

    const std::size_t cells = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    for (std::size_t i = 0; i < cells; ++i)
        if (states[i] & seed)
            open.push({values[i], static_cast<Index>(i)});

    constexpr float up = std::numeric_limits<float>::infinity();
    while (!open.empty() || !pit.empty()) {
        Index c;
        if (!pit.empty() && (open.empty() || !(open.top().value < values[pit.front()]))) {
            c = pit.front();
            pit.pop_front();
        } else {
            c = open.top().cell;
            open.pop();
        }
        const float here = values[c];
        const float just_above = std::nextafter(here, up);
        Index around[neighbour_count];
        const int count = neighbours.list(c, states[c] & on_edge, around);
        for (int k = 0; k < count; ++k) {
            const Index n = around[k];
            if (states[n] & closed)
                continue;
            states[n] |= closed;
            if (values[n] <= here) {
                ++raised.cells;
                raised.volume += static_cast<double>(just_above) - static_cast<double>(values[n]);
                values[n] = just_above;
                pit.push_back(n);
            } else {
                open.push({values[n], n});
            }
        }
    }
    return raised;
}

}  // namespace

Raised flood_from_seeds_epsilon(float* values, std::uint8_t* states, int width, int height)
{
    const auto cells = static_cast<std::uint64_t>(width) * static_cast<std::uint64_t>(height);
    if (cells <= std::numeric_limits<std::uint32_t>::max())
        return flood_epsilon<std::uint32_t>(values, states, width, height);
    return flood_epsilon<std::uint64_t>(values, states, width, height);
}

}  // namespace lantern::core::flood
