// Runoff coefficients of the rational method by land use (docs/flood.md):
// typical values of rational-method tables for the surface each Vietnamese
// land-use code stands for; a city calibrates them against its gauges.

#include "flood_internal.hpp"

#include <map>

namespace lantern::layers::flood {

const RunoffTable& runoff_table()
{
    static const RunoffTable table = [] {
        RunoffTable t;
        t.by_land_use = {
            {"ODT", 0.75}, {"ONT", 0.55}, {"TMD", 0.85}, {"SKC", 0.85}, {"SKK", 0.85}, {"SKN", 0.80},
            {"DGD", 0.60}, {"DYT", 0.65}, {"DVH", 0.65}, {"DXH", 0.65}, {"DTT", 0.35}, {"DKH", 0.65},
            {"TSC", 0.75}, {"DTS", 0.75}, {"CQP", 0.60}, {"CAN", 0.60}, {"DGT", 0.85}, {"DDT", 0.70},
            {"DDL", 0.50}, {"TON", 0.70}, {"TIN", 0.70}, {"DSH", 0.70}, {"DCH", 0.80}, {"DRA", 0.40},
            {"NTD", 0.30}, {"DKV", 0.25}, {"DNL", 0.60}, {"DBV", 0.60}, {"DTL", 0.30},
            {"LUC", 0.20}, {"LUK", 0.20}, {"LUN", 0.20}, {"BHK", 0.25}, {"NHK", 0.25}, {"CLN", 0.25},
            {"RSX", 0.15}, {"RPH", 0.15}, {"RDD", 0.15}, {"NTS", 0.10}, {"LMU", 0.15}, {"NKH", 0.30},
            {"SON", 1.00}, {"MNC", 1.00}, {"PNK", 0.30}, {"BCS", 0.30}, {"DCS", 0.30}, {"NCS", 0.20},
        };
        return t;
    }();
    return table;
}

double RunoffTable::for_land_use(const std::string& code) const
{
    auto it = by_land_use.find(code);
    return it == by_land_use.end() ? other_land_use : it->second;
}

}  // namespace lantern::layers::flood
