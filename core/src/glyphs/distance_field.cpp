#include <lantern/core/glyphs/distance_field.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace lantern::core {

namespace {

// No glyph at 24 pixels comes near this; a font that says otherwise gets no
// field rather than a buffer of its choosing.
constexpr std::uint32_t max_box_pixels = 256;

// Distances beyond this encode as 0 outside (and inside as 255 from 2
// pixels on): no edge farther than it needs looking at.
constexpr double reach = sdf_radius * (1 - sdf_cutoff);

// Pieces of outline are judged edge or not this long at most, so that where
// contours cross only the crossing's neighbourhood can be judged wrong.
constexpr double edge_piece_pixels = 0.5;

struct Segment {
    double x0, y0, x1, y1;
};

std::vector<Segment> segments_of(const std::vector<OutlineContour>& contours)
{
    std::vector<Segment> segments;
    for (const auto& contour : contours)
        for (std::size_t i = 0; i < contour.size(); ++i) {
            const auto& a = contour[i];
            const auto& b = contour[(i + 1) % contour.size()];
            if (a.x != b.x || a.y != b.y)
                segments.push_back({a.x, a.y, b.x, b.y});
        }
    return segments;
}

bool filled(int winding, FillRule rule)
{
    return rule == FillRule::nonzero ? winding != 0 : (winding & 1) != 0;
}

// The winding number at any point: the segments filed by the one-pixel
// rows of the outline's height they span, so that a point meets only the
// segments of its row.
class Winding {
public:
    Winding(const std::vector<Segment>& segments, double min_y, double max_y)
        : m_min_y(min_y),
          m_rows(static_cast<std::size_t>(std::floor(max_y - min_y)) + 1)
    {
        for (const auto& s : segments)
            for (auto row = row_of(std::min(s.y0, s.y1)); row <= row_of(std::max(s.y0, s.y1)); ++row)
                m_rows[row].push_back(&s);
    }

    // Contours crossing the horizontal line through y right of x, upwards
    // +1 and downwards -1 (half-open in y, so a vertex is counted once).
    int at(double x, double y) const
    {
        int winding = 0;
        if (y < m_min_y || y >= m_min_y + static_cast<double>(m_rows.size()))
            return winding;
        for (const auto* s : m_rows[row_of(y)])
            if ((s->y0 <= y) != (s->y1 <= y) && s->x0 + (y - s->y0) * (s->x1 - s->x0) / (s->y1 - s->y0) > x)
                winding += s->y1 > s->y0 ? 1 : -1;
        return winding;
    }

private:
    std::size_t row_of(double y) const
    {
        return std::min(static_cast<std::size_t>(std::max(0.0, std::floor(y - m_min_y))), m_rows.size() - 1);
    }

    double m_min_y;
    std::vector<std::vector<const Segment*>> m_rows;
};

// The pieces of outline with fill on one side only: the edges distances are
// measured to. Pieces judged edges one after another are joined again, so
// that an outline without overlaps keeps its own segments.
std::vector<Segment> edges_of(const std::vector<Segment>& segments, const Winding& winding, FillRule rule)
{
    constexpr double side = 1e-3;  // pixels off the piece where each side is looked at
    std::vector<Segment> edges;
    for (const auto& s : segments) {
        double dx = s.x1 - s.x0, dy = s.y1 - s.y0, length = std::hypot(dx, dy);
        auto count = static_cast<int>(std::ceil(length / edge_piece_pixels));
        double nx = -dy / length * side, ny = dx / length * side;
        int run = -1;  // the first piece of the run of edges so far, -1 for none
        for (int i = 0; i <= count; ++i) {
            bool edge = false;
            if (i < count) {
                double mx = s.x0 + (i + 0.5) / count * dx, my = s.y0 + (i + 0.5) / count * dy;
                edge = filled(winding.at(mx + nx, my + ny), rule) != filled(winding.at(mx - nx, my - ny), rule);
            }
            if (edge && run < 0)
                run = i;
            if (!edge && run >= 0) {
                double t0 = static_cast<double>(run) / count, t1 = static_cast<double>(i) / count;
                edges.push_back({s.x0 + t0 * dx, s.y0 + t0 * dy, s.x0 + t1 * dx, s.y0 + t1 * dy});
                run = -1;
            }
        }
    }
    return edges;
}

double squared_distance(const Segment& s, double x, double y)
{
    double dx = s.x1 - s.x0, dy = s.y1 - s.y0;
    double t = ((x - s.x0) * dx + (y - s.y0) * dy) / (dx * dx + dy * dy);
    t = std::clamp(t, 0.0, 1.0);
    double px = s.x0 + t * dx - x, py = s.y0 + t * dy - y;
    return px * px + py * py;
}

}  // namespace

std::uint8_t sdf_value(double signed_distance)
{
    double value = 255 - 255 * (signed_distance / sdf_radius + sdf_cutoff);
    if (!(value > 0))  // NaN too
        return 0;
    return static_cast<std::uint8_t>(std::lround(std::min(value, 255.0)));
}

GlyphBitmap distance_field(const std::vector<OutlineContour>& contours, FillRule rule)
{
    auto segments = segments_of(contours);
    double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
    double max_x = -min_x, max_y = -min_x;
    for (const auto& s : segments) {
        min_x = std::min({min_x, s.x0, s.x1});
        max_x = std::max({max_x, s.x0, s.x1});
        min_y = std::min({min_y, s.y0, s.y1});
        max_y = std::max({max_y, s.y0, s.y1});
    }
    GlyphBitmap glyph;
    constexpr double limit = 1 << 20;
    if (segments.empty() || !(std::abs(min_x) < limit && std::abs(max_x) < limit &&
                              std::abs(min_y) < limit && std::abs(max_y) < limit))
        return glyph;
    auto left = static_cast<std::int32_t>(std::lround(min_x));
    auto right = static_cast<std::int32_t>(std::lround(max_x));
    auto bottom = static_cast<std::int32_t>(std::lround(min_y));
    auto top = static_cast<std::int32_t>(std::lround(max_y));
    auto width = static_cast<std::uint32_t>(right - left);
    auto height = static_cast<std::uint32_t>(top - bottom);
    if (width == 0 || height == 0 || width > max_box_pixels || height > max_box_pixels)
        return glyph;
    glyph.width = width;
    glyph.height = height;
    glyph.left = left;
    glyph.top = top;

    auto edges = edges_of(segments, Winding(segments, min_y, max_y), rule);
    const std::uint32_t columns = glyph.sdf_width(), rows = glyph.sdf_height();
    glyph.sdf.resize(std::size_t{columns} * rows);
    std::vector<std::pair<double, int>> crossings;
    std::vector<const Segment*> near;
    for (std::uint32_t row = 0; row < rows; ++row) {
        const double y = top + sdf_border - 0.5 - row;
        crossings.clear();
        int total = 0;
        for (const auto& s : segments)
            if ((s.y0 <= y) != (s.y1 <= y)) {
                int direction = s.y1 > s.y0 ? 1 : -1;
                crossings.emplace_back(s.x0 + (y - s.y0) * (s.x1 - s.x0) / (s.y1 - s.y0), direction);
                total += direction;
            }
        std::sort(crossings.begin(), crossings.end());
        near.clear();
        for (const auto& e : edges)
            if (std::min(e.y0, e.y1) - reach <= y && y <= std::max(e.y0, e.y1) + reach)
                near.push_back(&e);

        std::size_t passed = 0;
        int left_of = 0;  // the directions of the crossings at or left of x
        for (std::uint32_t column = 0; column < columns; ++column) {
            const double x = left - sdf_border + 0.5 + column;
            while (passed < crossings.size() && crossings[passed].first <= x)
                left_of += crossings[passed++].second;
            double nearest = reach * reach;
            for (const auto* e : near)
                if (std::min(e->x0, e->x1) - reach <= x && x <= std::max(e->x0, e->x1) + reach)
                    nearest = std::min(nearest, squared_distance(*e, x, y));
            double distance = std::sqrt(nearest);
            if (filled(total - left_of, rule))
                distance = -distance;
            glyph.sdf[std::size_t{row} * columns + column] = static_cast<char>(sdf_value(distance));
        }
    }
    return glyph;
}

}  // namespace lantern::core
