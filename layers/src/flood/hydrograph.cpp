// Gauge hydrographs from CSV (docs/flood.md): a header line naming a time
// column (time, datetime or hours) and a level column (level_m or level),
// then one reading per line. Times are hours since the start or ISO 8601
// date-times (2025-10-28T06:00); lines starting with '#' are comments.

#include "flood_internal.hpp"

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::layers::flood {

namespace {

std::vector<std::string> split_csv_line(const std::string& line)
{
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream in(line);
    while (std::getline(in, cell, ',')) {
        cell.erase(0, cell.find_first_not_of(" \t\r\""));
        cell.erase(cell.find_last_not_of(" \t\r\"") + 1);
        cells.push_back(cell);
    }
    return cells;
}

int column(const std::vector<std::string>& header, const std::vector<std::string>& names)
{
    for (std::size_t i = 0; i < header.size(); ++i)
        for (const auto& n : names)
            if (header[i] == n)
                return static_cast<int>(i);
    return -1;
}

// Seconds since the epoch of an ISO 8601 date-time in UTC, or nothing.
std::optional<double> parse_date_time(const std::string& text)
{
    std::tm tm{};
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    char sep = 0;
    int fields = std::sscanf(text.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &year, &month, &day, &sep,
                             &hour, &minute, &second);
    if (fields < 6 || (sep != 'T' && sep != ' '))
        return std::nullopt;
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return static_cast<double>(timegm(&tm));
}

}  // namespace

Hydrograph read_hydrograph(const std::string& path)
{
    core::require_source_file(path);
    std::ifstream in(path);
    if (!in)
        throw core::FileError(path + ": cannot read");
    Hydrograph h;
    h.name = std::filesystem::path(path).stem().string();
    std::string line;
    int line_number = 0, time_col = -1, level_col = -1;
    std::optional<double> first_epoch;
    bool dates = false;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#')
            continue;
        auto cells = split_csv_line(line);
        std::string where = path + ": line " + std::to_string(line_number);
        if (time_col < 0) {
            time_col = column(cells, {"time", "datetime", "hours"});
            level_col = column(cells, {"level_m", "level"});
            if (time_col < 0 || level_col < 0)
                throw core::DataError(where + ": the header needs a time column (time, datetime "
                                              "or hours) and a level column (level_m or level)");
            continue;
        }
        if (static_cast<int>(cells.size()) <= std::max(time_col, level_col))
            throw core::DataError(where + ": fewer fields than the header names");
        const std::string& time_text = cells[static_cast<std::size_t>(time_col)];
        const std::string& level_text = cells[static_cast<std::size_t>(level_col)];
        auto level = core::parse_number(level_text);
        if (!level || *level < -50 || *level > 100)
            throw core::DataError(where + ": field level: '" + level_text +
                                  "' is not a water level in metres");
        auto hours = core::parse_number(time_text);
        if (!hours) {
            auto epoch = parse_date_time(time_text);
            if (!epoch)
                throw core::DataError(where + ": field time: '" + time_text +
                                      "' is neither hours nor a date-time like 2025-10-28T06:00");
            if (!first_epoch) {
                first_epoch = epoch;
                h.start = time_text;
                dates = true;
            }
            hours = (*epoch - *first_epoch) / 3600.0;
        } else if (dates) {
            throw core::DataError(where + ": field time: mixes hours with date-times");
        }
        if (!h.hours.empty() && *hours <= h.hours.back())
            throw core::DataError(where + ": field time: '" + time_text +
                                  "' is not after the reading before it");
        h.hours.push_back(*hours);
        h.levels.push_back(*level);
    }
    if (h.hours.size() < 2)
        throw core::DataError(path + ": a hydrograph needs at least two readings");
    return h;
}

}  // namespace lantern::layers::flood
