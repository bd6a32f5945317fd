// Agreement with GRASS GIS modules on synthetic terrain: r.lake for the
// extent of a flood at a stage, r.watershed for D8 flow accumulation. Runs
// where grass is installed (.ci/install-references installs it in CI) and
// warns elsewhere.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include <lantern/core/hydrology/hydrology.hpp>
#include <lantern/core/hydrology/inundation.hpp>
#include <lantern/core/raster_io/grid_io.hpp>

#include "reference/reference_tools.hpp"
#include "support/support.hpp"
#include "support/synthetic_dem.hpp"

using namespace lantern;
using lantern::test::TempDir;

namespace {

bool have_grass()
{
    if (lantern::test::on_path("grass"))
        return true;
    WARN("grass is not installed (bash .ci/install-references): GRASS comparison skipped");
    return false;
}

// r.watershed numbers drainage 1..8 counter-clockwise from north-east,
// negative where water leaves the region; the D8 code of the same neighbour.
std::uint8_t from_grass_drainage(float value)
{
    static constexpr std::uint8_t codes[9] = {0, 128, 64, 32, 16, 8, 4, 2, 1};
    const int k = std::abs(static_cast<int>(value));
    return k >= 1 && k <= 8 ? codes[k] : 0;
}

// 1 on the cells downstream of a marked cell, following the directions,
// the marked cells included.
core::ByteGrid downstream_of(const core::ByteGrid& marked, const core::FlowGrid& directions)
{
    const core::GridFrame& frame = directions.frame;
    core::ByteGrid reached(frame, 0);
    for (int row = 0; row < frame.height; ++row)
        for (int col = 0; col < frame.width; ++col) {
            if (!marked.at(col, row))
                continue;
            int c = col, r = row;
            while (frame.contains(c, r) && !reached.at(c, r)) {
                reached.at(c, r) = 1;
                int k = 0;
                while (k < core::neighbour_count && directions.at(c, r) != core::direction_code(k))
                    ++k;
                if (k == core::neighbour_count)
                    break;
                c += core::neighbour_dx[k];
                r += core::neighbour_dy[k];
            }
        }
    return reached;
}

}  // namespace

TEST_CASE("flood extents equal GRASS r.lake from the same open water at several stages")
{
    if (!have_grass())
        return;
    TempDir dir;
    core::FloatGrid dem = test::synthetic_dem(1000, 1000, {.seed = 5, .water = true, .holes = true});
    // r.lake (GRASS 8.2) never reads a cell of the last column as water: its
    // 3 x 3 window stops one column short. Water can flood those cells but
    // not pass through them, so a cell reached only through that column
    // stays dry. The column is made no-data, where both tools agree that no
    // water goes. r.lake also always seeds the north-west corner cell; it is
    // open water here (the sea strip) as it has to be for us.
    for (int row = 0; row < dem.height(); ++row)
        dem.at(dem.width() - 1, row) = core::no_data;
    const core::ByteGrid water = test::synthetic_open_water(dem);
    REQUIRE(water.at(0, 0) == 1);
    core::write_geotiff(dir.file("dem.tif"), dem);
    core::write_geotiff(dir.file("seeds.tif"), water, 0.0);

    // Stages at quantiles of the land: multiples of 1/16 m, which r.lake
    // (which reads the level as float) and we (double) hold exactly. Both
    // flood a land cell when a path of cells below the stage, the cell
    // included, leads to open water (r.lake: elevation < level; 8 neighbours).
    std::vector<float> land;
    for (std::size_t i = 0; i < dem.cells(); ++i)
        if (!core::is_no_data(dem[i]) && !water[i])
            land.push_back(dem[i]);
    std::sort(land.begin(), land.end());
    std::vector<double> stages;
    for (double q : {0.02, 0.1, 0.25, 0.5})
        stages.push_back(std::round(16.0 * land[static_cast<std::size_t>(q * static_cast<double>(land.size()))]) / 16.0);

    std::string script = "r.in.gdal --q input=dem.tif output=dem\n"
                         "r.in.gdal --q input=seeds.tif output=seeds\n"
                         "g.region raster=dem\n";
    for (std::size_t k = 0; k < stages.size(); ++k) {
        const std::string lake = "lake" + std::to_string(k);
        script += "r.lake --q elevation=dem seed=seeds lake=" + lake +
                  " water_level=" + test::exact_number(stages[k]) + "\n";
        script += "r.out.gdal --q -c input=" + lake + " output=" + lake + ".tif type=Float32\n";
    }
    const auto grass = test::run_grass(dir, script);
    INFO(grass.output);
    REQUIRE(grass.exit_code == 0);

    const core::FloatGrid threshold = core::flood_threshold(dem, water);
    std::uint64_t previous = 0;
    for (std::size_t k = 0; k < stages.size(); ++k) {
        const core::FloatGrid lake = core::read_float_grid(dir.file("lake" + std::to_string(k) + ".tif"));
        REQUIRE(lake.frame.same_cells(dem.frame));
        std::uint64_t flooded_land = 0, differ = 0;
        for (std::size_t i = 0; i < dem.cells(); ++i) {
            const bool land_floods = !water[i] && core::floods(threshold[i], stages[k]);
            const bool ours = water[i] || land_floods;
            const bool theirs = !core::is_no_data(lake[i]);
            flooded_land += land_floods;
            differ += ours != theirs;
        }
        INFO("stage " << stages[k] << " m: land flooded " << flooded_land << ", cells that differ " << differ);
        CHECK(differ == 0);
        // Each stage floods more, and the first already something.
        CHECK(flooded_land > previous);
        previous = flooded_land;
    }
}

TEST_CASE("D8 flow accumulation against GRASS r.watershed -s on a DEM without flats")
{
    if (!have_grass())
        return;
    TempDir dir;
    const core::FloatGrid dem = test::synthetic_dem_without_flats(1000, 1000, 11);
    const core::GridFrame& frame = dem.frame;
    core::write_geotiff(dir.file("dem.tif"), dem);
    const auto grass = test::run_grass(dir,
                                       "r.in.gdal --q input=dem.tif output=dem\n"
                                       "g.region raster=dem\n"
                                       "r.watershed --q -s -a elevation=dem accumulation=acc drainage=dir\n"
                                       "r.out.gdal --q -c input=acc output=acc.tif type=Float64\n"
                                       "r.out.gdal --q -c input=dir output=dir.tif type=Int16\n");
    INFO(grass.output);
    REQUIRE(grass.exit_code == 0);
    const core::FloatGrid acc = core::read_float_grid(dir.file("acc.tif"));
    const core::FloatGrid drainage = core::read_float_grid(dir.file("dir.tif"));
    REQUIRE(acc.frame.same_cells(frame));
    REQUIRE(drainage.frame.same_cells(frame));

    // r.watershed's drainage map points most edge cells along the edge, but
    // its accumulation does not follow those: water on an edge cell leaves
    // the region. With edge cells pointing off the grid, our accumulation
    // over r.watershed's own directions is its accumulation on every cell:
    // the counting agrees exactly.
    core::FlowGrid theirs(frame, 0);
    for (int row = 0; row < frame.height; ++row)
        for (int col = 0; col < frame.width; ++col) {
            std::uint8_t code = from_grass_drainage(drainage.at(col, row));
            if (row == 0)
                code = 64;  // north
            else if (row == frame.height - 1)
                code = 4;  // south
            else if (col == 0)
                code = 16;  // west
            else if (col == frame.width - 1)
                code = 1;  // east
            theirs.at(col, row) = code;
        }
    const core::CountGrid recount = core::flow_accumulation(theirs);
    std::uint64_t recount_differs = 0;
    for (std::size_t i = 0; i < dem.cells(); ++i)
        recount_differs += static_cast<double>(recount[i]) != std::abs(static_cast<double>(acc[i]));
    CHECK(recount_differs == 0);

    // Our own directions. Edge cells are left out: flow_directions sends an
    // edge cell to its steepest lower neighbour along the edge where it has
    // one (only the others drain out), where r.watershed's accumulation lets
    // the water leave. Every edge cell here lies below its inner neighbours,
    // so in neither tool does water go from the edge inwards.
    //
    // On inner cells the directions differ on a few cells (a quarter of a
    // percent here), always the same way: r.watershed drains to a diagonal
    // neighbour where the steepest drop over distance, which we take, is to
    // a cardinal one. Its A* search (lowest cell first, uphill from the edge)
    // points each cell at the neighbour it was reached from, mostly the
    // lowest, and its guard against diagonal bias compares a diagonal only
    // with the two cardinal neighbours beside it, not with all eight slopes.
    const core::FlowGrid ours = core::flow_directions(dem);
    const core::CountGrid our_acc = core::flow_accumulation(ours);
    core::ByteGrid differs(frame, 0);
    std::uint64_t inner = 0, same_direction = 0;
    for (int row = 1; row + 1 < frame.height; ++row)
        for (int col = 1; col + 1 < frame.width; ++col) {
            const std::size_t i = frame.index(col, row);
            ++inner;
            same_direction += ours[i] == theirs[i];
            differs[i] = ours[i] != theirs[i];
        }
    // A cell with no such cell upstream of it, following either tool's
    // directions, has the same upstream area in both, so the same count.
    const core::ByteGrid affected_ours = downstream_of(differs, ours);
    const core::ByteGrid affected_theirs = downstream_of(differs, theirs);
    std::uint64_t unaffected = 0, unaffected_differ = 0, same_accumulation = 0;
    for (int row = 1; row + 1 < frame.height; ++row)
        for (int col = 1; col + 1 < frame.width; ++col) {
            const std::size_t i = frame.index(col, row);
            const bool equal = static_cast<double>(our_acc[i]) == std::abs(static_cast<double>(acc[i]));
            same_accumulation += equal;
            if (!affected_ours[i] && !affected_theirs[i]) {
                ++unaffected;
                unaffected_differ += !equal;
            }
        }
    const double direction_share = static_cast<double>(same_direction) / static_cast<double>(inner);
    const double accumulation_share = static_cast<double>(same_accumulation) / static_cast<double>(inner);
    INFO("of " << inner << " inner cells: same direction on " << same_direction << " (" << direction_share
                << "), same accumulation on " << same_accumulation << " (" << accumulation_share << "), "
                << unaffected << " with no differing direction upstream");
    CHECK(unaffected_differ == 0);
    CHECK(direction_share > 0.995);
    CHECK(accumulation_share > 0.9);
}
