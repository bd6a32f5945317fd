#pragma once
// Flood risk for a city (docs/flood.md): terrain hydrology, river and sea
// stages, gauge hydrographs, rainfall screening of the drainage network, and
// the exposure of parcels, buildings, roads and heritage sites. Every run
// writes its results into the city's results store in one transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

struct HydrologyOptions {
    // Cells whose accumulation reaches this many cells are streams.
    std::uint32_t stream_threshold = 1000;
    bool log = true;  // a line per step on stderr, naming its method
};

// Fills the DEM, derives flow directions, accumulation, streams, HAND and
// watersheds, and stores them as the rasters dem_filled, flow_dir, flow_acc,
// streams, hand and watersheds. Returns a JSON summary.
nlohmann::json run_hydrology(core::Storage& storage, const HydrologyOptions& options);

// A water level at the river gauge, metres above the national datum.
struct Stage {
    double level = 0;
    std::string label;  // the preset's name ("alarm III"), empty for a number
};

struct GaugePreset {
    std::string key;  // what users type: alarm-1, ..., record-1964
    Stage stage;
    std::string note;
};

// The Hoi An gauge's alarm levels and flood record (data/hoian/FACTS.md).
const std::vector<GaugePreset>& gauge_presets();

// A stage as users write it: a number of metres or a preset key. Throws
// UsageError.
Stage parse_stage(const std::string& text);

// The suffix results of a stage carry: 2 -> "2.0m", 3.45 -> "3.45m".
std::string stage_suffix(double level);

struct RainOptions {
    double intensity_mm_per_h = 0;
    double duration_min = 60;
};

struct FloodOptions {
    std::vector<Stage> stages;
    std::optional<std::string> hydrograph;  // CSV of time, level at the gauge
    std::optional<RainOptions> rain;
    // A flood map per scenario; with several scenarios the scenario's suffix
    // is added to the file name (map.png -> map_2.0m.png).
    std::optional<std::string> png;  // .png, .pdf or .svg
    int png_width = 1600;
    std::optional<core::Bounds> png_bounds;  // in the city CRS; default: the city
    // The maps on a printed page (a4-landscape, ...: core::paper_layout) at
    // `dpi` (0: 96, or 150 on a page), rather than an image `png_width` wide.
    std::optional<std::string> layout;
    double dpi = 0;
    // Every scenario's map and the flood totals by ward in one PDF, on the
    // layout's paper (default A4 landscape).
    std::optional<std::string> atlas;
    bool log = true;  // a line per step on stderr, naming its method
};

// Runs the scenarios, stores their results and draws the maps. Returns the
// JSON summary ({"scenarios": [...]}) the CLI prints.
nlohmann::json run_flood(core::Storage& storage, const FloodOptions& options);

}  // namespace lantern::layers
