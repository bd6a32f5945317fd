#include "support/module_check.hpp"

#include <fstream>
#include <functional>
#include <regex>
#include <sstream>

namespace lantern::test {

namespace fs = std::filesystem;

ModuleGraph read_module_graph(const fs::path& file)
{
    std::ifstream in(file);
    if (!in)
        throw std::runtime_error(file.string() + ": cannot open");
    ModuleGraph graph;
    for (std::string line; std::getline(in, line);) {
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        auto& dependencies = graph[line.substr(0, colon)];
        std::istringstream rest(line.substr(colon + 1));
        for (std::string dependency; std::getline(rest, dependency, ';');)
            if (!dependency.empty())
                dependencies.insert(dependency);
    }
    return graph;
}

std::vector<std::string> module_cycle(const ModuleGraph& graph)
{
    std::map<std::string, int> state;  // 1: on the path, 2: done
    std::vector<std::string> path;
    std::function<bool(const std::string&)> visit = [&](const std::string& m) {
        if (state[m] == 2)
            return false;
        if (state[m] == 1)
            return true;
        state[m] = 1;
        path.push_back(m);
        if (auto it = graph.find(m); it != graph.end())
            for (const auto& d : it->second)
                if (visit(d))
                    return true;
        path.pop_back();
        state[m] = 2;
        return false;
    };
    for (const auto& [m, deps] : graph)
        if (visit(m))
            return path;
    return {};
}

namespace {

// Whether a module reaches crs (and so links GDAL) through its dependencies.
bool links_gdal(const ModuleGraph& graph, const std::string& module)
{
    if (module == "crs")
        return true;
    auto it = graph.find(module);
    if (it == graph.end())
        return false;
    for (const auto& d : it->second)
        if (links_gdal(graph, d))
            return true;
    return false;
}

// The core module a file under core/ belongs to: its folder below src/ or
// include/lantern/core/.
std::string core_module(const fs::path& relative)
{
    auto parts = std::vector<std::string>(relative.begin(), relative.end());
    if (parts.size() > 3 && parts[1] == "src")
        return parts[2];
    if (parts.size() > 5 && parts[1] == "include")
        return parts[4];
    return {};
}

const std::regex include_line(R"(^\s*#\s*include\s*[<"]([^>"]+)[>"])");
const std::regex gdal_header(R"(^(gdal|ogr|cpl)[a-z_]*\.h$)");

std::string check_include(const ModuleGraph& graph, const std::string& top, const std::string& module,
                          const std::string& header)
{
    std::smatch m;
    static const std::regex core_header(R"(^lantern/core/([a-z_]+)/)");
    if (top == "core") {
        if (header.rfind("lantern/", 0) == 0 && header.rfind("lantern/core/", 0) != 0)
            return "core includes nothing above it";
        if (module.empty())
            return {};
        auto deps = graph.find(module);
        if (deps == graph.end())
            return "core/" + module + " is not a module of core/CMakeLists.txt";
        if (std::regex_search(header, m, core_header) && m[1] != module && !deps->second.count(m[1]))
            return module + " does not depend on " + std::string(m[1]);
        if (std::regex_match(header, gdal_header) && !links_gdal(graph, module))
            return module + " does not link GDAL";
        return {};
    }
    if (top == "layers" && (header.rfind("lantern/tileserver/", 0) == 0 || header.rfind("lantern/cli/", 0) == 0))
        return "layers include nothing of the tile server or the command line";
    if (top == "tileserver" && header.rfind("lantern/cli/", 0) == 0)
        return "the tile server includes nothing of the command line";
    if (top != "core" && std::regex_search(header, m, core_header) && m[1] == "testing")
        return "core's testing module is for the tests alone";
    return {};
}

}  // namespace

std::vector<std::string> module_violations(const fs::path& root, const ModuleGraph& graph)
{
    std::vector<std::string> found;
    for (const char* top : {"core", "layers", "tileserver", "cli"}) {
        if (!fs::exists(root / top))
            continue;
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            auto ext = entry.path().extension();
            if (!entry.is_regular_file() || (ext != ".cpp" && ext != ".hpp"))
                continue;
            auto relative = fs::relative(entry.path(), root);
            std::string module = std::string(top) == "core" ? core_module(relative) : "";
            std::ifstream in(entry.path());
            int number = 0;
            for (std::string line; std::getline(in, line);) {
                ++number;
                std::smatch m;
                if (!std::regex_search(line, m, include_line))
                    continue;
                auto why = check_include(graph, top, module, m[1]);
                if (!why.empty())
                    found.push_back(relative.string() + ":" + std::to_string(number) + ": " +
                                    std::string(m[1]) + ": " + why);
            }
        }
    }
    return found;
}

}  // namespace lantern::test
