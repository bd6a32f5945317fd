#include <lantern/core/ring_measure.hpp>

#include <algorithm>
#include <cmath>

namespace lantern::core {

namespace {

constexpr double tolerance = 1e-9;

double cross(PlanePoint o, PlanePoint a, PlanePoint b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool on_segment(PlanePoint p, PlanePoint a, PlanePoint b)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double length_squared = dx * dx + dy * dy;
    if (length_squared == 0)
        return std::hypot(p.x - a.x, p.y - a.y) <= tolerance;
    double t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length_squared, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy)) <= tolerance;
}

// Where the segment a-b meets the edge c-d, as parameters of a-b: one for a
// crossing or a touch, the overlap's two ends for collinear edges.
void meeting_parameters(PlanePoint a, PlanePoint b, PlanePoint c, PlanePoint d,
                        std::vector<double>& out)
{
    double rx = b.x - a.x, ry = b.y - a.y;
    double sx = d.x - c.x, sy = d.y - c.y;
    double denominator = rx * sy - ry * sx;
    double length_squared = rx * rx + ry * ry;
    if (std::abs(denominator) <= tolerance * std::sqrt(length_squared * (sx * sx + sy * sy))) {
        // Parallel: only collinear edges meet, at the projections of c and d.
        if (std::abs(cross(a, b, c)) > tolerance * std::sqrt(length_squared))
            return;
        for (PlanePoint p : {c, d}) {
            double t = ((p.x - a.x) * rx + (p.y - a.y) * ry) / length_squared;
            if (t > 0 && t < 1)
                out.push_back(t);
        }
        return;
    }
    double qx = c.x - a.x, qy = c.y - a.y;
    double t = (qx * sy - qy * sx) / denominator;
    double u = (qx * ry - qy * rx) / denominator;
    if (t > 0 && t < 1 && u >= -tolerance && u <= 1 + tolerance)
        out.push_back(t);
}

}  // namespace

bool ring_contains(const PlaneRing& ring, PlanePoint p)
{
    bool inside = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const auto& a = ring[i];
        const auto& b = ring[j];
        if (on_segment(p, a, b))
            return true;
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

std::vector<SegmentInterval> segment_inside(const PlaneRing& ring, PlanePoint a, PlanePoint b)
{
    std::vector<SegmentInterval> out;
    if (ring.size() < 3)
        return out;
    if (a.x == b.x && a.y == b.y) {
        if (ring_contains(ring, a))
            out.emplace_back(0.0, 0.0);
        return out;
    }
    // The segment changes sides only where it meets the ring: between two
    // meeting points it is wholly in or out, which its midpoint tells.
    std::vector<double> cuts = {0.0, 1.0};
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        meeting_parameters(a, b, ring[j], ring[i], cuts);
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        double middle = (cuts[k] + cuts[k + 1]) / 2;
        PlanePoint m{a.x + (b.x - a.x) * middle, a.y + (b.y - a.y) * middle};
        if (ring_contains(ring, m))
            out.emplace_back(cuts[k], cuts[k + 1]);
    }
    return merge_intervals(std::move(out));
}

std::vector<SegmentInterval> merge_intervals(std::vector<SegmentInterval> intervals)
{
    std::sort(intervals.begin(), intervals.end());
    std::vector<SegmentInterval> merged;
    for (const auto& interval : intervals) {
        if (!merged.empty() && interval.first <= merged.back().second)
            merged.back().second = std::max(merged.back().second, interval.second);
        else
            merged.push_back(interval);
    }
    return merged;
}

double ring_area(const PlaneRing& ring)
{
    double twice = 0;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        twice += (ring[j].x - ring[i].x) * (ring[j].y + ring[i].y);
    return twice / 2;
}

Bounds ring_bounds(const PlaneRing& ring)
{
    Bounds b{ring.front().x, ring.front().y, ring.front().x, ring.front().y};
    for (const auto& p : ring) {
        b.min_x = std::min(b.min_x, p.x);
        b.min_y = std::min(b.min_y, p.y);
        b.max_x = std::max(b.max_x, p.x);
        b.max_y = std::max(b.max_y, p.y);
    }
    return b;
}

}  // namespace lantern::core
