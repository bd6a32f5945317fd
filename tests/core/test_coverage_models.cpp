// Detail bands and lit radii against the formulas, worked by hand.

#include <catch2/catch.hpp>

#include <cmath>

#include <lantern/core/coverage/coverage_models.hpp>

using namespace lantern::core;

TEST_CASE("DORI band radii follow PPM = px / (2 d tan(fov/2))")
{
    // 1920 px over 90 degrees: the view is 2 d wide, so PPM = 960 / d.
    CHECK(view_width(10, 90) == Approx(20.0));
    CHECK(pixel_density(1920, 90, 10) == Approx(96.0));
    const double expected[] = {960.0 / 250, 960.0 / 125, 960.0 / 62.5, 960.0 / 25};  // 3.84 .. 38.4 m
    for (std::size_t i = 0; i < detail_levels().size(); ++i) {
        double radius = distance_for_density(1920, 90, detail_levels()[i].min_pixels_per_metre);
        CHECK(radius == Approx(expected[i]));
        CHECK(pixel_density(1920, 90, radius) == Approx(detail_levels()[i].min_pixels_per_metre));
    }
    // 60 degrees: 2 tan 30 = 1.1547; 2688 px detect at 2688 / (25 x 1.1547) = 93.12 m.
    CHECK(distance_for_density(2688, 60, 25) == Approx(93.115).epsilon(1e-5));
    // A panoramic camera spreads its pixels over the arc: 360 degrees at 10 m is 62.83 m.
    CHECK(view_width(10, 360) == Approx(62.8319).epsilon(1e-5));
    CHECK(distance_for_density(4000, 360, 25) == Approx(4000 / (25 * 2 * M_PI)));
}

TEST_CASE("a lamp's lit radius is where E = I h / (h2 + d2)^1.5 meets the threshold")
{
    // I 1000 cd at 10 m: 10 lx below the lamp; at 10 m out 1000 x 10 / 200^1.5 = 3.5355 lx.
    CHECK(horizontal_illuminance(1000, 10, 0) == Approx(10.0));
    CHECK(horizontal_illuminance(1000, 10, 10) == Approx(3.535534));
    CHECK(lit_radius(1000, 10, 3.535534) == Approx(10.0).epsilon(1e-5));
    // 7200 lm over the lower hemisphere is 1145.9 cd; at 8 m and 1 lx:
    // (1145.9 x 8)^(2/3) = 438.0, minus 64, root 19.34 m.
    double intensity = downward_intensity(7200);
    CHECK(intensity == Approx(7200 / (2 * M_PI)));
    double radius = lit_radius(intensity, 8, 1.0);
    CHECK(radius == Approx(19.34).epsilon(1e-3));
    CHECK(horizontal_illuminance(intensity, 8, radius) == Approx(1.0));
    // Brighter than the lamp gives even below it: nothing is lit.
    CHECK(lit_radius(1000, 10, 10.5) == 0.0);
    CHECK(lit_radius(0, 10, 1) == 0.0);
}
