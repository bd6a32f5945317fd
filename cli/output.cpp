#include "output.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>

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
    // Comma-separated numbers; spaces around each one allowed, as "%lf" allowed them.
    std::vector<std::optional<double>> numbers;
    for (std::size_t start = 0; start <= text.size();) {
        auto end = std::min(text.find(',', start), text.size());
        auto first = text.find_first_not_of(' ', start), last = text.find_last_not_of(' ', end - 1);
        std::optional<double> number;
        if (first < end)
            number = core::parse_number(std::string_view(text).substr(first, last + 1 - first));
        numbers.push_back(number);
        start = end + 1;
    }
    bool ok = numbers.size() == 4 &&
              std::all_of(numbers.begin(), numbers.end(), [](const auto& n) { return n.has_value(); });
    if (!ok || *numbers[0] >= *numbers[2] || *numbers[1] >= *numbers[3])
        throw core::UsageError("--bounds must be WEST,SOUTH,EAST,NORTH in degrees (got '" + text +
                               "')");
    return {*numbers[0], *numbers[1], *numbers[2], *numbers[3]};
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
