#pragma once
// Textbook hydraulics for screening a drainage network.

#include <cmath>

namespace lantern::core {

// Full-flow capacity of a circular pipe by Manning's equation, in m³/s:
// Q = (1/n) A R^(2/3) S^(1/2), with A = pi D²/4 and R = D/4 for a pipe of
// diameter D (m), slope S (m/m) and roughness n.
inline double manning_full_flow(double diameter_m, double slope, double roughness_n)
{
    double area = M_PI * diameter_m * diameter_m / 4;
    double hydraulic_radius = diameter_m / 4;
    return area * std::pow(hydraulic_radius, 2.0 / 3.0) * std::sqrt(slope) / roughness_n;
}

// Peak runoff by the rational method, Q = C i A, in m³/s, from the runoff
// coefficient C, the rain intensity i in mm/h and the area A in m²
// (1 mm/h on 1 m² is 1/3.6e6 m³/s).
inline double rational_peak_flow(double runoff_c, double mm_per_h, double area_m2)
{
    return runoff_c * mm_per_h * area_m2 / 3.6e6;
}

}  // namespace lantern::core
