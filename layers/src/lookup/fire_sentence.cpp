#include "fire_sentence.hpp"

#include <cmath>

#include <lantern/core/base/numbers.hpp>

namespace lantern::layers::detail {

namespace {

// A number as each language writes it: whole, or to one decimal ("2.5",
// "2,5" in Vietnamese).
std::string decimal(double value, bool vi)
{
    double tenths = std::round(value * 10) / 10;
    auto text = core::fixed_text(tenths, tenths == std::round(tenths) ? 0 : 1);
    if (vi)
        for (auto& c : text)
            if (c == '.')
                c = ',';
    return text;
}

std::string stage_text(double level, bool vi)
{
    auto text = core::fixed_text(level, 1);
    if (vi)
        for (auto& c : text)
            if (c == '.')
                c = ',';
    return text + " m";
}

// Metres to the nearest 10 ("80 m"), or "less than 10 m".
std::string metres(double m, bool vi)
{
    double tens = std::round(m / 10) * 10;
    if (tens < 10)
        return vi ? "dưới 10 m" : "less than 10 m";
    return core::fixed_text(tens, 0) + " m";
}

bool same_minutes(double a, double b)
{
    return std::round(a / 60) == std::round(b / 60);
}

// Whole minutes ("6 min", "less than 1 min").
std::string minutes_en(double seconds)
{
    double whole = std::round(seconds / 60);
    return whole < 1 ? "less than 1 min" : core::fixed_text(whole, 0) + " min";
}

std::string minutes_vi(double seconds)
{
    double whole = std::round(seconds / 60);
    return whole < 1 ? "dưới 1 phút" : core::fixed_text(whole, 0) + " phút";
}

}  // namespace

FireSentences fire_sentences(const FireFacts& f)
{
    FireSentences s;
    bool reached = f.time_s && !f.unreachable;
    if (reached) {
        s.en = "fire station " + minutes_en(*f.time_s) + " by road";
        s.vi = "đội PCCC " + minutes_vi(*f.time_s) + " theo đường bộ";
    } else {
        s.en = "no fire engine can reach it";
        s.vi = "không xe chữa cháy nào tiếp cận được";
    }
    if (f.stage_m) {
        s.en += " with the river at " + stage_text(*f.stage_m, false);
        s.vi += " khi nước sông ở mức " + stage_text(*f.stage_m, true);
        // The dry season's time where the flood changes what is said.
        if (f.dry_time_s && (!reached || !same_minutes(*f.time_s, *f.dry_time_s))) {
            s.en += " (" + minutes_en(*f.dry_time_s) + (reached ? "" : " by road") + " in the dry season)";
            s.vi += " (" + minutes_vi(*f.dry_time_s) + (reached ? "" : " theo đường bộ") + " vào mùa khô)";
        }
    }
    // The hose to the whole metre: rounded to 10 m a run just over the
    // reach would read as within it.
    if (reached && f.beyond_hose && f.hose_m) {
        auto run = core::fixed_text(std::round(*f.hose_m), 0) + " m";
        s.en += ", but the hose must run " + run;
        s.vi += ", nhưng vòi chữa cháy phải kéo " + run;
    }
    if (f.hydrant_m && !f.no_hydrant) {
        s.en += ", nearest working hydrant " + metres(*f.hydrant_m, false) + " along the street";
        s.vi += ", trụ nước chữa cháy hoạt động gần nhất cách " + metres(*f.hydrant_m, true) + " theo đường phố";
    } else {
        s.en += ", no working hydrant within " + decimal(f.hydrant_reach_m, false) + " m";
        s.vi += ", không có trụ nước chữa cháy hoạt động trong vòng " + decimal(f.hydrant_reach_m, true) + " m";
    }
    return s;
}

}  // namespace lantern::layers::detail
