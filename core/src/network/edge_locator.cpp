#include <lantern/core/network/edge_locator.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string>
#include <tuple>

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/geometry/algorithms/distance.hpp>
#include <boost/geometry/strategies/cartesian/distance_pythagoras_box_box.hpp>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

using BoxPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<BoxPoint>;
using Entry = std::pair<Box, std::uint32_t>;  // a segment's box and its index
using Tree = bgi::rtree<Entry, bgi::rstar<16>>;

// A segment of an edge's shape, with the offset along the edge where it starts.
struct Segment {
    PlanePoint p, q;
    std::uint32_t edge;
    double start;
};

PlanePoint minus(PlanePoint a, PlanePoint b)
{
    return {a.x - b.x, a.y - b.y};
}
double dot(PlanePoint a, PlanePoint b)
{
    return a.x * b.x + a.y * b.y;
}
double cross(PlanePoint a, PlanePoint b)
{
    return a.x * b.y - a.y * b.x;
}
double distance(PlanePoint a, PlanePoint b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

// The parameter along segment p-q of its point nearest to x.
double nearest_parameter(PlanePoint p, PlanePoint q, PlanePoint x)
{
    PlanePoint d = minus(q, p);
    double length2 = dot(d, d);
    return length2 > 0 ? std::clamp(dot(minus(x, p), d) / length2, 0.0, 1.0) : 0.0;
}

// The point at parameter t along p-q, exactly p or q at the ends.
PlanePoint at_parameter(PlanePoint p, PlanePoint q, double t)
{
    if (t <= 0)
        return p;
    if (t >= 1)
        return q;
    return {p.x + (q.x - p.x) * t, p.y + (q.y - p.y) * t};
}

Box box_of(PlanePoint a, PlanePoint b)
{
    return Box(BoxPoint(std::min(a.x, b.x), std::min(a.y, b.y)), BoxPoint(std::max(a.x, b.x), std::max(a.y, b.y)));
}

double box_gap(const Box& a, const Box& b)
{
    double dx = std::max({a.min_corner().get<0>() - b.max_corner().get<0>(),
                          b.min_corner().get<0>() - a.max_corner().get<0>(), 0.0});
    double dy = std::max({a.min_corner().get<1>() - b.max_corner().get<1>(),
                          b.min_corner().get<1>() - a.max_corner().get<1>(), 0.0});
    return std::hypot(dx, dy);
}

// A place on a segment: its parameter and its distance from the query.
struct Contact {
    double gap;
    double t;
};

bool closer(const Contact& a, const Contact& b)
{
    return std::tie(a.gap, a.t) < std::tie(b.gap, b.t);
}

// Where segment p-q first meets segment r-s (the least parameter along p-q),
// or nothing when they do not meet.
std::optional<double> first_meeting(PlanePoint p, PlanePoint q, PlanePoint r, PlanePoint s)
{
    PlanePoint d = minus(q, p);
    double side_p = cross(minus(s, r), minus(p, r)), side_q = cross(minus(s, r), minus(q, r));
    double side_r = cross(d, minus(r, p)), side_s = cross(d, minus(s, p));
    if (side_p == 0 && side_q == 0) {
        // On one line: where their spans along p-q overlap.
        double length2 = dot(d, d);
        if (length2 == 0)
            return std::nullopt;
        double tr = dot(minus(r, p), d) / length2, ts = dot(minus(s, p), d) / length2;
        double low = std::max(std::min(tr, ts), 0.0), high = std::min(std::max(tr, ts), 1.0);
        if (low > high)
            return std::nullopt;
        return low;
    }
    bool straddles_rs = (side_p <= 0 && side_q >= 0) || (side_p >= 0 && side_q <= 0);
    bool straddles_pq = (side_r <= 0 && side_s >= 0) || (side_r >= 0 && side_s <= 0);
    if (!straddles_rs || !straddles_pq)
        return std::nullopt;
    return std::clamp(side_p / (side_p - side_q), 0.0, 1.0);
}

// Even-odd rule: whether x is inside the ring (its boundary undecided).
bool inside_ring(const PlaneRing& ring, PlanePoint x)
{
    bool inside = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
        const PlanePoint &a = ring[i], &b = ring[j];
        if ((a.y > x.y) != (b.y > x.y) && x.x < a.x + (b.x - a.x) * (x.y - a.y) / (b.y - a.y))
            inside = !inside;
    }
    return inside;
}

bool inside_polygon(const PlanePolygon& polygon, PlanePoint x)
{
    if (!inside_ring(polygon.exterior, x))
        return false;
    return std::none_of(polygon.holes.begin(), polygon.holes.end(),
                        [&](const PlaneRing& hole) { return inside_ring(hole, x); });
}

template <typename Each>
void for_each_side(const PlanePolygon& polygon, Each&& each)
{
    auto sides = [&](const PlaneRing& ring) {
        for (std::size_t i = 0; i < ring.size(); ++i)
            each(ring[i], ring[(i + 1) % ring.size()]);
    };
    sides(polygon.exterior);
    for (const auto& hole : polygon.holes)
        sides(hole);
}

// The nearest place on segment p-q to the polygon: gap 0 at its first
// meeting with a side, or at p when p lies inside; otherwise the least of
// its ends' distances to the sides and the sides' ends' distances to it.
Contact contact_with(PlanePoint p, PlanePoint q, const PlanePolygon& polygon)
{
    if (inside_polygon(polygon, p))
        return {0, 0};
    Contact best{std::numeric_limits<double>::infinity(), 0};
    bool meets = false;
    for_each_side(polygon, [&](PlanePoint r, PlanePoint s) {
        if (auto t = first_meeting(p, q, r, s)) {
            if (!meets || *t < best.t)
                best = {0, *t};
            meets = true;
        }
    });
    if (meets)
        return best;
    auto consider = [&](const Contact& c) {
        if (closer(c, best))
            best = c;
    };
    for_each_side(polygon, [&](PlanePoint r, PlanePoint s) {
        for (auto [end, t] : {std::pair{p, 0.0}, std::pair{q, 1.0}})
            consider({distance(end, at_parameter(r, s, nearest_parameter(r, s, end))), t});
        for (PlanePoint corner : {r, s}) {
            double t = nearest_parameter(p, q, corner);
            consider({distance(corner, at_parameter(p, q, t)), t});
        }
    });
    return best;
}

bool valid_polygon(const PlanePolygon& polygon)
{
    auto ok = [](const PlaneRing& ring) { return ring.size() >= 3; };
    return ok(polygon.exterior) && std::all_of(polygon.holes.begin(), polygon.holes.end(), ok);
}

}  // namespace

struct EdgeLocator::Index {
    const StreetGraph* graph;
    std::vector<Segment> segments;
    Tree tree;

    NearestEdgePoint place(std::uint32_t segment, const Contact& contact) const
    {
        const Segment& s = segments[segment];
        double offset = std::min(s.start + contact.t * distance(s.p, s.q), graph->edge(s.edge).length);
        return {{s.edge, offset}, contact.gap, at_parameter(s.p, s.q, contact.t)};
    }

    // The k segments of nearest box, for k = 8, 64, 512, ..., until the
    // farthest of them lies beyond the best gap found (no other segment can
    // match it then) or there are no more. Equal gaps go to the lower edge,
    // then the lower offset. (Boost's incremental nearest query would do,
    // but keeps every value it has passed over when not told how many are
    // wanted, which here is slower than asking again.)
    template <typename Measure>
    std::optional<NearestEdgePoint> search(const Box& around, Measure&& measure) const
    {
        std::optional<NearestEdgePoint> best;
        std::vector<Entry> nearest;
        for (std::size_t k = 8;; k *= 8) {
            nearest.clear();
            tree.query(bgi::nearest(around, static_cast<unsigned>(std::min(k, tree.size()))),
                       std::back_inserter(nearest));
            double farthest = 0;
            for (const Entry& entry : nearest) {
                farthest = std::max(farthest, box_gap(entry.first, around));
                NearestEdgePoint found = place(entry.second, measure(segments[entry.second]));
                if (!best || std::tie(found.gap, found.at.edge, found.at.offset) <
                                 std::tie(best->gap, best->at.edge, best->at.offset))
                    best = found;
            }
            // A little room for rounding in the boxes' gaps.
            if (nearest.size() < k || farthest > best->gap + 1e-9 * (1 + best->gap))
                return best;
        }
    }
};

EdgeLocator::EdgeLocator(const StreetGraph& graph, const std::vector<std::uint8_t>& allowed)
    : m_index(std::make_unique<Index>())
{
    if (!allowed.empty() && allowed.size() != graph.edge_count())
        throw UsageError("edge locator: " + std::to_string(allowed.size()) + " edge flags for " +
                         std::to_string(graph.edge_count()) + " edges");
    m_index->graph = &graph;
    std::vector<Entry> entries;
    for (std::uint32_t e = 0; e < graph.edge_count(); ++e) {
        if (!allowed.empty() && !allowed[e])
            continue;
        auto shape = graph.shape(e);
        double start = 0;
        for (std::size_t i = 0; i + 1 < shape.size(); ++i) {
            entries.emplace_back(box_of(shape[i], shape[i + 1]), static_cast<std::uint32_t>(m_index->segments.size()));
            m_index->segments.push_back({shape[i], shape[i + 1], e, start});
            start += distance(shape[i], shape[i + 1]);
        }
    }
    // The packing constructor: a better tree than one built by insertion.
    m_index->tree = Tree(entries.begin(), entries.end());
}

EdgeLocator::~EdgeLocator() = default;
EdgeLocator::EdgeLocator(EdgeLocator&&) noexcept = default;
EdgeLocator& EdgeLocator::operator=(EdgeLocator&&) noexcept = default;

std::optional<NearestEdgePoint> EdgeLocator::nearest(PlanePoint p) const
{
    if (m_index->tree.empty())
        return std::nullopt;
    return m_index->search(box_of(p, p), [&](const Segment& s) {
        double t = nearest_parameter(s.p, s.q, p);
        return Contact{distance(p, at_parameter(s.p, s.q, t)), t};
    });
}

std::optional<NearestEdgePoint> EdgeLocator::nearest(const PlanePolygon& polygon) const
{
    if (!valid_polygon(polygon))
        throw UsageError("edge locator: a polygon with a ring of fewer than three points");
    if (m_index->tree.empty())
        return std::nullopt;
    PlanePoint low = polygon.exterior.front(), high = low;
    for (const auto& v : polygon.exterior) {
        low = {std::min(low.x, v.x), std::min(low.y, v.y)};
        high = {std::max(high.x, v.x), std::max(high.y, v.y)};
    }
    Box around = box_of(low, high);
    return m_index->search(around, [&](const Segment& s) { return contact_with(s.p, s.q, polygon); });
}

}  // namespace lantern::core
