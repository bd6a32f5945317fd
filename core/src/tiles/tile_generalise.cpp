#include <lantern/core/tiles/tile_generalise.hpp>

#include <algorithm>
#include <cmath>
#include <utility>

namespace lantern::core {

namespace {

// Squared distance from p to segment a-b.
double segment_distance2(const TilePoint& p, const TilePoint& a, const TilePoint& b)
{
    double dx = b.x - a.x;
    double dy = b.y - a.y;
    double length2 = dx * dx + dy * dy;
    double t = length2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0.0, 1.0)
                           : 0.0;
    double ex = a.x + t * dx - p.x;
    double ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

}  // namespace

std::vector<TilePoint> simplify_line(const std::vector<TilePoint>& line, double tolerance)
{
    if (line.size() <= 2 || tolerance <= 0)
        return line;
    std::vector<bool> keep(line.size(), false);
    keep.front() = keep.back() = true;
    double tolerance2 = tolerance * tolerance;
    // A closed ring has no chord between its equal ends: split it at the
    // vertex farthest from the start first.
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    const TilePoint& first = line.front();
    const TilePoint& last = line.back();
    if (first.x == last.x && first.y == last.y) {
        std::size_t far = 1;
        double best = -1;
        for (std::size_t i = 1; i + 1 < line.size(); ++i) {
            double d = (line[i].x - first.x) * (line[i].x - first.x) +
                       (line[i].y - first.y) * (line[i].y - first.y);
            if (d > best) {
                best = d;
                far = i;
            }
        }
        keep[far] = true;
        spans = {{0, far}, {far, line.size() - 1}};
    } else {
        spans = {{0, line.size() - 1}};
    }
    while (!spans.empty()) {
        auto [from, to] = spans.back();
        spans.pop_back();
        double best = tolerance2;
        std::size_t split = 0;
        for (std::size_t i = from + 1; i < to; ++i) {
            double d = segment_distance2(line[i], line[from], line[to]);
            if (d > best) {
                best = d;
                split = i;
            }
        }
        if (split != 0) {
            keep[split] = true;
            spans.emplace_back(from, split);
            spans.emplace_back(split, to);
        }
    }
    std::vector<TilePoint> out;
    for (std::size_t i = 0; i < line.size(); ++i)
        if (keep[i])
            out.push_back(line[i]);
    return out;
}

double line_length(const std::vector<TilePoint>& line)
{
    double length = 0;
    for (std::size_t i = 1; i < line.size(); ++i)
        length += std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
    return length;
}

double ring_area(const std::vector<TilePoint>& ring)
{
    double sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const TilePoint& a = ring[i];
        const TilePoint& b = ring[(i + 1) % n];
        sum += a.x * b.y - b.x * a.y;
    }
    return std::abs(sum) / 2;
}

std::uint32_t hilbert_index(double x, double y)
{
    constexpr std::uint32_t side = 1u << 16;
    auto cell = [](double v) {
        return static_cast<std::uint32_t>(std::clamp(v, 0.0, 1.0) * (side - 1));
    };
    std::uint32_t cx = cell(x);
    std::uint32_t cy = cell(y);
    std::uint32_t d = 0;
    for (std::uint32_t s = side / 2; s > 0; s /= 2) {
        std::uint32_t rx = (cx & s) > 0 ? 1 : 0;
        std::uint32_t ry = (cy & s) > 0 ? 1 : 0;
        d += s * s * ((3 * rx) ^ ry);
        // Rotate the quadrant so the curve stays continuous.
        if (ry == 0) {
            if (rx == 1) {
                cx = side - 1 - cx;
                cy = side - 1 - cy;
            }
            std::swap(cx, cy);
        }
    }
    return d;
}

}  // namespace lantern::core
