#include "output.hpp"

#include <cstdio>
#include <iostream>

#include <lantern/core/base/error.hpp>

namespace lantern::cli {

void print_json(const nlohmann::json& j)
{
    std::cout << j.dump(2) << '\n';
}

nlohmann::json bounds_json(const std::optional<core::Bounds>& b)
{
    if (!b)
        return nullptr;
    return nlohmann::json::array({b->min_x, b->min_y, b->max_x, b->max_y});
}

std::string bounds_text(const core::Bounds& b, int decimals)
{
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.*f, %.*f .. %.*f, %.*f", decimals, b.min_x, decimals, b.min_y,
                  decimals, b.max_x, decimals, b.max_y);
    return buf;
}

core::Bounds parse_lonlat_bounds(const std::string& text)
{
    core::Bounds b;
    char extra = 0;
    if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf%c", &b.min_x, &b.min_y, &b.max_x, &b.max_y,
                    &extra) != 4 ||
        b.min_x >= b.max_x || b.min_y >= b.max_y)
        throw core::UsageError("--bounds must be WEST,SOUTH,EAST,NORTH in degrees (got '" + text +
                               "')");
    return b;
}

void print_issues(const core::Report& report, std::size_t max_lines)
{
    std::size_t shown = 0;
    for (const auto& issue : report.issues()) {
        if (shown++ == max_lines) {
            std::cerr << "lantern: ... " << report.issues().size() - max_lines
                      << " more (use --json for all)\n";
            break;
        }
        std::cerr << "lantern: " << (issue.severity == core::Severity::error ? "error: " : "")
                  << issue.to_text() << '\n';
    }
}

}  // namespace lantern::cli
