// lantern copy: a whole city from one database to another, SpatiaLite to
// PostGIS or back (core/storage/city_copy.hpp), then validated.

#include <iostream>

#include <lantern/core/storage/city_copy.hpp>
#include <lantern/core/storage/validate.hpp>
#include <lantern/layers/class_registry.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class CopyCommand : public Command {
public:
    std::string name() const override { return "copy"; }
    std::string summary() const override
    {
        return "Copy a whole city (classes, results with their provenance, rasters) between SpatiaLite and PostGIS";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("SOURCE", m_source, "the city to copy: a .sqlite file or a postgresql:// URI")->required();
        app.add_option("DESTINATION", m_destination, "a new city: a .sqlite file or a postgresql://...?schema= URI")
            ->required();
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no progress bars");
        app.footer("Examples:\n"
                   "  lantern copy hoian.sqlite 'postgresql://gis@db.hoian.gov.vn/city?schema=hoian'\n"
                   "  lantern copy 'postgresql:///city?host=/run/postgresql&schema=hoian' laptop.sqlite\n"
                   "The copy is one transaction; it is read back and validated, and every class's and result's\n"
                   "checksum must equal the source's. A copy that fails leaves no destination.");
    }

    int run() override
    {
        auto source = core::open_city(m_source, core::Access::read_only);
        auto schemas = layers::city_classes(*source).schemas();
        auto summary = core::copy_city(*source, m_destination, schemas, !m_global->quiet);
        auto copy = core::open_city(m_destination, core::Access::read_only);
        auto report = core::validate_city(*copy, schemas, !m_global->quiet);
        if (m_global->json) {
            print_json({{"source", source->location()},
                        {"destination", summary.destination},
                        {"classes", summary.classes},
                        {"results", summary.results},
                        {"rasters", summary.rasters},
                        {"features", summary.features},
                        {"valid", report.ok()},
                        {"issues", report.to_json()}});
        } else {
            print_issues(report, 50);
            std::cout << "copied " << source->location() << " to " << summary.destination << ": " << summary.classes
                      << " classes, " << summary.results << " results, " << summary.rasters << " rasters, "
                      << summary.features << " features; " << (report.ok() ? "valid" : "NOT valid") << "\n";
        }
        return report.ok() ? 0 : 1;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_source;
    std::string m_destination;
};

}  // namespace

std::unique_ptr<Command> make_copy_command()
{
    return std::make_unique<CopyCommand>();
}

}  // namespace lantern::cli
