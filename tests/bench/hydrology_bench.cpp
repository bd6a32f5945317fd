// Terrain hydrology benchmark: one step per run, so that GNU time's peak
// memory belongs to one step. Each step reads its inputs, runs, and prints
// its own wall time, cells per second and the peak resident memory while it
// ran (reset after reading), then the read and write times separately.
// tests/bench/hydrology_bench.sh runs the steps in order on one DEM.
//
//   lantern_hydrology_bench make-dem OUT.tif SIZE [SEED]    (also prints stage LEVELS)
//   lantern_hydrology_bench fill DEM.tif OUT.tif
//   lantern_hydrology_bench flowdir FILLED.tif OUT.tif
//   lantern_hydrology_bench accumulation FLOWDIR.tif OUT.tif
//   lantern_hydrology_bench hand FILLED.tif FLOWDIR.tif ACCUMULATION.tif STREAM_CELLS OUT.tif
//   lantern_hydrology_bench threshold DEM.tif OUT.tif
//   lantern_hydrology_bench stage DEM.tif THRESHOLD.tif OUT.tif LEVEL [LEVEL...]
//
// Every step prints a line "RESULT step=... seconds=... cells_per_second=...
// step_peak_mb=... dem_float32_mb=... read_seconds=... write_seconds=..."
// (step names have no spaces: stage_LEVEL).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/hydrology/hydrology.hpp>
#include <lantern/core/hydrology/inundation.hpp>
#include <lantern/core/raster_io/grid_io.hpp>

#include "support/synthetic_dem.hpp"

using namespace lantern;

namespace {

double seconds_of(const std::function<void()>& work)
{
    const auto start = std::chrono::steady_clock::now();
    work();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Peak resident memory is measured per step: writing 5 to clear_refs resets
// the kernel's high-water mark to what is resident now (the inputs).
void reset_peak_memory()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

double peak_memory_mb()
{
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            double kb = 0;
            status >> kb;
            return kb / 1024;
        }
        status.ignore(4096, '\n');
    }
    return 0;
}

// Band 1 of a raster as T (the flow directions and counts the steps pass on).
template <typename T>
core::Grid<T> read_grid(const std::string& path, GDALDataType type)
{
    core::Grid<T> grid;
    grid.frame = core::read_grid_frame(path);
    grid.values.resize(grid.frame.cells());
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!ds || ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, grid.width(), grid.height(), grid.values.data(),
                                              grid.width(), grid.height(), type, 0, 0, nullptr) != CE_None)
        throw core::DataError(path + ": cannot read");
    return grid;
}

struct Timing {
    std::string step;
    std::size_t cells = 0;
    double read = 0, run = 0, write = 0, peak_mb = 0;
};

void report(const Timing& t)
{
    const double dem_mb = static_cast<double>(t.cells) * sizeof(float) / (1024.0 * 1024.0);
    const double rate = t.run > 0 ? static_cast<double>(t.cells) / t.run : 0;
    std::printf("%s: %.3f s, %.3g cells/s; peak while running %.0f MB (%.2f x the DEM as float32); "
                "read %.2f s, write %.2f s\n",
                t.step.c_str(), t.run, rate, t.peak_mb, t.peak_mb / dem_mb, t.read, t.write);
    std::printf("RESULT step=%s cells=%zu seconds=%.4f cells_per_second=%.4g step_peak_mb=%.1f "
                "dem_float32_mb=%.1f read_seconds=%.3f write_seconds=%.3f\n",
                t.step.c_str(), t.cells, t.run, rate, t.peak_mb, dem_mb, t.read, t.write);
    std::fflush(stdout);
}

// Reads with `read`, runs `run` with the peak memory reset, writes with `write`.
void step(const std::string& name, const std::function<std::size_t()>& read, const std::function<void()>& run,
          const std::function<void()>& write)
{
    Timing t;
    t.step = name;
    t.read = seconds_of([&] { t.cells = read(); });
    reset_peak_memory();
    t.run = seconds_of(run);
    t.peak_mb = peak_memory_mb();
    t.write = seconds_of(write);
    report(t);
}

int make_dem(const std::vector<std::string>& args)
{
    const int size = std::stoi(args.at(1));
    test::SyntheticDemOptions options;
    if (args.size() > 2)
        options.seed = std::stoull(args.at(2));
    core::FloatGrid dem;
    const double made = seconds_of([&] { dem = test::synthetic_dem(size, size, options); });
    const double written = seconds_of([&] { core::write_geotiff(args.at(0), dem); });
    std::printf("make-dem: %d x %d cells in %.2f s, written in %.2f s\n", size, size, made, written);
    // Stages for the inundation steps: the land's 10, 25 and 50 % elevation
    // quantiles to 1/16 m (exact as float, so r.lake reads the same level).
    std::vector<float> land;
    for (float z : dem.values)
        if (!core::is_no_data(z) && z > test::synthetic_water_elevation)
            land.push_back(z);
    dem = {};
    std::printf("LEVELS");
    for (double q : {0.10, 0.25, 0.50}) {
        const auto nth = land.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(land.size()));
        std::nth_element(land.begin(), nth, land.end());
        std::printf(" %.4f", std::round(16.0 * *nth) / 16.0);
    }
    std::printf("\n");
    return 0;
}

int run(const std::vector<std::string>& args)
{
    const std::string& command = args.at(0);
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (command == "make-dem")
        return make_dem(rest);

    core::FloatGrid dem, threshold;
    core::FlowGrid directions;
    core::CountGrid accumulation;
    if (command == "fill") {
        step("fill", [&] { dem = core::read_float_grid(rest.at(0)); return dem.cells(); },
             [&] { core::fill_depressions(dem); }, [&] { core::write_geotiff(rest.at(1), dem); });
    } else if (command == "flowdir") {
        step("flowdir", [&] { dem = core::read_float_grid(rest.at(0)); return dem.cells(); },
             [&] { directions = core::flow_directions(dem); },
             [&] { core::write_geotiff(rest.at(1), directions, 0.0); });
    } else if (command == "accumulation") {
        step("accumulation",
             [&] { directions = read_grid<std::uint8_t>(rest.at(0), GDT_Byte); return directions.cells(); },
             [&] { accumulation = core::flow_accumulation(directions); },
             [&] { core::write_geotiff(rest.at(1), accumulation, 0.0); });
    } else if (command == "hand") {
        core::ByteGrid streams;
        const auto stream_cells = static_cast<std::uint32_t>(std::stoul(rest.at(3)));
        auto read_inputs = [&] {
            dem = core::read_float_grid(rest.at(0));
            directions = read_grid<std::uint8_t>(rest.at(1), GDT_Byte);
            accumulation = read_grid<std::uint32_t>(rest.at(2), GDT_UInt32);
            return dem.cells();
        };
        step("streams", read_inputs, [&] { streams = core::stream_cells(accumulation, stream_cells); }, [] {});
        accumulation = {};
        step("hand", [&] { return dem.cells(); },
             [&] { threshold = core::height_above_drainage(dem, directions, streams); },
             [&] { core::write_geotiff(rest.at(4), threshold); });
    } else if (command == "threshold") {
        core::ByteGrid water;
        step("threshold",
             [&] {
                 dem = core::read_float_grid(rest.at(0));
                 water = test::synthetic_open_water(dem);
                 return dem.cells();
             },
             [&] { threshold = core::flood_threshold(dem, water); },
             [&] { core::write_geotiff(rest.at(1), threshold); });
    } else if (command == "stage") {
        core::FloatGrid depth;
        auto read_inputs = [&] {
            dem = core::read_float_grid(rest.at(0));
            threshold = core::read_float_grid(rest.at(1));
            return dem.cells();
        };
        bool first = true;
        for (std::size_t k = 3; k < rest.size(); ++k) {
            const double level = std::stod(rest.at(k));
            // The grid of the stage before is released outside the timing.
            auto release_depth = [&] {
                depth = {};
                return dem.cells();
            };
            step("stage_" + rest.at(k), first ? std::function<std::size_t()>(read_inputs) : release_depth,
                 [&] { depth = core::stage_depth(dem, threshold, level); },
                 [&] {
                     if (first)
                         core::write_geotiff(rest.at(2), depth);
                 });
            first = false;
        }
    } else {
        std::fprintf(stderr, "unknown step %s (see the comment at the top of hydrology_bench.cpp)\n",
                     command.c_str());
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s make-dem|fill|flowdir|accumulation|hand|threshold|stage ARGS...\n",
                     argv[0]);
        return 2;
    }
    try {
        core::ensure_gdal();
        return run(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
