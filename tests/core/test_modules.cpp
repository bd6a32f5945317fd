// The module rule (tests/support/module_check.hpp) on the source tree, and
// the check itself on small trees that break it.

#include <catch2/catch.hpp>

#include <algorithm>

#include "support/module_check.hpp"
#include "support/support.hpp"

using namespace lantern::test;
namespace fs = std::filesystem;

namespace {

bool mentions(const std::vector<std::string>& violations, const std::string& text)
{
    return std::any_of(violations.begin(), violations.end(),
                       [&](const std::string& v) { return v.find(text) != std::string::npos; });
}

void write_source(const fs::path& root, const std::string& relative, const std::string& text)
{
    fs::create_directories((root / relative).parent_path());
    write_file((root / relative).string(), text);
}

}  // namespace

TEST_CASE("core's modules form no cycle and every include keeps to them")
{
    auto graph = read_module_graph(LANTERN_CORE_MODULES_FILE);
    REQUIRE(graph.count("base"));
    REQUIRE(graph.count("geometry"));
    CHECK(module_cycle(graph).empty());
    // The algorithm modules do without GDAL.
    for (const char* module : {"base", "geometry", "network", "raster", "hydrology", "coverage", "tiles", "glyphs"}) {
        INFO(module);
        CHECK_FALSE(graph.at(module).count("crs"));
    }
    auto violations = module_violations(LANTERN_SOURCE_DIR, graph);
    for (const auto& v : violations)
        UNSCOPED_INFO(v);
    CHECK(violations.empty());
}

TEST_CASE("the module check finds includes across forbidden edges")
{
    TempDir dir;
    ModuleGraph graph = {{"base", {}}, {"geometry", {"base"}}, {"crs", {"base", "geometry"}},
                         {"io", {"crs"}}};
    write_source(dir.path(), "core/src/geometry/fine.cpp",
                 "#include <lantern/core/geometry/plane.hpp>\n#include <lantern/core/base/error.hpp>\n"
                 "#include <vector>\n");
    write_source(dir.path(), "core/src/io/fine.cpp", "#include <gdal_priv.h>\n#include <lantern/core/crs/crs.hpp>\n");
    CHECK(module_violations(dir.path(), graph).empty());

    SECTION("a module including one it does not depend on")
    {
        write_source(dir.path(), "core/src/geometry/bad.cpp", "#include <lantern/core/crs/crs.hpp>\n");
        auto v = module_violations(dir.path(), graph);
        REQUIRE(v.size() == 1);
        CHECK(mentions(v, "core/src/geometry/bad.cpp:1: lantern/core/crs/crs.hpp: geometry does not depend on crs"));
    }
    SECTION("a public header of a module including one it does not depend on")
    {
        write_source(dir.path(), "core/include/lantern/core/base/bad.hpp", "\n#include \"lantern/core/io/x.hpp\"\n");
        CHECK(mentions(module_violations(dir.path(), graph), "bad.hpp:2: lantern/core/io/x.hpp: base does not depend on io"));
    }
    SECTION("GDAL in a module that does not link it")
    {
        write_source(dir.path(), "core/src/geometry/bad.cpp", "#include <ogr_geometry.h>\n");
        CHECK(mentions(module_violations(dir.path(), graph), "geometry does not link GDAL"));
    }
    SECTION("core including the layers, the layers the tile server, the tile server the command line")
    {
        write_source(dir.path(), "core/src/base/bad.cpp", "#include <lantern/layers/catalogue.hpp>\n");
        write_source(dir.path(), "layers/src/bad.cpp", "#include <lantern/tileserver/server.hpp>\n");
        write_source(dir.path(), "tileserver/src/bad.cpp", "#include <lantern/cli/x.hpp>\n");
        auto v = module_violations(dir.path(), graph);
        CHECK(v.size() == 3);
        CHECK(mentions(v, "core includes nothing above it"));
        CHECK(mentions(v, "layers include nothing of the tile server"));
        CHECK(mentions(v, "the tile server includes nothing of the command line"));
    }
    SECTION("a folder of core that is no module")
    {
        write_source(dir.path(), "core/src/misc/x.cpp", "#include <vector>\n");
        CHECK(mentions(module_violations(dir.path(), graph), "core/misc is not a module"));
    }
    SECTION("a cycle")
    {
        graph["base"].insert("io");
        CHECK_FALSE(module_cycle(graph).empty());
    }
}
