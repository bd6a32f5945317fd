// Flood maps a planner can paste into a report: shaded terrain, the
// scenario's depths (or arrival times) in colour, water, ward boundaries,
// streets and heritage sites, and a legend with the scenario and the run.

#include "flood_internal.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/render/render.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/map_pages.hpp>
#include <lantern/layers/map_styles.hpp>

namespace lantern::layers::flood {

namespace {

const std::vector<core::Rgba>& depth_colours()
{
    // Light to dark blue, one per depth band.
    static const std::vector<core::Rgba> colours = {
        {189, 222, 255, 235}, {107, 174, 236, 235}, {33, 113, 201, 235}, {8, 48, 130, 235}};
    return colours;
}

struct ArrivalBand {
    double from, to;
    core::Rgba colour;
};

// Early water in dark red, late water in yellow: what to evacuate first.
std::vector<ArrivalBand> arrival_bands(double hours)
{
    const std::vector<core::Rgba> colours = {
        {165, 0, 38, 230}, {215, 48, 39, 230}, {244, 109, 67, 230}, {253, 174, 97, 230},
        {254, 224, 139, 230}, {255, 255, 191, 230}};
    double step = hours <= 24 ? 4 : (hours <= 48 ? 8 : 12);
    std::vector<ArrivalBand> bands;
    for (std::size_t i = 0; i < colours.size(); ++i) {
        double from = static_cast<double>(i) * step;
        bool last = i + 1 == colours.size();
        bands.push_back({from, last ? 1e9 : from + step, colours[i]});
        if (from + step >= hours)
            break;
    }
    return bands;
}

// An overlay of a raster result the run stored.
core::RasterOverlay stored_overlay(const core::Storage& storage, const std::string& name)
{
    auto record = storage.result_record(name);
    if (!record || record->kind != core::ResultKind::raster)
        throw core::Error("the result " + name + " was not stored");
    core::RasterOverlay overlay;
    overlay.raster = name;
    return overlay;
}

std::string run_time_line()
{
    std::string now = core::utc_now();  // 2026-11-27T10:55:01Z
    return "Run " + now.substr(0, 10) + " " + now.substr(11, 5) + " UTC";
}


// A scenario's map: its overlay, its legend, and on a printed page when asked.
core::RenderOptions flood_map_options(const core::Storage& storage, const nlohmann::json& scenario,
                                      const FloodOptions& options)
{
    core::RenderOptions render;
    render.width = options.png_width;
    render.classes = {"dem", "water", "wards", "roads", "heritage_sites"};
    render.bounds = options.png_bounds;
    if (!render.bounds && storage.has_class("wards"))
        render.bounds = storage.extent("wards");
    render.scale_bar = true;
    render.north_arrow = true;
    render.labels = map_labels();

    core::Legend legend;
    const std::string city = storage.city().name;
    const std::string kind = scenario["kind"];
    if (kind == "hydrograph") {
        double hours = scenario["hours"];
        auto arrival = stored_overlay(storage, scenario["arrival_raster"]);
        legend.title = city + ": when the flood arrives";
        legend.lines = {"Hydrograph " + scenario["hydrograph"].get<std::string>() + ", peak " +
                            core::fixed_text(scenario["peak_m"], 2) + " m after " +
                            core::fixed_text(scenario["peak_hours"], 0) + " h",
                        scenario["start"].get<std::string>().empty()
                            ? std::string("Hours from the first reading")
                            : "Hours from " + scenario["start"].get<std::string>(),
                        run_time_line()};
        for (const auto& band : arrival_bands(hours)) {
            arrival.bands.push_back({band.from, band.to, band.colour});
            legend.entries.push_back({band.to > 1e8 ? "after " + core::fixed_text(band.from, 0) + " h"
                                                     : core::fixed_text(band.from, 0) + "-" +
                                                           core::fixed_text(band.to, 0) + " h",
                                      band.colour, {}});
        }
        render.overlays.push_back(arrival);
    } else {
        auto depth = stored_overlay(storage, scenario["depth_raster"]);
        const auto& bands = depth_bands();
        for (std::size_t i = 0; i < bands.size(); ++i) {
            depth.bands.push_back({i == 0 ? 1e-6 : bands[i].from, bands[i].to, depth_colours()[i]});
            legend.entries.push_back({bands[i].label + " (" + bands[i].risk + ")", depth_colours()[i], {}});
        }
        render.overlays.push_back(depth);
        if (kind == "stage") {
            std::string label = scenario["label"];
            legend.title = city + ": flood depth at " + core::fixed_text(scenario["stage_m"], 2) + " m" +
                           (label.empty() ? "" : " (" + label + ")");
            legend.lines = {"Water level at the river gauge, metres above datum",
                            "Land joined to the river or sea below that level", run_time_line()};
        } else {
            legend.title = city + ": ponding in a storm of " +
                           core::general_text(scenario["intensity_mm_per_h"]) + " mm/h for " +
                           core::general_text(scenario["duration_min"]) + " min";
            legend.lines = {"Rational method and Manning full-flow pipes (screening)", run_time_line()};
        }
    }
    for (const auto& style : map_styles()) {
        if (style.class_name == "water")
            legend.entries.push_back({"open water", style.fill, style.stroke});
        if (style.class_name == "wards")
            legend.entries.push_back({"ward boundary", {0, 0, 0, 0}, style.stroke});
        if (style.class_name == "heritage_sites")
            legend.entries.push_back({"heritage site", style.fill, style.stroke});
    }
    render.legend = legend;
    if (options.layout || options.atlas)
        print_on(render, options.layout.value_or("a4-landscape"), storage);
    render.dpi = options.dpi > 0 ? options.dpi : render.layout ? 150 : 96;
    return render;
}

std::string number_cell(double value, int decimals)
{
    return core::fixed_text(value, decimals);
}

// The flood totals of every scenario by ward, as a table: a row per ward,
// flooded hectares and buildings per scenario. Where wards have been
// reorganised into units, each unit's row (bold) adds up its former wards,
// listed (indented) under it; a ward without a unit keeps its place.
core::TablePage ward_totals(const core::Storage& storage, const nlohmann::json& scenarios)
{
    core::TablePage table;
    table.title = storage.city().name + ": flooded land and buildings by ward";
    table.header = {"Ward"};
    struct Row {
        std::string name, unit_code, unit_name;
        std::vector<double> cells;  // per scenario: hectares, buildings
    };
    std::vector<std::string> order;  // ward codes, as the first scenario lists them
    std::map<std::string, Row> rows;
    auto text = [](const nlohmann::json& ward, const char* key) {
        return ward.contains(key) && ward[key].is_string() ? ward[key].get<std::string>() : std::string();
    };
    for (const auto& scenario : scenarios) {
        if (!scenario.contains("exposure"))
            continue;
        std::string suffix = scenario["suffix"];
        table.header.push_back(suffix + " ha");
        table.header.push_back(suffix + " buildings");
        for (const auto& ward : scenario["exposure"]["wards"]) {
            std::string code = ward["ward_code"];
            auto [it, added] = rows.try_emplace(code, Row{text(ward, "name"), text(ward, "unit_code"),
                                                          text(ward, "unit_name"), {}});
            if (added)
                order.push_back(code);
            it->second.cells.push_back(ward["flooded_ha"].get<double>());
            it->second.cells.push_back(ward["buildings"].get<double>());
        }
    }
    auto cells = [](const std::string& name, const std::vector<double>& values) {
        std::vector<std::string> out = {name};
        for (std::size_t k = 0; k < values.size(); ++k)
            out.push_back(k % 2 == 0 ? number_cell(values[k], 2) : number_cell(values[k], 0));
        return out;
    };
    std::set<std::string> units_listed;
    bool grouped = false;
    for (const auto& code : order) {
        const auto& row = rows[code];
        if (row.unit_code.empty()) {
            table.rows.push_back(cells(row.name, row.cells));
            continue;
        }
        if (!units_listed.insert(row.unit_code).second)
            continue;  // listed under its unit already
        grouped = true;
        std::vector<double> total(row.cells.size(), 0.0);
        std::vector<std::string> members;
        for (const auto& other : order)
            if (rows[other].unit_code == row.unit_code) {
                members.push_back(other);
                for (std::size_t k = 0; k < total.size() && k < rows[other].cells.size(); ++k)
                    total[k] += rows[other].cells[k];
            }
        table.bold_rows.push_back(table.rows.size());
        std::string unit = row.unit_name.empty() ? row.unit_code : row.unit_name;
        table.rows.push_back(cells(unit, total));
        if (members.size() == 1 && rows[members.front()].name == unit)
            continue;  // a ward left as it was: its unit's line says it all
        for (const auto& member : members) {
            table.indented_rows.push_back(table.rows.size());
            table.rows.push_back(cells(rows[member].name, rows[member].cells));
        }
    }
    table.notes = {"ha: hectares of land flooded in the ward; buildings: buildings standing in the water "
                   "(docs/flood.md). Scenarios by their suffix: a stage in metres at the Hội An gauge, or a "
                   "hydrograph or storm by name."};
    if (grouped)
        table.notes.push_back("In bold, the administrative units in force now, each the total of the former wards "
                              "listed under it, which land records still name (docs/wards.md).");
    return table;
}

}  // namespace

void draw_flood_map(const core::Storage& storage, const nlohmann::json& scenario, const std::string& path,
                    const FloodOptions& options)
{
    auto render = flood_map_options(storage, scenario, options);
    render.path = path;
    core::render_overview(storage, feature_classes(), map_styles(), render);
}

int draw_flood_atlas(const core::Storage& storage, const nlohmann::json& scenarios, const std::string& path,
                     const FloodOptions& options)
{
    core::MapBook book(path, core::paper_layout(options.layout.value_or("a4-landscape")),
                       options.dpi > 0 ? options.dpi : 150);
    for (const auto& scenario : scenarios)
        book.add_map(storage, feature_classes(), map_styles(), flood_map_options(storage, scenario, options));
    auto table = ward_totals(storage, scenarios);
    if (!table.rows.empty())
        book.add_table(table);
    book.finish();
    return book.pages();
}

}  // namespace lantern::layers::flood
