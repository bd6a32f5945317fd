#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/coverage.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

std::string km(const nlohmann::json& metres)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f km", metres.get<double>() / 1000);
    return text;
}

std::string percent(const nlohmann::json& share)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f %%", share.get<double>() * 100);
    return text;
}

void print_summary(const nlohmann::json& s)
{
    bool cameras = s["network"] == "cameras";
    const auto& roads = s["roads"];
    std::cout << s["devices"]["counted"].get<std::int64_t>() << (cameras ? " cameras online" : " lamps on")
              << ": " << km(roads["covered_m"]) << " of " << km(roads["total_m"]) << " of road "
              << (cameras ? "watched" : "lit") << " (" << percent(roads["covered_share"]) << "); "
              << roads["gaps"].get<std::int64_t>() << (cameras ? " unwatched" : " dark") << " stretches, "
              << km(roads["gap_m"]) << "\n";
    if (cameras) {
        std::cout << "  by detail:";
        for (const auto& level : roads["by_detail"])
            std::cout << " " << level["level"].get<std::string>() << " " << percent(level["covered_share"]) << ";";
        std::cout << "\n";
        for (const auto& z : s["heritage_zones"])
            std::cout << "  heritage zone " << z["protection"].get<std::string>() << " (" << z["zone_id"].get<std::string>()
                      << "): " << percent(z["covered_share"]) << " of its area seen, "
                      << z["blind_spots"].get<std::int64_t>() << " blind spots\n";
        const auto& sites = s["heritage_sites"];
        std::cout << "  heritage sites seen: " << sites["covered"].get<std::int64_t>() << " of "
                  << sites["sites"].get<std::int64_t>() << "\n";
    }
    std::cout << "  parcels: " << percent(s["parcels"]["covered_share"]) << " of their area "
              << (cameras ? "seen" : "lit") << "\n";
    if (s.contains("what_if")) {
        const auto& w = s["what_if"];
        std::cout << "what-if: " << w["off"].size() << " off, " << w["added"].get<std::int64_t>()
                  << " added (" << w["footprints_computed"].get<std::int64_t>() << " footprints computed, "
                  << w["footprints_reused"].get<std::int64_t>() << " reused)\n";
        for (const auto& [key, change] : w["change"].items())
            std::cout << "  " << key << ": " << w["before"][key].get<double>() << " -> "
                      << w["after"][key].get<double>() << " (" << (change.get<double>() >= 0 ? "+" : "")
                      << change.get<double>() << ")\n";
    }
    if (s.contains("suggest")) {
        const auto& p = s["suggest"];
        std::string unit = p["unit"];
        std::cout << "suggested sites (" << p["method"].get<std::string>() << "):\n";
        for (const auto& site : p["sites"])
            std::cout << "  " << site["id"].get<std::string>() << " at " << site["lon"].get<double>() << ", "
                      << site["lat"].get<double>() << " heading " << site["heading_deg"].get<double>() << ": +"
                      << site["gain_" + unit].get<double>() << " " << unit << "\n";
    }
    for (const auto& r : s["results"])
        std::cout << "  stored " << r.get<std::string>() << "\n";
    if (s.contains("png"))
        std::cout << "  map: " << s["png"].get<std::string>() << "\n";
}

class CoverageCommand : public Command {
public:
    std::string name() const override { return "coverage"; }
    std::string summary() const override
    {
        return "What the cameras see and the street lights light, occluded by buildings: covered roads, "
               "heritage and parcels, gaps, what-if and new camera sites";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("NETWORK", m_network, "cameras or lighting")->required()->check(
            CLI::IsMember({"cameras", "lighting"}));
        app.add_option("--off", m_options.off, "what-if: switch these device ids off (ID,ID,...)")->delimiter(',');
        app.add_option("--add", m_add, "what-if: add the devices in this vector file (the cameras or lamps fields)")
            ->check(CLI::ExistingFile);
        app.add_option("--suggest", m_options.suggest, "cameras: pick N new sites that add the most coverage")
            ->check(CLI::Range(1, 10000));
        app.add_option("--candidates", m_candidates,
                       "with --suggest: candidate camera points (default: a camera at each street junction)")
            ->check(CLI::ExistingFile);
        app.add_option("--objective", m_objective, "with --suggest: maximise watched road length or heritage area")
            ->capture_default_str()
            ->check(CLI::IsMember({"roads", "heritage"}));
        app.add_option("--min-gap", m_options.min_gap_m, "list road stretches at least this long, metres")
            ->capture_default_str()
            ->check(CLI::Range(0.0, 100000.0));
        app.add_option("--min-blind-spot", m_options.min_blind_spot_m2,
                       "list blind spots in heritage zones at least this large, square metres")
            ->capture_default_str()
            ->check(CLI::Range(0.0, 1e9));
        app.add_option("--map,--png", m_png, "draw a coverage map as .png, .pdf or .svg");
        add_page_options(app, m_layout, m_options.dpi);
        app.add_option("--width", m_options.png_width, "map width in pixels")
            ->capture_default_str()
            ->check(CLI::Range(200, 8000));
        app.add_option("--bounds", m_bounds,
                       "map area as WEST,SOUTH,EAST,NORTH in WGS 84 degrees (default: the devices)");
        add_threads_option(app, m_options.threads, "threads for sweeps and measures");
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no log lines on stderr");
    }

    int run() override
    {
        m_options.network = layers::parse_coverage_network(m_network);
        if (m_options.suggest > 0 && m_options.network != layers::CoverageNetwork::cameras)
            throw core::UsageError("--suggest places cameras: use it with 'cameras'");
        if (!m_candidates.empty() && m_options.suggest == 0)
            throw core::UsageError("--candidates goes with --suggest N");
        m_options.objective = layers::parse_placement_objective(m_objective);
        if (!m_add.empty())
            m_options.add = m_add;
        if (!m_candidates.empty())
            m_options.candidates = m_candidates;
        if (!m_png.empty())
            m_options.png = m_png;
        if (!m_layout.empty())
            m_options.layout = m_layout;
        m_options.log = !m_global->quiet;
        auto storage = core::open_city(m_city, core::Access::read_write);
        if (!m_bounds.empty())
            m_options.png_bounds = core::Transform(core::Crs::wgs84(), core::Crs::from_user(storage->city().crs))
                                       .apply(parse_lonlat_bounds(m_bounds));
        auto summary = layers::run_coverage(*storage, m_options);
        if (m_global->json) {
            summary["ok"] = true;
            print_json(summary);
            return 0;
        }
        print_summary(summary);
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city, m_network, m_add, m_candidates, m_png, m_bounds, m_layout, m_objective = "roads";
    layers::CoverageOptions m_options;
};

}  // namespace

std::unique_ptr<Command> make_coverage_command()
{
    return std::make_unique<CoverageCommand>();
}

}  // namespace lantern::cli
