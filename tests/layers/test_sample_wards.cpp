// The ward locator on the sample city's wards (thousands of vertices each)
// against GEOS: random points in and around each ward get the ward whose
// polygon GEOS says contains them, and none where no ward does; points GEOS
// finds on a boundary (covered but not contained, or within a millimetre of
// one) are left to the boundary rule, tested on a hand-made city
// (tests/cli/test_wards.cpp).

#include <catch2/catch.hpp>

#include <array>
#include <random>
#include <vector>

#include <geos_c.h>

#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/ward_locator.hpp>

using namespace lantern;

namespace {

struct Geos {
    GEOSContextHandle_t context = GEOS_init_r();
    ~Geos() { GEOS_finish_r(context); }
};

}  // namespace

TEST_CASE("random points get the ward GEOS says contains them")
{
    core::ensure_gdal();
    auto storage = core::open_city(std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite", core::Access::read_only);
    auto locator = layers::WardLocator::read(*storage);
    REQUIRE(locator.size() >= 4);

    Geos geos;
    GEOSWKBReader* reader = GEOSWKBReader_create_r(geos.context);
    std::vector<GEOSGeometry*> shapes;
    std::vector<const GEOSPreparedGeometry*> prepared, boundaries;
    std::vector<std::array<double, 4>> boxes;  // west, south, east, north
    for (const auto& ward : locator.wards()) {
        auto* g = GEOSWKBReader_read_r(geos.context, reader, ward.wkb.data(), ward.wkb.size());
        REQUIRE(g);
        double a = 0, b = 0, c = 0, d = 0;
        GEOSGeom_getXMin_r(geos.context, g, &a);
        GEOSGeom_getYMin_r(geos.context, g, &b);
        GEOSGeom_getXMax_r(geos.context, g, &c);
        GEOSGeom_getYMax_r(geos.context, g, &d);
        boxes.push_back({a, b, c, d});
        shapes.push_back(g);
        prepared.push_back(GEOSPrepare_r(geos.context, g));
        shapes.push_back(GEOSBoundary_r(geos.context, g));
        boundaries.push_back(GEOSPrepare_r(geos.context, shapes.back()));
    }
    GEOSWKBReader_destroy_r(geos.context, reader);

    // In each ward's box and a tenth beyond it on each side: points in it,
    // in its neighbours, in no ward (the sea, the river).
    std::mt19937 rng(2025);
    std::uniform_real_distribution<double> unit(-0.1, 1.1);
    std::size_t inside = 0, outside = 0, on_boundary = 0;
    for (int k = 0; k < 26000; ++k) {
        const auto& box = boxes[static_cast<std::size_t>(k) % boxes.size()];
        double x = box[0] + unit(rng) * (box[2] - box[0]), y = box[1] + unit(rng) * (box[3] - box[1]);
        GEOSGeometry* p = GEOSGeom_createPointFromXY_r(geos.context, x, y);
        int containing = -1, holders = 0;
        bool near_edge = false;
        for (std::size_t w = 0; w < prepared.size(); ++w) {
            if (GEOSPreparedContains_r(geos.context, prepared[w], p) == 1) {
                ++holders;
                if (containing < 0)
                    containing = static_cast<int>(w);
            }
            if (GEOSPreparedCovers_r(geos.context, prepared[w], p) == 1 &&
                GEOSPreparedContains_r(geos.context, prepared[w], p) != 1)
                near_edge = true;
            double distance = 0;
            REQUIRE(GEOSPreparedDistance_r(geos.context, boundaries[w], p, &distance) == 1);
            near_edge = near_edge || distance < 1e-3;
        }
        GEOSGeom_destroy_r(geos.context, p);
        if (near_edge) {
            ++on_boundary;
            continue;
        }
        INFO("at (" << x << ", " << y << ")");
        REQUIRE(holders <= 1);  // the wards do not overlap away from their edges
        REQUIRE(locator.ward_at({x, y}) == containing);
        (containing >= 0 ? inside : outside) += 1;
    }
    for (const auto* p : prepared)
        GEOSPreparedGeom_destroy_r(geos.context, p);
    for (const auto* p : boundaries)
        GEOSPreparedGeom_destroy_r(geos.context, p);
    for (auto* g : shapes)
        GEOSGeom_destroy_r(geos.context, g);
    INFO(inside << " inside a ward, " << outside << " outside, " << on_boundary << " left to the boundary rule");
    CHECK(inside > 5000);
    CHECK(outside > 1000);
    CHECK(on_boundary < 10);
}
