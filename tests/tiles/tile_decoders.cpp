#include "tiles/tile_decoders.hpp"

#include <catch2/catch.hpp>

#include <type_traits>
#include <variant>

#include "support/node_script.hpp"

namespace lantern::test {

namespace {

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
    auto decoded = run_node_script("decode_tile.mjs", mvt_files, {"@mapbox/vector-tile", "pbf"});
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
