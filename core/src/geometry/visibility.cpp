#include <lantern/core/geometry/visibility.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>

namespace lantern::core {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

constexpr double two_pi = 2 * std::numbers::pi;
constexpr double length_eps = 1e-9;  // metres: points this close coincide
constexpr double angle_eps = 1e-12;  // radians: events this close are one event
constexpr double min_facade_tolerance = 1e-6;

struct Vec {
    double x = 0;
    double y = 0;
};

Vec operator+(Vec a, Vec b) { return {a.x + b.x, a.y + b.y}; }
Vec operator-(Vec a, Vec b) { return {a.x - b.x, a.y - b.y}; }
Vec operator*(Vec a, double s) { return {a.x * s, a.y * s}; }
double cross(Vec a, Vec b) { return a.x * b.y - a.y * b.x; }
double dot(Vec a, Vec b) { return a.x * b.x + a.y * b.y; }
double norm(Vec a) { return std::sqrt(a.x * a.x + a.y * a.y); }

// Nearest point to p on segment a-b.
Vec nearest_on_segment(Vec p, Vec a, Vec b)
{
    Vec w = b - a;
    double length2 = dot(w, w);
    double t = length2 > 0 ? std::clamp(dot(p - a, w) / length2, 0.0, 1.0) : 0.0;
    return a + w * t;
}

using BoxPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<BoxPoint>;
using Entry = std::pair<Box, std::uint32_t>;
using Tree = bgi::rtree<Entry, bgi::rstar<16>>;

Box box_around(Vec a, Vec b)
{
    return Box(BoxPoint(std::min(a.x, b.x), std::min(a.y, b.y)),
               BoxPoint(std::max(a.x, b.x), std::max(a.y, b.y)));
}

// Calls f(index) for every entry whose box meets the query box.
template <class F>
void query_boxes(const Tree& tree, const Box& box, F&& f)
{
    tree.query(bgi::intersects(box),
               boost::make_function_output_iterator([&](const Entry& e) { f(e.second); }));
}

// A wall in the viewpoint's frame, p before q counter-clockwise, covering the
// relative angles [s, e] of the sweep.
struct Piece {
    Vec p;
    Vec q;
    double s = 0;
    double e = 0;
    double inv_length = 0;
};

// Signed distance of x from the line of a piece: positive on the viewpoint's
// side, zero within length_eps.
double side(const Piece& line, Vec x)
{
    double d = cross(line.q - line.p, x - line.p) * line.inv_length;
    return std::abs(d) <= length_eps ? 0.0 : d;
}

// +1 when m lies on the viewpoint's side of l's line (in front of l along
// every ray that meets both), -1 when behind it, 0 when it straddles the line,
// 2 when it lies on it.
int place(const Piece& l, const Piece& m)
{
    double s1 = side(l, m.p);
    double s2 = side(l, m.q);
    if (s1 == 0 && s2 == 0)
        return 2;
    if (s1 >= 0 && s2 >= 0)
        return 1;
    if (s1 <= 0 && s2 <= 0)
        return -1;
    return 0;
}

// The sweep for one viewpoint: everything relative to it, angles measured
// counter-clockwise from the sector's first ray.
class Sweep {
public:
    Sweep(double start_angle, double span, double range, double arc_step)
        : m_start(start_angle), m_cos_start(std::cos(start_angle)), m_sin_start(std::sin(start_angle)),
          m_span(span), m_range(range), m_arc_step(arc_step)
    {
    }

    Vec direction(double t) const { return {std::cos(m_start + t), std::sin(m_start + t)}; }

    double angle_of(Vec v) const
    {
        double t = std::atan2(-v.x * m_sin_start + v.y * m_cos_start,
                              v.x * m_cos_start + v.y * m_sin_start);
        if (t < 0)
            t += two_pi;
        return t >= two_pi ? 0.0 : t;
    }

    // Where the ray at angle t meets the segment p-q (clamped to it).
    Vec on_ray(Vec p, Vec q, double t) const
    {
        Vec u = direction(t);
        Vec w = q - p;
        double den = cross(u, w);
        double lambda = std::abs(den) > 0 ? cross(p, u) / den : 0.5;
        return p + w * std::clamp(lambda, 0.0, 1.0);
    }

    // A wall facing the viewpoint, counter-clockwise and within range.
    void add_wall(Vec p, Vec q)
    {
        double tp = angle_of(p);
        double tq = angle_of(q);
        double d = tq - tp;
        bool wraps = d < -std::numbers::pi;
        if (wraps)
            d += two_pi;
        if (d <= angle_eps || d >= std::numbers::pi)
            return;  // seen edge-on
        if (!wraps) {
            add_piece(p, tp, q, tq);
            return;
        }
        Vec split = on_ray(p, q, 0);
        add_piece(p, tp, split, two_pi);
        add_piece(split, 0, q, tq);
    }

    std::size_t piece_count() const { return m_pieces.size(); }

    std::vector<Vec> run();

private:
    void add_piece(Vec p, double s, Vec q, double e)
    {
        if (s >= m_span)
            return;
        if (e > m_span) {
            q = on_ray(p, q, m_span);
            e = m_span;
        }
        if (e - s <= angle_eps)
            return;
        double length = norm(q - p);
        if (length <= 0)
            return;
        m_pieces.push_back({p, q, s, e, 1 / length});
    }

    double distance_at(const Piece& piece, double t) const
    {
        return norm(on_ray(piece.p, piece.q, t));
    }

    // Whether piece a is strictly in front of piece b. Walls split at their
    // crossings do not cross, so one lies wholly on one side of the other's
    // line and the order holds along every ray that meets both; the order
    // does not depend on the current angle. Collinear walls (shared walls)
    // are equally near and ordered by index.
    bool nearer(std::uint32_t a, std::uint32_t b) const
    {
        if (a == b)
            return false;
        const Piece& pa = m_pieces[a];
        const Piece& pb = m_pieces[b];
        int k = place(pb, pa);
        if (k == 1)
            return true;
        if (k == -1)
            return false;
        k = place(pa, pb);
        if (k == 1)
            return false;
        if (k == -1)
            return true;
        // Collinear, or crossing within the tolerances: compare along the ray
        // through the middle of the angles both cover.
        double t = (std::max(pa.s, pb.s) + std::min(pa.e, pb.e)) / 2;
        double da = distance_at(pa, t);
        double db = distance_at(pb, t);
        if (std::abs(da - db) > length_eps)
            return da < db;
        return a < b;
    }

    struct Nearer {
        const Sweep* sweep;
        bool operator()(std::uint32_t a, std::uint32_t b) const { return sweep->nearer(a, b); }
    };

    Vec range_point(double t) const { return direction(t) * m_range; }

    void emit(Vec v)
    {
        if (m_ring.empty() || norm(v - m_ring.back()) > length_eps)
            m_ring.push_back(v);
    }

    // Vertices of the arc strictly between the angles from and to.
    void emit_arc(double from, double to)
    {
        double n = std::max(1.0, std::ceil((to - from) / m_arc_step * (1 - 1e-9)));
        for (double k = 1; k < n; ++k)
            emit(range_point(from + (to - from) * k / n));
    }

    double m_start;
    double m_cos_start;
    double m_sin_start;
    double m_span;
    double m_range;
    double m_arc_step;
    std::vector<Piece> m_pieces;
    std::vector<Vec> m_ring;
};

std::vector<Vec> Sweep::run()
{
    struct Event {
        double angle;
        std::uint32_t piece;
        bool start;
    };
    std::vector<Event> events;
    events.reserve(2 * m_pieces.size());
    for (std::uint32_t i = 0; i < m_pieces.size(); ++i) {
        events.push_back({m_pieces[i].s, i, true});
        events.push_back({m_pieces[i].e, i, false});
    }
    std::sort(events.begin(), events.end(),
              [](const Event& a, const Event& b) { return a.angle < b.angle; });

    using Active = std::set<std::uint32_t, Nearer>;
    Active active(Nearer{this});
    std::vector<Active::iterator> handles(m_pieces.size(), active.end());
    constexpr std::int64_t none = -1;
    auto nearest = [&]() -> std::int64_t { return active.empty() ? none : *active.begin(); };

    // One event group: every event within angle_eps after the first (but
    // short of the last ray, which closes the sweep), ends before starts.
    std::size_t next = 0;
    auto process = [&](double first) {
        double last = std::min(first + angle_eps, m_span - angle_eps);
        std::size_t end = next;
        while (end < events.size() && (end == next || events[end].angle <= last))
            ++end;
        for (std::size_t i = next; i < end; ++i) {
            if (!events[i].start && handles[events[i].piece] != active.end()) {
                active.erase(handles[events[i].piece]);
                handles[events[i].piece] = active.end();
            }
        }
        for (std::size_t i = next; i < end; ++i) {
            if (events[i].start) {
                auto [it, inserted] = active.insert(events[i].piece);
                if (inserted)
                    handles[events[i].piece] = it;
            }
        }
        next = end;
    };
    // Where the nearest wall is at angle t: its own end or start when it
    // ends or starts in the group at t (so that the vertex is exact).
    auto point_before = [&](std::int64_t k, double t) {
        const Piece& piece = m_pieces[static_cast<std::size_t>(k)];
        return piece.e <= t + angle_eps ? piece.q : on_ray(piece.p, piece.q, t);
    };
    auto point_after = [&](std::int64_t k, double t) {
        const Piece& piece = m_pieces[static_cast<std::size_t>(k)];
        return piece.s >= t ? piece.p : on_ray(piece.p, piece.q, t);
    };

    bool full = m_span >= two_pi;
    if (!full)
        m_ring.push_back({0, 0});
    if (!events.empty() && events.front().angle <= angle_eps)
        process(0);
    std::int64_t current = nearest();
    emit(current == none ? range_point(0) : point_after(current, 0));
    double arc_from = 0;
    while (next < events.size() && events[next].angle < m_span - angle_eps) {
        double t = events[next].angle;
        std::int64_t before = current;
        process(t);
        current = nearest();
        if (current == before)
            continue;
        if (before == none) {
            emit_arc(arc_from, t);
            emit(range_point(t));
        } else {
            emit(point_before(before, t));
        }
        if (current == none) {
            emit(range_point(t));
            arc_from = t;
        } else {
            emit(point_after(current, t));
        }
    }
    if (current == none) {
        emit_arc(arc_from, m_span);
        emit(range_point(m_span));
    } else {
        emit(point_before(current, m_span));
    }
    if (full && m_ring.size() > 1 && norm(m_ring.back() - m_ring.front()) <= length_eps)
        m_ring.pop_back();
    return std::move(m_ring);
}

// Splits segments where they cross each other (overlapping buildings), so
// that the sweep's order of walls holds. Boxes are paired by a sweep over x.
void split_crossings(std::vector<std::pair<Vec, Vec>>& segments)
{
    std::size_t n = segments.size();
    if (n < 2)
        return;
    std::vector<std::uint32_t> order(n);
    for (std::uint32_t i = 0; i < n; ++i)
        order[i] = i;
    auto min_x = [&](std::uint32_t i) { return std::min(segments[i].first.x, segments[i].second.x); };
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return min_x(a) < min_x(b); });
    struct Cut {
        std::uint32_t segment;
        double along;
        Vec at;
    };
    std::vector<Cut> cuts;
    auto signed_distance = [](Vec a, Vec b, Vec x) {
        double length = norm(b - a);
        double d = length > 0 ? cross(b - a, x - a) / length : 0.0;
        return std::abs(d) <= length_eps ? 0.0 : d;
    };
    for (std::size_t oi = 0; oi < n; ++oi) {
        std::uint32_t i = order[oi];
        auto [a, b] = segments[i];
        double max_x = std::max(a.x, b.x);
        double lo_y = std::min(a.y, b.y);
        double hi_y = std::max(a.y, b.y);
        for (std::size_t oj = oi + 1; oj < n && min_x(order[oj]) <= max_x; ++oj) {
            std::uint32_t j = order[oj];
            auto [c, d] = segments[j];
            if (std::max(c.y, d.y) < lo_y || std::min(c.y, d.y) > hi_y)
                continue;
            double d1 = signed_distance(a, b, c);
            double d2 = signed_distance(a, b, d);
            double d3 = signed_distance(c, d, a);
            double d4 = signed_distance(c, d, b);
            if (d1 * d2 < 0 && d3 * d4 < 0) {
                double along_j = d1 / (d1 - d2);
                double along_i = d3 / (d3 - d4);
                Vec at = c + (d - c) * along_j;
                cuts.push_back({i, along_i, at});
                cuts.push_back({j, along_j, at});
            }
        }
    }
    if (cuts.empty())
        return;
    std::sort(cuts.begin(), cuts.end(), [](const Cut& x, const Cut& y) {
        return x.segment != y.segment ? x.segment < y.segment : x.along < y.along;
    });
    std::vector<std::pair<Vec, Vec>> out;
    std::size_t k = 0;
    for (std::uint32_t i = 0; i < n; ++i) {
        Vec from = segments[i].first;
        for (; k < cuts.size() && cuts[k].segment == i; ++k) {
            if (norm(cuts[k].at - from) > length_eps) {
                out.emplace_back(from, cuts[k].at);
                from = cuts[k].at;
            }
        }
        if (norm(segments[i].second - from) > length_eps)
            out.emplace_back(from, segments[i].second);
    }
    segments = std::move(out);
}

// Removes repeated vertices, straight-through vertices and spikes from a
// ring (the vertex at keep, if any, stays).
void tidy_ring(std::vector<Vec>& ring, std::optional<std::size_t> keep)
{
    bool changed = true;
    while (changed && ring.size() >= 3) {
        changed = false;
        for (std::size_t i = 0; i < ring.size() && ring.size() >= 3;) {
            if (keep && i == *keep) {
                ++i;
                continue;
            }
            Vec prev = ring[(i + ring.size() - 1) % ring.size()];
            Vec next = ring[(i + 1) % ring.size()];
            Vec v = ring[i];
            double base = norm(next - prev);
            bool flat = norm(v - prev) <= length_eps || norm(next - v) <= length_eps ||
                        std::abs(cross(v - prev, next - prev)) <= length_eps * base;
            if (!flat) {
                ++i;
                continue;
            }
            ring.erase(ring.begin() + static_cast<std::ptrdiff_t>(i));
            if (keep && *keep > i)
                --*keep;
            changed = true;
        }
    }
    if (ring.size() < 3)
        ring.clear();
}

struct Edge {
    Vec a;  // the occluder's interior lies to the left of a -> b
    Vec b;
    std::uint32_t polygon = 0;
};

struct RingSpan {
    std::uint32_t begin = 0;
    std::uint32_t end = 0;
};

struct PolygonRings {
    std::uint32_t first = 0;
    std::uint32_t count = 0;
};

// The ring's distinct vertices, or nothing when it has fewer than three or
// a coordinate that is not finite.
std::vector<Vec> clean_ring(const PlaneRing& ring)
{
    std::vector<Vec> out;
    for (const PlanePoint& p : ring) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            return {};
        Vec v{p.x, p.y};
        if (out.empty() || v.x != out.back().x || v.y != out.back().y)
            out.push_back(v);
    }
    while (out.size() > 1 && out.back().x == out.front().x && out.back().y == out.front().y)
        out.pop_back();
    if (out.size() < 3)
        return {};
    return out;
}

double signed_area(const std::vector<Vec>& ring)
{
    double sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i)
        sum += cross(ring[i], ring[(i + 1) % n]);
    return sum / 2;
}

}  // namespace

struct Occluders::Impl {
    std::vector<Edge> edges;
    Tree edge_tree;
    std::vector<Vec> vertices;
    std::vector<RingSpan> rings;
    std::vector<PolygonRings> polygons;
    Tree polygon_tree;

    bool interior(Vec p) const;
    std::optional<Vec> viewpoint(Vec origin, double tolerance) const;
    PlaneRing region(const ViewSector& sector, const VisibilityOptions& options,
                     VisibilityStats& stats) const;
};

Occluders::Occluders(const std::vector<PlanePolygon>& polygons) : m_impl(std::make_unique<Impl>())
{
    Impl& impl = *m_impl;
    std::vector<Entry> edge_entries;
    std::vector<Entry> polygon_entries;
    for (const PlanePolygon& polygon : polygons) {
        std::vector<Vec> exterior = clean_ring(polygon.exterior);
        double area = exterior.empty() ? 0.0 : signed_area(exterior);
        if (area == 0)
            continue;
        if (area < 0)
            std::reverse(exterior.begin(), exterior.end());
        std::vector<std::vector<Vec>> rings{std::move(exterior)};
        for (const PlaneRing& hole : polygon.holes) {
            std::vector<Vec> ring = clean_ring(hole);
            double hole_area = ring.empty() ? 0.0 : signed_area(ring);
            if (hole_area == 0)
                continue;
            if (hole_area > 0)
                std::reverse(ring.begin(), ring.end());
            rings.push_back(std::move(ring));
        }
        auto index = static_cast<std::uint32_t>(impl.polygons.size());
        impl.polygons.push_back({static_cast<std::uint32_t>(impl.rings.size()),
                                 static_cast<std::uint32_t>(rings.size())});
        Vec lo = rings.front().front();
        Vec hi = lo;
        for (const std::vector<Vec>& ring : rings) {
            auto begin = static_cast<std::uint32_t>(impl.vertices.size());
            for (std::size_t i = 0; i < ring.size(); ++i) {
                Vec a = ring[i];
                Vec b = ring[(i + 1) % ring.size()];
                edge_entries.emplace_back(box_around(a, b),
                                          static_cast<std::uint32_t>(impl.edges.size()));
                impl.edges.push_back({a, b, index});
                impl.vertices.push_back(a);
                lo = {std::min(lo.x, a.x), std::min(lo.y, a.y)};
                hi = {std::max(hi.x, a.x), std::max(hi.y, a.y)};
            }
            impl.rings.push_back({begin, static_cast<std::uint32_t>(impl.vertices.size())});
        }
        polygon_entries.emplace_back(box_around(lo, hi), index);
    }
    // The range constructor packs the tree (sort-tile-recursive).
    impl.edge_tree = Tree(edge_entries.begin(), edge_entries.end());
    impl.polygon_tree = Tree(polygon_entries.begin(), polygon_entries.end());
}

Occluders::~Occluders() = default;
Occluders::Occluders(Occluders&&) noexcept = default;
Occluders& Occluders::operator=(Occluders&&) noexcept = default;

std::size_t Occluders::edge_count() const
{
    return m_impl->edges.size();
}

bool Occluders::inside(PlanePoint p) const
{
    return m_impl->interior({p.x, p.y});
}

bool Occluders::Impl::interior(Vec p) const
{
    bool result = false;
    query_boxes(polygon_tree, Box(BoxPoint(p.x, p.y), BoxPoint(p.x, p.y)), [&](std::uint32_t k) {
        if (result)
            return;
        const PolygonRings& polygon = polygons[k];
        bool odd = false;
        for (std::uint32_t r = polygon.first; r < polygon.first + polygon.count; ++r) {
            const RingSpan& ring = rings[r];
            for (std::uint32_t i = ring.begin; i < ring.end; ++i) {
                Vec a = vertices[i];
                Vec b = vertices[i + 1 < ring.end ? i + 1 : ring.begin];
                if (norm(nearest_on_segment(p, a, b) - p) <= length_eps)
                    return;  // on the boundary
                if ((a.y > p.y) != (b.y > p.y) &&
                    p.x < a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y))
                    odd = !odd;
            }
        }
        result = odd;
    });
    return result;
}

// The point the device sees from: itself, or for a device on a facade the
// nearest point `tolerance` outside the wall; nothing for a device inside.
std::optional<Vec> Occluders::Impl::viewpoint(Vec origin, double tolerance) const
{
    Vec reach{tolerance, tolerance};
    double best = std::numeric_limits<double>::infinity();
    Vec foot;
    query_boxes(edge_tree, box_around(origin - reach, origin + reach), [&](std::uint32_t k) {
        Vec q = nearest_on_segment(origin, edges[k].a, edges[k].b);
        double d = norm(q - origin);
        if (d < best) {
            best = d;
            foot = q;
        }
    });
    if (best > tolerance)
        return interior(origin) ? std::nullopt : std::optional<Vec>(origin);
    Vec away;
    if (best > length_eps) {
        away = interior(origin) ? (foot - origin) * (1 / best) : (origin - foot) * (1 / best);
    } else {
        // On the wall: outwards along the walls through the point (the
        // bisector at a corner); walls of two touching buildings cancel out.
        Vec sum;
        Vec near{length_eps, length_eps};
        query_boxes(edge_tree, box_around(origin - near, origin + near), [&](std::uint32_t k) {
            const Edge& edge = edges[k];
            if (norm(nearest_on_segment(origin, edge.a, edge.b) - origin) > length_eps)
                return;
            Vec w = edge.b - edge.a;
            sum = sum + Vec{w.y, -w.x} * (1 / norm(w));
        });
        double length = norm(sum);
        if (length < 1e-6)
            return std::nullopt;
        away = sum * (1 / length);
    }
    Vec moved = foot + away * tolerance;
    if (interior(moved))
        return std::nullopt;
    return moved;
}

PlaneRing Occluders::Impl::region(const ViewSector& sector, const VisibilityOptions& options,
                                  VisibilityStats& stats) const
{
    stats = {};
    if (!(sector.fov_deg > 0 && sector.fov_deg <= 360))
        throw UsageError("field of view must be in (0, 360] degrees: " +
                         fixed_text(sector.fov_deg, 6));
    if (!(options.max_arc_step_deg > 0))
        throw UsageError("arc step must be positive: " + fixed_text(options.max_arc_step_deg, 6));
    if (!(options.facade_tolerance >= 0))
        throw UsageError("facade tolerance must not be negative: " +
                         fixed_text(options.facade_tolerance, 6));
    if (!(sector.range > 0) || !std::isfinite(sector.range) || !std::isfinite(sector.origin.x) ||
        !std::isfinite(sector.origin.y) || !std::isfinite(sector.heading_deg))
        return {};
    std::optional<Vec> seen_from = viewpoint(
        {sector.origin.x, sector.origin.y}, std::max(options.facade_tolerance, min_facade_tolerance));
    if (!seen_from)
        return {};
    Vec o = *seen_from;
    double range = sector.range;
    bool full = sector.fov_deg >= 360;
    double span = full ? two_pi : sector.fov_deg * std::numbers::pi / 180;
    double start = (90 - sector.heading_deg - sector.fov_deg / 2) * std::numbers::pi / 180;
    start = std::remainder(start, two_pi);
    Sweep sweep(start, span, range, std::min(options.max_arc_step_deg, 90.0) * std::numbers::pi / 180);

    // The sector's box: the viewpoint, the ends of its arc and the points of
    // the circle due east, north, west and south that lie on the arc.
    Vec lo = o;
    Vec hi = o;
    auto extend = [&](Vec v) {
        lo = {std::min(lo.x, v.x), std::min(lo.y, v.y)};
        hi = {std::max(hi.x, v.x), std::max(hi.y, v.y)};
    };
    extend(o + sweep.direction(0) * range);
    extend(o + sweep.direction(span) * range);
    for (int k = 0; k < 4; ++k) {
        Vec axis{std::cos(k * std::numbers::pi / 2), std::sin(k * std::numbers::pi / 2)};
        if (full || sweep.angle_of(axis) <= span)
            extend(o + axis * range);
    }

    // Walls facing the viewpoint (the interior on their far side), cut to
    // the range circle. A ray reaches a wall facing away only after crossing
    // one facing it, so the others never show; of two touching buildings'
    // shared wall only one side faces the viewpoint.
    std::vector<std::pair<Vec, Vec>> walls;
    bool on_wall = false;
    double range2 = range * range;
    query_boxes(edge_tree, box_around(lo, hi), [&](std::uint32_t k) {
        ++stats.candidate_edges;
        Vec a = edges[k].a - o;
        Vec b = edges[k].b - o;
        Vec w = a - b;
        double length = norm(w);
        double turn = cross(a, b);
        if (turn >= -length_eps * length) {
            // Facing away, or along a ray; or through the viewpoint.
            if (turn <= length_eps * length && norm(nearest_on_segment({0, 0}, a, b)) <= length_eps)
                on_wall = true;
            return;
        }
        // Counter-clockwise around the viewpoint: from b to a.
        double half_b = dot(b, w);
        double c = dot(b, b) - range2;
        double disc = half_b * half_b - length * length * c;
        if (disc <= 0)
            return;
        double root = std::sqrt(disc);
        double from = std::max(0.0, (-half_b - root) / (length * length));
        double to = std::min(1.0, (-half_b + root) / (length * length));
        if (from >= to)
            return;
        auto onto_circle = [&](Vec v) { return v * (range / norm(v)); };
        Vec p = from > 0 ? onto_circle(b + w * from) : b;
        Vec q = to < 1 ? onto_circle(b + w * to) : a;
        walls.emplace_back(p, q);
    });
    if (on_wall)
        return {};
    split_crossings(walls);
    for (const auto& [p, q] : walls)
        sweep.add_wall(p, q);
    stats.swept_edges = sweep.piece_count();

    std::vector<Vec> ring = sweep.run();
    tidy_ring(ring, full ? std::nullopt : std::optional<std::size_t>(0));
    PlaneRing out;
    out.reserve(ring.size());
    for (Vec v : ring)
        out.push_back({o.x + v.x, o.y + v.y});
    return out;
}

PlaneRing Occluders::visible_region(const ViewSector& sector, const VisibilityOptions& options) const
{
    VisibilityStats stats;
    return m_impl->region(sector, options, stats);
}

PlaneRing Occluders::visible_region(const ViewSector& sector, const VisibilityOptions& options,
                                    VisibilityStats& stats) const
{
    return m_impl->region(sector, options, stats);
}

bool in_sector(const ViewSector& sector, PlanePoint p)
{
    double dx = p.x - sector.origin.x;
    double dy = p.y - sector.origin.y;
    if (!(sector.range >= 0) || std::hypot(dx, dy) > sector.range)
        return false;
    if (sector.fov_deg >= 360 || (dx == 0 && dy == 0))
        return true;
    double bearing = std::atan2(dx, dy) * 180 / std::numbers::pi;
    double off = std::remainder(bearing - sector.heading_deg, 360.0);
    return std::abs(off) <= sector.fov_deg / 2;
}

}  // namespace lantern::core
