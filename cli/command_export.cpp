// lantern export: a feature class, or an analysis result, out to a file. A
// stale result is refused unless asked for, so an out-of-date flood map is
// never handed on as if it were current.

#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/io/raster_export.hpp>
#include <lantern/core/io/vector_export.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class ExportCommand : public Command {
public:
    std::string name() const override { return "export"; }
    std::string summary() const override
    {
        return "Write a feature class or an analysis result to a file (any GDAL vector format; "
               "GeoTIFF or another GDAL raster format for raster results)";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("NAME", m_name, "feature class, or result (see lantern results CITY)")->required();
        app.add_option("OUT", m_out, "output file; the extension picks the format")->required();
        app.add_option("--t-srs", m_target_crs, "CRS of the output (default: the city CRS; features only)");
        app.add_option("--format", m_format,
                       "GDAL driver name, e.g. GPKG, GeoJSON, 'ESRI Shapefile', GTiff, AAIGrid");
        app.add_flag("--overwrite", m_overwrite, "replace OUT when it exists");
        app.add_flag("--allow-stale", m_allow_stale,
                     "export a result even when its inputs changed since it was made");
        app.add_flag("--json", global.json, "print the result as JSON");
    }

    int run() override
    {
        auto storage = core::open_city(m_city, core::Access::read_only);
        core::ExportOptions options;
        options.path = m_out;
        if (!m_format.empty())
            options.format = m_format;
        if (!m_target_crs.empty())
            options.target_crs = m_target_crs;
        options.overwrite = m_overwrite;
        if (auto result = storage->result_record(m_name))
            return export_result(*storage, *result, options);

        auto registry = layers::city_classes(*storage);
        const auto& city = storage->location();  // without a password
        if (!registry.find(m_name))
            throw core::UsageError("'" + m_name + "' is neither a feature class nor a result of " + city +
                                   " (lantern classes lists the classes, lantern results CITY the results)");
        const auto& schema = registry.get(m_name).schema;
        auto written = core::export_class(*storage, schema, options);
        if (m_global->json)
            print_json({{"ok", true}, {"class", schema.name}, {"out", m_out}, {"features", written}});
        else
            std::cout << "wrote " << written << " " << schema.name << " features to " << m_out << '\n';
        return 0;
    }

private:
    int export_result(const core::Storage& storage, const core::ResultRecord& result,
                      const core::ExportOptions& options)
    {
        auto reasons = core::stale_reasons(storage, result);
        if (!m_allow_stale)
            core::require_current(storage, result, "pass --allow-stale to export it anyway");
        nlohmann::json j = {{"ok", true},       {"result", result.name},
                            {"kind", core::to_string(result.kind)}, {"out", m_out},
                            {"stale", !reasons.empty()}};
        if (result.kind == core::ResultKind::raster) {
            core::export_raster_result(storage, result, options);
            j["width"] = result.width;
            j["height"] = result.height;
            if (!m_global->json)
                std::cout << "wrote " << result.name << " (" << result.width << " x " << result.height
                          << " cells" << (result.unit.empty() ? "" : ", " + result.unit) << ") to "
                          << m_out << '\n';
        } else {
            auto written = core::export_class(storage, result.schema, options);
            j["features"] = written;
            if (!m_global->json)
                std::cout << "wrote " << written << " " << result.name << " features to " << m_out
                          << '\n';
        }
        if (m_global->json)
            print_json(j);
        else if (!reasons.empty())
            std::cerr << "lantern: warning: " << result.name << " is stale: " << reasons.front()
                      << (reasons.size() > 1 ? " (and more; see lantern results)" : "") << '\n';
        return 0;
    }

    GlobalOptions* m_global = nullptr;
    std::string m_city, m_name, m_out, m_target_crs, m_format;
    bool m_overwrite = false;
    bool m_allow_stale = false;
};

}  // namespace

std::unique_ptr<Command> make_export_command()
{
    return std::make_unique<ExportCommand>();
}

}  // namespace lantern::cli
