#pragma once
// Which of a set of polygons holds a point, for points asked many times over
// (the ward of every sample, cell and lookup): the polygons' boxes in a
// BoxGrid, each polygon's edges in PolygonStrips, so a point costs a short
// list of boxes and the edges at its height.
//
// The rule on boundaries, so that every point of the polygons' union gets
// exactly one polygon and always the same one: polygons are closed (a point
// on an edge or a vertex, within PolygonStrips' 1e-9 map units, is in each
// polygon that edge or vertex belongs to), and where several polygons hold a
// point (a shared edge, a shared vertex, an overlap) the lowest index wins.
// Callers that give the polygons in a stable order (a class in fid order) so
// get the same answer in every analysis and on every run.

#include <cstddef>
#include <optional>
#include <vector>

#include <lantern/core/geometry/box_grid.hpp>
#include <lantern/core/geometry/ring_measure.hpp>

namespace lantern::core {

class PolygonLocator {
public:
    PolygonLocator() = default;
    // Polygon i is a multipolygon (parts with holes); one with no parts
    // holds no point but keeps its index.
    explicit PolygonLocator(const std::vector<std::vector<PlanePolygon>>& polygons);

    // The lowest index of the polygons holding p, or nothing outside them all.
    std::optional<std::size_t> locate(PlanePoint p) const
    {
        std::optional<std::size_t> found;
        m_boxes.holding(p, [&](std::size_t i) {
            if (!found && m_strips[i].covers(p))
                found = i;
        });
        return found;
    }

    // Calls visit(i) for every polygon holding p, in increasing index order
    // (the first is locate's answer).
    template <typename Visit>
    void holding(PlanePoint p, Visit&& visit) const
    {
        m_boxes.holding(p, [&](std::size_t i) {
            if (m_strips[i].covers(p))
                visit(i);
        });
    }

    std::size_t size() const { return m_strips.size(); }

private:
    std::vector<PolygonStrips> m_strips;
    BoxGrid m_boxes;  // of the polygons' bounds; an empty polygon's box holds nothing
};

}  // namespace lantern::core
