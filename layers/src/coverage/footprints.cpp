// Each device's footprint: its view or lit area out to each radius it is
// measured at, occluded by the buildings (core/visibility.hpp).

#include "coverage_internal.hpp"

#include <algorithm>

#include <lantern/core/coverage_models.hpp>

namespace lantern::layers::coverage {

namespace {

// Arcs drawn with a vertex every 2 degrees at most: the polygon's area is
// within 0.02 % of the true sector's (1 - sin(a)/a for the step a).
constexpr double arc_step_deg = 2.0;

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
    core::VisibilityOptions options;
    options.max_arc_step_deg = arc_step_deg;
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
            footprint.reach.push_back(radius > 0 ? buildings.visible_region(sector, options) : PlaneRing{});
        }
    });
    return footprints;
}

}  // namespace lantern::layers::coverage
