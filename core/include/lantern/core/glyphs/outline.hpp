#pragma once
// A glyph's outline as closed polygons in pixels: path commands (as a font
// gives them) with their quadratic and cubic curves flattened into short
// straight pieces, the pieces as many as Wang's formula asks for the curve
// to stay within a tolerance of its polygon.

#include <vector>

namespace lantern::core {

struct OutlinePoint {
    double x = 0;
    double y = 0;
};

// A closed contour: its last point joins its first.
using OutlineContour = std::vector<OutlinePoint>;

class Outline {
public:
    // How far a flattened curve may stray from the curve, in pixels.
    explicit Outline(double tolerance = 0.02) : m_tolerance(tolerance) {}

    void move_to(OutlinePoint to);
    void line_to(OutlinePoint to);
    void quadratic_to(OutlinePoint control, OutlinePoint to);
    void cubic_to(OutlinePoint control1, OutlinePoint control2, OutlinePoint to);

    // The contours so far, each of at least two points; a closing point
    // equal to the first is dropped.
    std::vector<OutlineContour> contours() const;

private:
    OutlinePoint current() const;

    double m_tolerance;
    std::vector<OutlineContour> m_contours;
};

}  // namespace lantern::core
