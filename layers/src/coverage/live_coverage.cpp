// LiveCoverage: a network's coverage updated after one device's status
// changed (coverage.hpp).

#include "coverage_internal.hpp"

#include <algorithm>

#include <lantern/core/storage/results.hpp>

namespace lantern::layers {

using namespace coverage;

struct LiveCoverage::Model {
    // What the stored results were computed from; the model is kept while
    // they are the same.
    std::vector<core::ResultInput> inputs;
    CityLayers city;
    core::Occluders buildings;
    std::vector<Device> devices;
    std::vector<Footprint> footprints;
    MeasureOptions options;

    Model(const core::Storage& storage, CoverageNetwork network, const core::ResultRecord& record)
        : inputs(record.inputs), city(read_city_layers(storage, network, 0)), buildings(city.buildings),
          devices(read_devices(storage, network, city)),
          footprints(compute_footprints(devices, buildings, network, 0))
    {
        options.min_gap_m = record.parameters.value("min_gap_m", options.min_gap_m);
        options.min_blind_spot_m2 = record.parameters.value("min_blind_spot_m2", options.min_blind_spot_m2);
    }
};

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
    auto was = std::find_if(m.devices.begin(), m.devices.end(), [&](const Device& d) { return d.id == id; });
    auto now = read_device(storage, m_network, m.city, id);
    const auto footprint_name = footprint_result(m_network);
    if (was == m.devices.end() && !now) {
        // Out of service before and after (offline to faulty): nothing covered changes.
        edit.keep(footprint_name);
        for (const auto& name : measure_results(m_network))
            edit.keep(name);
    } else {
        if (was != m.devices.end()) {
            m.footprints.erase(m.footprints.begin() + (was - m.devices.begin()));
            m.devices.erase(was);
        }
        edit.remove(footprint_name, footprint_device_field(m_network), core::Value(id));
        if (now) {
            auto footprint = compute_footprints({*now}, m.buildings, m_network, 1);
            m.devices.push_back(*now);
            m.footprints.push_back(std::move(footprint.front()));
            ResultSinks add = [&](const std::string& name, const std::string&, core::ClassSchema) -> core::FeatureSink& {
                return edit.add(name);
            };
            add_footprint_results(add, {m.devices.back()}, {m.footprints.back()}, m_network);
        } else {
            edit.keep(footprint_name);
        }
        auto measure = measure_coverage(m.city, m.devices, m.footprints, m_network, m.options);
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
