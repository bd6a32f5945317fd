#pragma once
// The lookup's sentence on a building's fire access (docs/api.md), in
// English and Vietnamese, from its fire_access row (docs/fire.md): "fire
// station 6 min by road, nearest working hydrant 80 m along the street".
// Minutes are rounded to whole ones and metres to 10 m; under half a minute
// or 5 m it says "less than 1 min" or "less than 10 m". Where an engine
// gets there but the hose must run beyond its reach, it says how far, to
// the metre ("but the hose must run 103 m").

#include <optional>
#include <string>

namespace lantern::layers::detail {

// What the sentence says, as the fire_access row holds it.
struct FireFacts {
    std::optional<double> time_s;     // none: no engine reaches it
    std::optional<double> hydrant_m;  // none: no working hydrant on its streets
    std::optional<double> hose_m;
    bool unreachable = false;
    bool beyond_hose = false;
    bool no_hydrant = false;
    std::optional<double> stage_m;     // the river stage of the run, none in the dry season
    std::optional<double> dry_time_s;  // at a stage: the time in the dry season
    double hydrant_reach_m = 150;      // the run's parameter
};

struct FireSentences {
    std::string en, vi;
};

FireSentences fire_sentences(const FireFacts& facts);

}  // namespace lantern::layers::detail
