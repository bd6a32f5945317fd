#include "clip.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace lantern::core::mvt {

namespace {

enum class Side { left, right, top, bottom };

bool inside(const TilePoint& p, Side side, const ClipBox& box)
{
    switch (side) {
    case Side::left: return p.x >= box.min_x;
    case Side::right: return p.x <= box.max_x;
    case Side::top: return p.y >= box.min_y;
    case Side::bottom: return p.y <= box.max_y;
    }
    return true;
}

// Where segment a-b crosses the side's line; a and b are on either side of it.
TilePoint crossing(const TilePoint& a, const TilePoint& b, Side side, const ClipBox& box)
{
    if (side == Side::left || side == Side::right) {
        double x = side == Side::left ? box.min_x : box.max_x;
        double t = (x - a.x) / (b.x - a.x);
        return {x, a.y + t * (b.y - a.y)};
    }
    double y = side == Side::top ? box.min_y : box.max_y;
    double t = (y - a.y) / (b.y - a.y);
    return {a.x + t * (b.x - a.x), y};
}

}  // namespace

bool all_finite(const std::vector<TilePoint>& points)
{
    return std::all_of(points.begin(), points.end(),
                       [](const TilePoint& p) { return std::isfinite(p.x) && std::isfinite(p.y); });
}

std::vector<TilePoint> clip_ring(const std::vector<TilePoint>& ring, const ClipBox& box)
{
    std::vector<TilePoint> current = ring;
    std::vector<TilePoint> next;
    for (Side side : std::array{Side::left, Side::right, Side::top, Side::bottom}) {
        if (current.empty())
            break;
        next.clear();
        const TilePoint* previous = &current.back();
        for (const TilePoint& point : current) {
            bool point_in = inside(point, side, box);
            bool previous_in = inside(*previous, side, box);
            if (point_in != previous_in)
                next.push_back(crossing(*previous, point, side, box));
            if (point_in)
                next.push_back(point);
            previous = &point;
        }
        current.swap(next);
    }
    return current;
}

std::vector<std::vector<TilePoint>> clip_line(const std::vector<TilePoint>& line,
                                              const ClipBox& box)
{
    std::vector<std::vector<TilePoint>> pieces;
    std::vector<TilePoint> piece;
    auto close_piece = [&] {
        if (piece.size() >= 2)
            pieces.push_back(std::move(piece));
        piece.clear();
    };
    for (std::size_t i = 1; i < line.size(); ++i) {
        TilePoint a = line[i - 1];
        TilePoint b = line[i];
        double dx = b.x - a.x;
        double dy = b.y - a.y;
        double t0 = 0;
        double t1 = 1;
        // Liang-Barsky: p t <= q for each of the four sides.
        const std::array<double, 4> p{-dx, dx, -dy, dy};
        const std::array<double, 4> q{a.x - box.min_x, box.max_x - a.x, a.y - box.min_y,
                                      box.max_y - a.y};
        bool outside = false;
        for (std::size_t k = 0; k < 4 && !outside; ++k) {
            if (p[k] == 0) {
                outside = q[k] < 0;
                continue;
            }
            double t = q[k] / p[k];
            if (p[k] < 0) {
                if (t > t1)
                    outside = true;
                else if (t > t0)
                    t0 = t;
            } else {
                if (t < t0)
                    outside = true;
                else if (t < t1)
                    t1 = t;
            }
        }
        if (outside) {
            close_piece();
            continue;
        }
        TilePoint start{a.x + t0 * dx, a.y + t0 * dy};
        TilePoint end{a.x + t1 * dx, a.y + t1 * dy};
        if (t0 > 0)
            close_piece();  // the line re-enters the box here
        if (piece.empty())
            piece.push_back(start);
        piece.push_back(end);
        if (t1 < 1)
            close_piece();  // and leaves it here
    }
    close_piece();
    return pieces;
}

}  // namespace lantern::core::mvt
