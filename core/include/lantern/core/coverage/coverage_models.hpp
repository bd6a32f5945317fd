#pragma once
// How far a camera sees in useful detail and how far a lamp lights the
// ground: the pixel density of a camera at a distance (the EN 62676-4 "DORI"
// detail levels) and the horizontal illuminance of a point source, with the
// distances at which they fall to a threshold (docs/coverage.md).

#include <array>
#include <string_view>

namespace lantern::core {

// An EN 62676-4 detail level: what an operator can do with a person seen at
// this pixel density or more.
struct DetailLevel {
    std::string_view name;  // identify, recognise, observe, detect
    double min_pixels_per_metre;
};

// Finest first: identify 250, recognise 125, observe 62.5, detect 25 px/m.
const std::array<DetailLevel, 4>& detail_levels();

// The width of the scene across the view at a distance, metres. A
// rectilinear lens (fov below 180 degrees) spreads its pixels over
// 2 d tan(fov / 2); a panoramic or fisheye camera (180 to 360 degrees) over
// the arc d x fov (in radians), for which the tangent has no meaning.
double view_width(double distance_m, double fov_deg);

// Pixels per metre across the view at a distance:
// PPM(d) = resolution_px / view_width(d, fov).
double pixel_density(double resolution_px, double fov_deg, double distance_m);

// The distance up to which the density is at least min_pixels_per_metre
// (PPM falls as 1/d, so this is where it equals it).
double distance_for_density(double resolution_px, double fov_deg, double min_pixels_per_metre);

// Horizontal illuminance, lux, on the ground at a horizontal distance from a
// point source of the given luminous intensity (candela) mounted at a height:
// E = I h / (h^2 + d^2)^(3/2) (the inverse-square law with the cosine of
// incidence).
double horizontal_illuminance(double intensity_cd, double height_m, double distance_m);

// The horizontal distance at which that illuminance falls to the threshold:
// d = sqrt((I h / E)^(2/3) - h^2); 0 when even the point below the source
// stays under it.
double lit_radius(double intensity_cd, double height_m, double threshold_lux);

// A street lamp's luminous flux spread evenly over the lower hemisphere:
// I = flux / (2 pi) candela. A simple, documented stand-in for the lamp's
// photometric file, which the city does not hold.
double downward_intensity(double lumens);

}  // namespace lantern::core
