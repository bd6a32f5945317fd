#include <lantern/core/network/street_graph.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

double distance(PlanePoint a, PlanePoint b)
{
    return std::hypot(a.x - b.x, a.y - b.y);
}

double polyline_length(const std::vector<PlanePoint>& points)
{
    double sum = 0;
    for (std::size_t i = 1; i < points.size(); ++i)
        sum += distance(points[i - 1], points[i]);
    return sum;
}

PlanePoint between(PlanePoint a, PlanePoint b, double t)
{
    return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
}

void check_per_line(std::size_t size, std::size_t line_count, const char* what)
{
    if (size != 0 && size != line_count)
        throw UsageError(std::string("street graph: ") + std::to_string(size) + " " + what + " for " +
                         std::to_string(line_count) + " lines");
}

// The arrays index nodes, edges, points and arcs with 32 bits, no_index kept
// free as "none".
void check_fits(std::size_t count, const char* what)
{
    if (count >= no_index)
        throw UsageError(std::string("street graph: ") + std::to_string(count) + " " + what +
                         " are more than 32-bit indices hold");
}

}  // namespace

StreetGraph StreetGraph::from_lines(const std::vector<std::vector<PlanePoint>>& lines,
                                    const std::vector<double>& widths, const std::vector<std::uint16_t>& kinds,
                                    const LineGraphOptions& options)
{
    check_per_line(widths.size(), lines.size(), "widths");
    check_per_line(kinds.size(), lines.size(), "kinds");
    LineGraph noded = node_lines(lines, options);
    check_fits(noded.nodes.size(), "nodes");
    check_fits(noded.edges.size() * 2, "edge ends");

    StreetGraph graph;
    graph.m_nodes = std::move(noded.nodes);
    graph.m_first_point.push_back(0);
    for (const auto& from : noded.edges) {
        double length = polyline_length(from.points);
        if (from.a == from.b && length == 0)
            continue;  // a point, not a street
        StreetEdge edge;
        edge.a = static_cast<std::uint32_t>(from.a);
        edge.b = static_cast<std::uint32_t>(from.b);
        edge.length = length;
        edge.width = widths.empty() ? 0 : widths[from.line];
        edge.kind = kinds.empty() ? 0 : kinds[from.line];
        edge.line = static_cast<std::uint32_t>(from.line);
        graph.m_edges.push_back(edge);
        graph.m_points.insert(graph.m_points.end(), from.points.begin(), from.points.end());
        check_fits(graph.m_points.size(), "shape points");
        graph.m_first_point.push_back(static_cast<std::uint32_t>(graph.m_points.size()));
    }

    // Arcs by node, each node's in edge order: count, sum, fill.
    graph.m_first_arc.assign(graph.m_nodes.size() + 1, 0);
    for (const auto& edge : graph.m_edges) {
        ++graph.m_first_arc[edge.a + 1];
        ++graph.m_first_arc[edge.b + 1];
    }
    for (std::size_t n = 0; n < graph.m_nodes.size(); ++n)
        graph.m_first_arc[n + 1] += graph.m_first_arc[n];
    graph.m_arc_edges.resize(graph.m_first_arc.back());
    std::vector<std::uint32_t> next(graph.m_first_arc.begin(), graph.m_first_arc.end() - 1);
    for (std::uint32_t e = 0; e < graph.m_edges.size(); ++e) {
        graph.m_arc_edges[next[graph.m_edges[e].a]++] = e;
        graph.m_arc_edges[next[graph.m_edges[e].b]++] = e;
    }
    return graph;
}

std::vector<PlanePoint> StreetGraph::shape(std::uint32_t e) const
{
    return {m_points.begin() + m_first_point[e], m_points.begin() + m_first_point[e + 1]};
}

PlanePoint StreetGraph::point_along(std::uint32_t e, double offset) const
{
    const PlanePoint* first = m_points.data() + m_first_point[e];
    const PlanePoint* last = m_points.data() + m_first_point[e + 1];
    if (!(offset > 0))
        return *first;
    double walked = 0;
    for (const PlanePoint* p = first; p + 1 < last; ++p) {
        double step = distance(p[0], p[1]);
        if (walked + step >= offset && step > 0)
            return between(p[0], p[1], (offset - walked) / step);
        walked += step;
    }
    return *(last - 1);
}

std::vector<PlanePoint> StreetGraph::part(std::uint32_t e, double from, double to) const
{
    if (from > to) {
        auto reversed = part(e, to, from);
        std::reverse(reversed.begin(), reversed.end());
        return reversed;
    }
    const PlanePoint* first = m_points.data() + m_first_point[e];
    const PlanePoint* last = m_points.data() + m_first_point[e + 1];
    std::vector<PlanePoint> points{point_along(e, from)};
    // The shape's own vertices strictly between the two offsets.
    double walked = 0;
    for (const PlanePoint* p = first; p + 2 < last; ++p) {
        walked += distance(p[0], p[1]);
        if (walked > from && walked < to)
            points.push_back(p[1]);
    }
    points.push_back(point_along(e, to));
    return points;
}

std::size_t StreetGraph::memory_bytes() const
{
    return sizeof(*this) + m_nodes.capacity() * sizeof(PlanePoint) + m_edges.capacity() * sizeof(StreetEdge) +
           m_first_point.capacity() * sizeof(std::uint32_t) + m_points.capacity() * sizeof(PlanePoint) +
           m_first_arc.capacity() * sizeof(std::uint32_t) + m_arc_edges.capacity() * sizeof(std::uint32_t);
}

}  // namespace lantern::core
