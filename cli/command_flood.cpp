#include <filesystem>
#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/flood.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

std::string presets_help()
{
    std::string text = "water level at the gauge in metres, or a preset:";
    for (const auto& p : layers::gauge_presets())
        text += " " + p.key + " (" + layers::stage_suffix(p.stage.level) + ")";
    return text + "; repeat for several stages";
}

void print_exposure(const nlohmann::json& e)
{
    auto count = [&](const char* c) { return e[c]["flooded"].get<std::int64_t>(); };
    std::cout << "  exposed: " << count("parcels") << " parcels, " << count("buildings") << " buildings";
    if (e["roads"].contains("flooded_km"))
        std::cout << ", " << e["roads"]["flooded_km"].get<double>() << " km of road";
    std::cout << ", " << count("heritage_sites") << " heritage sites\n";
    if (e["buildings"].contains("by_risk")) {
        std::cout << "  buildings by risk:";
        for (const auto& [risk, n] : e["buildings"]["by_risk"].items())
            std::cout << " " << risk << " " << n.get<std::int64_t>() << ";";
        std::cout << "\n";
    }
}

void print_scenario(const nlohmann::json& s)
{
    std::string kind = s["kind"];
    if (kind == "stage") {
        std::cout << "stage " << s["suffix"].get<std::string>();
        if (!s["label"].get<std::string>().empty())
            std::cout << " (" << s["label"].get<std::string>() << ")";
        std::cout << ": " << s["flooded_ha"].get<double>() << " ha flooded, up to "
                  << s["max_depth_m"].get<double>() << " m deep; " << s["pockets_ha"].get<double>()
                  << " ha of low-lying pockets\n";
    } else if (kind == "hydrograph") {
        std::cout << "hydrograph " << s["hydrograph"].get<std::string>() << ": peak "
                  << s["peak_m"].get<double>() << " m after " << s["peak_hours"].get<double>() << " h; "
                  << s["flooded_ha"].get<double>() << " ha flooded at some time\n";
    } else {
        std::cout << "rain " << s["intensity_mm_per_h"].get<double>() << " mm/h for "
                  << s["duration_min"].get<double>() << " min: " << s["surcharged_pipes"].get<std::int64_t>()
                  << " of " << s["pipes"].get<std::int64_t>() << " pipes over capacity; catchments: "
                  << s["catchments"]["drains"].get<std::int64_t>() << " drain, "
                  << s["catchments"]["ponds"].get<std::int64_t>() << " pond, "
                  << s["catchments"]["overflows"].get<std::int64_t>() << " overflow\n";
    }
    print_exposure(s["exposure"]);
    if (s.contains("png"))
        std::cout << "  map: " << s["png"].get<std::string>() << "\n";
}

class FloodCommand : public Command {
public:
    std::string name() const override { return "flood"; }
    std::string summary() const override
    {
        return "Flood the city from the river and the sea (stages, a gauge hydrograph) or screen "
               "its drainage under a storm; store depths, extents and exposure";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("--stage", m_stages, presets_help());
        app.add_option("--hydrograph", m_hydrograph,
                       "CSV of water levels at the gauge over time (columns time, level_m)")
            ->check(CLI::ExistingFile);
        app.add_option("--rain", m_rain_mm_per_h, "rain intensity in mm/h: screen the drainage network")
            ->check(CLI::Range(0.1, 500.0));
        app.add_option("--duration", m_duration_min, "storm duration in minutes, with --rain")
            ->capture_default_str()
            ->check(CLI::Range(1.0, 10080.0));
        app.add_option("--map,--png", m_png,
                       "draw a flood map as .png, .pdf or .svg; with several scenarios each gets its "
                       "suffix (map_2.0m.png)");
        app.add_option("--width", m_options.png_width, "map width in pixels")
            ->capture_default_str()
            ->check(CLI::Range(200, 8000));
        app.add_option("--bounds", m_bounds,
                       "map area as WEST,SOUTH,EAST,NORTH in WGS 84 degrees (default: the wards)");
        add_page_options(app, m_layout, m_options.dpi);
        app.add_option("--atlas", m_atlas,
                       "draw every scenario's map and the totals by ward into one PDF (on --layout's paper, "
                       "A4 landscape by default)");
        add_threads_option(app, m_threads, "threads for the passes over the grid");
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no log lines on stderr");
    }

    int run() override
    {
        if (m_stages.empty() && m_hydrograph.empty() && !m_rain_mm_per_h)
            throw core::UsageError("nothing to flood: give --stage, --hydrograph or --rain");
        for (const auto& s : m_stages) {
            try {
                m_options.stages.push_back(layers::parse_stage(s));
            } catch (const core::UsageError& e) {
                throw core::UsageError("--stage " + std::string(e.what()));
            }
        }
        if (!m_hydrograph.empty())
            m_options.hydrograph = m_hydrograph;
        if (m_rain_mm_per_h)
            m_options.rain = layers::RainOptions{*m_rain_mm_per_h, m_duration_min};
        if (!m_png.empty())
            m_options.png = m_png;
        if (!m_layout.empty())
            m_options.layout = m_layout;
        if (!m_atlas.empty()) {
            // Checked before the run, so that a wrong name does not waste it.
            if (std::filesystem::path(m_atlas).extension() != ".pdf")
                throw core::UsageError("--atlas " + m_atlas + ": an atlas is written as .pdf");
            m_options.atlas = m_atlas;
        }
        m_options.log = !m_global->quiet;
        auto storage = core::open_city(m_city, core::Access::read_write);
        if (!m_bounds.empty())
            m_options.png_bounds = core::Transform(core::Crs::wgs84(), core::Crs::from_user(storage->city().crs))
                                       .apply(parse_lonlat_bounds(m_bounds));
        auto summary = layers::run_flood(*storage, m_options);
        if (m_global->json) {
            summary["ok"] = true;
            print_json(summary);
            return 0;
        }
        for (const auto& s : summary["scenarios"])
            print_scenario(s);
        if (summary.contains("atlas"))
            std::cout << "atlas: " << summary["atlas"]["path"].get<std::string>() << " ("
                      << summary["atlas"]["pages"].get<int>() << " pages)\n";
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city, m_hydrograph, m_png, m_bounds, m_layout, m_atlas;
    std::vector<std::string> m_stages;
    std::optional<double> m_rain_mm_per_h;
    double m_duration_min = 60;
    layers::FloodOptions m_options;
    unsigned m_threads = 0;
};

}  // namespace

std::unique_ptr<Command> make_flood_command()
{
    return std::make_unique<FloodCommand>();
}

}  // namespace lantern::cli
