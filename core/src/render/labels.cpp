#include <lantern/core/render/labels.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <utility>

#include <lantern/core/geometry/ring_measure.hpp>

namespace lantern::core {

namespace {

constexpr double pi = 3.14159265358979323846;

// The boxes taken so far, found through a grid of square cells.
class BoxIndex {
public:
    BoxIndex(double width, double height)
        : m_cols(std::max(1, static_cast<int>(std::ceil(width / cell)))),
          m_rows(std::max(1, static_cast<int>(std::ceil(height / cell)))),
          m_cells(static_cast<std::size_t>(m_cols) * static_cast<std::size_t>(m_rows))
    {
    }

    bool collides(const Bounds& box) const
    {
        for (auto c : cells_of(box))
            for (auto id : m_cells[c])
                if (m_boxes[id].intersects(box))
                    return true;
        return false;
    }

    void insert(const Bounds& box)
    {
        for (auto c : cells_of(box))
            m_cells[c].push_back(m_boxes.size());
        m_boxes.push_back(box);
    }

private:
    static constexpr double cell = 64;

    std::vector<std::size_t> cells_of(const Bounds& box) const
    {
        auto clamp = [](double v, int n) { return std::clamp(static_cast<int>(std::floor(v / cell)), 0, n - 1); };
        std::vector<std::size_t> cells;
        for (int r = clamp(box.min_y, m_rows); r <= clamp(box.max_y, m_rows); ++r)
            for (int c = clamp(box.min_x, m_cols); c <= clamp(box.max_x, m_cols); ++c)
                cells.push_back(static_cast<std::size_t>(r) * static_cast<std::size_t>(m_cols) +
                                static_cast<std::size_t>(c));
        return cells;
    }

    int m_cols, m_rows;
    std::vector<std::vector<std::size_t>> m_cells;
    std::vector<Bounds> m_boxes;
};

std::array<PlanePoint, 4> turned_box(PlanePoint c, double w, double h, double angle)
{
    double ux = std::cos(angle), uy = std::sin(angle), vx = -uy, vy = ux;
    auto at = [&](double a, double b) { return PlanePoint{c.x + a * ux + b * vx, c.y + a * uy + b * vy}; };
    return {at(-w / 2, -h / 2), at(w / 2, -h / 2), at(w / 2, h / 2), at(-w / 2, h / 2)};
}

// Axis-aligned boxes that together cover the turned box: one for a level
// label, a row of near-squares along a turned one, so that a slanted street
// name does not claim the whole rectangle around it.
std::vector<Bounds> cover_boxes(PlanePoint c, double w, double h, double angle)
{
    double ux = std::cos(angle), uy = std::sin(angle);
    int n = std::abs(uy) < 1e-9 ? 1 : std::max(1, static_cast<int>(std::ceil(w / h)));
    double part = w / n;
    double ex = std::abs(ux) * part / 2 + std::abs(uy) * h / 2;
    double ey = std::abs(uy) * part / 2 + std::abs(ux) * h / 2;
    std::vector<Bounds> boxes;
    for (int i = 0; i < n; ++i) {
        double along = -w / 2 + (i + 0.5) * part;
        double x = c.x + along * ux, y = c.y + along * uy;
        boxes.push_back({x - ex, y - ey, x + ex, y + ey});
    }
    return boxes;
}

class Placer {
public:
    Placer(const LabelPage& page) : m_page(page), m_index(page.width, page.height)
    {
        for (const auto& box : page.reserved)
            m_index.insert(box);
    }

    // Places the label at (centre, angle) when it fits; says whether it did.
    bool try_place(std::size_t request, const LabelRequest& r, PlanePoint centre, double angle)
    {
        auto corners = turned_box(centre, r.width, r.height, angle);
        const double m = m_page.margin;
        for (const auto& p : corners)
            if (p.x < m || p.y < m || p.x > m_page.width - m || p.y > m_page.height - m)
                return false;
        auto boxes = cover_boxes(centre, r.width + 2 * m_page.padding, r.height + 2 * m_page.padding, angle);
        for (const auto& box : boxes)
            if (m_index.collides(box))
                return false;
        for (const auto& box : boxes)
            m_index.insert(box);
        m_placed.push_back({request, centre, angle, corners});
        return true;
    }

    std::vector<PlacedLabel> take() { return std::move(m_placed); }

private:
    const LabelPage& m_page;
    BoxIndex m_index;
    std::vector<PlacedLabel> m_placed;
};

// ---- points -----------------------------------------------------------------

void place_at_points(std::size_t i, const LabelRequest& r, Placer& placer)
{
    const double d = r.point_offset, w = r.width, h = r.height;
    const std::pair<double, double> spots[] = {
        {d + w / 2, 0}, {-d - w / 2, 0}, {0, -d - h / 2}, {0, d + h / 2},
        {d + w / 2, -d - h / 2}, {-d - w / 2, -d - h / 2}, {d + w / 2, d + h / 2}, {-d - w / 2, d + h / 2},
    };
    for (const auto& p : r.points)
        for (auto [dx, dy] : spots)
            if (placer.try_place(i, r, {p.x + dx, p.y + dy}, 0))
                return;
}

// ---- lines ------------------------------------------------------------------

// Lines whose ends meet, two at a node, joined into longer ones.
std::vector<std::vector<PlanePoint>> join_lines(const std::vector<std::vector<PlanePoint>>& lines)
{
    using Key = std::pair<long, long>;
    auto key = [](PlanePoint p) { return Key{std::lround(p.x * 4), std::lround(p.y * 4)}; };
    std::map<Key, std::vector<std::size_t>> ends;  // line * 2 + (0 start, 1 end)
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].size() < 2)
            continue;
        ends[key(lines[i].front())].push_back(2 * i);
        ends[key(lines[i].back())].push_back(2 * i + 1);
    }
    std::vector<bool> used(lines.size(), false);
    // The other line end at the node of this end, when exactly two ends meet there.
    auto partner = [&](std::size_t end, PlanePoint p) -> std::optional<std::size_t> {
        const auto& at = ends[key(p)];
        if (at.size() != 2)
            return std::nullopt;
        std::size_t other = at[0] == end ? at[1] : at[0];
        if (used[other / 2])
            return std::nullopt;
        return other;
    };
    std::vector<std::vector<PlanePoint>> joined;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (used[i] || lines[i].size() < 2)
            continue;
        used[i] = true;
        std::vector<PlanePoint> chain = lines[i];
        std::size_t tail = 2 * i + 1, head = 2 * i;
        while (auto next = partner(tail, chain.back())) {
            const auto& line = lines[*next / 2];
            used[*next / 2] = true;
            if (*next % 2 == 0)
                chain.insert(chain.end(), line.begin() + 1, line.end());
            else
                chain.insert(chain.end(), line.rbegin() + 1, line.rend());
            tail = *next ^ 1u;
        }
        while (auto prev = partner(head, chain.front())) {
            const auto& line = lines[*prev / 2];
            used[*prev / 2] = true;
            std::vector<PlanePoint> front;
            if (*prev % 2 == 1)
                front.assign(line.begin(), line.end() - 1);
            else
                front.assign(line.rbegin(), line.rend() - 1);
            chain.insert(chain.begin(), front.begin(), front.end());
            head = *prev ^ 1u;
        }
        joined.push_back(std::move(chain));
    }
    return joined;
}

// A line with the distance along it at each vertex.
struct MeasuredLine {
    const std::vector<PlanePoint>* points;
    std::vector<double> along;

    explicit MeasuredLine(const std::vector<PlanePoint>& p) : points(&p), along(p.size(), 0)
    {
        for (std::size_t k = 1; k < p.size(); ++k)
            along[k] = along[k - 1] + std::hypot(p[k].x - p[k - 1].x, p[k].y - p[k - 1].y);
    }

    double length() const { return along.back(); }

    PlanePoint at(double s) const
    {
        const auto& p = *points;
        auto k = static_cast<std::size_t>(std::upper_bound(along.begin(), along.end(), s) - along.begin());
        k = std::clamp<std::size_t>(k, 1, p.size() - 1);
        double seg = along[k] - along[k - 1];
        double t = seg > 0 ? std::clamp((s - along[k - 1]) / seg, 0.0, 1.0) : 0;
        return {p[k - 1].x + t * (p[k].x - p[k - 1].x), p[k - 1].y + t * (p[k].y - p[k - 1].y)};
    }

    // The largest distance of the vertices strictly between a and b from the chord.
    double bend(double a, double b, PlanePoint pa, PlanePoint pb) const
    {
        double dx = pb.x - pa.x, dy = pb.y - pa.y, len = std::hypot(dx, dy);
        double worst = 0;
        for (std::size_t k = 0; k < along.size(); ++k) {
            if (along[k] <= a || along[k] >= b)
                continue;
            const auto& q = (*points)[k];
            worst = std::max(worst, std::abs((q.x - pa.x) * dy - (q.y - pa.y) * dx) / len);
        }
        return worst;
    }
};

void place_along_lines(std::size_t i, const LabelRequest& r, Placer& placer)
{
    auto chains = join_lines(r.lines);
    std::vector<MeasuredLine> measured;
    for (const auto& chain : chains)
        measured.emplace_back(chain);
    std::sort(measured.begin(), measured.end(),
              [](const MeasuredLine& a, const MeasuredLine& b) { return a.length() > b.length(); });
    const double w = r.width, h = r.height;
    std::vector<PlanePoint> placed;
    auto near_placed = [&](PlanePoint c) {
        return std::any_of(placed.begin(), placed.end(), [&](PlanePoint p) {
            return std::hypot(p.x - c.x, p.y - c.y) < 0.6 * r.spacing;
        });
    };
    for (const auto& line : measured) {
        double length = line.length();
        if (length < w)
            break;
        int count = r.spacing > 0 ? std::max(1, static_cast<int>(length / r.spacing)) : 1;
        double reach = r.spacing > 0 ? std::min(r.spacing, length) / 2 : length / 2;
        for (int k = 0; k < count; ++k) {
            double s0 = length * (k + 0.5) / count;
            // Slides from s0 outwards, half a text height at a time.
            for (int step = 0; step * h / 2 <= reach; ++step) {
                bool done = false;
                for (int sign : {1, -1}) {
                    if (step == 0 && sign < 0)
                        continue;
                    double s = s0 + sign * step * h / 2, a = s - w / 2, b = s + w / 2;
                    if (a < 0 || b > length)
                        continue;
                    PlanePoint pa = line.at(a), pb = line.at(b);
                    double chord = std::hypot(pb.x - pa.x, pb.y - pa.y);
                    if (chord < 0.97 * w || line.bend(a, b, pa, pb) > std::max(1.5, 0.25 * h))
                        continue;
                    PlanePoint c{(pa.x + pb.x) / 2, (pa.y + pb.y) / 2};
                    if (r.spacing > 0 ? near_placed(c) : !placed.empty())
                        continue;
                    double angle = std::atan2(pb.y - pa.y, pb.x - pa.x);
                    if (angle > pi / 2 + 1e-9)
                        angle -= pi;
                    else if (angle <= -pi / 2 + 1e-9)
                        angle += pi;
                    if (placer.try_place(i, r, c, angle)) {
                        placed.push_back(c);
                        done = true;
                        break;
                    }
                }
                if (done)
                    break;
            }
            if (r.spacing <= 0 && !placed.empty())
                return;
        }
    }
}

// ---- areas ------------------------------------------------------------------

double distance_to_segment(PlanePoint p, PlanePoint a, PlanePoint b)
{
    double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0;
    return std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}

double distance_to_edge(const PlanePolygon& area, PlanePoint p)
{
    double best = std::numeric_limits<double>::infinity();
    auto ring_distance = [&](const PlaneRing& ring) {
        for (std::size_t k = 0; k < ring.size(); ++k)
            best = std::min(best, distance_to_segment(p, ring[k], ring[(k + 1) % ring.size()]));
    };
    ring_distance(area.exterior);
    for (const auto& hole : area.holes)
        ring_distance(hole);
    return best;
}

bool area_contains(const PlanePolygon& area, PlanePoint p)
{
    if (!ring_contains(area.exterior, p))
        return false;
    return std::none_of(area.holes.begin(), area.holes.end(),
                        [&](const PlaneRing& hole) { return ring_contains(hole, p); });
}

void place_in_areas(std::size_t i, const LabelRequest& r, const LabelPage& page, Placer& placer)
{
    std::vector<const PlanePolygon*> areas;
    for (const auto& a : r.areas)
        if (a.exterior.size() >= 3)
            areas.push_back(&a);
    std::sort(areas.begin(), areas.end(), [](const PlanePolygon* a, const PlanePolygon* b) {
        return std::abs(ring_area(a->exterior)) > std::abs(ring_area(b->exterior));
    });
    constexpr int grid = 12;
    for (const PlanePolygon* area : areas) {
        Bounds b = ring_bounds(area->exterior);
        b = {std::max(b.min_x, 0.0), std::max(b.min_y, 0.0), std::min(b.max_x, page.width),
             std::min(b.max_y, page.height)};
        if (b.min_x >= b.max_x || b.min_y >= b.max_y)
            continue;
        // Inner points of a grid over the area's part on the page, the
        // farthest from the edge (the page's edge too) first.
        std::vector<std::pair<double, PlanePoint>> spots;
        for (int gy = 0; gy < grid; ++gy) {
            for (int gx = 0; gx < grid; ++gx) {
                PlanePoint p{b.min_x + (gx + 0.5) * (b.max_x - b.min_x) / grid,
                             b.min_y + (gy + 0.5) * (b.max_y - b.min_y) / grid};
                if (!area_contains(*area, p))
                    continue;
                double room = std::min({distance_to_edge(*area, p), p.x, p.y, page.width - p.x,
                                        page.height - p.y});
                spots.emplace_back(room, p);
            }
        }
        std::stable_sort(spots.begin(), spots.end(),
                         [](const auto& x, const auto& y) { return x.first > y.first; });
        for (const auto& [room, p] : spots) {
            auto corners = turned_box(p, r.width, r.height, 0);
            bool inside = std::all_of(corners.begin(), corners.end(),
                                      [&](PlanePoint c) { return area_contains(*area, c); });
            if (inside && placer.try_place(i, r, p, 0))
                return;
        }
    }
}

// What orders requests of one priority: longer lines and larger areas first.
double extent_measure(const LabelRequest& r)
{
    double total = 0;
    for (const auto& line : r.lines)
        for (std::size_t k = 1; k < line.size(); ++k)
            total += std::hypot(line[k].x - line[k - 1].x, line[k].y - line[k - 1].y);
    for (const auto& area : r.areas)
        total += std::abs(ring_area(area.exterior));
    return total;
}

}  // namespace

std::vector<PlacedLabel> place_labels(const std::vector<LabelRequest>& requests, const LabelPage& page)
{
    std::vector<double> measure(requests.size());
    for (std::size_t i = 0; i < requests.size(); ++i)
        measure[i] = extent_measure(requests[i]);
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (requests[a].priority != requests[b].priority)
            return requests[a].priority < requests[b].priority;
        return measure[a] > measure[b];
    });
    Placer placer(page);
    for (auto i : order) {
        const auto& r = requests[i];
        if (r.text.empty() || !(r.width > 0) || !(r.height > 0))
            continue;
        if (!r.points.empty())
            place_at_points(i, r, placer);
        else if (!r.lines.empty())
            place_along_lines(i, r, placer);
        else if (!r.areas.empty())
            place_in_areas(i, r, page, placer);
    }
    return placer.take();
}

}  // namespace lantern::core
