#include <iostream>

#include <lantern/core/render/render.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/layers/map_pages.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class RenderCommand : public Command {
public:
    std::string name() const override { return "render"; }
    std::string summary() const override
    {
        return "Draw an overview map of a city database as PNG, PDF or SVG";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("OUT", m_out, "map to write, .png, .pdf or .svg; replaced when it exists")->required();
        app.add_option("--width", m_width, "image width in pixels; the height follows from the map")
            ->capture_default_str()
            ->check(CLI::Range(16, 16384));
        app.add_option("--classes", m_classes,
                       "classes to draw, e.g. water,roads,lamps (default: every class the city "
                       "holds, and the DEM; name dem to include it)")
            ->delimiter(',');
        app.add_option("--bounds", m_bounds,
                       "area to draw as WEST,SOUTH,EAST,NORTH in WGS 84 degrees (default: all "
                       "that is drawn)");
        add_page_options(app, m_layout, m_dpi);
        app.add_option("--title", m_title, "the printed page's title (default: the city's name)");
        app.add_flag("--json", global.json, "print the result as JSON");
    }

    int run() override
    {
        auto storage = core::open_city(m_city, core::Access::read_only);
        auto registry = layers::city_classes(*storage);
        std::vector<std::string> classes;
        for (auto c : m_classes) {
            c.erase(0, c.find_first_not_of(' '));
            c.erase(c.find_last_not_of(' ') + 1);
            if (c.empty())
                continue;
            if (!layers::is_raster_class(c))
                registry.get(c);  // throws UsageError naming the known classes
            classes.push_back(c);
        }
        core::RenderOptions options;
        options.path = m_out;
        options.width = m_width;
        options.classes = classes;
        options.labels = registry.map_labels();
        if (!m_layout.empty()) {
            layers::print_on(options, m_layout, *storage);
            if (!m_title.empty())
                options.layout->title = m_title;
        }
        options.dpi = m_dpi > 0 ? m_dpi : options.layout ? 150 : 96;
        if (!m_bounds.empty())
            options.bounds = core::Transform(core::Crs::wgs84(), core::Crs::from_user(storage->city().crs))
                                 .apply(parse_lonlat_bounds(m_bounds));
        auto result = core::render_overview(*storage, registry.schemas(), registry.map_styles(),
                                            options);
        if (m_global->json) {
            nlohmann::json labels = nlohmann::json::array();
            for (const auto& label : result.labels)
                labels.push_back({{"text", label.text}, {"class", label.class_name}});
            print_json({{"ok", true},
                        {"out", m_out},
                        {"width", result.width},
                        {"height", result.height},
                        {"extent", bounds_json(result.extent)},
                        {"classes", result.classes},
                        {"dem", result.dem},
                        {"labels", labels}});
        } else
            std::cout << "wrote " << m_out << " (" << result.width << " x " << result.height
                      << " pixels)\n";
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city, m_out, m_bounds, m_layout, m_title;
    double m_dpi = 0;
    int m_width = 1600;
    std::vector<std::string> m_classes;
};

}  // namespace

std::unique_ptr<Command> make_render_command()
{
    return std::make_unique<RenderCommand>();
}

}  // namespace lantern::cli
