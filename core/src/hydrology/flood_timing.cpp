// What a hydrograph does to each cell, from its flood threshold. The level is
// linear between readings, so per threshold the answers are: the first time
// the level rises above it (the first reading above it, from prefix maxima,
// then interpolation back along the segment that crosses it), the hours spent
// above it (piecewise linear in the threshold, tabulated at the reading levels)
// and the peak. A cell costs two binary searches over the readings.

#include <lantern/core/hydrology/inundation.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/parallel.hpp>

#include <lantern/core/raster/grid_checks.hpp>

namespace lantern::core {

namespace {

void require_hydrograph(const std::vector<GaugeReading>& readings)
{
    if (readings.size() < 2)
        throw UsageError("flood timing: a hydrograph needs at least two readings, got " +
                         std::to_string(readings.size()));
    for (std::size_t i = 0; i < readings.size(); ++i) {
        if (!std::isfinite(readings[i].hours) || !std::isfinite(readings[i].level))
            throw UsageError("flood timing: reading " + std::to_string(i + 1) + " is not a number");
        if (i > 0 && !(readings[i].hours > readings[i - 1].hours))
            throw UsageError("flood timing: reading " + std::to_string(i + 1) +
                             " is not later than the one before; readings must be in time order");
    }
}

class Hydrograph {
public:
    explicit Hydrograph(const std::vector<GaugeReading>& readings) : m_readings(readings)
    {
        require_hydrograph(readings);
        double peak = readings.front().level;
        for (const auto& r : readings) {
            peak = std::max(peak, r.level);
            m_peak_so_far.push_back(peak);
        }
        tabulate_durations();
    }

    double peak() const { return m_peak_so_far.back(); }

    // When the level first rises above the threshold; NaN if it never does.
    double arrival(double threshold) const
    {
        const auto first_above = static_cast<std::size_t>(
            std::upper_bound(m_peak_so_far.begin(), m_peak_so_far.end(), threshold) - m_peak_so_far.begin());
        if (first_above == m_readings.size())
            return std::nan("");
        if (first_above == 0)
            return m_readings.front().hours;
        // The reading before is at or below the threshold, this one above.
        const GaugeReading& a = m_readings[first_above - 1];
        const GaugeReading& b = m_readings[first_above];
        return a.hours + (threshold - a.level) / (b.level - a.level) * (b.hours - a.hours);
    }

    // Hours the level spends above the threshold.
    double duration(double threshold) const
    {
        if (threshold < m_levels.front())
            return m_total_hours;
        const auto m = static_cast<std::size_t>(
            std::upper_bound(m_levels.begin(), m_levels.end(), threshold) - m_levels.begin() - 1);
        const double hours = m_hours_above[m] - m_hours_lost_per_unit[m] * (threshold - m_levels[m]);
        return std::clamp(hours, 0.0, m_total_hours);
    }

private:
    // Per segment between readings, the hours above a threshold are its whole
    // length below its lower end, nothing from its upper end, and linear in
    // between. Summed over segments: linear between consecutive distinct
    // reading levels, dropping at a level where a segment stays flat.
    void tabulate_durations()
    {
        for (const auto& r : m_readings)
            m_levels.push_back(r.level);
        std::sort(m_levels.begin(), m_levels.end());
        m_levels.erase(std::unique(m_levels.begin(), m_levels.end()), m_levels.end());
        const std::size_t count = m_levels.size();
        auto level_index = [&](double level) {
            return static_cast<std::size_t>(std::lower_bound(m_levels.begin(), m_levels.end(), level) -
                                            m_levels.begin());
        };

        std::vector<double> rate_change(count + 1, 0);  // hours lost per unit rise, as differences
        std::vector<double> flat_hours(count, 0);       // hours of flat segments at each level
        for (std::size_t s = 0; s + 1 < m_readings.size(); ++s) {
            const double low = std::min(m_readings[s].level, m_readings[s + 1].level);
            const double high = std::max(m_readings[s].level, m_readings[s + 1].level);
            const double hours = m_readings[s + 1].hours - m_readings[s].hours;
            if (high == low) {
                flat_hours[level_index(low)] += hours;
                continue;
            }
            const double rate = hours / (high - low);
            rate_change[level_index(low)] += rate;
            rate_change[level_index(high)] -= rate;
        }
        m_hours_lost_per_unit.assign(count, 0);
        double rate = 0;
        for (std::size_t m = 0; m < count; ++m) {
            rate += rate_change[m];
            m_hours_lost_per_unit[m] = std::max(rate, 0.0);
        }
        m_hours_lost_per_unit[count - 1] = 0;  // nothing is above the highest level
        // From the top down, so the table is a sum of non-negative parts.
        m_hours_above.assign(count, 0);
        for (std::size_t m = count - 1; m-- > 0;)
            m_hours_above[m] = m_hours_above[m + 1] + flat_hours[m + 1] +
                               m_hours_lost_per_unit[m] * (m_levels[m + 1] - m_levels[m]);
        m_total_hours = m_readings.back().hours - m_readings.front().hours;
    }

    const std::vector<GaugeReading>& m_readings;
    std::vector<double> m_peak_so_far;          // per reading, the highest level up to it
    std::vector<double> m_levels;               // the distinct reading levels, ascending
    std::vector<double> m_hours_above;          // per level, the hours above a threshold at it
    std::vector<double> m_hours_lost_per_unit;  // per level, the slope up to the next level
    double m_total_hours = 0;
};

}  // namespace

FloodTiming flood_timing(const FloatGrid& dem, const FloatGrid& threshold, const std::vector<GaugeReading>& readings)
{
    require_same_cells(dem, threshold, "flood_timing");
    const Hydrograph hydrograph(readings);
    FloodTiming timing{FloatGrid(dem.frame, no_data), FloatGrid(dem.frame, no_data), FloatGrid(dem.frame, no_data)};
    const double peak = hydrograph.peak();
    parallel_for_chunks(dem.cells(), [&](std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            const float t = threshold[i];
            if (is_no_data(dem[i]) || !floods(t, peak))
                continue;
            timing.arrival_hours[i] = static_cast<float>(hydrograph.arrival(t));
            timing.duration_hours[i] = static_cast<float>(hydrograph.duration(t));
            timing.max_depth[i] = static_cast<float>(peak - static_cast<double>(dem[i]));
        }
    });
    return timing;
}

}  // namespace lantern::core
