// Each device's footprint: its view or lit area out to each radius it is
// measured at, occluded by the buildings (core/geometry/visibility.hpp).

#include "coverage_internal.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <lantern/core/coverage/coverage_models.hpp>

namespace lantern::layers::coverage {

namespace {

// Arcs are drawn with vertices on the circle, each step the longest whose
// chord strays at most 2 cm from the arc, kept between 2 and 6 degrees: a
// lamp's disc of 20 m takes 71 vertices rather than 180. The polygon loses
// at most 0.18 % of the sector's area (1 - sin(a)/a for a 6 degree step a),
// and at most 2 cm along its edge out to 131 m (where 2 degrees strays 2 cm).
constexpr double max_chord_error_m = 0.02;
constexpr double min_arc_step_deg = 2.0;
constexpr double max_arc_step_deg = 6.0;

double arc_step_deg(double radius)
{
    // The sagitta of a step a on a circle of radius r is r (1 - cos(a / 2)).
    double step = radius > max_chord_error_m ? 2 * std::acos(1 - max_chord_error_m / radius) * 180 / std::numbers::pi
                                             : max_arc_step_deg;
    return std::clamp(step, min_arc_step_deg, max_arc_step_deg);
}

}  // namespace

std::vector<double> reach_radii(const Device& device, CoverageNetwork network)
{
    std::vector<double> radii;
    if (network == CoverageNetwork::cameras) {
        for (const auto& level : core::detail_levels())
            radii.push_back(std::min(device.range_m,
                                     core::distance_for_density(device.resolution_px, device.fov_deg,
                                                                level.min_pixels_per_metre)));
    } else {
        radii.push_back(core::lit_radius(core::downward_intensity(device.lumens), device.height_m,
                                         device.threshold_lux));
    }
    return radii;
}

std::vector<Footprint> compute_footprints(const std::vector<Device>& devices, const core::Occluders& buildings,
                                          CoverageNetwork network, unsigned threads)
{
    std::vector<Footprint> footprints(devices.size());
    parallel_for(devices.size(), threads, [&](std::size_t i) {
        const auto& device = devices[i];
        auto& footprint = footprints[i];
        footprint.radii = reach_radii(device, network);
        for (double radius : footprint.radii) {
            core::ViewSector sector;
            sector.origin = device.at;
            sector.heading_deg = device.heading_deg;
            sector.fov_deg = device.fov_deg;
            sector.range = radius;
            core::VisibilityOptions options;
            options.max_arc_step_deg = arc_step_deg(radius);
            footprint.reach.push_back(radius > 0 ? buildings.visible_region(sector, options) : PlaneRing{});
        }
    });
    return footprints;
}

}  // namespace lantern::layers::coverage
