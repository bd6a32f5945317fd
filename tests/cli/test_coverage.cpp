// lantern coverage on a small hand-made city whose answers are worked out by
// hand: a lamp beside a straight street, a camera in an open field inside a
// heritage zone, a camera facing a wall, an offline camera, and a junction.

#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include <lantern/core/crs/crs.hpp>

#include "support/backend.hpp"
#include "support/support.hpp"

using namespace lantern;
using lantern::test::run_lantern;
using lantern::test::TempDir;
using nlohmann::json;

namespace {

constexpr double pi = 3.14159265358979323846;

// Positions are metres east and north of an origin in the Ancient Town, in UTM 49N.
struct Origin {
    double x = 0, y = 0;
};

Origin origin()
{
    double x = 108.32, y = 15.87;
    core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(x, y);
    return {std::floor(x), std::floor(y)};
}

std::string number(double v)
{
    std::ostringstream s;
    s.precision(12);
    s << v;
    return s.str();
}

class Drawing {
public:
    explicit Drawing(Origin o) : m_o(o) {}

    std::string at(double east, double north) const
    {
        return "[" + number(m_o.x + east) + "," + number(m_o.y + north) + "]";
    }
    std::string point(double east, double north) const
    {
        return R"({"type":"Point","coordinates":)" + at(east, north) + "}";
    }
    // A point in WGS 84, as GeoJSON files without a CRS are read.
    std::string lonlat_point(double east, double north) const
    {
        double x = m_o.x + east, y = m_o.y + north;
        core::Transform(core::Crs::from_user("EPSG:32649"), core::Crs::wgs84()).apply(x, y);
        return R"({"type":"Point","coordinates":[)" + number(x) + "," + number(y) + "]}";
    }
    std::string line(const std::vector<std::pair<double, double>>& points) const
    {
        std::string text = R"({"type":"LineString","coordinates":[)";
        for (std::size_t i = 0; i < points.size(); ++i)
            text += (i ? "," : "") + at(points[i].first, points[i].second);
        return text + "]}";
    }
    std::string box(double w, double s, double e, double n) const
    {
        return R"({"type":"Polygon","coordinates":[[)" + at(w, s) + "," + at(e, s) + "," + at(e, n) + "," +
               at(w, n) + "," + at(w, s) + "]]}";
    }

private:
    Origin m_o;
};

using lantern::test::write_collection;

std::string feature(const std::string& geometry, const std::string& properties)
{
    return lantern::test::geojson_feature(geometry, properties);
}

void import(const std::string& city, const std::string& cls, const std::string& file)
{
    auto r = run_lantern({"import", city, cls, file, "--s-srs", "EPSG:32649", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
}

// The lamp's lit radius worked by hand: 7200 lm over the lower hemisphere
// is 1145.9 cd; a residential street is lit to class P3, 1.5 lx at least;
// E = I h / (h^2 + d^2)^1.5 meets it at d = sqrt((I h / E)^(2/3) - h^2).
double lamp_radius()
{
    double intensity = 7200 / (2 * pi);
    return std::sqrt(std::pow(intensity * 8 / 1.5, 2.0 / 3.0) - 64);
}

// The street R-1 runs 200 m east along y = 0 with a vertex at x = 60,
// where R-2 comes up from the south: a junction of three road ends.
// Lamp L-1 stands 5 m north of it at x = 100. Camera C-1 at (100, -50) in
// an open field looks east (fov 90, range 20) inside heritage zone HZ-1;
// C-2 at (140, -150) looks east at a 60 m wall 10 m away; C-3 is offline.
std::string build_town(const TempDir& dir)
{
    lantern::test::new_city(dir);
    auto city = lantern::test::city_location(dir, "city.sqlite");
    Drawing d(origin());
    write_collection(dir.file("roads.geojson"),
                     {feature(d.line({{0, 0}, {60, 0}, {200, 0}}), R"({"road_id":"R-1","class":"residential"})"),
                      feature(d.line({{60, -100}, {60, 0}}), R"({"road_id":"R-2","class":"residential"})")});
    import(city, "roads", dir.file("roads.geojson"));
    write_collection(dir.file("lamps.geojson"),
                     {feature(d.point(100, 5),
                              R"({"lamp_id":"L-1","lamp_type":"LED","height_m":8,"lumens":7200,"status":"on"})"),
                      feature(d.point(30, 5),
                              R"({"lamp_id":"L-2","lamp_type":"LED","height_m":8,"lumens":7200,"status":"off"})")});
    import(city, "lamps", dir.file("lamps.geojson"));
    write_collection(
        dir.file("cameras.geojson"),
        {feature(d.point(100, -50),
                 R"({"camera_id":"C-1","purpose":"security","heading_deg":90,"fov_deg":90,"range_m":20,"resolution_px":1920})"),
         feature(d.point(140, -150),
                 R"({"camera_id":"C-2","purpose":"security","heading_deg":90,"fov_deg":90,"range_m":30,"resolution_px":8000,"status":"online"})"),
         feature(d.point(20, -150),
                 R"({"camera_id":"C-3","purpose":"security","heading_deg":0,"fov_deg":90,"range_m":30,"status":"offline"})")});
    import(city, "cameras", dir.file("cameras.geojson"));
    write_collection(dir.file("buildings.geojson"),
                     {feature(d.box(150, -180, 152, -120), R"({"building_id":"B-1"})")});
    import(city, "buildings", dir.file("buildings.geojson"));
    write_collection(dir.file("zones.geojson"),
                     {feature(d.box(90, -70, 130, -30), R"({"zone_id":"HZ-1","protection":"I"})")});
    import(city, "heritage_zones", dir.file("zones.geojson"));
    write_collection(dir.file("wards.geojson"),
                     {feature(d.box(-50, -250, 250, 50), R"({"ward_code":"W-1","name":"Minh An"})")});
    import(city, "wards", dir.file("wards.geojson"));
    return city;
}

json run_json(const std::vector<std::string>& args)
{
    auto r = run_lantern(args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

// The features of a result, by GDAL through lantern export.
json exported(const TempDir& dir, const std::string& city, const std::string& result)
{
    auto path = dir.file(result + ".geojson");
    auto r = run_lantern({"export", city, result, path});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(lantern::test::read_file(path))["features"];
}

}  // namespace

TEST_CASE("a lamp lights its street to the photometric radius and the rest is dark")
{
    TempDir dir;
    auto city = build_town(dir);
    auto s = run_json({"coverage", city, "lighting", "--json", "-q"});
    const double r = lamp_radius();  // 19.3 m
    const double chord = 2 * std::sqrt(r * r - 25);  // where the street is within r of the lamp
    CHECK(s["devices"]["counted"] == 1);  // L-2 is off
    CHECK(s["roads"]["total_m"].get<double>() == Approx(300.0));
    // The lit circle is a polygon with vertices on the circle, its chords
    // within 2 cm of the arc: it loses at most 0.18 % of the disc's area
    // (docs/coverage.md), and a few centimetres of the street's lit chord.
    CHECK(s["roads"]["covered_m"].get<double>() == Approx(chord).epsilon(0.002));
    auto lit = exported(dir, city, "lighting_coverage");
    REQUIRE(lit.size() == 1);
    const auto& p = lit[0]["properties"];
    CHECK(p["lighting_class"] == "P3");
    CHECK(p["threshold_lux"].get<double>() == Approx(1.5));
    CHECK(p["radius_m"].get<double>() == Approx(r).epsilon(1e-9));
    CHECK(p["area_m2"].get<double>() == Approx(pi * r * r).epsilon(0.002));
    CHECK(p["area_m2"].get<double>() < pi * r * r);
    // Dark: R-1 west and east of the lit chord (40 + 100 - chord/2 m, and
    // 100 - chord/2 m), and all of R-2.
    auto gaps = exported(dir, city, "lighting_gaps");
    double dark = 0;
    for (const auto& g : gaps)
        dark += g["properties"]["length_m"].get<double>();
    CHECK(dark == Approx(300 - chord).epsilon(0.002));
    CHECK(s["roads"]["gap_m"].get<double>() == Approx(300 - chord).epsilon(0.002));
    auto wards = exported(dir, city, "lighting_coverage_wards");
    REQUIRE(wards.size() == 1);
    CHECK(wards[0]["properties"]["road_covered_m"].get<double>() == Approx(chord).epsilon(0.002));
    CHECK(wards[0]["properties"]["devices"] == 1);
}

TEST_CASE("overlapping lit areas count once in a parcel, convex or not")
{
    // Two pairs of lamps 20 m apart on residential streets, y = 0 and
    // y = 200; each pair lies wholly inside a parcel: a box (P-1, ward W-1)
    // and an L (P-2, ward W-2). Each parcel's lit area is the union of two
    // discs: 2 pi r^2 less the lens 2 r^2 acos(D / 2r) - (D / 2) sqrt(4 r^2 - D^2).
    TempDir dir;
    lantern::test::new_city(dir);
    auto city = lantern::test::city_location(dir, "city.sqlite");
    Drawing d(origin());
    const double D = 20;
    write_collection(dir.file("roads.geojson"),
                     {feature(d.line({{-40, 0}, {60, 0}}), R"({"road_id":"R-1","class":"residential"})"),
                      feature(d.line({{-40, 200}, {60, 200}}), R"({"road_id":"R-2","class":"residential"})")});
    import(city, "roads", dir.file("roads.geojson"));
    auto lamp = [&](const char* id, double east, double north) {
        return feature(d.point(east, north),
                       std::string(R"({"lamp_id":")") + id + R"(","height_m":8,"lumens":7200,"status":"on"})");
    };
    write_collection(dir.file("lamps.geojson"),
                     {lamp("A-1", 0, 0), lamp("A-2", D, 0), lamp("B-1", 0, 200), lamp("B-2", D, 200)});
    import(city, "lamps", dir.file("lamps.geojson"));
    std::string l_shape = R"({"type":"Polygon","coordinates":[[)" + d.at(-30, 170) + "," + d.at(D + 60, 170) + "," +
                          d.at(D + 60, 180) + "," + d.at(D + 30, 180) + "," + d.at(D + 30, 230) + "," +
                          d.at(-30, 230) + "," + d.at(-30, 170) + "]]}";
    write_collection(dir.file("parcels.geojson"),
                     {feature(d.box(-30, -30, D + 30, 30), R"({"parcel_id":"P-1","land_use":"ODT"})"),
                      feature(l_shape, R"({"parcel_id":"P-2","land_use":"ODT"})")});
    import(city, "parcels", dir.file("parcels.geojson"));
    write_collection(dir.file("wards.geojson"),
                     {feature(d.box(-50, -50, 100, 100), R"({"ward_code":"W-1","name":"Minh An"})"),
                      feature(d.box(-50, 100, 100, 250), R"({"ward_code":"W-2","name":"Son Phong"})")});
    import(city, "wards", dir.file("wards.geojson"));

    auto s = run_json({"coverage", city, "lighting", "--json", "-q"});
    const double r = lamp_radius();
    const double lens = 2 * r * r * std::acos(D / (2 * r)) - D / 2 * std::sqrt(4 * r * r - D * D);
    const double lit = 2 * pi * r * r - lens;
    // Polygonal discs: at most 0.18 % less (docs/coverage.md).
    CHECK(s["parcels"]["covered_m2"].get<double>() == Approx(2 * lit).epsilon(0.002));
    auto wards = exported(dir, city, "lighting_coverage_wards");
    REQUIRE(wards.size() == 2);
    for (const auto& w : wards) {
        INFO(w["properties"]["ward_code"]);
        CHECK(w["properties"]["parcel_covered_m2"].get<double>() == Approx(lit).epsilon(0.002));
    }
}

TEST_CASE("camera views follow the detail bands and stop at walls")
{
    TempDir dir;
    auto city = build_town(dir);
    auto s = run_json({"coverage", city, "cameras", "--json", "-q"});
    CHECK(s["devices"]["counted"] == 2);  // C-3 is offline
    auto bands = exported(dir, city, "camera_coverage");
    std::map<std::string, std::map<std::string, double>> area;
    std::map<std::string, std::map<std::string, double>> far_edge;
    for (const auto& f : bands) {
        const auto& p = f["properties"];
        area[p["camera_id"]][p["band"]] += p["area_m2"].get<double>();
        far_edge[p["camera_id"]][p["band"]] = p["to_m"].get<double>();
    }
    // C-1, 1920 px over 90 degrees: PPM = 960 / d, so identify ends at
    // 3.84 m, recognise 7.68, observe 15.36 and detect at 38.4 m, cut to
    // the 20 m range. Each band is a quarter annulus.
    const double radius[] = {3.84, 7.68, 15.36, 20.0};
    const char* names[] = {"identify", "recognise", "observe", "detect"};
    double inner = 0;
    for (int k = 0; k < 4; ++k) {
        INFO(names[k]);
        CHECK(far_edge["C-1"][names[k]] == Approx(radius[k]));
        CHECK(area["C-1"][names[k]] == Approx(pi / 4 * (radius[k] * radius[k] - inner * inner)).epsilon(0.002));
        inner = radius[k];
    }
    // C-2 looks at the wall 10 m away: its ±45 degree rays hit it 10 m
    // either side, so it sees a triangle of 20 x 10 / 2 = 100 m².
    double c2 = 0;
    for (const auto& [band, a] : area["C-2"])
        c2 += a;
    CHECK(c2 == Approx(100.0).epsilon(1e-6));
    // C-1's quarter disc lies inside HZ-1 (40 x 40 m).
    REQUIRE(s["heritage_zones"].size() == 1);
    const auto& zone = s["heritage_zones"][0];
    CHECK(zone["total_m2"].get<double>() == Approx(1600.0));
    CHECK(zone["covered_m2"].get<double>() == Approx(pi * 400 / 4).epsilon(0.002));
    auto spots = exported(dir, city, "camera_blind_spots");
    REQUIRE(spots.size() == 1);
    CHECK(spots[0]["properties"]["area_m2"].get<double>() == Approx(1600 - pi * 100).epsilon(0.001));
    // No camera sees a street: every road is one gap.
    CHECK(s["roads"]["covered_m"].get<double>() == Approx(0.0).margin(1e-9));
}

TEST_CASE("what-if switches a lamp off and adds one without sweeping the others again")
{
    TempDir dir;
    auto city = build_town(dir);
    run_json({"coverage", city, "lighting", "--json", "-q"});
    auto stored = run_lantern({"results", city, "--json"});
    const double r = lamp_radius();
    const double chord = 2 * std::sqrt(r * r - 25);

    auto off = run_json({"coverage", city, "lighting", "--off", "L-1", "--json", "-q"});
    CHECK(off["what_if"]["after"]["road_covered_m"].get<double>() == Approx(0.0).margin(1e-9));
    CHECK(off["what_if"]["change"]["road_covered_m"].get<double>() == Approx(-chord).epsilon(0.002));
    CHECK(off["what_if"]["footprints_computed"] == 0);

    // A lamp added at x = 160, 5 m south of the street: a second chord.
    Drawing d(origin());
    write_collection(dir.file("new.geojson"),
                     {feature(d.lonlat_point(160, -5), R"({"lamp_id":"N-1","height_m":8,"lumens":7200})")});
    auto add = run_json({"coverage", city, "lighting", "--add", dir.file("new.geojson"), "--json", "-q"});
    CHECK(add["what_if"]["footprints_computed"] == 1);
    CHECK(add["what_if"]["footprints_reused"] == 1);
    CHECK(add["what_if"]["change"]["road_covered_m"].get<double>() == Approx(chord).epsilon(0.002));
    // What-if runs store nothing.
    CHECK(run_lantern({"results", city, "--json"}).out == stored.out);
}

TEST_CASE("coverage refuses unknown devices and bad files and leaves the results as they were")
{
    TempDir dir;
    auto city = build_town(dir);
    run_json({"coverage", city, "cameras", "--json", "-q"});
    auto stored = run_lantern({"results", city, "--json"});

    auto unknown = run_lantern({"coverage", city, "cameras", "--off", "C-9"});
    CHECK(unknown.exit_code != 0);
    CHECK_THAT(unknown.err, Catch::Contains("C-9"));

    Drawing d(origin());
    write_collection(dir.file("bad.geojson"),
                     {feature(d.lonlat_point(10, 10), R"({"camera_id":"N-1","fov_deg":"wide"})")});
    auto bad = run_lantern({"coverage", city, "cameras", "--add", dir.file("bad.geojson")});
    CHECK(bad.exit_code != 0);
    CHECK_THAT(bad.err, Catch::Contains("bad.geojson") && Catch::Contains("feature 1") && Catch::Contains("fov_deg"));

    auto lighting_suggest = run_lantern({"coverage", city, "lighting", "--suggest", "2"});
    CHECK(lighting_suggest.exit_code != 0);
    CHECK(run_lantern({"results", city, "--json"}).out == stored.out);
}

TEST_CASE("suggest picks junction cameras that watch the most unwatched road")
{
    TempDir dir;
    auto city = build_town(dir);
    auto s = run_json({"coverage", city, "cameras", "--suggest", "3", "--json", "-q"});
    const auto& p = s["suggest"];
    // The junction at x = 60 has three roads: west (60 m of R-1), east and
    // south (100 m of R-2). A candidate, 1920 px over 90 degrees, detects
    // out to 1920 / (25 x 2) = 38.4 m of its 60 m range: 38 road pieces of
    // 1 m have their middles within it along each road.
    CHECK(p["candidates"] == 3);
    REQUIRE(p["sites"].size() == 3);
    for (const auto& site : p["sites"])
        CHECK(site["gain_m"].get<double>() == Approx(38.4).margin(1.0));
    CHECK(p["covered_after"].get<double>() ==
          Approx(p["covered_before"].get<double>() + p["gain"].get<double>()));
    CHECK(p["total"].get<double>() == Approx(300.0).epsilon(0.001));
    CHECK(s["results"].empty());
}

TEST_CASE("coverage --png draws a map")
{
    TempDir dir;
    auto city = build_town(dir);
    auto r = run_lantern({"coverage", city, "cameras", "--png", dir.file("cameras.png"), "--width", "400", "-q"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    auto png = lantern::test::read_file(dir.file("cameras.png"));
    REQUIRE(png.size() > 8);
    CHECK(png.substr(1, 3) == "PNG");
}
