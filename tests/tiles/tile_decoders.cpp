#include "tiles/tile_decoders.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <type_traits>
#include <variant>

#include "support/support.hpp"

namespace lantern::test {

namespace fs = std::filesystem;

std::string js_dir()
{
    return std::string(LANTERN_SOURCE_DIR) + "/tests/js";
}

namespace {

const char* install_hint =
    "run `bash .ci/install-references` (it installs Debian's nodejs and npm when there is no "
    "node, then `npm ci --prefix tests/js`)";

bool node_on_path()
{
    return std::system("command -v node > /dev/null 2>&1") == 0;
}

std::string quoted(const std::string& text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

nlohmann::json path_json(const core::MvtPath& path)
{
    auto out = nlohmann::json::array();
    for (const auto& p : path)
        out.push_back({p.x, p.y});
    return out;
}

}  // namespace

nlohmann::json decode_with_node(const std::vector<std::string>& mvt_files)
{
    if (!node_on_path())
        FAIL("node is not on PATH: the tile tests decode tiles with @mapbox/vector-tile; "
             << install_hint);
    if (!fs::exists(js_dir() + "/node_modules/@mapbox/vector-tile/package.json") ||
        !fs::exists(js_dir() + "/node_modules/pbf/package.json"))
        FAIL("the npm packages of tests/js are not installed; " << install_hint);
    TempDir capture;
    std::string command = "node " + quoted(js_dir() + "/decode_tile.mjs");
    for (const auto& file : mvt_files)
        command += " " + quoted(file);
    command += " > " + quoted(capture.file("out.json")) + " 2> " + quoted(capture.file("err.txt"));
    const int status = std::system(command.c_str());
    if (status != 0)
        FAIL("node decode_tile.mjs failed (status " << status << "): "
                                                    << read_file(capture.file("err.txt")));
    auto decoded = nlohmann::json::parse(read_file(capture.file("out.json")));
    REQUIRE(decoded.size() == mvt_files.size());
    return decoded;
}

nlohmann::json to_json(const core::MvtValue& value)
{
    return std::visit(
        [](const auto& v) -> nlohmann::json {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, float>)
                return static_cast<double>(v);  // as JavaScript holds it
            else
                return v;
        },
        value);
}

nlohmann::json node_shape(const std::vector<core::MvtLayer>& layers)
{
    auto out_layers = nlohmann::json::array();
    for (const auto& layer : layers) {
        auto features = nlohmann::json::array();
        for (const auto& f : layer.features) {
            auto properties = nlohmann::json::object();
            for (const auto& [key, value] : f.properties)
                properties[key] = to_json(value);
            auto geometry = nlohmann::json::array();
            for (const auto& p : f.points)
                geometry.push_back(path_json({p}));
            for (const auto& line : f.lines)
                geometry.push_back(path_json(line));
            for (const auto& polygon : f.polygons)
                for (const auto& ring : polygon)
                    geometry.push_back(path_json(ring));
            features.push_back({{"id", f.id ? nlohmann::json(*f.id) : nlohmann::json(nullptr)},
                                {"type", static_cast<int>(f.type)},
                                {"properties", properties},
                                {"geometry", geometry}});
        }
        out_layers.push_back({{"name", layer.name},
                              {"version", layer.version.value_or(1)},
                              {"extent", layer.extent.value_or(4096)},
                              {"features", features}});
    }
    return {{"layers", out_layers}};
}

std::string first_differences(const nlohmann::json& expected, const nlohmann::json& actual,
                              std::size_t max_count)
{
    const auto patch = nlohmann::json::diff(expected, actual);
    std::string text;
    for (std::size_t i = 0; i < patch.size() && i < max_count; ++i) {
        std::string op = patch[i].dump();
        if (op.size() > 300)
            op = op.substr(0, 300) + "...";
        text += op + "\n";
    }
    if (patch.size() > max_count)
        text += "... " + std::to_string(patch.size() - max_count) + " more\n";
    return text;
}

}  // namespace lantern::test
