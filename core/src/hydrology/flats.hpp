#pragma once
// Directions across flats, for flow_directions.

#include <lantern/core/hydrology/hydrology.hpp>

namespace lantern::core {

// Gives a direction to each cell that has none yet (code 0 on a data cell) and
// belongs to a flat with a way out: an equal neighbour that has a direction.
// Such cells have no lower neighbour and, since edge cells and cells next to
// no-data always drain out, lie inside the grid among data cells. Cells of a
// flat with no way out (a pit that was not filled) keep 0.
void resolve_flats(const FloatGrid& dem, FlowGrid& directions);

}  // namespace lantern::core
