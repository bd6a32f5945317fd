#include <iostream>

#include <lantern/core/storage.hpp>
#include <lantern/core/vector_export.hpp>
#include <lantern/layers/catalogue.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class ExportCommand : public Command {
public:
    std::string name() const override { return "export"; }
    std::string summary() const override
    {
        return "Write a feature class to any GDAL vector format (GeoJSON, GeoPackage, Shapefile, ...)";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("CLASS", m_class, "feature class")->required();
        app.add_option("OUT", m_out, "output file; the extension picks the format")->required();
        app.add_option("--t-srs", m_target_crs, "CRS of the output (default: the city CRS)");
        app.add_option("--format", m_format, "GDAL driver name, e.g. GPKG, GeoJSON, 'ESRI Shapefile'");
        app.add_flag("--overwrite", m_overwrite, "replace OUT when it exists");
        app.add_flag("--json", global.json, "print the result as JSON");
    }

    int run() override
    {
        const auto& schema = layers::feature_class(m_class);
        auto storage = core::open_city(m_city, core::Access::read_only);
        core::ExportOptions options;
        options.path = m_out;
        if (!m_format.empty())
            options.format = m_format;
        if (!m_target_crs.empty())
            options.target_crs = m_target_crs;
        options.overwrite = m_overwrite;
        auto written = core::export_class(*storage, schema, options);
        if (m_global->json)
            print_json({{"ok", true}, {"class", schema.name}, {"out", m_out}, {"features", written}});
        else
            std::cout << "wrote " << written << " " << schema.name << " features to " << m_out << '\n';
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city, m_class, m_out, m_target_crs, m_format;
    bool m_overwrite = false;
};

}  // namespace

std::unique_ptr<Command> make_export_command()
{
    return std::make_unique<ExportCommand>();
}

}  // namespace lantern::cli
