#include <iostream>

#include <lantern/layers/catalogue.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class ClassesCommand : public Command {
public:
    std::string name() const override { return "classes"; }
    std::string summary() const override { return "List the feature classes and their schemas"; }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_flag("--markdown", m_markdown, "print docs/layers.md");
        app.add_flag("--json", global.json, "print the schemas as JSON");
    }

    int run() override
    {
        if (m_markdown) {
            std::cout << layers::layers_markdown();
            return 0;
        }
        if (m_global->json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& s : layers::feature_classes()) {
                nlohmann::json fields = nlohmann::json::array();
                for (const auto& f : s.fields)
                    fields.push_back({{"name", f.name},
                                      {"type", core::to_string(f.type)},
                                      {"required", f.required},
                                      {"min", f.min ? nlohmann::json(*f.min) : nlohmann::json()},
                                      {"max", f.max ? nlohmann::json(*f.max) : nlohmann::json()},
                                      {"allowed", f.allowed}});
                list.push_back({{"name", s.name},
                                {"layer", s.layer},
                                {"geometry", core::to_string(s.geometry)},
                                {"id_field", s.id_field},
                                {"fields", fields}});
            }
            print_json(list);
            return 0;
        }
        for (const auto& s : layers::feature_classes())
            std::cout << s.name << std::string(s.name.size() < 16 ? 16 - s.name.size() : 1, ' ')
                      << core::to_string(s.geometry) << " - " << s.description << '\n';
        std::cout << "dem             raster - terrain model (GeoTIFF)\n";
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    bool m_markdown = false;
};

}  // namespace

std::unique_ptr<Command> make_classes_command()
{
    return std::make_unique<ClassesCommand>();
}

}  // namespace lantern::cli
