// Agreement with SAGA GIS, an independent implementation of the same
// algorithms, on synthetic terrain of a realistic size. Runs where saga_cmd
// is installed (.ci/install-references installs it in CI) and warns
// elsewhere.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>

#include <lantern/core/hydrology/hydrology.hpp>
#include <lantern/core/raster_io/grid_io.hpp>

#include "reference/reference_tools.hpp"
#include "support/support.hpp"
#include "support/synthetic_dem.hpp"

using namespace lantern;
using lantern::test::TempDir;

namespace {

bool have_saga()
{
    if (lantern::test::on_path("saga_cmd"))
        return true;
    WARN("saga_cmd is not installed (bash .ci/install-references): SAGA comparison skipped");
    return false;
}

}  // namespace

TEST_CASE("fill_depressions equals SAGA Fill Sinks (Wang & Liu) with minimum slope 0")
{
    if (!have_saga())
        return;
    TempDir dir;
    // Pits, nested bowls, a sea and a river, and no-data holes, whose edges
    // drain out in both conventions.
    const core::FloatGrid dem = test::synthetic_dem(1100, 1000, {.seed = 7, .water = true, .holes = true});
    core::write_geotiff(dir.file("dem.tif"), dem);

    const std::string tool = test::saga_tool_id(dir, "ta_preprocessor", "Fill Sinks (Wang & Liu)");
    REQUIRE_FALSE(tool.empty());
    const auto saga = test::run_shell(
        dir, "saga_cmd ta_preprocessor " + tool + " -ELEV dem.tif -FILLED saga.tif -MINSLOPE 0");
    INFO(saga.output);
    REQUIRE(saga.exit_code == 0);
    const core::FloatGrid theirs = core::read_float_grid(dir.file("saga.tif"));
    REQUIRE(theirs.frame.same_cells(dem.frame));

    core::FloatGrid ours = dem;
    const core::FillStats stats = core::fill_depressions(ours);

    std::uint64_t data = 0, raised_ours = 0, raised_both = 0, raised_differently = 0, no_data_differs = 0;
    double largest = 0;
    for (std::size_t i = 0; i < dem.cells(); ++i) {
        if (core::is_no_data(dem[i]) || core::is_no_data(theirs[i]) || core::is_no_data(ours[i])) {
            if (core::is_no_data(dem[i]) != core::is_no_data(theirs[i]) ||
                core::is_no_data(dem[i]) != core::is_no_data(ours[i]))
                ++no_data_differs;
            continue;
        }
        ++data;
        largest = std::max(largest, std::abs(static_cast<double>(ours[i]) - theirs[i]));
        const bool a = ours[i] > dem[i], b = theirs[i] > dem[i];
        raised_ours += a;
        raised_both += a && b;
        raised_differently += a != b;
    }
    INFO("data cells " << data << ", raised by us " << raised_ours << " (both " << raised_both
                       << "), raised by one only " << raised_differently << ", largest difference "
                       << largest << " m");
    CHECK(no_data_differs == 0);
    CHECK(largest < 1e-4);
    CHECK(raised_differently == 0);
    CHECK(stats.cells_raised == raised_ours);
    // The terrain must give the comparison something to compare.
    CHECK(raised_ours > data / 50);
}

TEST_CASE("D8 flow accumulation equals SAGA's on a DEM without flats")
{
    if (!have_saga())
        return;
    TempDir dir;
    const core::FloatGrid dem = test::synthetic_dem_without_flats(1000, 1000, 11);
    core::write_geotiff(dir.file("dem.tif"), dem);

    const std::string tool = test::saga_tool_id(dir, "ta_hydrology", "Flow Accumulation (Top-Down)");
    REQUIRE_FALSE(tool.empty());
    // METHOD 0: Deterministic 8; FLOW_UNIT 0: number of cells.
    const auto saga = test::run_shell(dir, "saga_cmd ta_hydrology " + tool +
                                               " -ELEVATION dem.tif -FLOW acc.tif -METHOD 0 -FLOW_UNIT 0");
    INFO(saga.output);
    REQUIRE(saga.exit_code == 0);
    const core::FloatGrid theirs = core::read_float_grid(dir.file("acc.tif"));
    REQUIRE(theirs.frame.same_cells(dem.frame));

    const core::CountGrid ours = core::flow_accumulation(core::flow_directions(dem));

    // Both take the steepest drop over distance: every inner cell has the
    // same count. Edge cells follow different conventions: SAGA lets the
    // water on an edge cell leave the grid; flow_directions sends an edge cell
    // to its steepest lower neighbour along the edge where it has one, and
    // only the others drain out. Every edge cell of this terrain lies below
    // its inner neighbours, so no edge cell drains inwards in either tool and
    // the difference stays on the edge.
    std::uint64_t inner = 0, inner_equal = 0, edge = 0, edge_equal = 0;
    for (int row = 0; row < dem.height(); ++row)
        for (int col = 0; col < dem.width(); ++col) {
            const bool equal = static_cast<double>(ours.at(col, row)) == theirs.at(col, row);
            if (col == 0 || row == 0 || col == dem.width() - 1 || row == dem.height() - 1) {
                ++edge;
                edge_equal += equal;
            } else {
                ++inner;
                inner_equal += equal;
            }
        }
    INFO("inner cells equal " << inner_equal << " of " << inner << ", edge cells equal " << edge_equal
                              << " of " << edge);
    CHECK(inner_equal == inner);
}
