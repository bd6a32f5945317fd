// Flow accumulation in linear time by Kahn's topological order (Kahn 1962,
// "Topological sorting of large networks", Communications of the ACM 5(11),
// 558-562): a cell passes its count on once every cell draining into it has
// passed on its own. Each cell has one cell downstream, so the queue of Kahn's
// algorithm is never more than the cell just freed: the walk follows it at
// once, and a scan for cells nothing drains into starts the walks.

#include <lantern/core/hydrology/hydrology.hpp>

#include <lantern/core/raster/grid_checks.hpp>
#include "flow_graph.hpp"

namespace lantern::core {

const char* const flow_accumulation_method =
    "D8 accumulation in Kahn's topological order: Kahn (1962), Topological sorting of large networks, "
    "Communications of the ACM 5(11), 558-562";

CountGrid flow_accumulation(const FlowGrid& directions)
{
    require_whole(directions, "flow_accumulation");
    const FlowGraph graph(directions);
    const std::size_t cells = graph.cells();
    CountGrid accumulation(directions.frame, 0);

    // Upstream neighbours not yet passed on; at most 8, so a byte.
    std::vector<std::uint8_t> waiting(cells, 0);
    std::size_t data_cells = 0;
    for (std::size_t i = 0; i < cells; ++i) {
        if (!graph.has_data(i))
            continue;
        ++data_cells;
        accumulation[i] = 1;
        const std::size_t down = graph.downstream(i);
        if (down != FlowGraph::none)
            ++waiting[down];
    }

    constexpr std::uint8_t passed_on = 0xFF;
    std::size_t passed = 0;
    for (std::size_t start = 0; start < cells; ++start) {
        if (waiting[start] != 0 || !graph.has_data(start))
            continue;
        for (std::size_t c = start;;) {
            waiting[c] = passed_on;
            ++passed;
            const std::size_t down = graph.downstream(c);
            if (down == FlowGraph::none)
                break;
            accumulation[down] += accumulation[c];
            if (--waiting[down] != 0)
                break;
            c = down;
        }
    }
    if (passed != data_cells)
        throw DataError("flow directions: some flow paths run in a circle");
    return accumulation;
}

}  // namespace lantern::core
