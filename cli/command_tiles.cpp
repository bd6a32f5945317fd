// lantern tiles: the city's vector tiles into one MBTiles or PMTiles file.

#include <cstdio>
#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/tiles/tile_archive.hpp>
#include <lantern/core/tiles/tile_math.hpp>
#include <lantern/layers/tile_archive.hpp>
#include <lantern/layers/tiles.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

std::string size_text(std::uint64_t bytes)
{
    char buf[32];
    if (bytes >= 1024 * 1024)
        std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
    else
        std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024.0);
    return buf;
}

class TilesCommand : public Command {
public:
    std::string name() const override { return "tiles"; }
    std::string summary() const override
    {
        return "Write the city's vector tiles to an MBTiles or PMTiles archive (docs/tiles.md)";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("OUT", m_out,
                       "archive to write, OUT.mbtiles or OUT.pmtiles; replaced only when complete")
            ->required();
        app.add_option("--min-zoom", m_min_zoom, "lowest zoom (default: the layers' lowest)")
            ->check(CLI::Range(0, core::max_tile_zoom));
        app.add_option("--max-zoom", m_max_zoom,
                       "highest zoom (default: the layers' highest, at most " +
                           std::to_string(layers::default_archive_max_zoom) + ")")
            ->check(CLI::Range(0, core::max_tile_zoom));
        app.add_option("--classes", m_classes,
                       "tile layers to include, e.g. water,roads,buildings (default: every class and "
                       "current feature result)")
            ->delimiter(',');
        add_threads_option(app, m_threads, "threads rendering tiles");
        app.add_option("--description", m_options.description,
                       "the archive's description (default: the city and its layers)");
        app.add_option("--attribution", m_options.attribution,
                       "the attribution maps show (default: the city's name)");
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no progress bar");
    }

    int run() override
    {
        for (auto c : m_classes) {
            c.erase(0, c.find_first_not_of(' '));
            c.erase(c.find_last_not_of(' ') + 1);
            if (!c.empty())
                m_options.layer_names.push_back(c);
        }
        if (m_min_zoom >= 0 && m_max_zoom >= 0 && m_min_zoom > m_max_zoom)
            throw core::UsageError("--min-zoom " + std::to_string(m_min_zoom) + " is above --max-zoom " +
                                   std::to_string(m_max_zoom));
        if (m_min_zoom >= 0)
            m_options.min_zoom = m_min_zoom;
        if (m_max_zoom >= 0)
            m_options.max_zoom = m_max_zoom;
        m_options.threads = m_threads;
        m_options.progress = !m_global->quiet;

        core::tile_archive_format(m_out);  // a wrong extension before any work
        layers::TileSet tiles(m_city);
        auto summary = layers::write_tile_archive(tiles, m_out, m_options);
        if (m_global->json) {
            auto j = summary.to_json();
            j["ok"] = true;
            print_json(j);
            return 0;
        }
        std::printf("wrote %s (%s): %llu tiles, %llu distinct, zooms %d-%d, %s in %.1f s\n",
                    m_out.c_str(), summary.format == "mbtiles" ? "MBTiles" : "PMTiles",
                    static_cast<unsigned long long>(summary.tiles_written),
                    static_cast<unsigned long long>(summary.unique_tiles), summary.min_zoom,
                    summary.max_zoom, size_text(summary.file_bytes).c_str(), summary.seconds);
        for (const auto& z : summary.zooms)
            std::printf("  zoom %2d: %7llu of %7llu tiles, %s\n", z.zoom,
                        static_cast<unsigned long long>(z.tiles_written),
                        static_cast<unsigned long long>(z.tiles_checked), size_text(z.tile_bytes).c_str());
        std::fflush(stdout);
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city, m_out;
    int m_min_zoom = -1, m_max_zoom = -1;
    unsigned m_threads = 0;
    std::vector<std::string> m_classes;
    layers::TileArchiveOptions m_options;
};

}  // namespace

std::unique_ptr<Command> make_tiles_command()
{
    return std::make_unique<TilesCommand>();
}

}  // namespace lantern::cli
