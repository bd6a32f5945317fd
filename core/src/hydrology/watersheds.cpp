// Labels spread up the flow paths: each cell takes the label of the first
// labelled cell downstream of it. With the outlets as labels this is the
// watershed labelling of a D8 graph (O'Callaghan and Mark 1984, "The
// extraction of drainage networks from digital elevation data", Computer
// Vision, Graphics, and Image Processing 28, 323-344), in linear time
// without recursion (first_on_path in flow_graph.hpp).

#include <lantern/core/hydrology/hydrology.hpp>

#include <limits>

#include <lantern/core/raster/grid_checks.hpp>
#include "flow_graph.hpp"

namespace lantern::core {

const char* const watershed_method =
    "Basins as the cells upstream of each outlet on the D8 graph: O'Callaghan and Mark (1984), The "
    "extraction of drainage networks from digital elevation data, Computer Vision, Graphics, and Image "
    "Processing 28, 323-344";

LabelGrid label_upstream(const FlowGrid& directions, const LabelGrid& seeds)
{
    require_same_cells(directions, seeds, "label_upstream");
    const FlowGraph graph(directions);
    LabelGrid labels;
    labels.frame = directions.frame;
    labels.values = first_on_path(
        graph, [&](std::size_t i) { return seeds[i] > 0; }, [&](std::size_t i) { return seeds[i]; },
        std::int32_t{0});
    return labels;
}

LabelGrid watersheds(const FlowGrid& directions)
{
    require_whole(directions, "watersheds");
    const FlowGraph graph(directions);
    LabelGrid outlets(directions.frame, 0);
    std::int32_t count = 0;
    for (std::size_t i = 0; i < graph.cells(); ++i) {
        if (!graph.has_data(i) || graph.downstream(i) != FlowGraph::none)
            continue;
        if (count == std::numeric_limits<std::int32_t>::max())
            throw DataError("watersheds: more outlets than 32-bit labels can number");
        outlets[i] = ++count;
    }
    return label_upstream(directions, outlets);
}

}  // namespace lantern::core
