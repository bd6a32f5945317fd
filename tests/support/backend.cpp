#include "support/backend.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <stdexcept>

namespace lantern::test {

Backend backend()
{
    const char* value = std::getenv("LANTERN_TEST_BACKEND");
    std::string name = value ? value : "";
    if (name.empty() || name == "spatialite")
        return Backend::spatialite;
    if (name == "postgis")
        return Backend::postgis;
    throw std::runtime_error("LANTERN_TEST_BACKEND='" + name + "': must be spatialite or postgis");
}

std::string postgres_uri()
{
    const char* value = std::getenv("LANTERN_TEST_POSTGRES");
    if (!value || !*value)
        throw std::runtime_error("LANTERN_TEST_POSTGRES is not set: the PostGIS run needs the CTest fixture "
                                 "'postgis' (tests/support/postgres_cluster.sh)");
    return value;
}

std::string postgis_city(const std::string& schema)
{
    return postgres_uri() + "&schema=" + schema;
}

std::string schema_name(const std::string& text)
{
    std::string name;
    for (char c : text) {
        if (c >= 'A' && c <= 'Z')
            name += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')
            name += c;
        else
            name += '_';
    }
    if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z'))
        name = "c_" + name;
    return name.substr(0, 63);
}

std::string city_location(const TempDir& dir, const std::string& name)
{
    if (backend() == Backend::spatialite)
        return dir.file(name);
    // The folder's own name is random (TempDir); its hash tells cities of
    // different folders apart.
    char folder[17];
    std::snprintf(folder, sizeof folder, "%016zx", std::hash<std::string>{}(dir.path().string()));
    std::string stem = std::filesystem::path(name).stem().string();
    return postgis_city(schema_name(stem.substr(0, 40) + "_" + folder));
}

}  // namespace lantern::test
