#pragma once
// Street directions as a tensor field, and the streets traced along it
// (Chen, Esch, Wonka, Mueller and Zhang, "Interactive procedural street
// modeling", SIGGRAPH 2008).
//
// A street runs both ways, so a direction is a tensor, not a vector: angle
// t and t + 180 degrees are the same tensor, and tensors of several sources
// (a river bank, the coast, a grid) add up without cancelling where one
// points the other way. The major eigenvector of the sum gives the streets
// of one family, the minor one the streets across them.
//
// Streets are evenly spaced streamlines (Jobard and Lefer, "Creating evenly-
// spaced streamlines of arbitrary density", 1997): each line is integrated
// (Runge-Kutta, 4th order) both ways from a seed until it leaves the region,
// meets a degenerate point or comes nearer than the test distance to another
// line of its family (or to itself, closing a loop); new seeds are taken at
// the separation on either side of every line drawn, so neighbouring lines
// of a family end up about one separation apart.

#include <cstddef>
#include <functional>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>
#include <lantern/core/geometry/plane.hpp>

namespace lantern::layers::sample {

using core::Bounds;
using core::PlanePoint;
using core::PlaneRing;

// weight * [cos 2t, sin 2t; sin 2t, -cos 2t]: stored as its first row.
struct StreetTensor {
    double a = 0, b = 0;

    // Streets along the angle t (radians, counter-clockwise from +x).
    static StreetTensor along(double angle_rad, double weight = 1);
    // The angle of the major eigenvector, in (-pi/2, pi/2]; the minor one is
    // at right angles to it.
    double major_angle() const;
    double strength() const;

    StreetTensor operator+(const StreetTensor& o) const { return {a + o.a, b + o.b}; }
    StreetTensor operator*(double w) const { return {a * w, b * w}; }
};

// A tensor field sampled at the corners of a regular grid over a box, read
// back by bilinear interpolation (outside the box, the nearest edge's).
class TensorGrid {
public:
    TensorGrid(const Bounds& extent, double cell, const std::function<StreetTensor(PlanePoint)>& field);
    StreetTensor at(PlanePoint p) const;
    const Bounds& extent() const { return m_extent; }

private:
    Bounds m_extent;
    double m_cell;
    std::size_t m_columns = 0, m_rows = 0;
    std::vector<StreetTensor> m_values;  // row by row from min_y
};

enum class StreetFamily { major, minor };

struct StreamlineOptions {
    double separation = 60;    // between neighbouring lines of a family, metres
    double test_ratio = 0.5;   // a line stops nearer than this times separation to another
    double step = 5;           // integration step, metres
    double min_length = 0;     // shorter lines are left out
    std::size_t max_points = 20000;  // per line, each way
    double degenerate = 1e-6;  // tensors weaker than this give no direction
};

// Evenly spaced streamlines of one family within the region where `inside`
// holds: traced from `seeds` first, in order, then from the seeds beside
// each line drawn. Lines of `existing` (the same family, drawn earlier: main
// roads, say) count as drawn: new lines keep clear of them and are seeded
// beside them. Deterministic.
std::vector<std::vector<PlanePoint>> trace_streamlines(const TensorGrid& field, StreetFamily family,
                                                       const std::vector<PlanePoint>& seeds,
                                                       const std::function<bool(PlanePoint)>& inside,
                                                       const StreamlineOptions& options,
                                                       const std::vector<std::vector<PlanePoint>>& existing = {});

}  // namespace lantern::layers::sample
