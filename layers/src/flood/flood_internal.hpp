#pragma once
// The flood analysis's parts, private to layers/src/flood.

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/io/grid_vector.hpp>
#include <lantern/core/raster/grid.hpp>
#include <lantern/core/schema/schema.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/flood.hpp>
#include <lantern/layers/ward_locator.hpp>

#include "../field_values.hpp"

namespace lantern::layers::flood {

using detail::field_index;
using detail::real_value;
using detail::text_value;

// The city's DEM as a grid; throws DataError when the city has none.
core::FloatGrid load_dem(const core::Storage& storage);

// 1 on cells whose centre lies in a water feature of a kind that is open
// water at any stage (river, sea, canal, lagoon), 0 elsewhere.
core::Grid<std::uint8_t> open_water(const core::Storage& storage, const core::GridFrame& frame);
const std::vector<std::string>& open_water_kinds();

// The wards: a feature's or sample's ward from the WardLocator, and for the
// flooded land of each ward the ward holding each cell's centre.
struct WardIndex {
    WardLocator locator;
    core::Grid<std::int32_t> cells;  // ward index + 1 at the cell's centre, 0 outside every ward
    // The ward at a map point, or -1.
    int ward_at(double x, double y) const { return locator.ward_at({x, y}); }
};
WardIndex index_wards(const core::Storage& storage, const core::GridFrame& frame);

// Depth bands of extent polygons and risk classes (docs/flood.md).
struct DepthBand {
    double from;
    double to;
    std::string label;  // "0-0.3 m"
    std::string risk;   // "low", "moderate", "high", "very high"
};
const std::vector<DepthBand>& depth_bands();
// The band index of a positive depth.
int depth_band(double depth);

// One flood scenario's grids, sharing the DEM's frame. depth is NaN where
// dry; the timing grids exist for hydrographs.
struct ScenarioGrids {
    const core::FloatGrid* depth = nullptr;
    const core::FloatGrid* arrival_hours = nullptr;
    const core::FloatGrid* duration_hours = nullptr;
};

// The exposure of parcels, buildings, roads and heritage sites and the ward
// totals, written as the results flood_<class>_<suffix> and
// flood_wards_<suffix> (prefix "flood" or "rain"). Returns the JSON summary.
nlohmann::json assess_exposure(const core::Storage& storage, core::ResultBatch& batch,
                               const ScenarioGrids& grids, const WardIndex& wards,
                               const std::string& prefix, const std::string& suffix);

// The classes exposure reads, for the results' inputs.
const std::vector<std::string>& exposure_classes();

// Writes a float grid as a raster result.
void add_raster_result(core::ResultBatch& batch, const std::string& name,
                       const std::string& description, const std::string& unit,
                       const core::FloatGrid& grid);

// Polygons of the depth bands (flooded land) as a feature result.
void add_extent_result(core::ResultBatch& batch, const std::string& name, const core::FloatGrid& depth,
                       double stage);

// Polygons of the low-lying pockets as a feature result; returns their area in m².
double add_pockets_result(core::ResultBatch& batch, const std::string& name,
                          const core::Grid<std::uint8_t>& pockets, const core::FloatGrid& dem, double stage);

// Points found by where they are, within `reach` metres: the node a pipe's
// end joins, whether a pipe end reaches a node. A grid of squares of the
// reach, so that a point within it lies in the 3 x 3 squares round a place.
class SnapIndex {
public:
    explicit SnapIndex(double reach) : m_reach(reach) {}

    void add(double x, double y, std::size_t id) { m_cells[cell(x, y)].push_back({x, y, id}); }

    // The id of the nearest point within reach (of points equally near, the
    // one met last), or none.
    std::optional<std::size_t> nearest(double x, double y) const
    {
        auto [cx, cy] = cell(x, y);
        std::optional<std::size_t> best;
        double best_d = m_reach;
        for (long dx = -1; dx <= 1; ++dx)
            for (long dy = -1; dy <= 1; ++dy) {
                auto it = m_cells.find({cx + dx, cy + dy});
                if (it == m_cells.end())
                    continue;
                for (const auto& p : it->second)
                    if (double d = std::hypot(p.x - x, p.y - y); d <= best_d) {
                        best_d = d;
                        best = p.id;
                    }
            }
        return best;
    }

private:
    struct Point {
        double x, y;
        std::size_t id;
    };
    std::pair<long, long> cell(double x, double y) const
    {
        return {std::lround(std::floor(x / m_reach)), std::lround(std::floor(y / m_reach))};
    }

    double m_reach;
    std::map<std::pair<long, long>, std::vector<Point>> m_cells;
};

// Gauge readings from a CSV of time and level (docs/flood.md).
struct Hydrograph {
    std::vector<double> hours;
    std::vector<double> levels;
    std::string start;  // the first reading's time as written, when times are dates
    std::string name;   // the file's stem, for result names
};
Hydrograph read_hydrograph(const std::string& path);

// Runoff coefficients of the rational method (runoff.cpp, docs/flood.md).
struct RunoffTable {
    std::map<std::string, double> by_land_use;
    double other_land_use = 0.50;  // a code the table does not list
    double buildings = 0.90;       // roofs
    double roads = 0.85;           // paved streets
    double unmapped = 0.30;        // ground no parcel covers: sand, verges
    double for_land_use(const std::string& code) const;
};
const RunoffTable& runoff_table();

// Rainfall screening of the drainage network (rain.cpp): catchments, pipe
// loads and ponding, with the ponded depth's exposure. Returns the summary.
nlohmann::json run_rain(const core::Storage& storage, core::ResultBatch& batch, const core::FloatGrid& dem,
                        const WardIndex& wards, const RainOptions& rain, bool log);

// Draws a scenario's flood map (flood_map.cpp) from its stored results.
void draw_flood_map(const core::Storage& storage, const nlohmann::json& scenario, const std::string& path,
                    const FloodOptions& options);

// Draws every scenario's map and the totals by ward into one PDF; returns its
// number of pages.
int draw_flood_atlas(const core::Storage& storage, const nlohmann::json& scenarios, const std::string& path,
                     const FloodOptions& options);

}  // namespace lantern::layers::flood
