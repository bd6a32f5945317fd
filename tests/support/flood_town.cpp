// The hand-made town of the flood tests (flood_town.hpp), built as a user
// would: a DEM imported, the classes imported with lantern import.

#include "support/flood_town.hpp"

#include "support/backend.hpp"
#include "support/city_files.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include <lantern/core/crs/crs.hpp>

namespace lantern::test {

namespace {

// Columns of the 40 x 20 grid of 10 m cells, west to east.
constexpr int river_cols = 5;        // 0-4: river bed at -1 m
constexpr int plain_end = 15;        // 5-14: floodplain at 0.5 m
constexpr int ridge_end = 17;        // 15-16: ridge at 2.0 m
constexpr int pit_end = 25;          // 17-24: pit at 0.3 m
                                     // 25-39: high ground at 3.0 m

float ground(int col)
{
    if (col < river_cols)
        return -1.0f;
    if (col < plain_end)
        return 0.5f;
    if (col < ridge_end)
        return 2.0f;
    if (col < pit_end)
        return 0.3f;
    return 3.0f;
}

std::string number(double v)
{
    std::ostringstream s;
    s.precision(12);
    s << v;
    return s.str();
}

std::string feature(const std::string& geometry, const std::string& properties)
{
    return geojson_feature(geometry, properties);
}

}  // namespace

FloodTownGrid flood_town_grid()
{
    double x = 108.32, y = 15.87;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    return {std::floor(x / 10) * 10, std::floor(y / 10) * 10 + 200};
}

std::string build_flood_town(const TempDir& dir)
{
    const FloodTownGrid t = flood_town_grid();
    std::string city = city_location(dir, "city.sqlite");
    lantern::test::new_city(dir);

    import_dem(dir, city, t.x0, t.y0, 40, 20, [](int col, int) { return ground(col); });

    write_collection(dir.file("water.geojson"),
                     {feature(geojson_box(t.x(0), t.y(20), t.x(river_cols), t.y(0)), R"({"name":"river","kind":"river"})")});
    import_utm(city, "water", dir.file("water.geojson"));
    write_collection(dir.file("buildings.geojson"),
                     {feature(geojson_box(t.x(6), t.y(10), t.x(8), t.y(8)), R"({"building_id":"B-plain"})"),
                      feature(geojson_box(t.x(19), t.y(10), t.x(21), t.y(8)), R"({"building_id":"B-pit"})"),
                      feature(geojson_box(t.x(13), t.y(14), t.x(17), t.y(12)), R"({"building_id":"B-half"})"),
                      feature(geojson_box(t.x(30), t.y(10), t.x(32), t.y(8)), R"({"building_id":"B-high"})")});
    import_utm(city, "buildings", dir.file("buildings.geojson"));
    write_collection(dir.file("parcels.geojson"),
                     {feature(geojson_box(t.x(river_cols), t.y(20), t.x(plain_end), t.y(0)),
                              R"({"parcel_id":"P-plain","land_use":"LUC"})")});
    import_utm(city, "parcels", dir.file("parcels.geojson"));
    std::string line = R"({"type":"LineString","coordinates":[[)" + number(t.x(river_cols) + 5) + "," +
                       number(t.y(15) - 5) + "],[" + number(t.x(40) - 5) + "," + number(t.y(15) - 5) + "]]}";
    write_collection(dir.file("roads.geojson"), {feature(line, R"({"road_id":"R-1","name":"Main"})")});
    import_utm(city, "roads", dir.file("roads.geojson"));
    std::string point = geojson_point(t.x(9) + 5, t.y(15) - 5);
    write_collection(dir.file("sites.geojson"),
                     {feature(point, R"({"site_id":"H-1","name":"Old house","rank":"national"})")});
    import_utm(city, "heritage_sites", dir.file("sites.geojson"));
    write_collection(dir.file("wards.geojson"),
                     {feature(geojson_box(t.x(0), t.y(20), t.x(20), t.y(0)), R"({"ward_code":"W1","name":"West"})"),
                      feature(geojson_box(t.x(20), t.y(20), t.x(40), t.y(0)), R"({"ward_code":"W2","name":"East"})")});
    import_utm(city, "wards", dir.file("wards.geojson"));
    return city;
}

}  // namespace lantern::test
