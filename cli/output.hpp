#pragma once
// Printing helpers shared by the commands.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <lantern/core/base/report.hpp>
#include <lantern/core/crs/crs.hpp>

namespace lantern::cli {

void print_json(const nlohmann::json& j);
nlohmann::json bounds_json(const std::optional<core::Bounds>& b);
std::string bounds_text(const core::Bounds& b, int decimals);
// Parses --bounds WEST,SOUTH,EAST,NORTH in degrees; throws UsageError.
core::Bounds parse_lonlat_bounds(const std::string& text);
// Prints up to max_lines issues to stderr, each on one line.
void print_issues(const core::Report& report, std::size_t max_lines = 20);

}  // namespace lantern::cli
