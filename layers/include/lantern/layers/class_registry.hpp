#pragma once
// The classes of one city: the built-in ones and those the city added from
// description files (lantern classes add), kept in its database. Everything
// that takes a class name from a user resolves it here, so an added class is
// imported, checked, exported, tiled, served and looked up like a built-in one.

#include <string>
#include <vector>

#include <lantern/core/render/render.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/class_description.hpp>

namespace lantern::layers {

// The built-in classes, in documentation order.
const std::vector<ClassDescription>& builtin_classes();

class ClassRegistry {
public:
    explicit ClassRegistry(std::vector<ClassDescription> classes);

    // Built-in classes first, in documentation order, then the city's by name.
    const std::vector<ClassDescription>& all() const { return m_classes; }
    // The class with this name, or nullptr.
    const ClassDescription* find(const std::string& name) const;
    // The class with this name; throws UsageError naming the known classes.
    const ClassDescription& get(const std::string& name) const;
    std::vector<core::ClassSchema> schemas() const;
    // Every class's style rules by ascending draw order (first = bottom);
    // classes of equal order in the order of all().
    std::vector<core::LayerStyle> map_styles() const;
    // Every class's label rules, for the renderer.
    std::vector<core::LabelStyle> map_labels() const;

private:
    std::vector<ClassDescription> m_classes;
};

// The built-in classes and those the city added. Throws StorageError naming
// the database and the class when a stored description no longer reads.
ClassRegistry city_classes(const core::Storage& storage);

// Adds a class to the city: its description and its empty table, in one
// transaction, or nothing. Refuses (UsageError) a built-in name and a name
// the city already uses for a class, a table or a result.
void add_city_class(core::Storage& storage, const ClassDescription& description);

}  // namespace lantern::layers
