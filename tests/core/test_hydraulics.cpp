// Manning's equation and the rational method against examples worked by hand.

#include <catch2/catch.hpp>

#include <lantern/core/hydrology/hydraulics.hpp>

using namespace lantern;

TEST_CASE("Manning's full-flow capacity of a circular pipe matches a hand calculation")
{
    // D = 0.6 m, S = 0.005, n = 0.013:
    //   A = pi 0.6² / 4 = 0.282743 m², R = 0.6 / 4 = 0.15 m,
    //   R^(2/3) = 0.282311, S^(1/2) = 0.0707107,
    //   Q = 0.282743 x 0.282311 x 0.0707107 / 0.013 = 0.434172 m³/s.
    CHECK(core::manning_full_flow(0.6, 0.005, 0.013) == Approx(0.434172).epsilon(1e-5));
    // D = 1.0 m, S = 0.001, n = 0.011 (PVC):
    //   A = 0.785398, R = 0.25, R^(2/3) = 0.396850, S^(1/2) = 0.0316228,
    //   Q = 0.785398 x 0.396850 x 0.0316228 / 0.011 = 0.896033 m³/s.
    CHECK(core::manning_full_flow(1.0, 0.001, 0.011) == Approx(0.896033).epsilon(1e-5));
    // Capacity grows with the square root of the slope.
    CHECK(core::manning_full_flow(0.6, 0.02, 0.013) == Approx(2 * core::manning_full_flow(0.6, 0.005, 0.013)));
}

TEST_CASE("the rational method's peak runoff matches a hand calculation")
{
    // One hectare of urban residential land (C = 0.75) under 80 mm/h:
    //   Q = 0.75 x 80 mm/h x 10 000 m² = 600 000 / 3 600 000 = 0.166667 m³/s.
    CHECK(core::rational_peak_flow(0.75, 80, 10000) == Approx(1.0 / 6.0));
    // 2.5 ha of rice (C = 0.2) under 50 mm/h: 0.2 x 50 x 25 000 / 3.6e6 = 0.0694444 m³/s.
    CHECK(core::rational_peak_flow(0.2, 50, 25000) == Approx(0.0694444).epsilon(1e-5));
}
