#include <filesystem>
#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/io/raster_import.hpp>
#include <lantern/core/io/vector_import.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/layers/sample_city.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

namespace fs = std::filesystem;

class SampleCityCommand : public Command {
public:
    std::string name() const override { return "sample-city"; }
    std::string summary() const override
    {
        return "Build the Hoi An sample city: real open data plus a synthetic town";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.footer("Writes the source files to OUT_DIR/sources (GeoJSON, CSV, a GeoTIFF DEM) and\n"
                   "imports them into OUT_DIR/hoian.sqlite with the ordinary import. Same seed,\n"
                   "byte-identical source files. docs/sample-city.md describes every rule.");
        app.add_option("OUT_DIR", m_out, "folder for the sources and the city database")->required();
        app.add_option("--seed", m_seed, "random seed")->default_val(1);
        app.add_option("--scale", m_scale,
                       "multiply buildings, parcels and devices: K copies of the town side by side")
            ->default_val(1)
            ->check(CLI::Range(1, 1000));
        app.add_option("--data", m_data, "folder of the real Hoi An data")->default_val(LANTERN_DATA_DIR);
        app.add_option("--classes", m_classes,
                       "folder of the description files of the classes the sample city adds "
                       "(hydrants, fire stations, trees)")
            ->default_val(LANTERN_CLASSES_DIR);
        app.add_flag("--force", m_force, "replace OUT_DIR/hoian.sqlite when it exists");
        app.add_flag("--json", global.json, "print the result as JSON");
        add_threads_option(app, m_threads, "threads importing the city");
        app.add_flag("-q,--quiet", global.quiet, "no progress");
    }

    int run() override
    {
        std::string db = (fs::path(m_out) / "hoian.sqlite").string();
        if (fs::exists(db)) {
            if (!m_force)
                throw core::FileError(db + ": already exists (pass --force to rebuild it)");
            core::remove_city(db);
        }
        layers::SampleCityOptions options;
        options.out_dir = m_out;
        options.data_dir = m_data;
        options.seed = m_seed;
        options.scale = m_scale;
        options.progress = !m_global->quiet;
        auto files = layers::write_sample_sources(options);

        auto storage = core::create_city(db, "Hội An", core::Crs::from_user(files.city_crs), files.bounds);
        nlohmann::json imported = nlohmann::json::object();
        auto import = [&](const layers::SampleSource& source, const core::ClassSchema& schema) {
            core::ImportOptions import_options;
            import_options.source.path = source.path;
            import_options.source_crs = source.source_crs;
            import_options.field_map = source.field_map;
            import_options.progress = !m_global->quiet;
            auto result = core::import_vector(*storage, schema, import_options);
            imported[source.class_name] = result.imported;
            if (!m_global->json && !m_global->quiet)
                std::cerr << "imported " << result.imported << " " << source.class_name << '\n';
        };
        for (const auto& source : files.vectors)
            import(source, layers::feature_class(source.class_name));
        // The classes a city adds (docs/classes.md), from their shipped descriptions.
        for (const auto& source : files.added_classes) {
            auto description = layers::read_class_description_file(
                (fs::path(m_classes) / (source.class_name + ".json")).string());
            layers::add_city_class(*storage, description);
            import(source, description.schema);
        }
        core::RasterImportOptions dem;
        dem.path = files.dem;
        dem.progress = !m_global->quiet;
        auto raster = core::import_raster(*storage, dem);
        if (m_global->json) {
            print_json({{"ok", true}, {"city", db}, {"seed", m_seed}, {"scale", m_scale},
                        {"features", imported}, {"dem", {{"width", raster.width}, {"height", raster.height}}}});
        } else {
            std::cout << "built " << db << " from " << (fs::path(m_out) / "sources").string() << '\n';
        }
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_out, m_data, m_classes;
    std::uint64_t m_seed = 1;
    int m_scale = 1;
    bool m_force = false;
    unsigned m_threads = 0;
};

}  // namespace

std::unique_ptr<Command> make_sample_city_command()
{
    return std::make_unique<SampleCityCommand>();
}

}  // namespace lantern::cli
