// LiveCoverage: a network's coverage updated after one device's status
// changed (coverage.hpp).

#include "coverage_internal.hpp"

#include <algorithm>

#include <lantern/core/geometry/ring_measure.hpp>
#include <lantern/core/storage/results.hpp>

namespace lantern::layers {

using namespace coverage;

struct LiveCoverage::Model {
    // What the stored results were computed from; the model is kept while
    // they are the same.
    std::vector<core::ResultInput> inputs;
    CityLayers city;
    core::Occluders buildings;
    // The devices in service and their footprints, by slot; a device out
    // of service leaves its slot vacant (an empty id) for the next to come.
    std::vector<Device> devices;
    std::vector<Footprint> footprints;
    std::unique_ptr<CoverageMeasurer> measurer;

    Model(const core::Storage& storage, CoverageNetwork network, const core::ResultRecord& record)
        : inputs(record.inputs), city(read_city_layers(storage, network, 0)), buildings(city.buildings),
          devices(read_devices(storage, network, city)),
          footprints(compute_footprints(devices, buildings, network, 0))
    {
        MeasureOptions options;
        options.min_gap_m = record.parameters.value("min_gap_m", options.min_gap_m);
        options.min_blind_spot_m2 = record.parameters.value("min_blind_spot_m2", options.min_blind_spot_m2);
        measurer = std::make_unique<CoverageMeasurer>(city, network, options);
        measurer->measure(devices, footprints);
    }

    std::optional<std::size_t> slot_of(const std::string& id) const
    {
        auto it = std::find_if(devices.begin(), devices.end(), [&](const Device& d) { return d.id == id; });
        return it == devices.end() ? std::nullopt : std::optional<std::size_t>(it - devices.begin());
    }

    std::size_t vacant_slot()
    {
        auto it = std::find_if(devices.begin(), devices.end(), [](const Device& d) { return d.id.empty(); });
        if (it != devices.end())
            return static_cast<std::size_t>(it - devices.begin());
        devices.emplace_back();
        footprints.emplace_back();
        return devices.size() - 1;
    }
};

namespace {

// The box of what a footprint reaches, added to `where`.
void add_reach(core::Bounds& where, const Footprint& footprint)
{
    if (footprint.empty())
        return;
    where.expand(core::ring_bounds(footprint.outer()));
}

}  // namespace

LiveCoverage::LiveCoverage(CoverageNetwork network) : m_network(network) {}
LiveCoverage::~LiveCoverage() = default;

void LiveCoverage::forget()
{
    m_model.reset();
}

bool LiveCoverage::prepare(const core::Storage& storage)
{
    auto names = measure_results(m_network);
    names.push_back(footprint_result(m_network));
    std::optional<core::ResultRecord> footprints;
    for (const auto& name : names) {
        auto record = storage.result_record(name);
        if (!record || !core::stale_reasons(storage, *record).empty())
            return false;
        // Gaps stored before they had their place along the road are
        // refreshed by a run of lantern coverage, not here.
        if (name.ends_with("_gaps") && !record->schema.field("to_m"))
            return false;
        if (name == footprint_result(m_network))
            footprints = std::move(record);
    }
    auto same_inputs = [&](const std::vector<core::ResultInput>& inputs) {
        return std::equal(inputs.begin(), inputs.end(), footprints->inputs.begin(), footprints->inputs.end(),
                          [](const core::ResultInput& a, const core::ResultInput& b) {
                              return a.name == b.name && a.checksum == b.checksum;
                          });
    };
    if (!m_model || !same_inputs(m_model->inputs))
        m_model = std::make_unique<Model>(storage, m_network, *footprints);
    return true;
}

void LiveCoverage::update(core::Storage& storage, const std::string& id)
{
    auto& m = *m_model;
    core::ResultEdit edit(storage);
    auto was = m.slot_of(id);
    auto now = read_device(storage, m_network, m.city, id);
    const auto footprint_name = footprint_result(m_network);
    if (!was && !now) {
        // Out of service before and after (offline to faulty): nothing covered changes.
        edit.keep(footprint_name);
        for (const auto& name : measure_results(m_network))
            edit.keep(name);
    } else {
        core::Bounds where{1e300, 1e300, -1e300, -1e300};  // meets nothing until a reach is added
        std::vector<std::size_t> changed;
        if (was) {
            add_reach(where, m.footprints[*was]);
            m.devices[*was] = {};
            m.footprints[*was] = {};
            changed.push_back(*was);
        }
        edit.remove(footprint_name, footprint_device_field(m_network), core::Value(id));
        if (now) {
            auto slot = was ? *was : m.vacant_slot();
            m.footprints[slot] = std::move(compute_footprints({*now}, m.buildings, m_network, 1).front());
            m.devices[slot] = std::move(*now);
            add_reach(where, m.footprints[slot]);
            changed.push_back(slot);
            ResultSinks add = [&](const std::string& name, const std::string&, core::ClassSchema) -> core::FeatureSink& {
                return edit.add(name);
            };
            add_footprint_results(add, {m.devices[slot]}, {m.footprints[slot]}, m_network);
        } else {
            edit.keep(footprint_name);
        }
        auto measure = m.measurer->measure_again(m.devices, m.footprints, changed, where);
        ResultSinks replace = [&](const std::string& name, const std::string&, core::ClassSchema) -> core::FeatureSink& {
            edit.clear(name);
            return edit.add(name);
        };
        add_measure_results(replace, m.city, measure, m_network);
    }
    for (const auto& record : edit.finish())
        if (record.name == footprint_name)
            m.inputs = record.inputs;
}

}  // namespace lantern::layers
