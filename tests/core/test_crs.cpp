// CRS table: known answers computed here by independent formulas (meridian
// arc length, the published VN-2000 Helmert parameters applied by hand), and
// round trips through PROJ with tolerances.

#include <catch2/catch.hpp>

#include <cmath>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/crs.hpp>

using lantern::core::Crs;
using lantern::core::Transform;

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double a = 6378137.0;             // WGS 84 semi-major axis; VN-2000 uses WGS 84's ellipsoid
constexpr double f = 1.0 / 298.257223563;
const double e2 = f * (2 - f);

double radians(double degrees) { return degrees * pi / 180.0; }
double degrees(double rad) { return rad * 180.0 / pi; }

// Meridian arc length from the equator (series to e^6; error below 1 cm).
double meridian_arc(double lat_deg)
{
    double p = radians(lat_deg);
    double e4 = e2 * e2, e6 = e4 * e2;
    return a * ((1 - e2 / 4 - 3 * e4 / 64 - 5 * e6 / 256) * p -
                (3 * e2 / 8 + 3 * e4 / 32 + 45 * e6 / 1024) * std::sin(2 * p) +
                (15 * e4 / 256 + 45 * e6 / 1024) * std::sin(4 * p) -
                (35 * e6 / 3072) * std::sin(6 * p));
}

struct Xyz {
    double x, y, z;
};

Xyz to_ecef(double lon, double lat)
{
    double p = radians(lat), l = radians(lon);
    double n = a / std::sqrt(1 - e2 * std::sin(p) * std::sin(p));
    return {n * std::cos(p) * std::cos(l), n * std::cos(p) * std::sin(l),
            n * (1 - e2) * std::sin(p)};
}

void from_ecef(const Xyz& c, double& lon, double& lat)
{
    double p = std::hypot(c.x, c.y);
    double phi = std::atan2(c.z, p * (1 - e2));
    for (int i = 0; i < 10; ++i) {
        double n = a / std::sqrt(1 - e2 * std::sin(phi) * std::sin(phi));
        double h = p / std::cos(phi) - n;
        phi = std::atan2(c.z, p * (1 - e2 * n / (n + h)));
    }
    lon = degrees(std::atan2(c.y, c.x));
    lat = degrees(phi);
}

// WGS 84 -> VN-2000 by inverting the official VN-2000 -> WGS 84 shift
// (Decision 05/2007/QD-BTNMT; EPSG:6960, coordinate frame rotation).
void wgs84_to_vn2000_by_hand(double lon, double lat, double& vn_lon, double& vn_lat)
{
    const double tx = -191.90441429, ty = -39.30318279, tz = -111.45032835;
    const double arcsec = pi / (180.0 * 3600.0);
    const double rx = -0.00928836 * arcsec, ry = 0.01975479 * arcsec, rz = -0.00427372 * arcsec;
    const double s = 0.252906278e-6;
    Xyz w = to_ecef(lon, lat);
    Xyz d{w.x - tx, w.y - ty, w.z - tz};
    // Forward (coordinate frame): W = T + (1+s) R V with R = [[1,rz,-ry],[-rz,1,rx],[ry,-rx,1]].
    // Inverse to first order in the tiny angles: V = R^T (W - T) / (1+s).
    Xyz v{(d.x - rz * d.y + ry * d.z) / (1 + s), (rz * d.x + d.y - rx * d.z) / (1 + s),
          (-ry * d.x + rx * d.y + d.z) / (1 + s)};
    from_ecef(v, vn_lon, vn_lat);
}

}  // namespace

TEST_CASE("points on the central meridian project to the false easting and k0 times the meridian arc")
{
    struct Row {
        const char* crs;
        double lon, lat, k0;
    };
    const Row rows[] = {
        {"EPSG:32649", 111.0, 15.8772, 0.9996},         // UTM 49N, central meridian 111
        {"EPSG:32649", 111.0, 0.0, 0.9996},
        {"VN2000:TM3:107.75", 107.75, 15.8772, 0.9999},  // Quang Nam TM-3 zone
        {"VN2000:TM3:107d45", 107.75, 16.2, 0.9999},
    };
    for (const auto& row : rows) {
        INFO(row.crs << " at " << row.lon << ", " << row.lat);
        // For VN-2000 give the point in VN-2000 geographic so no datum shift applies.
        Crs from = std::string(row.crs).rfind("VN2000", 0) == 0 ? Crs::from_user("EPSG:4756")
                                                                : Crs::wgs84();
        Transform t(from, Crs::from_user(row.crs));
        double x = row.lon, y = row.lat;
        t.apply(x, y);
        CHECK(x == Approx(500000.0).margin(0.001));
        CHECK(y == Approx(row.k0 * meridian_arc(row.lat)).margin(0.01));
    }
}

TEST_CASE("WGS 84 to VN-2000 applies the official 7-parameter shift")
{
    const double points[][2] = {{108.3261, 15.8772}, {108.5189, 15.9547}, {108.3042, 15.8882}};
    Transform t(Crs::wgs84(), Crs::from_user("EPSG:4756"));
    for (const auto& p : points) {
        double lon = p[0], lat = p[1];
        t.apply(lon, lat);
        double expected_lon = 0, expected_lat = 0;
        wgs84_to_vn2000_by_hand(p[0], p[1], expected_lon, expected_lat);
        INFO("point " << p[0] << ", " << p[1]);
        CHECK(lon == Approx(expected_lon).margin(1e-8));  // about 1 mm
        CHECK(lat == Approx(expected_lat).margin(1e-8));
    }
}

TEST_CASE("the VN-2000 datum shift in Hoi An is about 225 m and is not dropped")
{
    // The Japanese Covered Bridge in WGS 84, projected on the Quang Nam zone once
    // through VN-2000 and once as if the datum were WGS 84 itself.
    double x = 108.3261, y = 15.8772;
    Transform(Crs::wgs84(), Crs::from_user("VN2000:TM3:107.75")).apply(x, y);
    double x_no_shift = 108.3261, y_no_shift = 15.8772;
    Transform(Crs::wgs84(),
              Crs::from_user("+proj=tmerc +lon_0=107.75 +k=0.9999 +x_0=500000 +datum=WGS84 +units=m"))
        .apply(x_no_shift, y_no_shift);
    double shift = std::hypot(x - x_no_shift, y - y_no_shift);
    CHECK(shift > 200.0);
    CHECK(shift < 250.0);

    // The same shift computed by hand from the Helmert parameters.
    double vn_lon = 0, vn_lat = 0;
    wgs84_to_vn2000_by_hand(108.3261, 15.8772, vn_lon, vn_lat);
    double dx = radians(vn_lon - 108.3261) * a * std::cos(radians(15.8772));
    double dy = radians(vn_lat - 15.8772) * a;
    CHECK(shift == Approx(std::hypot(dx, dy)).margin(1.0));
}

TEST_CASE("round trips between city CRSs stay within a millimetre")
{
    const char* crss[] = {"EPSG:32649", "VN2000:TM3:107.75", "EPSG:3405", "EPSG:3857"};
    const double points[][2] = {{108.3261, 15.8772}, {108.2875, 15.8066}, {108.7001, 15.9852}};
    for (const char* name : crss) {
        Crs crs = Crs::from_user(name);
        Transform forward(Crs::wgs84(), crs), back(crs, Crs::wgs84());
        for (const auto& p : points) {
            double x = p[0], y = p[1];
            forward.apply(x, y);
            back.apply(x, y);
            INFO(name << " at " << p[0] << ", " << p[1]);
            CHECK(x == Approx(p[0]).margin(1e-8));
            CHECK(y == Approx(p[1]).margin(1e-8));
        }
    }
}

TEST_CASE("CRS aliases and errors")
{
    CHECK(Crs::from_user("EPSG:32649").epsg() == 32649);
    CHECK(Crs::from_user("VN2000:TM3:107.75").name() == "VN-2000 / TM-3 107d45");
    CHECK(Crs::from_user("vn2000:tm3:107d45").same_as(Crs::from_user("VN2000:TM3:107.75")));
    CHECK_FALSE(Crs::from_user("VN2000:TM3:108").same_as(Crs::from_user("VN2000:TM3:107.75")));
    CHECK_THROWS_AS(Crs::from_user("EPSG:999999"), lantern::core::UsageError);
    CHECK_THROWS_AS(Crs::from_user("not a crs"), lantern::core::UsageError);
    CHECK_THROWS_AS(Crs::from_user("VN2000:TM3:10"), lantern::core::UsageError);
    CHECK_THROWS_WITH(Crs::from_user("EPSG:999999"), Catch::Contains("unknown CRS 'EPSG:999999'"));
}
