#include <iostream>

#include <lantern/core/storage/storage.hpp>
#include <lantern/core/storage/validate.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/layers/drainage_checks.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class ValidateCommand : public Command {
public:
    std::string name() const override { return "validate"; }
    std::string summary() const override
    {
        return "Re-check a whole city database: schemas, validity, duplicate ids, bounds, checksums, the drainage "
               "network against the DEM";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_flag("--json", global.json, "print the report as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no progress bar");
    }

    int run() override
    {
        auto storage = core::open_city(m_city, core::Access::read_only);
        auto report = core::validate_city(*storage, layers::city_classes(*storage).schemas(),
                                          !m_global->quiet);
        layers::check_drainage(*storage, report);
        if (m_global->json) {
            auto j = report.to_json();
            j["ok"] = report.ok();
            j["city"] = storage->location();
            print_json(j);
        } else {
            print_issues(report, 50);
            std::cout << storage->location() << ": " << (report.ok() ? "valid" : "NOT valid") << ", "
                      << report.error_count() << " errors, " << report.warning_count()
                      << " warnings\n";
        }
        return report.ok() ? 0 : 1;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city;
};

}  // namespace

std::unique_ptr<Command> make_validate_command()
{
    return std::make_unique<ValidateCommand>();
}

}  // namespace lantern::cli
