#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/io/raster_import.hpp>
#include <lantern/core/io/vector_import.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class ImportCommand : public Command {
public:
    std::string name() const override { return "import"; }
    std::string summary() const override
    {
        return "Import a vector source into a feature class, or a raster as the DEM";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.footer(
            "Examples:\n"
            "  lantern import hoian.sqlite parcels parcels.gpkg --layer thua_dat\n"
            "  lantern import hoian.sqlite lamps lamps.csv --s-srs EPSG:4326\n"
            "  lantern import hoian.sqlite parcels cadastre.shp --s-srs VN2000:TM3:107.75 \\\n"
            "      --map parcel_id=SO_THUA --map land_use=LOAI_DAT --replace\n"
            "  lantern import hoian.sqlite dem terrain.tif --resolution 10\n"
            "Every feature is checked against the class schema (lantern classes); the import is\n"
            "one transaction: when anything is rejected the database stays as it was.");
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("CLASS", m_class, "feature class (see lantern classes) or 'dem'")->required();
        app.add_option("SOURCE", m_source, "any file GDAL reads: GeoJSON, Shapefile, GeoPackage, "
                                           "CSV, KML, DXF, DGN, GeoTIFF, ...")
            ->required();
        app.add_option("--layer", m_layer, "layer of a multi-layer source");
        app.add_option("--s-srs", m_source_crs,
                       "CRS of the source when it has none or declares a wrong one "
                       "(EPSG:4326, VN2000:TM3:107.75, ...)");
        app.add_option("--map", m_map, "take a class field from a differently named source "
                                       "field: --map parcel_id=SO_THUA (repeatable)");
        app.add_option("--generate-ids", m_id_prefix,
                       "give features without an id one made of PREFIX and their position "
                       "in the source (for CAD drawings)");
        auto* append = app.add_flag("--append", m_append, "add to the features already there");
        app.add_flag("--replace", m_replace, "replace the features already there")->excludes(append);
        app.add_option("--invalid", m_invalid,
                       "invalid geometry: reject (the whole import fails), repair (make-valid "
                       "and report) or skip (leave out and report)")
            ->default_str("reject");
        app.add_option("--oo", m_open_options, "GDAL open option KEY=VALUE for the source "
                                               "(repeatable), e.g. X_POSSIBLE_NAMES=kinh_do");
        app.add_option("--resolution", m_resolution, "DEM only: cell size in metres")
            ->check(CLI::PositiveNumber);
        app.add_flag("--json", global.json, "print the result and every issue as JSON");
        add_threads_option(app, m_threads,
                           "threads: 1 reads the source and writes the city in turn, more overlap them");
        app.add_flag("-q,--quiet", global.quiet, "no progress bar");
    }

    int run() override
    {
        if (layers::is_raster_class(m_class))
            return run_raster();
        auto storage = core::open_city(m_city, core::Access::read_write);
        const auto schema = layers::city_classes(*storage).get(m_class).schema;
        core::ImportOptions options;
        options.source = {m_source, m_layer, m_open_options};
        if (!m_source_crs.empty())
            options.source_crs = m_source_crs;
        if (!m_id_prefix.empty())
            options.id_prefix = m_id_prefix;
        for (const auto& pair : m_map) {
            auto eq = pair.find('=');
            if (eq == std::string::npos || eq == 0 || eq + 1 == pair.size())
                throw core::UsageError("--map takes CLASS_FIELD=SOURCE_FIELD (got '" + pair + "')");
            options.field_map[pair.substr(0, eq)] = pair.substr(eq + 1);
        }
        options.mode = m_append    ? core::WriteMode::append
                       : m_replace ? core::WriteMode::replace
                                   : core::WriteMode::create;
        try {
            options.invalid = core::parse_invalid_policy(m_invalid);
        } catch (const core::UsageError& e) {
            throw core::UsageError("--invalid: " + std::string(e.what()));
        }
        options.progress = !m_global->quiet;

        auto result = core::import_vector(*storage, schema, options);

        if (m_global->json) {
            print_json({{"ok", true},
                        {"class", schema.name},
                        {"source", result.source_label},
                        {"source_crs", result.source_crs},
                        {"read", result.read},
                        {"imported", result.imported},
                        {"repaired", result.repaired},
                        {"skipped", result.skipped},
                        {"feature_count", result.record.feature_count},
                        {"checksum", result.record.checksum},
                        {"ignored_fields", result.ignored_fields},
                        {"report", result.report.to_json()}});
            return 0;
        }
        print_issues(result.report);
        std::cout << "imported " << result.imported << " of " << result.read << " features from "
                  << result.source_label << " into " << schema.name << " (" << result.record.feature_count
                  << " in all)";
        if (result.repaired)
            std::cout << ", " << result.repaired << " repaired";
        if (result.skipped)
            std::cout << ", " << result.skipped << " skipped";
        std::cout << '\n';
        if (!result.ignored_fields.empty()) {
            std::cout << "fields not taken by " << schema.name << ":";
            for (const auto& f : result.ignored_fields)
                std::cout << ' ' << f;
            std::cout << " (use --map to take them)\n";
        }
        return 0;
    }

private:
    unsigned m_threads = 0;

    int run_raster()
    {
        core::RasterImportOptions options;
        options.name = m_class;
        options.path = m_source;
        if (!m_source_crs.empty())
            options.source_crs = m_source_crs;
        options.resolution = m_resolution;
        options.progress = !m_global->quiet;
        auto storage = core::open_city(m_city, core::Access::read_write);
        auto r = core::import_raster(*storage, options);
        if (m_global->json) {
            print_json({{"ok", true}, {"class", r.name}, {"path", r.path}, {"width", r.width},
                        {"height", r.height}, {"pixel_size", {r.pixel_width, r.pixel_height}},
                        {"extent", bounds_json(r.extent)}, {"checksum", r.checksum}});
            return 0;
        }
        std::cout << "registered " << r.name << ": " << r.path << ", " << r.width << " x "
                  << r.height << " cells of " << r.pixel_width << " x " << r.pixel_height << " m\n";
        return 0;
    }

    GlobalOptions* m_global = nullptr;
    std::string m_city, m_class, m_source, m_layer, m_source_crs, m_id_prefix,
        m_invalid = "reject";
    std::vector<std::string> m_map, m_open_options;
    std::optional<double> m_resolution;
    bool m_append = false, m_replace = false;
};

}  // namespace

std::unique_ptr<Command> make_import_command()
{
    return std::make_unique<ImportCommand>();
}

}  // namespace lantern::cli
