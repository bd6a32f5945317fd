#include "support/city_files.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::test {

namespace {

std::string coordinates(double x, double y)
{
    std::ostringstream s;
    s.precision(15);
    s << '[' << x << ',' << y << ']';
    return s.str();
}

}  // namespace

std::string geojson_point(double x, double y)
{
    return R"({"type":"Point","coordinates":)" + coordinates(x, y) + "}";
}

std::string geojson_line(double x0, double y0, double x1, double y1)
{
    return R"({"type":"LineString","coordinates":[)" + coordinates(x0, y0) + "," + coordinates(x1, y1) + "]}";
}

std::string geojson_box(double west, double south, double east, double north)
{
    return R"({"type":"Polygon","coordinates":[[)" + coordinates(west, south) + "," + coordinates(east, south) +
           "," + coordinates(east, north) + "," + coordinates(west, north) + "," + coordinates(west, south) + "]]}";
}

Corner hoian_corner()
{
    double x = 108.33, y = 15.88;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    return {std::floor(x / 10) * 10, std::floor(y / 10) * 10};
}

std::string geojson_diamond(const Corner& c, double east, double north, double radius)
{
    const std::pair<double, double> ring[] = {{east - radius, north}, {east, north + radius}, {east + radius, north},
                                              {east, north - radius}, {east - radius, north}};
    std::string out = R"({"type":"Polygon","coordinates":[[)";
    for (std::size_t i = 0; i < 5; ++i)
        out += (i ? "," : "") + coordinates(c.x(ring[i].first), c.y(ring[i].second));
    return out + "]]}";
}

void import_dem(const TempDir& dir, const std::string& city, double x0, double y0, int width, int height,
                const std::function<float(int col, int row)>& ground)
{
    core::FloatGrid dem;
    dem.frame.width = width;
    dem.frame.height = height;
    dem.frame.origin_x = x0;
    dem.frame.origin_y = y0;
    dem.frame.cell_x = dem.frame.cell_y = 10;
    dem.frame.crs_wkt = core::Crs::from_user("EPSG:32649").wkt();
    dem.values.resize(dem.frame.cells());
    for (int row = 0; row < height; ++row)
        for (int col = 0; col < width; ++col)
            dem.at(col, row) = ground(col, row);
    core::write_geotiff(dir.file("dem.tif"), dem);
    auto r = run_lantern({"import", city, "dem", dir.file("dem.tif"), "-q"});
    if (r.exit_code != 0)
        throw std::runtime_error("lantern import dem: " + r.err);
}

void import_utm(const std::string& city, const std::string& class_name, const std::string& file,
                const std::vector<std::string>& more)
{
    std::vector<std::string> args = {"import", city, class_name, file, "--s-srs", "EPSG:32649", "-q"};
    args.insert(args.end(), more.begin(), more.end());
    auto r = run_lantern(args);
    if (r.exit_code != 0)
        throw std::runtime_error("lantern import " + class_name + ": " + r.err);
}

std::string value_text(const core::Value& v)
{
    const auto* s = std::get_if<std::string>(&v);
    return s ? *s : std::string();
}

double value_real(const core::Value& v)
{
    if (const auto* d = std::get_if<double>(&v))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    return NAN;
}

std::vector<std::map<std::string, core::Value>> result_rows(const std::string& city, const std::string& name)
{
    auto storage = core::open_city(city, core::Access::read_only);
    auto record = storage->result_record(name);
    if (!record)
        throw std::runtime_error("the city " + city + " has no result " + name);
    std::vector<std::map<std::string, core::Value>> rows;
    storage->scan(record->schema, [&](const core::StoredFeature& f) {
        std::map<std::string, core::Value> row;
        for (std::size_t k = 0; k < record->schema.fields.size(); ++k)
            row[record->schema.fields[k].name] = f.values[k];
        rows.push_back(row);
    });
    return rows;
}

}  // namespace lantern::test
