#include <iostream>

#include <lantern/core/base/numbers.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/plan_compliance.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

std::string hectares(const nlohmann::json& m2)
{
    return core::fixed_text(m2.get<double>() / 1e4, 2) + " ha";
}

void print_summary(const nlohmann::json& s)
{
    const auto& t = s["totals"];
    std::cout << t["vacant"].get<std::int64_t>() << " vacant parcels (" << hectares(t["vacant_m2"]) << "), "
              << t["underused"].get<std::int64_t>() << " underused (" << hectares(t["underused_m2"])
              << "); floor area the plan still allows on them: "
              << core::fixed_text(t["remaining_floor_area_m2"].get<double>(), 0) << " m2\n";
    std::cout << "  by ward (vacant, underused, floor area left):\n";
    for (const auto& w : s["wards"])
        std::cout << "    " << w["label"].get<std::string>() << ": " << w["vacant"].get<std::int64_t>() << ", "
                  << w["underused"].get<std::int64_t>() << ", "
                  << core::fixed_text(w["remaining_floor_area_m2"].get<double>(), 0) << " m2\n";
    for (const auto& r : s["results"])
        std::cout << "  stored " << r.get<std::string>() << "\n";
    if (s.contains("map"))
        std::cout << "  map: " << s["map"].get<std::string>() << "\n";
}

class LandCommand : public Command {
public:
    std::string name() const override { return "land"; }
    std::string summary() const override
    {
        return "The land fund: vacant and underused parcels, with the floor area the plan still allows";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("--underused", m_options.underused_share,
                       "underused: built floor area under this share of what the zone allows")
            ->capture_default_str()
            ->check(CLI::Range(0.01, 0.99));
        add_compliance_map_options(app, m_map);
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no log lines on stderr");
    }

    int run() override
    {
        auto storage = core::open_city(m_city, core::Access::read_write);
        m_options.map = m_map.resolve(*storage);
        m_options.log = !m_global->quiet;
        auto summary = layers::run_land_fund(*storage, m_options);
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
    std::string m_city;
    layers::LandFundOptions m_options;
    ComplianceMapArguments m_map;
};

}  // namespace

std::unique_ptr<Command> make_land_command()
{
    return std::make_unique<LandCommand>();
}

}  // namespace lantern::cli
