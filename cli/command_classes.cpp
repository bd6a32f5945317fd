// lantern classes: the built-in feature classes, or a city's classes (the
// built-in ones and those it added), one class's description, and
// `classes add`, which adds a class to a city from a description file.

#include <iostream>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

nlohmann::json schema_json(const core::ClassSchema& s)
{
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : s.fields)
        fields.push_back({{"name", f.name},
                          {"type", core::to_string(f.type)},
                          {"required", f.required},
                          {"min", f.min ? nlohmann::json(*f.min) : nlohmann::json()},
                          {"max", f.max ? nlohmann::json(*f.max) : nlohmann::json()},
                          {"allowed", f.allowed}});
    return {{"name", s.name},
            {"layer", s.layer},
            {"geometry", core::to_string(s.geometry)},
            {"id_field", s.id_field},
            {"fields", fields}};
}

void print_line(const core::ClassSchema& s, const std::string& note)
{
    std::cout << s.name << std::string(s.name.size() < 16 ? 16 - s.name.size() : 1, ' ')
              << core::to_string(s.geometry) << " - " << s.description << note << '\n';
}

class ClassesCommand : public Command {
public:
    std::string name() const override { return "classes"; }
    std::string summary() const override
    {
        return "List the feature classes, a city's classes or one class's description; add a "
               "class to a city";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.footer("Examples:\n"
                   "  lantern classes                      the built-in classes\n"
                   "  lantern classes hoian.sqlite         the city's classes, built-in and added\n"
                   "  lantern classes hoian.sqlite lamps   one class's description as JSON\n"
                   "  lantern classes add hoian.sqlite data/classes/hydrants.json\n"
                   "A description file gives the class's fields, tiles, map style and its part in "
                   "the lookup\nand the search (docs/classes.md).");
        app.add_option("CITY", m_city, "city database (default: the built-in classes)");
        app.add_option("NAME", m_class, "print this class's description as JSON");
        app.add_flag("--markdown", m_markdown, "print docs/layers.md");
        app.add_flag("--json", global.json, "print the schemas as JSON");
        m_add = app.add_subcommand("add", "Add a class to a city from a description file "
                                          "(one transaction: the description and its empty table)");
        m_add->add_option("CITY", m_add_city, "city database")->required();
        m_add->add_option("FILE", m_add_file, "class description (JSON)")->required();
        m_add->add_flag("--json", global.json, "print the result as JSON");
    }

    int run() override
    {
        if (m_add->parsed())
            return add();
        if (m_markdown) {
            std::cout << layers::layers_markdown();
            return 0;
        }
        if (!m_city.empty())
            return city();
        if (m_global->json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& s : layers::feature_classes())
                list.push_back(schema_json(s));
            print_json(list);
            return 0;
        }
        for (const auto& s : layers::feature_classes())
            print_line(s, "");
        std::cout << "dem             raster - terrain model (GeoTIFF)\n";
        return 0;
    }

private:
    int add()
    {
        auto description = layers::read_class_description_file(m_add_file);
        auto storage = core::open_city(m_add_city, core::Access::read_write);
        layers::add_city_class(*storage, description);
        if (m_global->json)
            print_json({{"ok", true}, {"class", description.name()}, {"city", m_add_city}});
        else
            std::cout << "added class " << description.name() << " ("
                      << core::to_string(description.schema.geometry) << ", "
                      << description.schema.fields.size() << " fields) to " << m_add_city << '\n';
        return 0;
    }

    int city()
    {
        auto storage = core::open_city(m_city, core::Access::read_only);
        auto registry = layers::city_classes(*storage);
        if (!m_class.empty()) {
            print_json(layers::to_json(registry.get(m_class)));
            return 0;
        }
        if (m_global->json) {
            nlohmann::json list = nlohmann::json::array();
            for (const auto& c : registry.all()) {
                auto j = schema_json(c.schema);
                j["built_in"] = c.built_in;
                j["description"] = c.schema.description;
                j["feature_count"] = storage->has_class(c.name()) ? storage->count(c.name()) : 0;
                list.push_back(std::move(j));
            }
            print_json(list);
            return 0;
        }
        for (const auto& c : registry.all())
            print_line(c.schema, c.built_in ? "" : " (added by the city)");
        return 0;
    }

    GlobalOptions* m_global = nullptr;
    CLI::App* m_add = nullptr;
    bool m_markdown = false;
    std::string m_city, m_class, m_add_city, m_add_file;
};

}  // namespace

std::unique_ptr<Command> make_classes_command()
{
    return std::make_unique<ClassesCommand>();
}

}  // namespace lantern::cli
