#pragma once
// Helpers for tests that make a small city by hand: geometries written as
// GeoJSON, a DEM imported, stored values read back.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>

#include "support/support.hpp"

namespace lantern::test {

// GeoJSON geometries in plane coordinates (a projected CRS, given to the
// importer with --s-srs), written to 15 significant digits: a point, and a
// rectangle from its west, south, east and north; a line from one point to
// another.
std::string geojson_point(double x, double y);
std::string geojson_line(double x0, double y0, double x1, double y1);
std::string geojson_box(double west, double south, double east, double north);

// Where a hand-made city is laid out: its north-west corner near Hội An
// (108.33 E, 15.88 N) in UTM 49N on a 10 m grid, places given in metres east
// and north of it (north negative to the south).
struct Corner {
    double x0 = 0, y0 = 0;
    double x(double east) const { return x0 + east; }
    double y(double north) const { return y0 + north; }
    // A rectangle from its west, south, east and north, as geojson_box.
    std::string box(double west, double south, double east, double north) const
    {
        return geojson_box(x(west), y(south), x(east), y(north));
    }
};
Corner hoian_corner();

// A square turned 45 degrees, its corners `radius` metres from (east,
// north): one corner nearest each side, so a footprint has one nearest point.
std::string geojson_diamond(const Corner& c, double east, double north, double radius = 5);

// A DEM of width x height cells of 10 m in UTM 49N with its north-west corner
// at (x0, y0), the height of each cell ground(col, row), written to dir and
// imported into the city; throws with lantern's message when that fails.
void import_dem(const TempDir& dir, const std::string& city, double x0, double y0, int width, int height,
                const std::function<float(int col, int row)>& ground);

// Imports a source file written in UTM 49N coordinates into a class of the
// city (lantern import ... --s-srs EPSG:32649, with any further arguments);
// throws with lantern's message when that fails.
void import_utm(const std::string& city, const std::string& class_name, const std::string& file,
                const std::vector<std::string>& more = {});

// The rows of a feature result of the city, each as field name to value, in
// fid order; throws when the city has no such result.
std::vector<std::map<std::string, core::Value>> result_rows(const std::string& city, const std::string& name);

// A stored value as text ("" for NULL and numbers) and as a number (NaN for NULL and text).
std::string value_text(const core::Value& v);
double value_real(const core::Value& v);

}  // namespace lantern::test
