// Streams as the cells that enough of the grid drains through: the usual
// accumulation threshold, kept apart so callers choose it.

#include <lantern/core/hydrology/hydrology.hpp>

namespace lantern::core {

Grid<std::uint8_t> stream_cells(const CountGrid& accumulation, std::uint32_t threshold)
{
    Grid<std::uint8_t> streams(accumulation.frame, 0);
    const std::size_t cells = streams.cells();
    for (std::size_t i = 0; i < cells && i < accumulation.cells(); ++i)
        streams[i] = (accumulation[i] > 0 && accumulation[i] >= threshold) ? 1 : 0;
    return streams;
}

}  // namespace lantern::core
