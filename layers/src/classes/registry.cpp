#include <lantern/layers/class_registry.hpp>

#include <algorithm>

#include <lantern/core/base/error.hpp>

#include "../layers.hpp"

namespace lantern::layers {

const std::vector<ClassDescription>& builtin_classes()
{
    static const std::vector<ClassDescription> classes = [] {
        std::vector<ClassDescription> out = {
            detail::parcels(),        detail::zones(),          detail::drainage_pipes(),
            detail::drainage_nodes(), detail::lamps(),          detail::cameras(),
            detail::heritage_sites(), detail::heritage_zones(), detail::buildings(),
            detail::roads(),          detail::water(),          detail::wards(),
        };
        for (auto& c : out)
            c.built_in = true;
        return out;
    }();
    return classes;
}

ClassRegistry::ClassRegistry(std::vector<ClassDescription> classes) : m_classes(std::move(classes))
{
}

const ClassDescription* ClassRegistry::find(const std::string& name) const
{
    auto it = std::find_if(m_classes.begin(), m_classes.end(),
                           [&](const ClassDescription& c) { return c.name() == name; });
    return it == m_classes.end() ? nullptr : &*it;
}

const ClassDescription& ClassRegistry::get(const std::string& name) const
{
    if (const auto* found = find(name))
        return *found;
    std::string known;
    for (const auto& c : m_classes)
        known += c.name() + ", ";
    throw core::UsageError("unknown feature class '" + name + "' (known: " + known + "dem)");
}

std::vector<core::ClassSchema> ClassRegistry::schemas() const
{
    std::vector<core::ClassSchema> out;
    for (const auto& c : m_classes)
        out.push_back(c.schema);
    return out;
}

std::vector<core::LayerStyle> ClassRegistry::map_styles() const
{
    std::vector<const ClassDescription*> order;
    for (const auto& c : m_classes)
        order.push_back(&c);
    std::stable_sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
        return a->draw_order < b->draw_order;
    });
    std::vector<core::LayerStyle> out;
    for (const auto* c : order)
        for (auto& style : c->layer_styles())
            out.push_back(std::move(style));
    return out;
}

std::vector<core::LabelStyle> ClassRegistry::map_labels() const
{
    std::vector<core::LabelStyle> out;
    for (const auto& c : m_classes)
        for (auto& style : c.label_styles())
            out.push_back(std::move(style));
    return out;
}

ClassRegistry city_classes(const core::Storage& storage)
{
    auto classes = builtin_classes();
    for (const auto& [name, document] : storage.class_descriptions()) {
        std::string label = storage.location() + ": class " + name;
        try {
            classes.push_back(parse_class_description(nlohmann::json::parse(document), label));
        } catch (const nlohmann::json::exception& e) {
            throw core::StorageError(label + ": stored description is not JSON (" + e.what() + ")");
        } catch (const core::UsageError& e) {
            throw core::StorageError(e.what());
        }
    }
    return ClassRegistry(std::move(classes));
}

void add_city_class(core::Storage& storage, const ClassDescription& description)
{
    const auto& name = description.name();
    auto refuse = [&](const std::string& why) {
        throw core::UsageError("cannot add class '" + name + "' to " + storage.location() + ": " +
                               why);
    };
    auto registry = city_classes(storage);
    if (const auto* existing = registry.find(name))
        refuse(existing->built_in ? "it is a built-in class" : "the city has that class already");
    if (storage.result_record(name))
        refuse("the city has a result of that name");
    if (storage.has_class(name))
        refuse("the database has a table of that name");
    core::Transaction transaction(storage);
    storage.put_class_description(name, to_json(description).dump());
    storage.prepare_class(description.schema, false);
    transaction.commit();
}

}  // namespace lantern::layers
