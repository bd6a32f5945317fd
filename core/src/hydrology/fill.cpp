// Depression filling: every cell is raised to the lowest level at which water
// on it can leave the grid, over its edge or into no-data. The flood itself is
// Zhou, Sun and Fu (2016) in priority_flood.cpp, or Barnes, Lehman and Mulla
// (2014) Priority-Flood+epsilon in priority_flood_epsilon.cpp; this file
// chooses the seeds.

#include <lantern/core/hydrology/hydrology.hpp>

#include "cell_neighbours.hpp"
#include <lantern/core/raster/grid_checks.hpp>
#include "priority_flood.hpp"

namespace lantern::core {

const char* const fill_method =
    "Priority-Flood variant of Zhou, Sun and Fu (2016), An efficient variant of the Priority-Flood "
    "algorithm for filling depressions in raster digital elevation models, Computers & Geosciences 90, "
    "87-96";
const char* const fill_epsilon_method =
    "Priority-Flood+epsilon of Barnes, Lehman and Mulla (2014), Priority-Flood: An optimal "
    "depression-filling and watershed-labeling algorithm for digital elevation models, Computers & "
    "Geosciences 62, 117-127, Algorithm 3";

namespace {

// Seeds are the data cells where water leaves: on the grid's edge or next to
// no-data. No-data cells are closed so the flood never enters them.
std::vector<std::uint8_t> fill_states(const FloatGrid& dem)
{
    const int width = dem.width();
    const int height = dem.height();
    auto states = flood::edge_states(width, height);
    const float* z = dem.values.data();
    const std::size_t cells = dem.cells();
    for (std::size_t i = 0; i < cells; ++i) {
        if (is_no_data(z[i]))
            states[i] |= flood::closed;
        else if (states[i] & flood::on_edge)
            states[i] |= flood::closed | flood::seed;
    }
    const CellNeighbours<std::size_t> neighbours(width, height);
    for (std::size_t i = 0; i < cells; ++i) {
        if (!is_no_data(z[i]))
            continue;
        std::size_t around[neighbour_count];
        const int count = neighbours.list(i, states[i] & flood::on_edge, around);
        for (int k = 0; k < count; ++k)
            if (!is_no_data(z[around[k]]))
                states[around[k]] |= flood::closed | flood::seed;
    }
    return states;
}

}  // namespace

FillStats fill_depressions(FloatGrid& dem, const FillOptions& options)
{
    require_whole(dem, "fill_depressions");
    auto states = fill_states(dem);
    const auto raised = options.epsilon
        ? flood::flood_from_seeds_epsilon(dem.values.data(), states.data(), dem.width(), dem.height())
        : flood::flood_from_seeds(dem.values.data(), states.data(), dem.width(), dem.height());
    return {raised.cells, raised.volume};
}

}  // namespace lantern::core
