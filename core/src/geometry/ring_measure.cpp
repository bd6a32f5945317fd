#include <lantern/core/geometry/ring_measure.hpp>

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


namespace {

// About this many edges per strip: fewer strips cost little memory, more
// cost long edges filed in many strips.
constexpr std::size_t edges_per_strip = 4;
constexpr std::size_t max_strips = 4096;

}  // namespace

PolygonStrips::PolygonStrips(const std::vector<PlanePolygon>& parts)
{
    std::vector<Edge> edges;
    auto add_ring = [&](const PlaneRing& ring) {
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
            edges.push_back({ring[j], ring[i]});
    };
    for (const auto& part : parts) {
        add_ring(part.exterior);
        for (const auto& hole : part.holes)
            add_ring(hole);
    }
    if (edges.empty()) {
        m_first = {0, 0};
        m_bounds = {1, 1, 0, 0};  // empty: no point lies in it
        return;
    }
    m_bounds = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (const auto& e : edges) {
        m_bounds.min_x = std::min({m_bounds.min_x, e.a.x, e.b.x});
        m_bounds.min_y = std::min({m_bounds.min_y, e.a.y, e.b.y});
        m_bounds.max_x = std::max({m_bounds.max_x, e.a.x, e.b.x});
        m_bounds.max_y = std::max({m_bounds.max_y, e.a.y, e.b.y});
    }
    std::size_t strips = std::clamp<std::size_t>(edges.size() / edges_per_strip, 1, max_strips);
    double height = m_bounds.max_y - m_bounds.min_y;
    m_strip_height = height > 0 ? height / static_cast<double>(strips) : 1;
    // An edge goes into every strip its rows (widened by the tolerance, for
    // points on it) meet.
    auto strip_of = [&](double y) {
        double k = std::floor((y - m_bounds.min_y) / m_strip_height);
        return static_cast<std::size_t>(std::clamp(k, 0.0, static_cast<double>(strips - 1)));
    };
    auto rows = [&](const Edge& e) {
        return std::make_pair(strip_of(std::min(e.a.y, e.b.y) - tolerance),
                              strip_of(std::max(e.a.y, e.b.y) + tolerance));
    };
    m_first.assign(strips + 1, 0);
    for (const auto& e : edges) {
        auto [low, high] = rows(e);
        for (auto k = low; k <= high; ++k)
            ++m_first[k + 1];
    }
    for (std::size_t k = 0; k < strips; ++k)
        m_first[k + 1] += m_first[k];
    m_edges.resize(m_first.back());
    std::vector<std::size_t> next(m_first.begin(), m_first.end() - 1);
    for (const auto& e : edges) {
        auto [low, high] = rows(e);
        for (auto k = low; k <= high; ++k)
            m_edges[next[k]++] = e;
    }
}

bool PolygonStrips::covers(PlanePoint p) const
{
    if (!(p.x >= m_bounds.min_x - tolerance && p.x <= m_bounds.max_x + tolerance &&
          p.y >= m_bounds.min_y - tolerance && p.y <= m_bounds.max_y + tolerance))
        return false;
    double row = std::floor((p.y - m_bounds.min_y) / m_strip_height);
    auto k = static_cast<std::size_t>(std::clamp(row, 0.0, static_cast<double>(m_first.size() - 2)));
    bool inside = false;
    for (auto i = m_first[k]; i < m_first[k + 1]; ++i) {
        const auto& [a, b] = m_edges[i];
        if (p.x >= std::min(a.x, b.x) - tolerance && p.x <= std::max(a.x, b.x) + tolerance &&
            p.y >= std::min(a.y, b.y) - tolerance && p.y <= std::max(a.y, b.y) + tolerance &&
            on_segment(p, a, b))
            return true;
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x)
            inside = !inside;
    }
    return inside;
}

}  // namespace lantern::core
