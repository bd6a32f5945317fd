#include <lantern/core/geometry/convex_clip.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include <lantern/core/geometry/ring_measure.hpp>

namespace lantern::core {

namespace {

// A turn whose sine is below this is straight: a point that clipping put on
// an edge, a few ulps off it.
constexpr double straight_tolerance = 1e-9;

double cross(PlanePoint o, PlanePoint a, PlanePoint b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool overlap(const Bounds& a, const Bounds& b)
{
    return a.min_x < b.max_x && b.min_x < a.max_x && a.min_y < b.max_y && b.min_y < a.max_y;
}

// Inclusion and exclusion, depth first: adds with `sign` the area of the
// intersection of `common` with each part from `first` on, then goes on to
// the larger intersections that are not empty.
class UnionArea {
public:
    UnionArea(const std::vector<ConvexPart>& parts, std::size_t max_clips) : m_parts(parts), m_budget(max_clips)
    {
        for (const auto& part : parts)
            m_bounds.push_back(ring_bounds(part.ring));
    }

    std::optional<double> run()
    {
        std::vector<std::size_t> groups;
        if (!add(0, nullptr, Bounds{}, groups, 1))
            return std::nullopt;
        return m_total;
    }

private:
    bool add(std::size_t first, const PlaneRing* common, const Bounds& common_bounds,
             std::vector<std::size_t>& groups, int sign)
    {
        for (std::size_t j = first; j < m_parts.size(); ++j) {
            const auto& part = m_parts[j];
            if (std::find(groups.begin(), groups.end(), part.group) != groups.end())
                continue;
            if (common && !overlap(m_bounds[j], common_bounds))
                continue;
            PlaneRing shared;
            if (common) {
                if (m_budget-- == 0)
                    return false;
                shared = clip_to_convex(part.ring, *common);
            } else {
                shared = part.ring;
            }
            double area = shared.size() < 3 ? 0 : std::abs(ring_area(shared));
            if (area <= 0)
                continue;
            m_total += sign * area;
            groups.push_back(part.group);
            bool done = add(j + 1, &shared, ring_bounds(shared), groups, -sign);
            groups.pop_back();
            if (!done)
                return false;
        }
        return true;
    }

    const std::vector<ConvexPart>& m_parts;
    std::vector<Bounds> m_bounds;
    std::size_t m_budget;
    double m_total = 0;
};

}  // namespace

bool is_convex(const PlaneRing& ring)
{
    // The ring without repeated points, so that every edge has a direction.
    PlaneRing points;
    for (const auto& p : ring)
        if (points.empty() || p.x != points.back().x || p.y != points.back().y)
            points.push_back(p);
    while (points.size() > 1 && points.front().x == points.back().x && points.front().y == points.back().y)
        points.pop_back();
    if (points.size() < 3)
        return false;
    int side = 0;
    double turning = 0;
    const std::size_t n = points.size();
    for (std::size_t i = 0; i < n; ++i) {
        PlanePoint a = points[i], b = points[(i + 1) % n], c = points[(i + 2) % n];
        double turn = cross(a, b, c);
        double along = (b.x - a.x) * (c.x - b.x) + (b.y - a.y) * (c.y - b.y);
        double lengths = std::hypot(b.x - a.x, b.y - a.y) * std::hypot(c.x - b.x, c.y - b.y);
        if (std::abs(turn) > straight_tolerance * lengths) {
            int s = turn > 0 ? 1 : -1;
            if (side != 0 && s != side)
                return false;
            side = s;
        }
        turning += std::atan2(turn, along);
    }
    // A pentagram turns one way throughout but winds twice.
    return side != 0 && std::abs(std::abs(turning) - 2 * std::numbers::pi) < 1e-6;
}

PlaneRing clip_to_convex(PlaneRing subject, const PlaneRing& convex)
{
    if (subject.size() < 3 || convex.size() < 3)
        return {};
    // The clipping edges: an edge shorter than rounding (two corners that
    // an earlier clip computed a hair apart) has no direction to trust.
    Bounds box = ring_bounds(convex);
    double magnitude = std::max({std::abs(box.min_x), std::abs(box.max_x), std::abs(box.min_y), std::abs(box.max_y)});
    double shortest = 1e-12 * magnitude + 1e-9 * std::max(box.max_x - box.min_x, box.max_y - box.min_y);
    auto apart = [&](PlanePoint a, PlanePoint b) {
        return std::max(std::abs(a.x - b.x), std::abs(a.y - b.y)) > shortest;
    };
    // Working rings kept by each thread: a parcel's measure clips thousands
    // of times, and the allocations cost more than the arithmetic.
    thread_local PlaneRing corners, next;
    corners.clear();
    for (const auto& p : convex)
        if (corners.empty() || apart(p, corners.back()))
            corners.push_back(p);
    while (corners.size() > 1 && !apart(corners.front(), corners.back()))
        corners.pop_back();
    if (corners.size() < 3)
        return {};
    // Keep what lies on the inner side of each edge.
    double inward = ring_area(corners) < 0 ? -1.0 : 1.0;
    PlaneRing current = std::move(subject);
    for (std::size_t e = 0; e < corners.size() && !current.empty(); ++e) {
        PlanePoint c = corners[e], d = corners[(e + 1) % corners.size()];
        next.clear();
        for (std::size_t i = 0; i < current.size(); ++i) {
            PlanePoint p = current[i], q = current[(i + 1) % current.size()];
            double sp = inward * cross(c, d, p), sq = inward * cross(c, d, q);
            if (sp >= 0)
                next.push_back(p);
            if ((sp >= 0) != (sq >= 0)) {
                double t = sp / (sp - sq);
                next.push_back({p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t});
            }
        }
        std::swap(current, next);
    }
    if (current.size() < 3)
        return {};
    return current;
}

PlaneRing fan_window(const PlaneRing& fan, const Bounds& box)
{
    if (fan.size() < 3)
        return {};
    const PlanePoint centre = fan[0];
    const PlanePoint corners[] = {
        {box.min_x, box.min_y}, {box.max_x, box.min_y}, {box.max_x, box.max_y}, {box.min_x, box.max_y}};
    // Whether the triangle centre, fan[j], fan[j + 1] meets the box: their
    // boxes overlap and no side of the triangle has the box wholly outside
    // (separating axes, exact for two convex polygons).
    auto meets = [&](std::size_t j) {
        const PlanePoint a = fan[j], b = fan[j + 1];
        if (std::max({centre.x, a.x, b.x}) < box.min_x || std::min({centre.x, a.x, b.x}) > box.max_x ||
            std::max({centre.y, a.y, b.y}) < box.min_y || std::min({centre.y, a.y, b.y}) > box.max_y)
            return false;
        const double side = cross(centre, a, b) < 0 ? -1 : 1;
        auto outside = [&](PlanePoint p, PlanePoint q) {
            return std::all_of(std::begin(corners), std::end(corners),
                               [&](PlanePoint k) { return side * cross(p, q, k) < 0; });
        };
        return !outside(centre, a) && !outside(a, b) && !outside(b, centre);
    };
    std::size_t first = 1, last = fan.size() - 2;
    while (first <= last && !meets(first))
        ++first;
    if (first > last)
        return {};
    while (!meets(last))
        --last;
    PlaneRing window;
    window.reserve(last - first + 3);
    window.push_back(centre);
    window.insert(window.end(), fan.begin() + static_cast<std::ptrdiff_t>(first),
                  fan.begin() + static_cast<std::ptrdiff_t>(last) + 2);
    return window;
}

std::vector<PlaneRing> convex_fans(const PlaneRing& ring, PlanePoint centre)
{
    // The ring's vertices other than the centre, from just after it when the
    // ring runs through it (a wedge's apex): then they form an open chain.
    std::size_t start = 0;
    bool through_centre = false;
    for (std::size_t i = 0; i < ring.size(); ++i)
        if (ring[i].x == centre.x && ring[i].y == centre.y) {
            start = i + 1;
            through_centre = true;
        }
    PlaneRing points;
    for (std::size_t k = 0; k < ring.size(); ++k) {
        const auto& p = ring[(start + k) % ring.size()];
        if ((p.x != centre.x || p.y != centre.y) && (points.empty() || p.x != points.back().x || p.y != points.back().y))
            points.push_back(p);
    }
    while (points.size() > 1 && points.front().x == points.back().x && points.front().y == points.back().y)
        points.pop_back();
    const std::size_t n = points.size();
    const std::size_t edges = through_centre ? n - 1 : n;
    double area = ring.size() >= 3 ? ring_area(ring) : 0;
    if (n < 2 || area == 0)
        return {};
    const double side = area > 0 ? 1 : -1;
    // Star-shaped from the centre: no triangle centre, p[i], p[i+1] turns
    // against the ring.
    auto turn = [&](PlanePoint a, PlanePoint b, PlanePoint c) { return side * cross(a, b, c); };
    // Whether the triangle centre, a, b turns against the ring (past rounding),
    // or does not turn with it: the sine of the angle at the centre compared
    // with the tolerance, squared to spare the square roots.
    auto squared_lengths = [&](PlanePoint a, PlanePoint b) {
        double ax = a.x - centre.x, ay = a.y - centre.y, bx = b.x - centre.x, by = b.y - centre.y;
        return (ax * ax + ay * ay) * (bx * bx + by * by) * straight_tolerance * straight_tolerance;
    };
    auto against = [&](PlanePoint a, PlanePoint b) {
        double t = turn(centre, a, b);
        return t < 0 && t * t > squared_lengths(a, b);
    };
    auto flat = [&](PlanePoint a, PlanePoint b) {
        double t = turn(centre, a, b);
        return t <= 0 || t * t <= squared_lengths(a, b);
    };
    for (std::size_t i = 0; i < edges; ++i)
        if (against(points[i], points[(i + 1) % n]))
            return {};

    // Grow each fan along the ring while it stays convex: a left turn (for a
    // counter-clockwise ring) at the newest vertex, at the closing edge back
    // to the centre, and at the centre (less than half a turn there).
    std::vector<PlaneRing> fans;
    PlaneRing fan;
    auto close = [&] {
        if (fan.size() >= 3 && std::abs(ring_area(fan)) > 0)
            fans.push_back(fan);
        fan.clear();
    };
    for (std::size_t k = 0; k < edges; ++k) {
        PlanePoint a = points[k], b = points[(k + 1) % n];
        if (flat(a, b)) {  // a radial edge, or no area
            close();
            continue;
        }
        if (fan.empty()) {
            fan = {centre, a, b};
            continue;
        }
        PlanePoint previous = fan[fan.size() - 2], last = fan.back();
        bool convex = turn(previous, last, b) >= 0 && turn(last, b, centre) >= 0 && turn(b, centre, fan[1]) > 0;
        if (convex) {
            fan.push_back(b);
        } else {
            close();
            fan = {centre, a, b};
        }
    }
    close();
    // Every fan is centre-and-run, so the areas add up unless the ring was
    // not star-shaped after all.
    double sum = 0;
    for (const auto& f : fans)
        sum += std::abs(ring_area(f));
    if (std::abs(sum - std::abs(area)) > 1e-9 * std::abs(area) + 1e-12)
        return {};
    return fans;
}

std::optional<double> convex_union_area(const std::vector<ConvexPart>& parts, std::size_t max_clips)
{
    return UnionArea(parts, max_clips).run();
}

}  // namespace lantern::core
