#include <lantern/core/glyphs/outline.hpp>

#include <algorithm>
#include <cmath>

namespace lantern::core {

namespace {

double length(double x, double y)
{
    return std::hypot(x, y);
}

// Wang's formula: a Bézier curve of degree n whose second differences are at
// most m long stays within `tolerance` of its polygon of k pieces when
// k >= sqrt(n (n - 1) m / (8 tolerance)). Capped so that a hostile control
// point far away cannot ask for millions of pieces.
int pieces(int degree, double second_difference, double tolerance)
{
    constexpr double max_pieces = 256;
    double k = std::sqrt(degree * (degree - 1) * second_difference / (8 * tolerance));
    if (!std::isfinite(k))
        return static_cast<int>(max_pieces);
    return static_cast<int>(std::clamp(std::ceil(k), 1.0, max_pieces));
}

}  // namespace

OutlinePoint Outline::current() const
{
    return m_contours.back().back();
}

void Outline::move_to(OutlinePoint to)
{
    m_contours.push_back({to});
}

void Outline::line_to(OutlinePoint to)
{
    if (m_contours.empty())
        move_to({0, 0});
    m_contours.back().push_back(to);
}

void Outline::quadratic_to(OutlinePoint c, OutlinePoint to)
{
    if (m_contours.empty())
        move_to({0, 0});
    auto from = current();
    int k = pieces(2, length(from.x - 2 * c.x + to.x, from.y - 2 * c.y + to.y), m_tolerance);
    for (int i = 1; i <= k; ++i) {
        double t = static_cast<double>(i) / k, s = 1 - t;
        m_contours.back().push_back({s * s * from.x + 2 * s * t * c.x + t * t * to.x,
                                     s * s * from.y + 2 * s * t * c.y + t * t * to.y});
    }
}

void Outline::cubic_to(OutlinePoint c1, OutlinePoint c2, OutlinePoint to)
{
    if (m_contours.empty())
        move_to({0, 0});
    auto from = current();
    double second = std::max(length(from.x - 2 * c1.x + c2.x, from.y - 2 * c1.y + c2.y),
                             length(c1.x - 2 * c2.x + to.x, c1.y - 2 * c2.y + to.y));
    int k = pieces(3, second, m_tolerance);
    for (int i = 1; i <= k; ++i) {
        double t = static_cast<double>(i) / k, s = 1 - t;
        double a = s * s * s, b = 3 * s * s * t, c = 3 * s * t * t, d = t * t * t;
        m_contours.back().push_back({a * from.x + b * c1.x + c * c2.x + d * to.x,
                                     a * from.y + b * c1.y + c * c2.y + d * to.y});
    }
}

std::vector<OutlineContour> Outline::contours() const
{
    std::vector<OutlineContour> out;
    for (auto contour : m_contours) {
        if (contour.size() > 1 && contour.front().x == contour.back().x &&
            contour.front().y == contour.back().y)
            contour.pop_back();
        if (contour.size() >= 2)
            out.push_back(std::move(contour));
    }
    return out;
}

}  // namespace lantern::core
