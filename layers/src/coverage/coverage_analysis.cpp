// lantern coverage: the run, the what-if and the placement (docs/coverage.md).

#include "coverage_internal.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <set>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/geometry/ring_measure.hpp>

namespace lantern::layers {

std::string to_string(CoverageNetwork network)
{
    return network == CoverageNetwork::cameras ? "cameras" : "lighting";
}

CoverageNetwork parse_coverage_network(const std::string& text)
{
    if (text == "cameras")
        return CoverageNetwork::cameras;
    if (text == "lighting")
        return CoverageNetwork::lighting;
    throw core::UsageError("unknown network '" + text + "': cameras or lighting");
}

PlacementObjective parse_placement_objective(const std::string& text)
{
    if (text == "roads")
        return PlacementObjective::roads;
    if (text == "heritage")
        return PlacementObjective::heritage;
    throw core::UsageError("unknown objective '" + text + "': roads or heritage");
}

namespace coverage {

namespace {

// Logs each step on stderr with the time since the start, and keeps each
// step's own duration for the summary (benchmarks read them).
class StepLog {
public:
    explicit StepLog(bool on) : m_on(on) {}

    void operator()(const std::string& step, const std::string& what)
    {
        auto now = std::chrono::steady_clock::now();
        m_steps[step] = std::chrono::duration<double>(now - m_last).count();
        m_last = now;
        if (m_on)
            std::cerr << "coverage: " << what << " ("
                      << static_cast<int>(std::chrono::duration<double>(now - m_start).count() * 1000)
                      << " ms)\n";
    }

    double seconds() const
    {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    }

    const nlohmann::json& steps() const { return m_steps; }

private:
    bool m_on;
    std::chrono::steady_clock::time_point m_start = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point m_last = m_start;
    nlohmann::json m_steps = nlohmann::json::object();
};

nlohmann::json device_summary(const std::vector<Device>& devices, const std::vector<Footprint>& footprints,
                              CoverageNetwork network)
{
    double area = 0;
    std::size_t empty = 0;
    std::map<std::string, std::size_t> by_kind;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        ++by_kind[network == CoverageNetwork::cameras ? devices[i].kind : devices[i].lighting_class];
        if (footprints[i].empty())
            ++empty;
        else
            area += std::abs(core::ring_area(footprints[i].outer()));
    }
    return {{"counted", devices.size()},
            {network == CoverageNetwork::cameras ? "by_purpose" : "by_lighting_class", by_kind},
            {"seeing_nothing", empty},
            {"footprint_area_m2", area}};
}

// The numbers a what-if compares.
nlohmann::json headline(const nlohmann::json& summary, CoverageNetwork network)
{
    nlohmann::json h = {{"road_covered_m", summary["roads"]["covered_m"]},
                        {"road_covered_share", summary["roads"]["covered_share"]},
                        {"parcel_covered_m2", summary["parcels"]["covered_m2"]},
                        {"parcel_covered_share", summary["parcels"]["covered_share"]},
                        {"gap_m", summary["roads"]["gap_m"]}};
    if (network == CoverageNetwork::cameras) {
        double zone_area = 0, zone_covered = 0;
        for (const auto& z : summary["heritage_zones"]) {
            zone_area += z["total_m2"].get<double>();
            zone_covered += z["covered_m2"].get<double>();
        }
        h["heritage_zone_covered_m2"] = zone_covered;
        h["heritage_zone_covered_share"] = zone_area > 0 ? zone_covered / zone_area : 0;
        h["heritage_sites_covered"] = summary["heritage_sites"]["covered"];
    }
    return h;
}

nlohmann::json change_between(const nlohmann::json& before, const nlohmann::json& after)
{
    nlohmann::json change;
    for (const auto& [key, value] : after.items())
        change[key] = value.get<double>() - before[key].get<double>();
    return change;
}

void add_lonlat(nlohmann::json& sites, const core::Storage& storage)
{
    core::Transform to_wgs84(core::Crs::from_user(storage.city().crs), core::Crs::wgs84());
    for (auto& site : sites) {
        double x = site["x"], y = site["y"];
        to_wgs84.apply(x, y);
        site["lon"] = x;
        site["lat"] = y;
    }
}

std::string device_class(CoverageNetwork network)
{
    return network == CoverageNetwork::cameras ? "cameras" : "lamps";
}

}  // namespace

}  // namespace coverage

nlohmann::json run_coverage(core::Storage& storage, const CoverageOptions& options)
{
    using namespace coverage;
    const auto network = options.network;
    if (options.suggest > 0 && network != CoverageNetwork::cameras)
        throw core::UsageError("new sites are suggested for cameras, not for " + device_class(network));
    if (options.candidates && options.suggest == 0)
        throw core::UsageError(*options.candidates + ": candidate sites without a number of sites to suggest");
    StepLog log(options.log);

    auto city = read_city_layers(storage, network, options.threads);
    auto devices = read_devices(storage, network, city);
    log("read", "read " + std::to_string(devices.size()) + " " + device_class(network) + " in service, " +
        std::to_string(city.buildings.size()) + " building footprints, " + std::to_string(city.roads.size()) +
        " roads");
    core::Occluders buildings(city.buildings);
    auto footprints = compute_footprints(devices, buildings, network, options.threads);
    log("footprints", "footprints: angular sweep over the building edges in range of each device");

    MeasureOptions measure_options;
    measure_options.min_gap_m = options.min_gap_m;
    measure_options.min_blind_spot_m2 = options.min_blind_spot_m2;
    measure_options.threads = options.threads;
    auto measure = measure_coverage(city, devices, footprints, network, measure_options);
    log("measure", "measured roads, heritage and parcels");

    nlohmann::json summary = {{"network", to_string(network)},
                              {"devices", device_summary(devices, footprints, network)}};
    for (const auto& [key, value] : measure.summary.items())
        summary[key] = value;

    const bool what_if = !options.off.empty() || options.add.has_value();
    std::vector<Device> scenario_devices;
    std::vector<Footprint> scenario_footprints;
    CoverageMeasure scenario_measure;
    if (what_if) {
        // The scenario keeps every footprint it can: only added devices are swept.
        std::set<std::string> off(options.off.begin(), options.off.end());
        std::set<std::string> known;
        for (const auto& d : devices)
            known.insert(d.id);
        for (const auto& id : off)
            if (!known.count(id))
                throw core::UsageError("switched off: no " + device_class(network) + " in service has the id '" +
                                       id + "'");
        for (std::size_t i = 0; i < devices.size(); ++i)
            if (!off.count(devices[i].id)) {
                scenario_devices.push_back(devices[i]);
                scenario_footprints.push_back(footprints[i]);
            }
        std::vector<Device> added;
        if (options.add)
            added = read_device_file(storage, *options.add, network, city);
        auto added_footprints = compute_footprints(added, buildings, network, options.threads);
        for (std::size_t i = 0; i < added.size(); ++i) {
            scenario_devices.push_back(added[i]);
            scenario_footprints.push_back(std::move(added_footprints[i]));
        }
        scenario_measure = measure_coverage(city, scenario_devices, scenario_footprints, network, measure_options);
        log("what_if",
            "what-if: " + std::to_string(off.size()) + " off, " + std::to_string(added.size()) + " added");
        auto before = headline(measure.summary, network);
        auto after = headline(scenario_measure.summary, network);
        summary["what_if"] = {{"off", options.off},
                              {"added", added.size()},
                              {"footprints_computed", added.size()},
                              {"footprints_reused", scenario_devices.size() - added.size()},
                              {"before", before},
                              {"after", after},
                              {"change", change_between(before, after)}};
    }

    std::vector<Device> suggested;
    std::vector<Footprint> suggested_footprints;
    if (options.suggest > 0) {
        auto candidates = options.candidates ? read_device_file(storage, *options.candidates, network, city)
                                             : junction_candidates(city);
        if (candidates.empty())
            throw core::DataError(options.candidates ? *options.candidates + ": no candidate sites"
                                                     : std::string("the roads have no junctions to place cameras at"));
        auto placement = suggest_sites(city, what_if ? scenario_footprints : footprints, std::move(candidates),
                                       buildings, options);
        add_lonlat(placement.summary["sites"], storage);
        summary["suggest"] = placement.summary;
        suggested = std::move(placement.chosen);
        suggested_footprints = std::move(placement.chosen_footprints);
        log("placement", "placement: " + std::to_string(suggested.size()) + " sites chosen");
    }

    if (!what_if && options.suggest == 0) {
        std::vector<std::string> inputs = {device_class(network)};
        for (const auto& name : city.classes_read)
            inputs.push_back(name);
        nlohmann::json parameters = {{"network", to_string(network)},
                                     {"min_gap_m", options.min_gap_m},
                                     {"min_blind_spot_m2", options.min_blind_spot_m2}};
        core::ResultBatch batch(storage, "coverage", parameters, core::current_inputs(storage, inputs));
        ResultSinks sinks = [&](const std::string& name, const std::string& description,
                                core::ClassSchema schema) -> core::FeatureSink& {
            return batch.add_features(name, description, std::move(schema));
        };
        add_footprint_results(sinks, devices, footprints, network);
        add_measure_results(sinks, city, measure, network);
        auto records = batch.commit();
        summary["results"] = nlohmann::json::array();
        for (const auto& r : records)
            summary["results"].push_back(r.name);
        log("store", "stored " + std::to_string(records.size()) + " results");
    } else {
        summary["results"] = nlohmann::json::array();  // what-if and placement store nothing
    }

    if (options.png) {
        draw_coverage_map(storage, what_if ? scenario_devices : devices,
                          what_if ? scenario_footprints : footprints, what_if ? scenario_measure : measure,
                          network, suggested, suggested_footprints, options);
        summary["png"] = *options.png;
        log("map", "drew " + *options.png);
    }
    summary["seconds"] = log.seconds();
    summary["step_seconds"] = log.steps();
    return summary;
}

}  // namespace lantern::layers
