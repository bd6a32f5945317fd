#include <lantern/core/geometry/polygon_locator.hpp>

namespace lantern::core {

namespace {

// PolygonStrips counts points this close to an edge as on it; the boxes are
// widened as much so that the grid does not turn such a point away first.
constexpr double edge_tolerance = 1e-9;

}  // namespace

PolygonLocator::PolygonLocator(const std::vector<std::vector<PlanePolygon>>& polygons)
{
    std::vector<Bounds> boxes;
    m_strips.reserve(polygons.size());
    for (const auto& parts : polygons) {
        m_strips.emplace_back(parts);
        const auto& b = m_strips.back().bounds();
        boxes.push_back({b.min_x - edge_tolerance, b.min_y - edge_tolerance, b.max_x + edge_tolerance,
                         b.max_y + edge_tolerance});
    }
    // An empty polygon has no bounds (PolygonStrips gives inverted ones); it
    // is filed as a point beside another polygon's corner, so that it does not
    // stretch the grid, and its strips hold no point anyway.
    Bounds corner{0, 0, 0, 0};
    for (const auto& b : boxes)
        if (b.min_x <= b.max_x) {
            corner = {b.min_x, b.min_y, b.min_x, b.min_y};
            break;
        }
    for (auto& b : boxes)
        if (b.min_x > b.max_x)
            b = corner;
    m_boxes = BoxGrid(boxes);
}

}  // namespace lantern::core
