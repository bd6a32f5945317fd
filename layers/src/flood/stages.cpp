// River stages: the Hoi An gauge's presets and how stages name their results.

#include <lantern/layers/flood.hpp>

#include <cmath>
#include <cstdio>
#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>

namespace lantern::layers {

const std::vector<GaugePreset>& gauge_presets()
{
    // Thu Bon at the Hoi An gauge, metres above the national datum.
    static const std::vector<GaugePreset> presets = {
        {"alarm-1", {1.0, "alarm I"}, "alarm level I"},
        {"alarm-2", {1.5, "alarm II"}, "alarm level II"},
        {"alarm-3", {2.0, "alarm III"}, "alarm level III; floods the Ancient Town's riverside"},
        {"record-1964", {3.4, "1964 record"}, "the 1964 flood, matched in October 2025"},
    };
    return presets;
}

Stage parse_stage(const std::string& text)
{
    for (const auto& p : gauge_presets())
        if (p.key == text)
            return p.stage;
    auto level = core::parse_number(text);
    if (!level || *level < -50 || *level > 100) {
        std::string keys;
        for (const auto& p : gauge_presets())
            keys += (keys.empty() ? "" : ", ") + p.key;
        throw core::UsageError("'" + text + "' is not a water level in metres (-50 to 100) or a preset (" +
                               keys + ")");
    }
    return {*level, ""};
}

std::string stage_suffix(double level)
{
    std::string s = core::fixed_text(level, 2);
    if (s.back() == '0')
        s.pop_back();
    return s + "m";
}

}  // namespace lantern::layers
