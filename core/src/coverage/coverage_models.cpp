#include <lantern/core/coverage/coverage_models.hpp>

#include <cmath>
#include <numbers>

namespace lantern::core {

const std::array<DetailLevel, 4>& detail_levels()
{
    static const std::array<DetailLevel, 4> levels = {{
        {"identify", 250.0},
        {"recognise", 125.0},
        {"observe", 62.5},
        {"detect", 25.0},
    }};
    return levels;
}

namespace {

// Metres of scene width per metre of distance.
double width_per_metre(double fov_deg)
{
    double fov = fov_deg * std::numbers::pi / 180.0;
    return fov_deg < 180.0 ? 2.0 * std::tan(fov / 2.0) : fov;
}

}  // namespace

double view_width(double distance_m, double fov_deg)
{
    return distance_m * width_per_metre(fov_deg);
}

double pixel_density(double resolution_px, double fov_deg, double distance_m)
{
    return resolution_px / view_width(distance_m, fov_deg);
}

double distance_for_density(double resolution_px, double fov_deg, double min_pixels_per_metre)
{
    return resolution_px / (min_pixels_per_metre * width_per_metre(fov_deg));
}

double horizontal_illuminance(double intensity_cd, double height_m, double distance_m)
{
    double slant_squared = height_m * height_m + distance_m * distance_m;
    return intensity_cd * height_m / std::pow(slant_squared, 1.5);
}

double lit_radius(double intensity_cd, double height_m, double threshold_lux)
{
    if (intensity_cd <= 0 || height_m <= 0 || threshold_lux <= 0)
        return 0;
    double squared = std::pow(intensity_cd * height_m / threshold_lux, 2.0 / 3.0) - height_m * height_m;
    return squared > 0 ? std::sqrt(squared) : 0;
}

double downward_intensity(double lumens)
{
    return lumens / (2.0 * std::numbers::pi);
}

}  // namespace lantern::core
