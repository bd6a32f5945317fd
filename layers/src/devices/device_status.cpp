#include <lantern/layers/device_status.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include <ogr_geometry.h>

#include <lantern/core/base/numbers.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/layers/ward_locator.hpp>

#include "../field_values.hpp"

namespace lantern::layers {

namespace {

// ISO 8601 UTC to the millisecond: several changes a second stay apart.
std::string utc_now_ms()
{
    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    auto seconds = core::utc_now();  // ...Z
    char tail[8];
    std::snprintf(tail, sizeof tail, ".%03dZ", static_cast<int>(ms));
    return seconds.substr(0, seconds.size() - 1) + tail;
}

std::string listed(const std::vector<std::string>& values)
{
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i)
        out += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
    return out;
}

const DeviceClass& find_device_class(const std::vector<DeviceClass>& classes, const std::string& name)
{
    auto it = std::find_if(classes.begin(), classes.end(), [&](const DeviceClass& c) { return c.name == name; });
    if (it == classes.end()) {
        std::vector<std::string> names;
        for (const auto& c : classes)
            names.push_back(c.name);
        throw DeviceStatusError(DeviceStatusError::Kind::not_found,
                                "no device class '" + name + "': the device classes are " + listed(names));
    }
    return *it;
}

// The id as the id field stores it; nothing when it cannot be one.
std::optional<core::Value> id_value(const core::ClassSchema& schema, const std::string& id)
{
    const auto* field = schema.field(schema.id_field);
    if (field && field->type == core::FieldType::integer) {
        auto number = core::parse_integer<std::int64_t>(id);
        if (!number)
            return std::nullopt;
        return core::Value(*number);
    }
    return core::Value(id);
}

}  // namespace

std::vector<DeviceClass> device_classes(const ClassRegistry& classes)
{
    std::vector<DeviceClass> out;
    for (const auto& c : classes.all()) {
        const auto* status = c.schema.field("status");
        if (!c.schema.id_field.empty() && status && status->type == core::FieldType::text && !status->allowed.empty())
            out.push_back({c.name(), status->allowed});
    }
    return out;
}

bool status_online(const DeviceClass& device_class, const std::string& status)
{
    return status.empty() || status == device_class.statuses.front();
}

bool status_working(const std::string& status)
{
    return status != "faulty" && status != "maintenance";
}

DeviceStatusWriter::DeviceStatusWriter(const std::string& city_path)
    : m_storage(core::open_city(city_path, core::Access::read_write))
{
}

DeviceStatusWriter::~DeviceStatusWriter() = default;

void DeviceStatusWriter::prepare()
{
    for (auto* live : {&m_cameras, &m_lighting})
        live->prepare(*m_storage);
}

StatusUpdate DeviceStatusWriter::set_status(const std::string& class_name, const std::string& device,
                                            const std::string& status, const std::string& token_name)
{
    auto& storage = *m_storage;
    auto registry = city_classes(storage);
    auto classes = device_classes(registry);
    const auto& device_class = find_device_class(classes, class_name);
    if (std::find(device_class.statuses.begin(), device_class.statuses.end(), status) == device_class.statuses.end())
        throw DeviceStatusError(DeviceStatusError::Kind::bad_status, "'" + status + "' is not a status of " +
                                                                         class_name + ": it is one of " +
                                                                         listed(device_class.statuses));
    const auto& schema = registry.get(class_name).schema;
    LiveCoverage* live = class_name == "cameras" ? &m_cameras : class_name == "lamps" ? &m_lighting : nullptr;
    auto no_device = [&] {
        return DeviceStatusError(DeviceStatusError::Kind::not_found, class_name + " has no device '" + device + "'");
    };
    auto id = id_value(schema, device);
    if (!id || !storage.has_class(class_name))
        throw no_device();

    StatusUpdate update;
    bool model_changed = false;  // the coverage model holds the change until the commit lands
    try {
        core::Transaction transaction(storage);
        auto found = storage.find(schema, schema.id_field, *id);
        if (found.empty())
            throw no_device();
        auto old = detail::text_value(found.front().values[detail::field_index(schema, "status")]);
        update.change = {utc_now_ms(), token_name, class_name, device, old, status};
        if (old != status) {
            bool coverage_current = live && live->prepare(storage);
            storage.set_value(schema, found.front().fid, "status", core::Value(status));
            auto now = core::summarize(storage, schema);
            auto record = storage.class_record(class_name).value_or(now);
            record.feature_count = now.feature_count;
            record.checksum = now.checksum;
            record.extent = now.extent;
            storage.put_class_record(record);
            if (coverage_current) {
                model_changed = true;
                live->update(storage, device);
                update.coverage_updated = true;
            }
        }
        storage.append_status_change(update.change);
        transaction.commit();
    } catch (...) {
        // A refusal leaves the model as it was; a change rolled back after
        // the update reached it does not.
        if (model_changed)
            live->forget();
        throw;
    }
    return update;
}

// ---- the summary -----------------------------------------------------------

namespace {

struct Tally {
    std::size_t devices = 0, online = 0, working = 0;
    std::map<std::string, std::size_t> by_status;

    void add(const DeviceClass& c, const std::string& status)
    {
        ++devices;
        ++by_status[status.empty() ? "unset" : status];
        online += status_online(c, status) ? 1 : 0;
        working += status_working(status) ? 1 : 0;
    }

    nlohmann::json json() const
    {
        auto share = [&](std::size_t n) {
            return devices ? static_cast<double>(n) / static_cast<double>(devices) : 0.0;
        };
        return {{"devices", devices}, {"by_status", by_status}, {"online", online}, {"online_share", share(online)},
                {"working", working}, {"working_share", share(working)}};
    }
};

// Where a device is, for its ward: a point, or the middle of its bounds.
std::optional<core::PlanePoint> place_of(const std::vector<unsigned char>& wkb)
{
    OGRGeometry* parsed = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &parsed, wkb.size()) != OGRERR_NONE)
        return std::nullopt;
    std::unique_ptr<OGRGeometry> geometry(parsed);
    if (geometry->IsEmpty())
        return std::nullopt;
    OGREnvelope e;
    geometry->getEnvelope(&e);
    return core::PlanePoint{(e.MinX + e.MaxX) / 2, (e.MinY + e.MaxY) / 2};
}

nlohmann::json class_summary(const core::Storage& storage, const ClassDescription& description,
                             const DeviceClass& device_class, const WardLocator& wards)
{
    const auto& schema = description.schema;
    auto status_field = detail::field_index(schema, "status");
    Tally all;
    std::vector<Tally> by_ward(wards.size());
    storage.scan(schema, [&](const core::StoredFeature& f) {
        auto status = detail::text_value(f.values[status_field]);
        all.add(device_class, status);
        auto at = place_of(f.wkb);
        if (int w = at ? wards.ward_at(*at) : -1; w >= 0)
            by_ward[static_cast<std::size_t>(w)].add(device_class, status);
    });
    auto out = all.json();
    out["statuses"] = device_class.statuses;
    out["wards"] = nlohmann::json::array();
    for (std::size_t w = 0; w < by_ward.size(); ++w) {
        if (by_ward[w].devices == 0)
            continue;
        auto ward = by_ward[w].json();
        ward["ward_code"] = wards.wards()[w].code;
        ward["name"] = wards.wards()[w].name;
        out["wards"].push_back(ward);
    }
    return out;
}

// Gap stretches by road line: (road_id, part) to [from, to) along it.
struct GapStretch {
    double from, to;
};
struct RoadGaps {
    std::string name, road_class;
    std::vector<GapStretch> stretches;
};

std::optional<std::map<std::pair<std::string, std::int64_t>, RoadGaps>> read_gaps(const core::Storage& storage,
                                                                                 const core::ResultRecord& record)
{
    const auto& s = record.schema;
    for (const char* field : {"road_id", "name", "class", "part", "from_m", "to_m"})
        if (!s.field(field))
            return std::nullopt;
    std::map<std::pair<std::string, std::int64_t>, RoadGaps> out;
    auto road = detail::field_index(s, "road_id"), name = detail::field_index(s, "name"),
         cls = detail::field_index(s, "class"), part = detail::field_index(s, "part"),
         from = detail::field_index(s, "from_m"), to = detail::field_index(s, "to_m");
    storage.scan(s, [&](const core::StoredFeature& f) {
        auto key = std::make_pair(detail::text_value(f.values[road]),
                                  static_cast<std::int64_t>(detail::real_value(f.values[part]).value_or(0)));
        auto& gaps = out[key];
        gaps.name = detail::text_value(f.values[name]);
        gaps.road_class = detail::text_value(f.values[cls]);
        gaps.stretches.push_back({detail::real_value(f.values[from]).value_or(0),
                                  detail::real_value(f.values[to]).value_or(0)});
    });
    return out;
}

double overlap(const std::vector<GapStretch>& a, const std::vector<GapStretch>& b)
{
    double total = 0;
    for (const auto& x : a)
        for (const auto& y : b)
            total += std::max(0.0, std::min(x.to, y.to) - std::max(x.from, y.from));
    return total;
}

double total_length(const std::map<std::pair<std::string, std::int64_t>, RoadGaps>& gaps)
{
    double total = 0;
    for (const auto& [key, road] : gaps)
        for (const auto& s : road.stretches)
            total += s.to - s.from;
    return total;
}

// Streets listed in the summary at most; the rest are counted.
constexpr std::size_t listed_streets = 50;

nlohmann::json street_summary(const core::Storage& storage)
{
    auto unwatched_record = storage.result_record("camera_gaps");
    auto dark_record = storage.result_record("lighting_gaps");
    if (!unwatched_record || !dark_record)
        return {{"available", false},
                {"why", "needs the camera_gaps and lighting_gaps results: lantern coverage " + storage.location() +
                            " cameras, and lighting"}};
    auto unwatched = read_gaps(storage, *unwatched_record);
    auto dark = read_gaps(storage, *dark_record);
    if (!unwatched || !dark)
        return {{"available", false},
                {"why", "the gaps were stored by an older lantern coverage: run it again for cameras and lighting"}};
    struct Street {
        double length = 0;
        std::string road_class;
    };
    std::map<std::string, Street> streets;
    double both = 0;
    for (const auto& [key, road] : *dark) {
        auto other = unwatched->find(key);
        if (other == unwatched->end())
            continue;
        double length = overlap(road.stretches, other->second.stretches);
        if (length <= 0)
            continue;
        both += length;
        auto& street = streets[road.name.empty() ? key.first : road.name];
        street.length += length;
        street.road_class = road.road_class;
    }
    std::vector<std::pair<std::string, Street>> sorted(streets.begin(), streets.end());
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.second.length > b.second.length; });
    auto list = nlohmann::json::array();
    for (std::size_t i = 0; i < sorted.size() && i < listed_streets; ++i)
        list.push_back({{"street", sorted[i].first},
                        {"class", sorted[i].second.road_class},
                        {"length_m", sorted[i].second.length}});
    return {{"available", true},
            {"current", core::stale_reasons(storage, *unwatched_record).empty() &&
                            core::stale_reasons(storage, *dark_record).empty()},
            {"unwatched_m", total_length(*unwatched)},
            {"dark_m", total_length(*dark)},
            {"dark_and_unwatched_m", both},
            {"streets_dark_and_unwatched", streets.size()},
            {"streets", list}};
}

}  // namespace

nlohmann::json device_summary(const core::Storage& storage)
{
    auto registry = city_classes(storage);
    auto wards = WardLocator::read(storage);
    nlohmann::json out = {{"classes", nlohmann::json::object()}};
    for (const auto& device_class : device_classes(registry))
        if (storage.has_class(device_class.name) && storage.class_record(device_class.name))
            out["classes"][device_class.name] =
                class_summary(storage, registry.get(device_class.name), device_class, wards);
    out["streets"] = street_summary(storage);
    return out;
}

}  // namespace lantern::layers
