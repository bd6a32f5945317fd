#include "tensor_field.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <unordered_map>

#include <lantern/core/geometry/square_cells.hpp>

namespace lantern::layers::sample {

StreetTensor StreetTensor::along(double angle_rad, double weight)
{
    return {weight * std::cos(2 * angle_rad), weight * std::sin(2 * angle_rad)};
}

double StreetTensor::major_angle() const
{
    return 0.5 * std::atan2(b, a);
}

double StreetTensor::strength() const
{
    return std::hypot(a, b);
}

TensorGrid::TensorGrid(const Bounds& extent, double cell, const std::function<StreetTensor(PlanePoint)>& field)
    : m_extent(extent), m_cell(cell)
{
    if (!(cell > 0) || !(extent.max_x >= extent.min_x) || !(extent.max_y >= extent.min_y))
        throw std::invalid_argument("a tensor grid needs a positive cell and a box");
    m_columns = static_cast<std::size_t>(std::ceil((extent.max_x - extent.min_x) / cell)) + 1;
    m_rows = static_cast<std::size_t>(std::ceil((extent.max_y - extent.min_y) / cell)) + 1;
    m_values.reserve(m_columns * m_rows);
    for (std::size_t r = 0; r < m_rows; ++r)
        for (std::size_t c = 0; c < m_columns; ++c)
            m_values.push_back(field({extent.min_x + static_cast<double>(c) * cell,
                                      extent.min_y + static_cast<double>(r) * cell}));
}

StreetTensor TensorGrid::at(PlanePoint p) const
{
    // The cell holding p (clamped to the grid) and p's place in it.
    auto locate = [&](double offset, std::size_t count, std::size_t& index, double& t) {
        double f = std::clamp(offset / m_cell, 0.0, static_cast<double>(count - 1));
        index = std::min(static_cast<std::size_t>(f), count > 1 ? count - 2 : 0);
        t = count > 1 ? f - static_cast<double>(index) : 0;
    };
    std::size_t c = 0, r = 0;
    double tx = 0, ty = 0;
    locate(p.x - m_extent.min_x, m_columns, c, tx);
    locate(p.y - m_extent.min_y, m_rows, r, ty);
    auto value = [&](std::size_t dc, std::size_t dr) {
        return m_values[std::min(r + dr, m_rows - 1) * m_columns + std::min(c + dc, m_columns - 1)];
    };
    return value(0, 0) * ((1 - tx) * (1 - ty)) + value(1, 0) * (tx * (1 - ty)) + value(0, 1) * ((1 - tx) * ty) +
           value(1, 1) * (tx * ty);
}

namespace {

struct Direction {
    double x = 0, y = 0;
};

// The family's unit direction at p, turned to agree with `previous`; none
// where the field is too weak to have one.
std::optional<Direction> direction_at(const TensorGrid& field, StreetFamily family, PlanePoint p,
                                      Direction previous, double degenerate)
{
    auto tensor = field.at(p);
    if (tensor.strength() < degenerate)
        return std::nullopt;
    double angle = tensor.major_angle() + (family == StreetFamily::minor ? std::numbers::pi / 2 : 0);
    Direction d{std::cos(angle), std::sin(angle)};
    if (d.x * previous.x + d.y * previous.y < 0)
        d = {-d.x, -d.y};
    return d;
}

// The points of the lines drawn, by square cell, each with its line and its
// arc position along it.
class PointHash {
public:
    explicit PointHash(double cell) : m_cell(cell) {}

    void add(PlanePoint p, std::size_t line, double s)
    {
        m_cells[core::cell_key(cell_of(p.x), cell_of(p.y))].push_back({p, line, s});
    }

    // Whether a point lies nearer than r to p, leaving out the points of
    // `line` within `own_gap` of arc position s along it.
    bool near(PlanePoint p, double r, std::size_t line, double s, double own_gap) const
    {
        auto reach = static_cast<std::int64_t>(std::ceil(r / m_cell));
        std::int64_t cx = cell_of(p.x), cy = cell_of(p.y);
        for (std::int64_t i = cx - reach; i <= cx + reach; ++i)
            for (std::int64_t j = cy - reach; j <= cy + reach; ++j) {
                auto it = m_cells.find(core::cell_key(i, j));
                if (it == m_cells.end())
                    continue;
                for (const auto& e : it->second) {
                    if (e.line == line && std::abs(e.s - s) < own_gap)
                        continue;
                    if (std::hypot(e.p.x - p.x, e.p.y - p.y) < r)
                        return true;
                }
            }
        return false;
    }

private:
    struct Entry {
        PlanePoint p;
        std::size_t line;
        double s;
    };
    std::int64_t cell_of(double v) const { return core::cell_index(v, m_cell); }

    double m_cell;
    std::unordered_map<std::uint64_t, std::vector<Entry>> m_cells;
};

constexpr std::size_t no_line = static_cast<std::size_t>(-1);

class Tracer {
public:
    Tracer(const TensorGrid& field, StreetFamily family, const std::function<bool(PlanePoint)>& inside,
           const StreamlineOptions& options)
        : m_field(field), m_family(family), m_inside(inside), m_options(options),
          m_test(options.separation * options.test_ratio), m_drawn(m_test)
    {
        if (!(options.separation > 0) || !(options.step > 0) || !(options.test_ratio > 0))
            throw std::invalid_argument("streamlines need a positive separation, test ratio and step");
    }

    // Nearness is tested against points, so a line's long segments are
    // filled in with points a quarter of the test distance apart.
    void keep_clear_of(const std::vector<PlanePoint>& line)
    {
        const double spacing = m_test / 4;
        double s = 0;
        for (std::size_t i = 0; i < line.size(); ++i) {
            if (i > 0) {
                PlanePoint a = line[i - 1], b = line[i];
                double length = std::hypot(b.x - a.x, b.y - a.y);
                auto pieces = static_cast<int>(std::ceil(length / spacing));
                for (int k = 1; k < pieces; ++k) {
                    double t = static_cast<double>(k) / pieces;
                    m_drawn.add({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t}, m_next_id, s + length * t);
                }
                s += length;
            }
            m_drawn.add(line[i], m_next_id, s);
        }
        ++m_next_id;
    }

    std::vector<std::vector<PlanePoint>> run(const std::vector<PlanePoint>& seeds,
                                             const std::vector<std::vector<PlanePoint>>& existing)
    {
        std::deque<PlanePoint> queue(seeds.begin(), seeds.end());
        for (const auto& line : existing) {
            keep_clear_of(line);
            add_seeds_beside(line, queue);
        }
        std::vector<std::vector<PlanePoint>> lines;
        while (!queue.empty()) {
            PlanePoint seed = queue.front();
            queue.pop_front();
            // A seed a hair nearer than the separation is the one beside its
            // own line, put there by the arithmetic below.
            if (!m_inside(seed) || m_drawn.near(seed, m_options.separation * (1 - 1e-6), no_line, 0, 0))
                continue;
            auto line = trace(seed);
            if (line.size() < 2 || length(line) < std::max(m_options.min_length, m_options.step))
                continue;
            keep_clear_of(line);
            add_seeds_beside(line, queue);
            lines.push_back(std::move(line));
        }
        return lines;
    }

private:
    static double length(const std::vector<PlanePoint>& line)
    {
        double sum = 0;
        for (std::size_t i = 1; i < line.size(); ++i)
            sum += std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
        return sum;
    }

    // One Runge-Kutta step from p, heading on from `previous`.
    std::optional<Direction> step_direction(PlanePoint p, Direction previous) const
    {
        const double h = m_options.step, deg = m_options.degenerate;
        auto ahead = [&](Direction d, double t) { return PlanePoint{p.x + d.x * h * t, p.y + d.y * h * t}; };
        auto k1 = direction_at(m_field, m_family, p, previous, deg);
        if (!k1)
            return std::nullopt;
        auto k2 = direction_at(m_field, m_family, ahead(*k1, 0.5), *k1, deg);
        if (!k2)
            return std::nullopt;
        auto k3 = direction_at(m_field, m_family, ahead(*k2, 0.5), *k2, deg);
        if (!k3)
            return std::nullopt;
        auto k4 = direction_at(m_field, m_family, ahead(*k3, 1), *k3, deg);
        if (!k4)
            return std::nullopt;
        Direction sum{k1->x + 2 * k2->x + 2 * k3->x + k4->x, k1->y + 2 * k2->y + 2 * k3->y + k4->y};
        double norm = std::hypot(sum.x, sum.y);
        if (norm < 1e-12)
            return std::nullopt;
        return Direction{sum.x / norm, sum.y / norm};
    }

    // The line through a seed, both ways, until it leaves the region, loses
    // its direction or comes near a line drawn (or itself, round a loop).
    std::vector<PlanePoint> trace(PlanePoint seed)
    {
        auto start = direction_at(m_field, m_family, seed, {1, 0}, m_options.degenerate);
        if (!start)
            return {};
        const double own_gap = 3 * m_test;
        PointHash own(m_test);
        own.add(seed, 0, 0);
        std::vector<PlanePoint> halves[2];
        for (int half = 0; half < 2; ++half) {
            double sign = half == 0 ? 1 : -1;
            Direction heading{start->x * sign, start->y * sign};
            PlanePoint p = seed;
            double s = 0;
            for (std::size_t k = 0; k < m_options.max_points; ++k) {
                auto d = step_direction(p, heading);
                if (!d)
                    break;
                PlanePoint q{p.x + d->x * m_options.step, p.y + d->y * m_options.step};
                s += sign * m_options.step;
                if (!m_inside(q) || m_drawn.near(q, m_test, no_line, 0, 0) || own.near(q, m_test, 0, s, own_gap))
                    break;
                own.add(q, 0, s);
                halves[half].push_back(q);
                heading = *d;
                p = q;
            }
        }
        std::vector<PlanePoint> line(halves[1].rbegin(), halves[1].rend());
        line.push_back(seed);
        line.insert(line.end(), halves[0].begin(), halves[0].end());
        return line;
    }

    // Seeds one separation to either side of the line, every half separation along it.
    void add_seeds_beside(const std::vector<PlanePoint>& line, std::deque<PlanePoint>& queue) const
    {
        double since = m_options.separation;  // a pair at the first point
        for (std::size_t i = 0; i + 1 < line.size(); ++i) {
            double dx = line[i + 1].x - line[i].x, dy = line[i + 1].y - line[i].y;
            double norm = std::hypot(dx, dy);
            if (norm == 0)
                continue;
            if (since >= m_options.separation / 2) {
                double nx = -dy / norm * m_options.separation, ny = dx / norm * m_options.separation;
                queue.push_back({line[i].x + nx, line[i].y + ny});
                queue.push_back({line[i].x - nx, line[i].y - ny});
                since = 0;
            }
            since += norm;
        }
    }

    const TensorGrid& m_field;
    StreetFamily m_family;
    const std::function<bool(PlanePoint)>& m_inside;
    StreamlineOptions m_options;
    double m_test;
    PointHash m_drawn;
    std::size_t m_next_id = 0;
};

}  // namespace

std::vector<std::vector<PlanePoint>> trace_streamlines(const TensorGrid& field, StreetFamily family,
                                                       const std::vector<PlanePoint>& seeds,
                                                       const std::function<bool(PlanePoint)>& inside,
                                                       const StreamlineOptions& options,
                                                       const std::vector<std::vector<PlanePoint>>& existing)
{
    return Tracer(field, family, inside, options).run(seeds, existing);
}

}  // namespace lantern::layers::sample
