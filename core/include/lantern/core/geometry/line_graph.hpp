#pragma once
// A planar graph from polylines: each line cut where it crosses or touches
// another, so that a street network drawn as long lines becomes junctions
// and the segments between them.
//
// - An end of a line that stops short of another line (within `snap`) is
//   carried on to it first: a street that ends near a crossing street meets
//   it, as streets traced until they come near each other do.
// - Crossings are found through a grid of segment boxes, O(n + k) for n
//   segments and k crossings when segments are short against the grid.
// - Nodes closer than `merge` are one node.

#include <cstddef>
#include <vector>

#include <lantern/core/geometry/plane.hpp>

namespace lantern::core {

struct LineGraph {
    struct Edge {
        std::size_t a = 0, b = 0;       // nodes at its ends
        std::size_t line = 0;           // the input line it is part of
        std::vector<PlanePoint> points; // from node a to node b
    };
    std::vector<PlanePoint> nodes;
    std::vector<Edge> edges;
    // The edges at each node.
    std::vector<std::vector<std::size_t>> incident() const;
};

struct LineGraphOptions {
    double snap = 0;       // ends this near another line are carried on to it
    double merge = 1e-6;   // nodes this near are one
    double cell = 50;      // of the search grid, about a segment's length
};

LineGraph node_lines(const std::vector<std::vector<PlanePoint>>& lines, const LineGraphOptions& options = {});

}  // namespace lantern::core
