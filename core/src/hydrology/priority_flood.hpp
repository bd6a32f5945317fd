#pragma once
// The priority-flood at the heart of depression filling and flood thresholds:
// both give each cell the least, over all paths to a seed, of the highest
// value on the path (itself included). Filling seeds the grid's edge and the
// cells next to no-data; flood thresholds seed open water at -infinity.
//
// Memory: the values are raised in place and the state is one byte per cell,
// so a flood of a 100M-cell grid needs its float32 values plus 100 MB and the
// queues (a frontier, not the grid).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lantern::core::flood {

// Bits of a cell's state byte.
inline constexpr std::uint8_t closed = 1;   // its final value is known; never enqueue it again
inline constexpr std::uint8_t on_edge = 2;  // on the grid's edge: its neighbours need bounds checks
inline constexpr std::uint8_t seed = 4;     // where the flood starts (also closed)

// One state byte per cell, with on_edge set on the grid's edge.
std::vector<std::uint8_t> edge_states(int width, int height);

// A cell waiting in a flood's priority queue, and the order that takes the
// lowest value first.
template <typename Index>
struct QueuedCell {
    float value;
    Index cell;
};

struct LowestFirst {
    template <typename Cell>
    bool operator()(const Cell& a, const Cell& b) const { return a.value > b.value; }
};

struct Raised {
    std::uint64_t cells = 0;
    double volume = 0;  // sum of the raises
};

// Raises every cell that is not closed and that a seed reaches through cells
// that are not closed to the least, over those paths, of the highest value
// on the path; marks them closed. Cells no seed reaches stay open. values and
// states hold width x height cells. Closed cells that are not seeds must be
// NaN (no-data, never entered) or have no open neighbour. Zhou, Sun and Fu
// (2016): one priority queue for the cells where water may spill, plain
// queues for the cells inside a depression and for the cells on a slope up
// from it.
Raised flood_from_seeds(float* values, std::uint8_t* states, int width, int height);

// Priority-Flood+epsilon (Barnes, Lehman and Mulla 2014, Algorithm 3): as
// flood_from_seeds, but each raised cell ends one float step above the cell
// it was reached from, so every raised cell has a strictly lower neighbour.
Raised flood_from_seeds_epsilon(float* values, std::uint8_t* states, int width, int height);

}  // namespace lantern::core::flood
