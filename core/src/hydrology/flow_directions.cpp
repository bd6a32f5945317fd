// D8 flow directions: each cell drains to the neighbour with the steepest
// drop over distance (O'Callaghan and Mark 1984, "The extraction of drainage
// networks from digital elevation data", Computer Vision, Graphics, and Image
// Processing 28, 323-344), diagonals sqrt(2) cells away (the hypotenuse of the
// cell's width and height). Cells with no lower neighbour on the grid's edge
// or next to no-data drain out there; the rest lie on flats, resolved in
// flats.cpp (Barnes, Lehman and Mulla 2014).

#include <lantern/core/hydrology/hydrology.hpp>

#include <atomic>
#include <cmath>

#include <lantern/core/base/parallel.hpp>

#include <lantern/core/raster/grid_checks.hpp>
#include "flats.hpp"

namespace lantern::core {

const char* const flow_directions_method =
    "D8 steepest descent, O'Callaghan and Mark (1984), The extraction of drainage networks from digital "
    "elevation data, Computer Vision, Graphics, and Image Processing 28, 323-344; flats by Barnes, Lehman "
    "and Mulla (2014), An efficient assignment of drainage direction over flat surfaces in raster digital "
    "elevation models, Computers & Geosciences 62, 128-135";

int direction_index(std::uint8_t code)
{
    for (int k = 0; k < neighbour_count; ++k)
        if (code == direction_code(k))
            return k;
    return -1;
}

namespace {

struct Steps {
    std::ptrdiff_t offset[neighbour_count];
    double per_distance[neighbour_count];  // 1 / distance to the neighbour's centre
};

// Of two ways out, the first straight one (east, south, west, north) if any:
// an edge cell drains straight off its edge rather than off a corner.
int way_out(int chosen, int k)
{
    if (chosen < 0 || (chosen % 2 == 1 && k % 2 == 0))
        return k;
    return chosen;
}

// The direction of one data cell, or 0 when it has no lower neighbour and no
// way out. Cells off the edge are checked only when Edge is set.
template <bool Edge>
std::uint8_t steepest_descent(const float* z, std::size_t i, int col, int row, int width, int height,
                              const Steps& steps)
{
    const float here = z[i];
    double steepest = 0;
    int down = -1;
    int out = -1;
    for (int k = 0; k < neighbour_count; ++k) {
        if constexpr (Edge) {
            const int x = col + neighbour_dx[k];
            const int y = row + neighbour_dy[k];
            if (x < 0 || y < 0 || x >= width || y >= height) {
                out = way_out(out, k);
                continue;
            }
        }
        const float there = z[static_cast<std::ptrdiff_t>(i) + steps.offset[k]];
        if (is_no_data(there)) {
            out = way_out(out, k);
            continue;
        }
        if (there < here) {
            const double slope = (static_cast<double>(here) - static_cast<double>(there)) * steps.per_distance[k];
            if (slope > steepest) {
                steepest = slope;
                down = k;
            }
        }
    }
    if (down >= 0)
        return direction_code(down);
    if (out >= 0)
        return direction_code(out);
    return 0;
}

}  // namespace

FlowGrid flow_directions(const FloatGrid& filled)
{
    require_whole(filled, "flow_directions");
    const int width = filled.width();
    const int height = filled.height();
    FlowGrid directions(filled.frame, 0);

    Steps steps{};
    const double diagonal = std::hypot(filled.frame.cell_x, filled.frame.cell_y);
    for (int k = 0; k < neighbour_count; ++k) {
        steps.offset[k] = static_cast<std::ptrdiff_t>(neighbour_dy[k]) * width + neighbour_dx[k];
        const double distance = neighbour_dx[k] == 0   ? filled.frame.cell_y
                                : neighbour_dy[k] == 0 ? filled.frame.cell_x
                                                       : diagonal;
        steps.per_distance[k] = 1 / distance;
    }

    const float* z = filled.values.data();
    std::uint8_t* code = directions.values.data();
    std::atomic<std::size_t> undirected{0};
    parallel_for_chunks(static_cast<std::size_t>(height), [&](std::size_t first, std::size_t end) {
        std::size_t here = 0;
        for (auto row = static_cast<int>(first); row < static_cast<int>(end); ++row) {
            const bool edge_row = row == 0 || row == height - 1;
            for (int col = 0; col < width; ++col) {
                const std::size_t i = filled.frame.index(col, row);
                if (is_no_data(z[i]))
                    continue;
                const bool edge = edge_row || col == 0 || col == width - 1;
                code[i] = edge ? steepest_descent<true>(z, i, col, row, width, height, steps)
                               : steepest_descent<false>(z, i, col, row, width, height, steps);
                if (code[i] == 0)
                    ++here;
            }
        }
        undirected += here;
    });
    if (undirected > 0)
        resolve_flats(filled, directions);
    return directions;
}

}  // namespace lantern::core
