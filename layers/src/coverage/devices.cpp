// Cameras and lamps as the coverage analysis sees them: which ones count,
// the defaults for what the data leaves out, and each lamp's lighting class.

#include "coverage_internal.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/io/vector_source.hpp>
#include <lantern/layers/catalogue.hpp>

#include "../field_values.hpp"

namespace lantern::layers::coverage {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

// Within this distance a lamp lights the road; farther out it counts as
// lighting no road in particular (class P6).
constexpr double lamp_road_search_m = 30;

using BoxPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<BoxPoint>;

double segment_distance(PlanePoint p, PlanePoint a, PlanePoint b)
{
    double dx = b.x - a.x, dy = b.y - a.y;
    double length_squared = dx * dx + dy * dy;
    double t = length_squared > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length_squared, 0.0, 1.0) : 0;
    return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// The road segments behind an R-tree, to find the road nearest a lamp.
class RoadSegments {
public:
    explicit RoadSegments(const std::vector<RoadLine>& roads) : m_roads(roads)
    {
        std::vector<std::pair<Box, Entry>> boxes;
        for (std::size_t r = 0; r < roads.size(); ++r)
            for (std::size_t part = 0; part < roads[r].parts.size(); ++part) {
                const auto& points = roads[r].parts[part];
                for (std::size_t i = 0; i + 1 < points.size(); ++i) {
                    const auto& a = points[i];
                    const auto& b = points[i + 1];
                    Box box{{std::min(a.x, b.x), std::min(a.y, b.y)}, {std::max(a.x, b.x), std::max(a.y, b.y)}};
                    boxes.push_back({box, Entry{r, a, b}});
                }
            }
        m_tree = Tree(boxes.begin(), boxes.end());
    }

    // The road nearest p within max_distance, or nothing.
    const RoadLine* nearest(PlanePoint p, double max_distance) const
    {
        Box around{{p.x - max_distance, p.y - max_distance}, {p.x + max_distance, p.y + max_distance}};
        const RoadLine* best = nullptr;
        double best_distance = max_distance;
        for (auto it = m_tree.qbegin(bgi::intersects(around)); it != m_tree.qend(); ++it) {
            double d = segment_distance(p, it->second.a, it->second.b);
            if (d <= best_distance) {
                best_distance = d;
                best = &m_roads[it->second.road];
            }
        }
        return best;
    }

private:
    struct Entry {
        std::size_t road;
        PlanePoint a, b;
    };
    using Tree = bgi::rtree<std::pair<Box, Entry>, bgi::rstar<16>>;
    const std::vector<RoadLine>& m_roads;
    Tree m_tree;
};

void assign_lighting_class(Device& lamp, const RoadSegments& roads)
{
    const auto* road = roads.nearest(lamp.at, lamp_road_search_m);
    const auto& cls = lighting_class_for(road ? road->road_class : std::string());
    lamp.lighting_class = cls.name;
    lamp.threshold_lux = cls.minimum_lux;
}

bool counts(const std::string& status, CoverageNetwork network)
{
    if (status.empty())
        return true;
    return network == CoverageNetwork::cameras ? status == "online" : status == "on";
}

// One device from a stored or file feature's values, by field name.
struct DeviceValues {
    std::function<std::string(const std::string&)> text;
    std::function<std::optional<double>(const std::string&)> number;
};

Device make_device(const DeviceValues& v, PlanePoint at, CoverageNetwork network)
{
    Device d;
    d.at = at;
    if (network == CoverageNetwork::cameras) {
        d.id = v.text("camera_id");
        d.kind = v.text("purpose").empty() ? "security" : v.text("purpose");
        d.heading_deg = v.number("heading_deg").value_or(0);
        d.fov_deg = v.number("fov_deg").value_or(90);
        d.range_m = v.number("range_m").value_or(50);
        d.resolution_px = v.number("resolution_px").value_or(default_resolution_px(d.kind));
    } else {
        d.id = v.text("lamp_id");
        d.kind = v.text("lamp_type").empty() ? "LED" : v.text("lamp_type");
        d.height_m = v.number("height_m").value_or(8);
        // 120 lm/W, typical of LED street lanterns, when only the power is known.
        d.lumens = v.number("lumens").value_or(v.number("power_w").value_or(60) * 120);
    }
    return d;
}

// The stored device as the analysis counts it; nothing when its status
// leaves it out or it has no point.
std::optional<Device> stored_device(const core::ClassSchema& schema, const core::StoredFeature& f,
                                    CoverageNetwork network, const RoadSegments& roads)
{
    DeviceValues v;
    v.text = [&](const std::string& field) { return detail::text_value(f.values[detail::field_index(schema, field)]); };
    v.number = [&](const std::string& field) {
        return detail::real_value(f.values[detail::field_index(schema, field)]);
    };
    if (!counts(v.text("status"), network))
        return std::nullopt;
    auto at = point_of(f.wkb);
    if (!at)
        return std::nullopt;
    auto device = make_device(v, *at, network);
    if (network == CoverageNetwork::lighting)
        assign_lighting_class(device, roads);
    return device;
}

const core::ClassSchema& device_schema(const core::Storage& storage, CoverageNetwork network)
{
    const std::string name = network == CoverageNetwork::cameras ? "cameras" : "lamps";
    if (!storage.has_class(name) || !storage.class_record(name))
        throw core::DataError(storage.location() + ": the city has no " + name, core::Choice::missing_class);
    return feature_class(name);
}

}  // namespace

double default_resolution_px(const std::string& purpose)
{
    // Common models per use: 4 MP traffic cameras, 1080p security and fire
    // cameras, 720p cameras that shops and residents share.
    if (purpose == "traffic")
        return 2688;
    if (purpose == "socialised")
        return 1280;
    return 1920;
}

const std::vector<LightingClass>& lighting_classes()
{
    static const std::vector<LightingClass> classes = {
        {"P1", 15.0, 3.0}, {"P2", 10.0, 2.0}, {"P3", 7.5, 1.5},
        {"P4", 5.0, 1.0},  {"P5", 3.0, 0.6},  {"P6", 2.0, 0.4},
    };
    return classes;
}

const LightingClass& lighting_class_for(const std::string& road_class)
{
    const auto& c = lighting_classes();
    static const std::map<std::string, std::size_t> by_road = {
        {"motorway", 0}, {"trunk", 0},        {"primary", 0},      {"secondary", 0},
        {"tertiary", 1}, {"unclassified", 1}, {"bridge", 1},       {"residential", 2},
        {"living_street", 2}, {"service", 2}, {"pedestrian", 3},   {"alley", 3},
        {"footway", 3},  {"cycleway", 3},     {"path", 3},         {"track", 4},
    };
    auto it = by_road.find(road_class);
    return c[it == by_road.end() ? 5 : it->second];
}

std::vector<Device> read_devices(const core::Storage& storage, CoverageNetwork network, const CityLayers& city)
{
    const auto& schema = device_schema(storage, network);
    RoadSegments roads(city.roads);
    std::vector<Device> devices;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        if (auto device = stored_device(schema, f, network, roads))
            devices.push_back(std::move(*device));
    });
    return devices;
}

std::optional<Device> read_device(const core::Storage& storage, CoverageNetwork network, const CityLayers& city,
                                  const std::string& id)
{
    const auto& schema = device_schema(storage, network);
    auto found = storage.find(schema, schema.id_field, core::Value(id));
    if (found.empty())
        return std::nullopt;
    RoadSegments roads(city.roads);
    return stored_device(schema, found.front(), network, roads);
}

std::vector<Device> read_device_file(const core::Storage& storage, const std::string& path,
                                     CoverageNetwork network, const CityLayers& city)
{
    core::VectorSource source({path, "", {}});
    auto& layer = source.layer();
    auto city_crs = core::Crs::from_user(storage.city().crs);
    auto file_crs = source.crs().value_or(core::Crs::wgs84());
    core::Transform to_city(file_crs, city_crs);
    RoadSegments roads(city.roads);
    const auto* defn = layer.GetLayerDefn();
    std::vector<Device> devices;
    layer.ResetReading();
    std::int64_t number = 0;
    for (auto& feature : layer) {
        ++number;
        std::string where = path + ", feature " + std::to_string(number);
        auto* geometry = feature->GetGeometryRef();
        if (!geometry || wkbFlatten(geometry->getGeometryType()) != wkbPoint)
            throw core::DataError(where + ": the geometry must be a point");
        double x = geometry->toPoint()->getX(), y = geometry->toPoint()->getY();
        to_city.apply(x, y);
        DeviceValues v;
        v.text = [&](const std::string& field) {
            int i = defn->GetFieldIndex(field.c_str());
            return i >= 0 && feature->IsFieldSetAndNotNull(i) ? std::string(feature->GetFieldAsString(i))
                                                               : std::string();
        };
        v.number = [&](const std::string& field) -> std::optional<double> {
            int i = defn->GetFieldIndex(field.c_str());
            if (i < 0 || !feature->IsFieldSetAndNotNull(i))
                return std::nullopt;
            std::string text = feature->GetFieldAsString(i);
            auto value = core::parse_number(text);
            if (!value)
                throw core::DataError(where + ", field " + field + ": '" + text + "' is not a number");
            return *value;
        };
        auto device = make_device(v, {x, y}, network);
        if (device.id.empty())
            device.id = (network == CoverageNetwork::cameras ? "new-C-" : "new-L-") + std::to_string(number);
        if (device.fov_deg <= 0 || device.fov_deg > 360)
            throw core::DataError(where + ", field fov_deg: must be above 0 and at most 360");
        if (device.range_m < 0 || device.resolution_px < 0 || device.height_m < 0 || device.lumens < 0)
            throw core::DataError(where + ": range_m, resolution_px, height_m and lumens must not be negative");
        device.added = true;
        if (network == CoverageNetwork::lighting)
            assign_lighting_class(device, roads);
        devices.push_back(std::move(device));
    }
    return devices;
}

}  // namespace lantern::layers::coverage
