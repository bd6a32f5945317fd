#pragma once
// The streets as a fire vehicle sees them (docs/fire.md): the roads class
// noded into core's StreetGraph, each edge with its road, class, width and
// travel time, whether the vehicle fits, and whether it is closed (flooded
// deeper than passable at a river stage, or closed by id for a what-if).

#include <cstdint>
#include <string>
#include <vector>

#include <lantern/core/network/street_graph.hpp>
#include <lantern/core/raster/grid.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/fire_access.hpp>

namespace lantern::layers::fire {

struct RoadPart {
    std::string id, name, road_class;
    double width_m = 0;
    bool width_given = false;  // false: the class's usual width (docs/fire.md)
};

struct FireStreets {
    core::StreetGraph graph;
    std::vector<RoadPart> lines;       // per graph line: the road it is part of
    std::vector<std::uint8_t> fits;    // per edge: wide enough and a class the vehicle may use
    std::vector<std::uint8_t> closed;  // per edge
    std::vector<float> flood_depth_m;  // per edge, the deepest water along it; NaN without a stage
    std::vector<double> seconds;       // per edge, at the speed of its class

    const RoadPart& road(std::uint32_t edge) const { return lines[graph.edge(edge).line]; }
    // Flags of the edges the vehicle may use now: it fits and they are open.
    std::vector<std::uint8_t> usable() const;
};

// The usual carriageway width of a road class, for roads without width_m.
double usual_width_m(const std::string& road_class);

// Throws DataError when the city has no roads.
FireStreets read_fire_streets(const core::Storage& storage, const FireVehicle& vehicle);

// Closes the edges along which the water is deeper than `passable_m`
// anywhere (sampled every half cell); records each edge's deepest water.
// Returns how many edges it closed.
std::size_t close_flooded(FireStreets& streets, const core::Grid<float>& depth, double passable_m);

// Closes every edge of the roads with these ids. Throws UsageError naming an
// id the roads class does not have.
std::size_t close_roads(FireStreets& streets, const std::vector<std::string>& road_ids);

}  // namespace lantern::layers::fire
