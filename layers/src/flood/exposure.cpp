// Exposure: what a flood scenario does to parcels, buildings, roads and
// heritage sites, feature by feature, and the totals per ward. Each feature
// is sampled on a lattice of half the DEM's cell (docs/flood.md), so a shop-
// house narrower than a cell still gets its share.

#include "flood_internal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/catalogue.hpp>

#include "../field_builders.hpp"

namespace lantern::layers::flood {

namespace {

struct FeatureExposure {
    double total = 0;    // area, length or count sampled
    double flooded = 0;  // of which flooded
    double depth_sum = 0;  // depth x weight over the flooded part
    double max_depth = 0;
    float first_flooded = std::numeric_limits<float>::infinity();
    float longest = 0;
    int ward = -1;

    double share() const { return total > 0 ? flooded / total : 0; }
    double mean_depth() const { return flooded > 0 ? depth_sum / flooded : 0; }
};

struct WardTotals {
    double flooded_m2 = 0;
    std::int64_t parcels = 0;
    std::int64_t buildings = 0;
    double road_m = 0;
    std::int64_t heritage_sites = 0;
};

core::FieldDef real_field(const std::string& name, const std::string& description)
{
    return detail::real(name, description, std::nullopt, std::nullopt);
}

core::FieldDef text_field(const std::string& name, const std::string& description)
{
    return detail::text(name, description);
}

core::FieldDef integer_field(const std::string& name, const std::string& description)
{
    return detail::integer(name, description, std::nullopt, std::nullopt);
}

std::string risk_of(double max_depth)
{
    return depth_bands()[static_cast<std::size_t>(depth_band(max_depth))].risk;
}

class ExposureAssessor {
public:
    ExposureAssessor(const core::Storage& storage, core::ResultBatch& batch, const ScenarioGrids& grids,
                     const WardIndex& wards, std::string prefix, std::string suffix)
        : m_storage(storage), m_batch(batch), m_grids(grids), m_wards(wards),
          m_prefix(std::move(prefix)), m_suffix(std::move(suffix)), m_totals(wards.locator.size())
    {
    }

    nlohmann::json run()
    {
        nlohmann::json summary;
        for (const auto& name : exposure_classes())
            summary[name] = assess_class(feature_class(name));
        summary["wards"] = write_wards();
        return summary;
    }

private:
    bool timed() const { return m_grids.arrival_hours != nullptr; }

    // Adds one sample of a feature; returns whether it is flooded.
    bool add_sample(FeatureExposure& e, const core::GeometrySample& s)
    {
        const auto& frame = m_grids.depth->frame;
        e.total += s.weight;
        int col = frame.col_of(s.x), row = frame.row_of(s.y);
        if (!frame.contains(col, row))
            return false;
        std::size_t cell = frame.index(col, row);
        float depth = (*m_grids.depth)[cell];
        if (!(depth > 0))
            return false;
        e.flooded += s.weight;
        e.depth_sum += depth * s.weight;
        e.max_depth = std::max(e.max_depth, static_cast<double>(depth));
        if (timed()) {
            e.first_flooded = std::min(e.first_flooded, (*m_grids.arrival_hours)[cell]);
            e.longest = std::max(e.longest, (*m_grids.duration_hours)[cell]);
        }
        return true;
    }

    core::ClassSchema result_schema(const core::ClassSchema& source, bool has_name) const
    {
        core::ClassSchema s;
        s.name = m_prefix + "_" + source.name + "_" + m_suffix;
        s.layer = "results";
        s.description = "Flood exposure of " + source.name + " (" + m_suffix + "): the flooded ones only.";
        s.geometry = source.geometry;
        s.fields.push_back(text_field(source.id_field, source.field(source.id_field)->description));
        if (has_name)
            s.fields.push_back(text_field("name", "name"));
        s.fields.push_back(text_field("ward", "ward code"));
        s.fields.push_back(real_field("flooded_share", "flooded share of the area, length or point, 0-1"));
        if (source.geometry == core::GeometryKind::polygon)
            s.fields.push_back(real_field("flooded_m2", "flooded area, square metres"));
        if (source.geometry == core::GeometryKind::line)
            s.fields.push_back(real_field("flooded_m", "flooded length, metres"));
        s.fields.push_back(real_field("max_depth_m", "greatest water depth, metres"));
        s.fields.push_back(real_field("mean_depth_m", "mean water depth over the flooded part, metres"));
        s.fields.push_back(text_field("risk", "risk class by the greatest depth (low, moderate, high, very high)"));
        if (timed()) {
            s.fields.push_back(real_field("first_flooded_h", "hours from the hydrograph's start until the first part floods"));
            s.fields.push_back(real_field("flooded_hours", "longest time any part stays flooded, hours"));
        }
        return s;
    }

    nlohmann::json assess_class(const core::ClassSchema& schema)
    {
        nlohmann::json summary = {{"features", 0}, {"flooded", 0}};
        if (!m_storage.has_class(schema.name))
            return summary;
        bool has_name = schema.field("name") != nullptr && schema.id_field != "name";
        auto out_schema = result_schema(schema, has_name);
        auto& sink = m_batch.add_features(out_schema.name, out_schema.description, out_schema);
        std::size_t id_pos = 0, name_pos = 0;
        for (std::size_t i = 0; i < schema.fields.size(); ++i) {
            if (schema.fields[i].name == schema.id_field)
                id_pos = i;
            if (schema.fields[i].name == "name")
                name_pos = i;
        }
        const double spacing = m_grids.depth->frame.cell_x / 2;
        std::map<std::string, std::int64_t> by_risk;
        std::int64_t features = 0, flooded = 0;
        double flooded_amount = 0;
        nlohmann::json heritage = nlohmann::json::array();
        std::vector<core::Value> values;
        m_storage.scan(schema, [&](const core::StoredFeature& f) {
            ++features;
            FeatureExposure e;
            auto samples = core::sample_geometry(f.wkb, spacing);
            for (const auto& s : samples) {
                bool wet = add_sample(e, s);
                if (schema.name == "roads" && wet) {
                    int ward = m_wards.ward_at(s.x, s.y);
                    if (ward >= 0)
                        m_totals[static_cast<std::size_t>(ward)].road_m += s.weight;
                }
            }
            if (!samples.empty())
                e.ward = m_wards.ward_at(samples.front().x, samples.front().y);
            if (e.flooded <= 0)
                return;
            ++flooded;
            flooded_amount += e.flooded;
            std::string risk = risk_of(e.max_depth);
            ++by_risk[risk];
            count_in_ward(schema.name, e.ward);
            values.clear();
            values.emplace_back(text_value(f.values[id_pos]));
            if (has_name)
                values.emplace_back(text_value(f.values[name_pos]));
            const auto& wards = m_wards.locator.wards();
            values.emplace_back(e.ward >= 0 ? core::Value(wards[static_cast<std::size_t>(e.ward)].code)
                                            : core::Value());
            values.emplace_back(e.share());
            if (schema.geometry == core::GeometryKind::polygon || schema.geometry == core::GeometryKind::line)
                values.emplace_back(e.flooded);
            values.emplace_back(e.max_depth);
            values.emplace_back(e.mean_depth());
            values.emplace_back(risk);
            if (timed()) {
                values.emplace_back(static_cast<double>(e.first_flooded));
                values.emplace_back(static_cast<double>(e.longest));
            }
            sink.insert(f.wkb, values);
            if (schema.name == "heritage_sites") {
                nlohmann::json site = {{"name", text_value(f.values[name_pos])},
                                       {"max_depth_m", std::round(e.max_depth * 100) / 100},
                                       {"risk", risk}};
                if (timed())
                    site["first_flooded_h"] = std::round(e.first_flooded * 10) / 10;
                heritage.push_back(site);
            }
        });
        summary["features"] = features;
        summary["flooded"] = flooded;
        summary["by_risk"] = by_risk;
        if (schema.geometry == core::GeometryKind::polygon)
            summary["flooded_ha"] = std::round(flooded_amount / 100) / 100;
        if (schema.geometry == core::GeometryKind::line)
            summary["flooded_km"] = std::round(flooded_amount / 10) / 100;
        if (schema.name == "heritage_sites")
            summary["sites"] = heritage;
        summary["result"] = out_schema.name;
        return summary;
    }

    void count_in_ward(const std::string& class_name, int ward)
    {
        if (ward < 0)
            return;
        auto& t = m_totals[static_cast<std::size_t>(ward)];
        if (class_name == "parcels")
            ++t.parcels;
        else if (class_name == "buildings")
            ++t.buildings;
        else if (class_name == "heritage_sites")
            ++t.heritage_sites;
    }

    nlohmann::json write_wards()
    {
        nlohmann::json out = nlohmann::json::array();
        if (m_wards.locator.size() == 0)
            return out;
        const auto& depth = *m_grids.depth;
        const double cell_area = depth.frame.cell_area();
        for (std::size_t i = 0; i < depth.cells(); ++i)
            if (depth[i] > 0 && m_wards.cells[i] > 0)
                m_totals[static_cast<std::size_t>(m_wards.cells[i] - 1)].flooded_m2 += cell_area;

        core::ClassSchema s;
        s.name = m_prefix + "_wards_" + m_suffix;
        s.layer = "results";
        s.description = "Flood totals per ward (" + m_suffix + ").";
        s.geometry = core::GeometryKind::polygon;
        s.fields = {text_field("ward_code", "ward code"), text_field("name", "ward name")};
        for (auto& field : ward_unit_fields())
            s.fields.push_back(std::move(field));
        s.fields.insert(s.fields.end(), {real_field("flooded_ha", "flooded land, hectares"),
                                         integer_field("parcels", "parcels with a flooded part"),
                                         integer_field("buildings", "buildings with a flooded part"),
                                         real_field("road_km", "flooded road length, kilometres"),
                                         integer_field("heritage_sites", "heritage sites flooded")});
        auto& sink = m_batch.add_features(s.name, s.description, s);
        for (std::size_t w = 0; w < m_wards.locator.size(); ++w) {
            const auto& ward = m_wards.locator.wards()[w];
            const auto& t = m_totals[w];
            double ha = std::round(t.flooded_m2 / 100) / 100;
            double km = std::round(t.road_m / 10) / 100;
            auto unit = ward_unit_values(ward);
            sink.insert(ward.wkb, {ward.code, ward.name, unit[0], unit[1], ha, t.parcels, t.buildings, km,
                                   t.heritage_sites});
            out.push_back({{"ward_code", ward.code},
                           {"name", ward.name},
                           {"unit_code", core::value_json(unit[0])},
                           {"unit_name", core::value_json(unit[1])},
                           {"flooded_ha", ha},
                           {"parcels", t.parcels},
                           {"buildings", t.buildings},
                           {"road_km", km},
                           {"heritage_sites", t.heritage_sites}});
        }
        return out;
    }

    const core::Storage& m_storage;
    core::ResultBatch& m_batch;
    const ScenarioGrids& m_grids;
    const WardIndex& m_wards;
    std::string m_prefix;
    std::string m_suffix;
    std::vector<WardTotals> m_totals;
};

}  // namespace

const std::vector<std::string>& exposure_classes()
{
    static const std::vector<std::string> classes = {"parcels", "buildings", "roads", "heritage_sites"};
    return classes;
}

const std::vector<DepthBand>& depth_bands()
{
    static const std::vector<DepthBand> bands = {
        {0.0, 0.3, "0-0.3 m", "low"},
        {0.3, 1.0, "0.3-1 m", "moderate"},
        {1.0, 2.0, "1-2 m", "high"},
        {2.0, 1e9, "over 2 m", "very high"},
    };
    return bands;
}

int depth_band(double depth)
{
    const auto& bands = depth_bands();
    for (std::size_t i = bands.size(); i-- > 0;)
        if (depth >= bands[i].from)
            return static_cast<int>(i);
    return 0;
}

nlohmann::json assess_exposure(const core::Storage& storage, core::ResultBatch& batch,
                               const ScenarioGrids& grids, const WardIndex& wards,
                               const std::string& prefix, const std::string& suffix)
{
    return ExposureAssessor(storage, batch, grids, wards, prefix, suffix).run();
}

}  // namespace lantern::layers::flood
