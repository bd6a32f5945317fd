// Inundation from open water. The flood threshold of a land cell is the
// least, over 8-connected paths of data cells to open water, of the highest
// elevation on the path; one priority-flood from the open water finds it for
// every cell (Barnes, Lehman and Mulla 2014, "Priority-Flood: An optimal
// depression-filling and watershed-labeling algorithm for digital elevation
// models", Computers & Geosciences 62, 117-127, in the variant of Zhou, Sun
// and Fu 2016 in priority_flood.cpp). With open water at minus infinity as
// the only seeds, the flood raises each cell to exactly that threshold; cells
// it never reaches are cut off from open water. Each stage is then one pass.

#include <lantern/core/hydrology/inundation.hpp>

#include <cstddef>

#include <lantern/core/base/parallel.hpp>

#include "cell_neighbours.hpp"
#include <lantern/core/raster/grid_checks.hpp>
#include "priority_flood.hpp"

namespace lantern::core {

const char* const flood_threshold_method =
    "Minimax flood thresholds by priority-flood from open water: Barnes, Lehman and Mulla (2014), "
    "Priority-Flood: An optimal depression-filling and watershed-labeling algorithm for digital elevation "
    "models, Computers & Geosciences 62, 117-127, in the variant of Zhou, Sun and Fu (2016), Computers & "
    "Geosciences 90, 87-96";

FloatGrid flood_threshold(const FloatGrid& dem, const Grid<std::uint8_t>& open_water)
{
    require_same_cells(dem, open_water, "flood_threshold");
    const int width = dem.width();
    const int height = dem.height();
    const std::size_t cells = dem.cells();
    FloatGrid threshold = dem;
    auto states = flood::edge_states(width, height);

    // Open water and no-data are closed: the flood starts from the one and
    // never enters the other.
    parallel_for_chunks(cells, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            if (open_water[i]) {
                threshold[i] = open_water_threshold;
                states[i] |= flood::closed;
            } else if (is_no_data(dem[i])) {
                states[i] |= flood::closed;
            }
        }
    });
    // Seeds: the open water next to land the flood can enter.
    const CellNeighbours<std::size_t> neighbours(width, height);
    parallel_for_chunks(cells, [&](std::size_t begin, std::size_t end) {
        for (std::size_t c = begin; c < end; ++c) {
            if (!open_water[c])
                continue;
            std::size_t around[neighbour_count];
            const int count = neighbours.list(c, states[c] & flood::on_edge, around);
            for (int k = 0; k < count; ++k) {
                if (!(states[around[k]] & flood::closed)) {
                    states[c] |= flood::seed;
                    break;
                }
            }
        }
    });

    flood::flood_from_seeds(threshold.values.data(), states.data(), width, height);

    parallel_for_chunks(cells, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            if (!(states[i] & flood::closed))
                threshold[i] = unreachable_threshold;
    });
    return threshold;
}

FloatGrid stage_depth(const FloatGrid& dem, const FloatGrid& threshold, double stage)
{
    require_same_cells(dem, threshold, "stage_depth");
    FloatGrid depth;
    depth.frame = dem.frame;
    depth.values.resize(dem.cells());
    const std::size_t cells = dem.cells();
    // Every cell is written, wet or dry, without a branch: at a stage that
    // floods half the cells in no pattern a branch is mispredicted half the time.
    parallel_for_chunks(cells, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const float z = dem[i];
            const bool wet = !is_no_data(z) && floods(threshold[i], stage);
            depth[i] = wet ? static_cast<float>(stage - static_cast<double>(z)) : no_data;
        }
    });
    return depth;
}

Grid<std::uint8_t> low_lying_pockets(const FloatGrid& dem, const FloatGrid& threshold, double stage)
{
    require_same_cells(dem, threshold, "low_lying_pockets");
    Grid<std::uint8_t> pockets(dem.frame, 0);
    const std::size_t cells = dem.cells();
    parallel_for_chunks(cells, [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const bool land = !is_no_data(dem[i]) && threshold[i] != open_water_threshold;
            if (land && static_cast<double>(dem[i]) < stage && !floods(threshold[i], stage))
                pockets[i] = 1;
        }
    });
    return pockets;
}

}  // namespace lantern::core
