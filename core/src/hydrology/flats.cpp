// Drainage across flats after Barnes, Lehman and Mulla (2014), "An efficient
// assignment of drainage direction over flat surfaces in raster digital
// elevation models" (Computers & Geosciences 62, 128-135). Two breadth-first
// passes over each flat: one counts steps from the flat's cells next to
// higher ground (away), one counts steps from its cells next to an equal cell
// that already drains (towards). A cell drains to its equal neighbour with the
// least 2 x towards - away, which always exists and is strictly less, so
// water leaves the flat by its lower edge, keeps away from its higher edge,
// and never circles.
//
// The paper adds each flat's greatest away count so its mask stays positive,
// and labels flats to keep that count apart; both only shift a flat's values
// by a constant, so neither is needed here: the breadth-first passes move only
// between equal cells without a direction, which never joins two flats.

#include "flats.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

#include <lantern/core/base/parallel.hpp>

#include "cell_neighbours.hpp"

namespace lantern::core {

namespace {

constexpr std::uint8_t in_flat = 0xFF;  // a flat cell reached from an outlet, direction still to choose

template <typename Mask>
void resolve(const FloatGrid& dem, FlowGrid& directions)
{
    const int width = dem.width();
    const int height = dem.height();
    const std::size_t cells = dem.cells();
    const float* z = dem.values.data();
    std::uint8_t* code = directions.values.data();
    const CellNeighbours<std::size_t> neighbours(width, height);
    auto neighbour = [&](std::size_t c, int k) { return c + neighbours.offset(k); };
    auto undirected = [&](std::size_t i) { return code[i] == 0 && !is_no_data(z[i]); };

    // Away from higher ground: steps from the flat cells next to it, from 1.
    std::vector<Mask> mask(cells, 0);
    std::vector<std::size_t> frontier;
    std::vector<std::size_t> next;
    for (std::size_t i = 0; i < cells; ++i) {
        if (!undirected(i))
            continue;
        for (int k = 0; k < neighbour_count; ++k) {
            if (z[neighbour(i, k)] > z[i]) {
                mask[i] = 1;
                frontier.push_back(i);
                break;
            }
        }
    }
    for (Mask step = 2; !frontier.empty(); ++step) {
        next.clear();
        for (std::size_t c : frontier) {
            for (int k = 0; k < neighbour_count; ++k) {
                const std::size_t n = neighbour(c, k);
                if (mask[n] == 0 && undirected(n) && z[n] == z[c]) {
                    mask[n] = step;
                    next.push_back(n);
                }
            }
        }
        std::swap(frontier, next);
    }

    // Towards lower ground: steps from the equal cells that already drain (the
    // outlets, marked with the least mask), combined with the away count.
    constexpr Mask outlet = std::numeric_limits<Mask>::min();
    frontier.clear();
    for (std::size_t i = 0; i < cells; ++i) {
        if (!undirected(i))
            continue;
        bool by_outlet = false;
        for (int k = 0; k < neighbour_count; ++k) {
            const std::size_t n = neighbour(i, k);
            if (z[n] == z[i] && code[n] != 0) {
                mask[n] = outlet;
                by_outlet = true;
            }
        }
        if (by_outlet)
            frontier.push_back(i);
    }
    for (std::size_t c : frontier) {
        code[c] = in_flat;
        mask[c] = static_cast<Mask>(2 - mask[c]);
    }
    for (Mask step = 2; !frontier.empty(); ++step) {
        next.clear();
        for (std::size_t c : frontier) {
            for (int k = 0; k < neighbour_count; ++k) {
                const std::size_t n = neighbour(c, k);
                if (undirected(n) && z[n] == z[c]) {
                    code[n] = in_flat;
                    mask[n] = static_cast<Mask>(2 * step - mask[n]);
                    next.push_back(n);
                }
            }
        }
        std::swap(frontier, next);
    }

    // Each flat cell drains to the equal neighbour with the least mask; it
    // reads only masks and elevations, so rows run in parallel.
    const auto inner_rows = static_cast<std::size_t>(std::max(0, height - 2));
    parallel_for_chunks(inner_rows, [&](std::size_t first, std::size_t end) {
        for (auto row = static_cast<int>(first) + 1; row < static_cast<int>(end) + 1; ++row) {
            for (int col = 1; col < width - 1; ++col) {
                const std::size_t i = dem.frame.index(col, row);
                if (code[i] != in_flat)
                    continue;
                Mask least = mask[i];
                int way = -1;
                for (int k = 0; k < neighbour_count; ++k) {
                    const std::size_t n = neighbour(i, k);
                    if (z[n] == z[i] && mask[n] < least) {
                        least = mask[n];
                        way = k;
                    }
                }
                code[i] = way < 0 ? 0 : direction_code(way);
            }
        }
    });
}

}  // namespace

void resolve_flats(const FloatGrid& dem, FlowGrid& directions)
{
    // Masks lie between -cells and 2 x cells.
    if (dem.cells() < (std::size_t{1} << 30))
        resolve<std::int32_t>(dem, directions);
    else
        resolve<std::int64_t>(dem, directions);
}

}  // namespace lantern::core
