// Height above nearest drainage (HAND) from Rennó et al. (2008), "HAND, a new
// terrain descriptor using SRTM-DEM: Mapping terra-firme rainforest
// environments in Amazonia" (Remote Sensing of Environment 112, 3469-3481):
// each cell's elevation less that of the stream cell its flow path first
// meets. "Nearest" is along the flow path, not as the crow flies.

#include <lantern/core/hydrology/hydrology.hpp>

#include <lantern/core/raster/grid_checks.hpp>
#include "flow_graph.hpp"

namespace lantern::core {

const char* const hand_method =
    "HAND along D8 flow paths: Renno et al. (2008), HAND, a new terrain descriptor using SRTM-DEM: "
    "Mapping terra-firme rainforest environments in Amazonia, Remote Sensing of Environment 112, 3469-3481";

FloatGrid height_above_drainage(const FloatGrid& dem, const FlowGrid& directions,
                                const Grid<std::uint8_t>& streams)
{
    require_same_cells(dem, directions, "height_above_drainage");
    require_same_cells(dem, streams, "height_above_drainage");
    const FlowGraph graph(directions);
    FloatGrid hand;
    hand.frame = dem.frame;
    hand.values = first_on_path(
        graph, [&](std::size_t i) { return streams[i] != 0; }, [&](std::size_t i) { return dem[i]; }, no_data);
    // The drainage elevation becomes the height above it; NaN stays NaN.
    const std::size_t cells = hand.cells();
    for (std::size_t i = 0; i < cells; ++i)
        hand[i] = dem[i] - hand[i];
    return hand;
}

}  // namespace lantern::core
