#include <lantern/core/geometry/line_graph.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <lantern/core/geometry/square_cells.hpp>

namespace lantern::core {

std::vector<std::vector<std::size_t>> LineGraph::incident() const
{
    std::vector<std::vector<std::size_t>> at(nodes.size());
    for (std::size_t e = 0; e < edges.size(); ++e) {
        at[edges[e].a].push_back(e);
        if (edges[e].b != edges[e].a)
            at[edges[e].b].push_back(e);
    }
    return at;
}

namespace {

using Line = std::vector<PlanePoint>;

double cross(PlanePoint a, PlanePoint b)
{
    return a.x * b.y - a.y * b.x;
}

PlanePoint minus(PlanePoint a, PlanePoint b)
{
    return {a.x - b.x, a.y - b.y};
}

double distance(PlanePoint a, PlanePoint b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

// Segments by the grid cells their boxes overlap.
class SegmentGrid {
public:
    struct Ref {
        std::size_t line, segment;
    };

    SegmentGrid(const std::vector<Line>& lines, double cell) : m_lines(lines), m_cell(cell)
    {
        for (std::size_t l = 0; l < lines.size(); ++l)
            for (std::size_t s = 0; s + 1 < lines[l].size(); ++s)
                for_cells(box(lines[l][s], lines[l][s + 1], 0), [&](std::uint64_t key) { m_cells[key].push_back({l, s}); });
    }

    // Every segment whose cells meet the box around a and b grown by `grow`;
    // a segment in several cells is visited once per cell.
    template <typename Visit>
    void near(PlanePoint a, PlanePoint b, double grow, Visit&& visit) const
    {
        for_cells(box(a, b, grow), [&](std::uint64_t key) {
            auto it = m_cells.find(key);
            if (it != m_cells.end())
                for (const auto& ref : it->second)
                    visit(ref);
        });
    }

    PlanePoint start(const Ref& r) const { return m_lines[r.line][r.segment]; }
    PlanePoint end(const Ref& r) const { return m_lines[r.line][r.segment + 1]; }

private:
    struct Box {
        double min_x, min_y, max_x, max_y;
    };
    static Box box(PlanePoint a, PlanePoint b, double grow)
    {
        return {std::min(a.x, b.x) - grow, std::min(a.y, b.y) - grow, std::max(a.x, b.x) + grow,
                std::max(a.y, b.y) + grow};
    }
    template <typename Each>
    void for_cells(const Box& b, Each&& each) const
    {
        auto index = [&](double v) { return cell_index(v, m_cell); };
        for (std::int64_t i = index(b.min_x); i <= index(b.max_x); ++i)
            for (std::int64_t j = index(b.min_y); j <= index(b.max_y); ++j)
                each(cell_key(i, j));
    }

    const std::vector<Line>& m_lines;
    double m_cell;
    std::unordered_map<std::uint64_t, std::vector<Ref>> m_cells;
};

// The point of segment a-b nearest to p, and its parameter along the segment.
std::pair<PlanePoint, double> nearest_on(PlanePoint a, PlanePoint b, PlanePoint p)
{
    PlanePoint d = minus(b, a);
    double length2 = d.x * d.x + d.y * d.y;
    double t = length2 > 0 ? std::clamp(((p.x - a.x) * d.x + (p.y - a.y) * d.y) / length2, 0.0, 1.0) : 0.0;
    return {{a.x + d.x * t, a.y + d.y * t}, t};
}

// Where segments p-p2 and q-q2 meet: the parameters along each, or nothing
// when they do not meet or are parallel.
std::optional<std::pair<double, double>> meet(PlanePoint p, PlanePoint p2, PlanePoint q, PlanePoint q2)
{
    PlanePoint r = minus(p2, p), s = minus(q2, q);
    double denominator = cross(r, s);
    double scale = std::hypot(r.x, r.y) * std::hypot(s.x, s.y);
    if (std::abs(denominator) <= 1e-12 * scale)
        return std::nullopt;
    PlanePoint qp = minus(q, p);
    double t = cross(qp, s) / denominator, u = cross(qp, r) / denominator;
    constexpr double slack = 1e-12;
    if (t < -slack || t > 1 + slack || u < -slack || u > 1 + slack)
        return std::nullopt;
    return std::pair{std::clamp(t, 0.0, 1.0), std::clamp(u, 0.0, 1.0)};
}

// Carries each end that stops within `snap` of another line on to that
// line's nearest point. Ends already on a line stay.
void snap_ends(std::vector<Line>& lines, double snap, double merge)
{
    SegmentGrid grid(lines, std::max(snap, 1.0) * 2);
    // How far along its line each vertex lies.
    std::vector<std::vector<double>> along(lines.size());
    for (std::size_t l = 0; l < lines.size(); ++l) {
        along[l].push_back(0);
        for (std::size_t v = 1; v < lines[l].size(); ++v)
            along[l].push_back(along[l].back() + distance(lines[l][v - 1], lines[l][v]));
    }
    std::vector<std::pair<std::optional<PlanePoint>, std::optional<PlanePoint>>> carried(lines.size());
    for (std::size_t l = 0; l < lines.size(); ++l)
        for (bool front : {true, false}) {
            PlanePoint end = front ? lines[l].front() : lines[l].back();
            double best = snap;
            std::optional<PlanePoint> target;
            bool touching = false;
            grid.near(end, end, snap, [&](const SegmentGrid::Ref& ref) {
                // The line's own segments near this end, along it, cannot
                // take it; further on (round a loop) they can.
                if (ref.line == l) {
                    double from_end = front ? along[l][ref.segment] : along[l].back() - along[l][ref.segment + 1];
                    if (from_end < 3 * snap)
                        return;
                }
                auto [point, t] = nearest_on(grid.start(ref), grid.end(ref), end);
                double d = distance(point, end);
                if (d <= merge)
                    touching = true;
                else if (d < best) {
                    best = d;
                    target = point;
                }
            });
            if (!touching && target)
                (front ? carried[l].first : carried[l].second) = target;
        }
    for (std::size_t l = 0; l < lines.size(); ++l) {
        if (carried[l].first)
            lines[l].insert(lines[l].begin(), *carried[l].first);
        if (carried[l].second)
            lines[l].push_back(*carried[l].second);
    }
}

// Nodes by position, one for all points within `merge`.
class NodeIndex {
public:
    NodeIndex(std::vector<PlanePoint>& nodes, double merge) : m_nodes(nodes), m_merge(merge), m_cell(merge * 4) {}

    std::size_t at(PlanePoint p)
    {
        std::int64_t ci = cell_index(p.x, m_cell), cj = cell_index(p.y, m_cell);
        for (std::int64_t i = ci - 1; i <= ci + 1; ++i)
            for (std::int64_t j = cj - 1; j <= cj + 1; ++j) {
                auto it = m_cells.find(cell_key(i, j));
                if (it != m_cells.end())
                    for (auto n : it->second)
                        if (distance(m_nodes[n], p) <= m_merge)
                            return n;
            }
        m_nodes.push_back(p);
        m_cells[cell_key(ci, cj)].push_back(m_nodes.size() - 1);
        return m_nodes.size() - 1;
    }

private:
    std::vector<PlanePoint>& m_nodes;
    double m_merge, m_cell;
    std::unordered_map<std::uint64_t, std::vector<std::size_t>> m_cells;
};

// A place along a line: segment index plus the parameter along it.
struct Cut {
    std::size_t segment;
    double t;
    PlanePoint p;
};

}  // namespace

LineGraph node_lines(const std::vector<std::vector<PlanePoint>>& input, const LineGraphOptions& options)
{
    if (!(options.merge > 0) || !(options.cell > 0) || options.snap < 0)
        throw std::invalid_argument("node_lines needs a positive merge distance and cell, and a snap of 0 or more");
    // The lines without repeated points; `source` maps them back.
    std::vector<Line> lines;
    std::vector<std::size_t> source;
    for (std::size_t l = 0; l < input.size(); ++l) {
        Line line;
        for (const auto& p : input[l])
            if (line.empty() || distance(line.back(), p) > options.merge)
                line.push_back(p);
        if (line.size() >= 2) {
            lines.push_back(std::move(line));
            source.push_back(l);
        }
    }
    if (options.snap > 0)
        snap_ends(lines, options.snap, options.merge);

    // Every line is cut at its ends and wherever a segment of it meets
    // another segment (of another line, or of itself further along).
    std::vector<std::vector<Cut>> cuts(lines.size());
    for (std::size_t l = 0; l < lines.size(); ++l) {
        cuts[l].push_back({0, 0, lines[l].front()});
        cuts[l].push_back({lines[l].size() - 2, 1, lines[l].back()});
    }
    SegmentGrid grid(lines, options.cell);
    for (std::size_t l = 0; l < lines.size(); ++l)
        for (std::size_t s = 0; s + 1 < lines[l].size(); ++s) {
            PlanePoint p = lines[l][s], p2 = lines[l][s + 1];
            std::vector<std::pair<std::size_t, std::size_t>> seen;
            grid.near(p, p2, 0, [&](const SegmentGrid::Ref& ref) {
                // Each pair once: later lines, or later segments of this line
                // that are not its neighbours.
                if (ref.line < l || (ref.line == l && ref.segment <= s + 1))
                    return;
                if (std::find(seen.begin(), seen.end(), std::pair{ref.line, ref.segment}) != seen.end())
                    return;
                seen.emplace_back(ref.line, ref.segment);
                auto where = meet(p, p2, grid.start(ref), grid.end(ref));
                if (!where)
                    return;
                PlanePoint at{p.x + (p2.x - p.x) * where->first, p.y + (p2.y - p.y) * where->first};
                cuts[l].push_back({s, where->first, at});
                cuts[ref.line].push_back({ref.segment, where->second, at});
            });
        }

    LineGraph graph;
    NodeIndex nodes(graph.nodes, options.merge);
    for (std::size_t l = 0; l < lines.size(); ++l) {
        auto& line_cuts = cuts[l];
        std::sort(line_cuts.begin(), line_cuts.end(), [](const Cut& a, const Cut& b) {
            return a.segment != b.segment ? a.segment < b.segment : a.t < b.t;
        });
        for (std::size_t k = 0; k + 1 < line_cuts.size(); ++k) {
            const Cut &from = line_cuts[k], &to = line_cuts[k + 1];
            LineGraph::Edge edge;
            edge.line = source[l];
            edge.points.push_back(from.p);
            for (std::size_t v = from.segment + 1; v <= to.segment; ++v)
                if (distance(lines[l][v], edge.points.back()) > options.merge)
                    edge.points.push_back(lines[l][v]);
            if (distance(to.p, edge.points.back()) > options.merge)
                edge.points.push_back(to.p);
            else
                edge.points.back() = to.p;
            if (edge.points.size() < 2)
                continue;  // two cuts at one place
            edge.a = nodes.at(from.p);
            edge.b = nodes.at(to.p);
            edge.points.front() = graph.nodes[edge.a];
            edge.points.back() = graph.nodes[edge.b];
            graph.edges.push_back(std::move(edge));
        }
    }
    return graph;
}

}  // namespace lantern::core
