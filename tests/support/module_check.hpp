#pragma once
// The module rule of the source tree: a core module includes only itself and
// the modules it depends on (core/CMakeLists.txt, written out as
// core_modules.txt), a module that does not depend on crs includes no GDAL,
// core includes nothing above it, layers nothing of the tile server or the
// command line, and the tile server nothing of the command line.

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace lantern::test {

// Each core module and the modules it may include.
using ModuleGraph = std::map<std::string, std::set<std::string>>;

// Reads core_modules.txt: one "module:dependency;dependency" line each.
ModuleGraph read_module_graph(const std::filesystem::path& file);

// The modules that form a cycle, or none.
std::vector<std::string> module_cycle(const ModuleGraph& graph);

// Every #include in the tree under root (core/, layers/, tileserver/, cli/)
// that breaks the rule, as "path:line: what it includes: why".
std::vector<std::string> module_violations(const std::filesystem::path& root, const ModuleGraph& graph);

}  // namespace lantern::test
