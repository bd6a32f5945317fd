#pragma once
// Results the city records but cannot read now: a raster result whose file
// is missing or damaged beside the database. The server leaves such a result
// out and says so (the lookup's and the catalog's "unavailable"), with the
// command that computes it again, and answers everything else.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

struct UnavailableResult {
    std::string result;
    std::string problem;    // e.g. "...: the file of raster flood_depth_2.0m is missing"
    std::string recompute;  // e.g. "lantern flood /srv/city/hoian.sqlite"
};

// The command that computes the result again: its analysis on the city.
std::string recompute_command(const core::Storage& storage, const core::ResultRecord& record);

// The result as unavailable, for the problem met reading it.
UnavailableResult unavailable(const core::Storage& storage, const core::ResultRecord& record,
                              std::string problem);

// Every raster result whose file cannot be opened (its cells are not read:
// damage inside a file that opens is found by lantern validate).
std::vector<UnavailableResult> unavailable_results(const core::Storage& storage);

// [{"result", "problem", "recompute"}, ...]
nlohmann::json to_json(const std::vector<UnavailableResult>& list);

}  // namespace lantern::layers
