#include <iostream>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/plan_compliance.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

void print_summary(const nlohmann::json& s)
{
    const auto& b = s["buildings"];
    const auto& p = s["parcels"];
    std::cout << b["over"].get<std::int64_t>() << " of " << b["checked"].get<std::int64_t>()
              << " buildings over their zone's floors or height; " << p["over"].get<std::int64_t>() << " of "
              << p["checked"].get<std::int64_t>() << " parcels over their coverage or floor-area ratio\n";
    for (const auto& [rule, count] : s["by_rule"].items())
        std::cout << "  " << rule << ": " << count.get<std::int64_t>() << "\n";
    std::cout << "  by ward (buildings over, parcels over):\n";
    for (const auto& w : s["wards"])
        std::cout << "    " << w["label"].get<std::string>() << ": " << w["buildings_over"].get<std::int64_t>()
                  << ", " << w["parcels_over"].get<std::int64_t>() << "\n";
    for (const auto& r : s["results"])
        std::cout << "  stored " << r.get<std::string>() << "\n";
    if (s.contains("map"))
        std::cout << "  map: " << s["map"].get<std::string>() << "\n";
}

class AuditCommand : public Command {
public:
    std::string name() const override { return "audit"; }
    std::string summary() const override
    {
        return "Buildings over their zone's floors or height, parcels over its coverage or floor-area ratio";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        add_compliance_map_options(app, m_map);
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no log lines on stderr");
    }

    int run() override
    {
        auto storage = core::open_city(m_city, core::Access::read_write);
        layers::AuditOptions options;
        options.map = m_map.resolve(*storage);
        options.log = !m_global->quiet;
        auto summary = layers::run_audit(*storage, options);
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
    ComplianceMapArguments m_map;
};

}  // namespace

std::unique_ptr<Command> make_audit_command()
{
    return std::make_unique<AuditCommand>();
}

}  // namespace lantern::cli
