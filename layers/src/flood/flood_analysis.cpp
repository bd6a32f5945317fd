// lantern flood: river and sea stages, gauge hydrographs and rainfall
// screening, each with its exposure, stored in one transaction; then the maps.

#include <lantern/layers/flood.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/hydrology/inundation.hpp>
#include <lantern/core/storage/results.hpp>

#include "flood_internal.hpp"

namespace lantern::layers {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double rounded(double v, double unit)
{
    return std::round(v / unit) * unit;
}

// The threshold grid as users read it: open water and cells no path joins
// to open water are no-data.
core::FloatGrid readable_threshold(const core::FloatGrid& threshold)
{
    core::FloatGrid out = threshold;
    for (auto& v : out.values)
        if (!std::isfinite(v))
            v = core::no_data;
    return out;
}

std::vector<std::string> inputs_of(const core::Storage& storage, const FloodOptions& options)
{
    std::vector<std::string> names = {"dem", "water"};
    if (options.rain)
        names.insert(names.end(), {"drainage_nodes", "drainage_pipes"});
    for (const auto& c : flood::exposure_classes())
        if (storage.has_class(c))
            names.push_back(c);
    if (storage.has_class("wards"))
        names.push_back("wards");
    return names;
}

nlohmann::json parameters_of(const FloodOptions& options)
{
    nlohmann::json p = nlohmann::json::object();
    if (!options.stages.empty()) {
        p["stages_m"] = nlohmann::json::array();
        for (const auto& s : options.stages)
            p["stages_m"].push_back(s.level);
    }
    if (options.hydrograph)
        p["hydrograph"] = std::filesystem::path(*options.hydrograph).filename().string();
    if (options.rain)
        p["rain"] = {{"intensity_mm_per_h", options.rain->intensity_mm_per_h},
                     {"duration_min", options.rain->duration_min}};
    return p;
}

std::string png_path(const std::string& png, const std::string& suffix, bool several)
{
    if (!several)
        return png;
    std::filesystem::path p(png);
    return (p.parent_path() / (p.stem().string() + "_" + suffix + p.extension().string())).string();
}

class FloodRun {
public:
    FloodRun(core::Storage& storage, const FloodOptions& options)
        : m_storage(storage), m_options(options), m_dem(flood::load_dem(storage)),
          m_wards(flood::index_wards(storage, m_dem.frame))
    {
        if (options.hydrograph)
            m_hydrograph = flood::read_hydrograph(*options.hydrograph);
    }

    nlohmann::json run()
    {
        core::ResultBatch batch(m_storage, "flood", parameters_of(m_options),
                                core::current_inputs(m_storage, inputs_of(m_storage, m_options)));
        nlohmann::json scenarios = nlohmann::json::array();
        if (!m_options.stages.empty() || m_options.hydrograph) {
            auto start = Clock::now();
            auto water = flood::open_water(m_storage, m_dem.frame);
            auto threshold = core::flood_threshold(m_dem, water);
            log("flood threshold", core::flood_threshold_method, start);
            flood::add_raster_result(batch, "flood_threshold",
                                     "lowest water level at the gauge at which each land cell floods",
                                     "m", readable_threshold(threshold));
            for (const auto& stage : m_options.stages)
                scenarios.push_back(run_stage(batch, threshold, stage));
            if (m_options.hydrograph)
                scenarios.push_back(
                    run_hydrograph(batch, threshold, *m_hydrograph));
        }
        if (m_options.rain)
            scenarios.push_back(flood::run_rain(m_storage, batch, m_dem, m_wards, *m_options.rain,
                                                m_options.log));
        batch.commit();

        if (m_options.png) {
            bool several = scenarios.size() > 1;
            for (auto& scenario : scenarios) {
                std::string path = png_path(*m_options.png, scenario["suffix"], several);
                flood::draw_flood_map(m_storage, scenario, path, m_options);
                scenario["png"] = path;
            }
        }
        nlohmann::json summary = {{"scenarios", scenarios}};
        if (m_options.atlas) {
            auto start = Clock::now();
            int pages = flood::draw_flood_atlas(m_storage, scenarios, *m_options.atlas, m_options);
            if (m_options.log)
                std::clog << "lantern: atlas: " << pages << " pages in " << seconds_since(start) << " s\n";
            summary["atlas"] = {{"path", *m_options.atlas}, {"pages", pages}};
        }
        return summary;
    }

private:
    void log(const std::string& step, const char* method, Clock::time_point start) const
    {
        if (m_options.log)
            std::clog << "lantern: " << step << ": " << method << ", " << m_dem.width() << " x "
                      << m_dem.height() << " cells in " << seconds_since(start) << " s\n";
    }

    nlohmann::json run_stage(core::ResultBatch& batch, const core::FloatGrid& threshold, const Stage& stage)
    {
        const std::string suffix = stage_suffix(stage.level);
        auto start = Clock::now();
        auto depth = core::stage_depth(m_dem, threshold, stage.level);
        auto pockets = core::low_lying_pockets(m_dem, threshold, stage.level);
        log("stage " + suffix, "threshold of the flood-threshold grid", start);

        flood::add_raster_result(batch, "flood_depth_" + suffix,
                                 "water depth on land flooded from open water at a stage of " + suffix, "m",
                                 depth);
        flood::add_extent_result(batch, "flood_extent_" + suffix, depth, stage.level);
        double pocket_m2 = flood::add_pockets_result(batch, "flood_pockets_" + suffix, pockets, m_dem, stage.level);

        double flooded = 0, deepest = 0;
        for (float d : depth.values)
            if (d > 0) {
                flooded += 1;
                deepest = std::max(deepest, static_cast<double>(d));
            }
        flood::ScenarioGrids grids{&depth, nullptr, nullptr};
        nlohmann::json summary = {
            {"kind", "stage"},
            {"suffix", suffix},
            {"stage_m", stage.level},
            {"label", stage.label},
            {"flooded_ha", rounded(flooded * m_dem.frame.cell_area() / 1e4, 0.01)},
            {"max_depth_m", rounded(deepest, 0.01)},
            {"pockets_ha", rounded(pocket_m2 / 1e4, 0.01)},
            {"depth_raster", "flood_depth_" + suffix},
            {"exposure", flood::assess_exposure(m_storage, batch, grids, m_wards, "flood", suffix)}};
        return summary;
    }

    nlohmann::json run_hydrograph(core::ResultBatch& batch, const core::FloatGrid& threshold,
                                  const flood::Hydrograph& h)
    {
        std::vector<core::GaugeReading> readings;
        double peak = h.levels.front(), peak_hours = h.hours.front();
        for (std::size_t i = 0; i < h.hours.size(); ++i) {
            readings.push_back({h.hours[i], h.levels[i]});
            if (h.levels[i] > peak) {
                peak = h.levels[i];
                peak_hours = h.hours[i];
            }
        }
        auto start = Clock::now();
        auto timing = core::flood_timing(m_dem, threshold, readings);
        log("hydrograph " + h.name, "arrival and duration from the flood-threshold grid", start);
        const std::string suffix = h.name;
        flood::add_raster_result(batch, "flood_arrival_" + suffix,
                                 "hours from the hydrograph's start until the cell first floods", "hours",
                                 timing.arrival_hours);
        flood::add_raster_result(batch, "flood_duration_" + suffix, "hours the cell stays flooded", "hours",
                                 timing.duration_hours);
        flood::add_raster_result(batch, "flood_depth_" + suffix, "greatest water depth during the hydrograph",
                                 "m", timing.max_depth);
        flood::add_extent_result(batch, "flood_extent_" + suffix, timing.max_depth, peak);

        double flooded = 0;
        for (float d : timing.max_depth.values)
            flooded += d > 0;
        flood::ScenarioGrids grids{&timing.max_depth, &timing.arrival_hours, &timing.duration_hours};
        return {{"kind", "hydrograph"},
                {"suffix", suffix},
                {"hydrograph", h.name},
                {"start", h.start},
                {"hours", h.hours.back() - h.hours.front()},
                {"peak_m", peak},
                {"peak_hours", peak_hours},
                {"flooded_ha", rounded(flooded * m_dem.frame.cell_area() / 1e4, 0.01)},
                {"depth_raster", "flood_depth_" + suffix},
                {"arrival_raster", "flood_arrival_" + suffix},
                {"exposure", flood::assess_exposure(m_storage, batch, grids, m_wards, "flood", suffix)}};
    }

    core::Storage& m_storage;
    const FloodOptions& m_options;
    core::FloatGrid m_dem;
    flood::WardIndex m_wards;
    std::optional<flood::Hydrograph> m_hydrograph;
};

}  // namespace

nlohmann::json run_flood(core::Storage& storage, const FloodOptions& options)
{
    if (options.stages.empty() && !options.hydrograph && !options.rain)
        throw core::UsageError("nothing to flood: no stage, hydrograph or rain");
    return FloodRun(storage, options).run();
}

}  // namespace lantern::layers
