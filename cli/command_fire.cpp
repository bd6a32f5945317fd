#include <algorithm>
#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/fire_access.hpp>
#include <lantern/layers/flood.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

using json = nlohmann::json;

constexpr std::size_t listed_dead_ends = 10;

std::string minutes(const json& seconds)
{
    return seconds.is_null() ? std::string("-") : core::fixed_text(seconds.get<double>() / 60, 1) + " min";
}

void print_counts(const json& t, const std::string& indent)
{
    std::cout << indent << t["unreachable"].get<std::int64_t>() << " unreachable, "
              << t["beyond_hose"].get<std::int64_t>() << " beyond hose reach, "
              << t["beyond_target"].get<std::int64_t>() << " beyond the response target, "
              << t["no_hydrant"].get<std::int64_t>() << " without a working hydrant within reach";
    if (t.contains("lost_access"))
        std::cout << ", " << t["lost_access"].get<std::int64_t>() << " lose access at the stage";
    std::cout << "; median time " << minutes(t["median_time_s"]) << ", 90 % within " << minutes(t["p90_time_s"])
              << "\n";
}

void print_summary(const json& s)
{
    const auto& v = s["vehicle"];
    const auto& streets = s["streets"];
    std::cout << "vehicle: " << v["name"].get<std::string>() << " (needs " << v["min_width_m"].get<double>()
              << " m of carriageway)\n";
    std::cout << "streets: " << streets["length_km"].get<double>() << " km in " << streets["edges"].get<std::int64_t>()
              << " edges; the vehicle may use " << streets["usable_km"].get<double>() << " km, reaches "
              << streets["reachable_edges"].get<std::int64_t>() << " edges";
    if (streets["closed_edges"].get<std::int64_t>() > 0)
        std::cout << "; " << streets["closed_edges"].get<std::int64_t>() << " closed";
    std::cout << "\n";
    std::cout << s["totals"]["buildings"].get<std::int64_t>() << " buildings: ";
    print_counts(s["totals"], "");
    std::cout << s["heritage_houses"]["buildings"].get<std::int64_t>() << " heritage houses (zone I): ";
    print_counts(s["heritage_houses"], "");
    if (s.contains("stage")) {
        const auto& st = s["stage"];
        std::cout << "river at " << core::fixed_text(st["stage_m"].get<double>(), 2)
                  << " m: " << st["closed_edges"].get<std::int64_t>() << " street edges under more than "
                  << core::fixed_text(st["passable_depth_m"].get<double>(), 2) << " m closed; "
                  << st["lost_access"].get<std::int64_t>() << " buildings lose access ("
                  << st["lost_access_heritage"].get<std::int64_t>() << " heritage houses)\n";
        std::cout << "  where the engine stops where it did, the run takes "
                  << (st["median_extra_s"].is_null() ? std::string("-")
                                                     : core::fixed_text(st["median_extra_s"].get<double>(), 0) + " s")
                  << " longer at the median, up to "
                  << (st["max_extra_s"].is_null() ? std::string("-")
                                                  : core::fixed_text(st["max_extra_s"].get<double>(), 0) + " s")
                  << "; " << st["access_moved"].get<std::int64_t>() << " buildings need the engine to stop at another street";
        if (!st["median_extra_hose_m"].is_null())
            std::cout << ", the hose " << core::fixed_text(st["median_extra_hose_m"].get<double>(), 0)
                      << " m longer at the median";
        std::cout << "\n";
    }
    // The longest dead ends; fire_dead_ends holds them all.
    auto dead_ends = s["dead_ends"];
    std::sort(dead_ends.begin(), dead_ends.end(),
              [](const json& a, const json& b) { return a["length_m"].get<double>() > b["length_m"].get<double>(); });
    std::cout << dead_ends.size() << " dead ends longer than the vehicle's limit without a turning area";
    std::cout << (dead_ends.size() > listed_dead_ends ? ", the longest:\n" : "\n");
    for (std::size_t k = 0; k < std::min(dead_ends.size(), listed_dead_ends); ++k)
        std::cout << "    " << dead_ends[k]["roads"].get<std::string>() << ": "
                  << core::fixed_text(dead_ends[k]["length_m"].get<double>(), 0) << " m\n";
    if (s.contains("suggested_hydrants")) {
        const auto& h = s["suggested_hydrants"];
        std::cout << "suggested hydrants: " << h["sites"].size() << " bring "
                  << h["brought_within_reach"].get<std::size_t>() << " of " << h["targets"].get<std::size_t>()
                  << " heritage houses within reach\n";
        for (const auto& site : h["sites"])
            std::cout << "    " << site["rank"].get<int>() << ". " << core::fixed_text(site["lon"].get<double>(), 6)
                      << ", " << core::fixed_text(site["lat"].get<double>(), 6) << ": "
                      << site["houses"].get<std::size_t>() << (site["houses"] == 1 ? " house\n" : " houses\n");
    }
    std::cout << "  by ward (unreachable, beyond hose, no hydrant, median time):\n";
    for (const auto& w : s["wards"])
        std::cout << "    " << w["label"].get<std::string>() << ": " << w["unreachable"].get<std::int64_t>() << ", "
                  << w["beyond_hose"].get<std::int64_t>() << ", " << w["no_hydrant"].get<std::int64_t>() << ", "
                  << minutes(w["median_time_s"]) << "\n";
    if (s["stored"].get<bool>())
        for (const auto& r : s["results"])
            std::cout << "  stored " << r.get<std::string>() << "\n";
    else
        std::cout << "  a what-if run: nothing stored\n";
    if (s.contains("map"))
        std::cout << "  map: " << s["map"].get<std::string>() << "\n";
}

class FireCommand : public Command {
public:
    std::string name() const override { return "fire"; }
    std::string summary() const override
    {
        return "Fire access: time from the station, hose runs and hydrants for every building, dry or in a flood";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("--vehicle", m_options.vehicle, "standard (3.5 m lanes), mini (2.5 m) or motorbike (1.2 m)")
            ->capture_default_str();
        app.add_option(
            "--stage", m_stage,
            "close the streets flooded at this river stage: metres or alarm-1, alarm-2, alarm-3, record-1964 "
            "(needs lantern flood --stage first)");
        app.add_option("--passable-depth", m_options.passable_depth_m, "deepest water a vehicle drives through, metres")
            ->capture_default_str();
        app.add_option("--hose-reach", m_options.hose_reach_m, "hose from where the vehicle stops, metres")
            ->capture_default_str();
        app.add_option("--hydrant-reach", m_options.hydrant_reach_m,
                       "a working hydrant within this distance along the streets, metres")
            ->capture_default_str();
        app.add_option("--target-s", m_options.target_s, "response target: travel time from the station, seconds")
            ->capture_default_str();
        app.add_option("--add-hydrants", m_add_hydrants, "what-if: hydrants added from a vector file of points")
            ->check(CLI::ExistingFile);
        app.add_option("--close-roads", m_options.close_roads, "what-if: roads closed, by road_id (comma-separated)")
            ->delimiter(',');
        app.add_option("--suggest-hydrants", m_options.suggest_hydrants,
                       "place up to N new hydrants that bring the most heritage houses within reach (stores nothing)");
        add_compliance_map_options(app, m_map);
        app.add_option("--png", m_png, "draw the map as PNG (as --map FILE.png)");
        app.add_option("--pdf", m_pdf, "draw the map as PDF (as --map FILE.pdf)");
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no log lines on stderr");
    }

    int run() override
    {
        int given = !m_map.path.empty() + !m_png.empty() + !m_pdf.empty();
        if (given > 1)
            throw core::UsageError("give one of --map, --png and --pdf");
        if (!m_png.empty())
            m_map.path = m_png;
        if (!m_pdf.empty())
            m_map.path = m_pdf;
        if (!m_stage.empty())
            m_options.stage_m = layers::parse_stage(m_stage).level;
        if (!m_add_hydrants.empty())
            m_options.add_hydrants = m_add_hydrants;
        auto storage = core::open_city(m_city, layers::stores_nothing(m_options) ? core::Access::read_only
                                                                                 : core::Access::read_write);
        m_options.map = m_map.resolve(*storage);
        m_options.log = !m_global->quiet;
        auto summary = layers::run_fire_access(*storage, m_options);
        if (m_global->json) {
            summary["ok"] = true;
            print_json(summary);
        } else {
            print_summary(summary);
        }
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city, m_stage, m_add_hydrants, m_png, m_pdf;
    layers::FireOptions m_options;
    ComplianceMapArguments m_map;
};

}  // namespace

std::unique_ptr<Command> make_fire_command()
{
    return std::make_unique<FireCommand>();
}

}  // namespace lantern::cli
