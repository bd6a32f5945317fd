#pragma once
// Square cells of a plane hashed by their integer indices, for the sparse
// point and segment grids of the street tracer and line_graph.cpp.

#include <cmath>
#include <cstdint>

namespace lantern::core {

// The index of the cell of size `cell` holding coordinate v.
inline std::int64_t cell_index(double v, double cell)
{
    return static_cast<std::int64_t>(std::floor(v / cell));
}

// One key for the cell (i, j).
inline std::uint64_t cell_key(std::int64_t i, std::int64_t j)
{
    return (static_cast<std::uint64_t>(i) << 32) ^ (static_cast<std::uint64_t>(j) & 0xffffffffULL);
}

}  // namespace lantern::core
