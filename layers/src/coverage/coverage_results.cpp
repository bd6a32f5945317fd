// The coverage results: each device's footprint (per detail band for
// cameras), the gaps, the blind spots and the ward totals, as feature results.

#include "coverage_internal.hpp"

#include <lantern/core/coverage/coverage_models.hpp>
#include <lantern/core/geometry/ring_measure.hpp>

#include "../field_builders.hpp"
#include "../geos_ops.hpp"

namespace lantern::layers::coverage {

namespace {

using core::Value;

core::FieldDef text_field(const std::string& name, const std::string& description)
{
    return detail::text(name, description);
}

core::FieldDef real_field(const std::string& name, const std::string& description)
{
    return detail::real(name, description, std::nullopt, std::nullopt);
}

core::FieldDef integer_field(const std::string& name, const std::string& description)
{
    return detail::integer(name, description, std::nullopt, std::nullopt);
}

core::ClassSchema schema(core::GeometryKind geometry, std::vector<core::FieldDef> fields)
{
    core::ClassSchema s;
    s.layer = "results";
    s.geometry = geometry;
    s.fields = std::move(fields);
    return s;
}

std::string prefix(CoverageNetwork network)
{
    return network == CoverageNetwork::cameras ? "camera" : "lighting";
}

void add_camera_bands(const ResultSinks& sinks, const std::vector<Device>& devices,
                      const std::vector<Footprint>& footprints)
{
    auto& sink = sinks(
        "camera_coverage",
        "What each online camera sees, occluded by buildings, in EN 62676-4 detail bands: one polygon per "
        "camera and band.",
        schema(core::GeometryKind::polygon,
               {text_field("camera_id", "camera identifier"), text_field("purpose", "what the camera watches for"),
                text_field("band", "detail band: identify, recognise, observe or detect"),
                real_field("min_ppm", "pixels per metre at the band's far edge"),
                real_field("from_m", "distance from the camera where the band begins, metres"),
                real_field("to_m", "distance where it ends, metres"),
                real_field("area_m2", "area seen in the band, square metres")}));
    GeosOps geos;
    const auto& levels = core::detail_levels();
    for (std::size_t d = 0; d < devices.size(); ++d) {
        const auto& footprint = footprints[d];
        GeosOps::Geometry inner;
        double from = 0;
        for (std::size_t k = 0; k < footprint.reach.size(); ++k) {
            const auto& ring = footprint.reach[k];
            if (ring.size() < 3)
                continue;
            auto outer = geos.polygon(ring);
            auto band = inner ? geos.difference(outer.get(), inner.get()) : geos.polygon(ring);
            double area = geos.area(band.get());
            if (area > 1e-6)
                sink.insert(geos.write(band.get()),
                            {Value(devices[d].id), Value(devices[d].kind), Value(std::string(levels[k].name)),
                             Value(levels[k].min_pixels_per_metre), Value(from), Value(footprint.radii[k]),
                             Value(area)});
            from = footprint.radii[k];
            inner = std::move(outer);
        }
    }
}

void add_lit_areas(const ResultSinks& sinks, const std::vector<Device>& devices,
                   const std::vector<Footprint>& footprints)
{
    auto& sink = sinks(
        "lighting_coverage",
        "What each lamp that is on lights to the minimum illuminance of its road's lighting class, occluded by "
        "buildings.",
        schema(core::GeometryKind::polygon,
               {text_field("lamp_id", "lamp identifier"), text_field("lamp_type", "lamp type"),
                text_field("lighting_class", "EN 13201-2 class of the nearest road (P1-P6)"),
                real_field("threshold_lux", "minimum horizontal illuminance of that class, lux"),
                real_field("radius_m", "distance at which the lamp's illuminance falls to it, metres"),
                real_field("area_m2", "area lit, square metres")}));
    for (std::size_t d = 0; d < devices.size(); ++d) {
        const auto& footprint = footprints[d];
        if (footprint.empty() || footprint.outer().size() < 3)
            continue;
        const auto& lamp = devices[d];
        sink.insert(polygon_wkb(footprint.outer()),
                    {Value(lamp.id), Value(lamp.kind), Value(lamp.lighting_class), Value(lamp.threshold_lux),
                     Value(footprint.radii.front()), Value(std::abs(core::ring_area(footprint.outer())))});
    }
}

void add_gaps(const ResultSinks& sinks, const CoverageMeasure& measure, CoverageNetwork network)
{
    bool cameras = network == CoverageNetwork::cameras;
    auto& sink = sinks(
        prefix(network) + "_gaps",
        cameras ? "Road stretches no online camera sees, at least the run's minimum gap long."
                : "Road stretches no lamp that is on lights, at least the run's minimum gap long.",
        schema(core::GeometryKind::line,
               {text_field("road_id", "road identifier"), text_field("name", "street name"),
                text_field("class", "road class"), text_field("ward", "ward code at the stretch's middle"),
                real_field("length_m", "length of the stretch, metres"),
                integer_field("part", "which of the road's lines it lies on, from 0"),
                real_field("from_m", "where it starts along that line, metres"),
                real_field("to_m", "where it ends along that line, metres")}));
    for (const auto& gap : measure.gaps)
        sink.insert(line_wkb(gap.points),
                    {Value(gap.road->id), Value(gap.road->name), Value(gap.road->road_class), Value(gap.ward),
                     Value(gap.length_m), Value(static_cast<std::int64_t>(gap.part)), Value(gap.from_m),
                     Value(gap.from_m + gap.length_m)});
}

void add_blind_spots(const ResultSinks& sinks, const CoverageMeasure& measure)
{
    auto& sink = sinks(
        "camera_blind_spots", "Parts of heritage zones no online camera sees, at least the run's minimum area.",
        schema(core::GeometryKind::polygon,
               {text_field("zone_id", "heritage zone identifier"), text_field("protection", "protection zone (I, II)"),
                real_field("area_m2", "area of the blind spot, square metres")}));
    for (const auto& spot : measure.blind_spots)
        sink.insert(spot.wkb, {Value(spot.zone->id), Value(spot.zone->kind), Value(spot.area_m2)});
}

void add_wards(const ResultSinks& sinks, const CityLayers& city, const CoverageMeasure& measure,
               CoverageNetwork network)
{
    std::vector<core::FieldDef> fields = {text_field("ward_code", "ward code"), text_field("name", "ward name")};
    for (auto& field : ward_unit_fields())
        fields.push_back(std::move(field));
    fields.insert(fields.end(),
                  {integer_field("devices", "devices counted, in the ward"),
                   real_field("road_m", "road length, metres"), real_field("road_covered_m", "of which covered, metres"),
                   real_field("road_covered_share", "covered share of the road length, 0-1"),
                   real_field("parcel_m2", "parcel area, square metres"),
                   real_field("parcel_covered_m2", "of which covered, square metres"),
                   real_field("parcel_covered_share", "covered share of the parcel area, 0-1")});
    auto& sink = sinks(
        prefix(network) + "_coverage_wards",
        network == CoverageNetwork::cameras ? "Camera coverage per ward." : "Street lighting coverage per ward.",
        schema(core::GeometryKind::polygon, std::move(fields)));
    for (std::size_t w = 0; w < city.wards.size(); ++w) {
        const auto& t = measure.wards[w];
        auto share = [](double part, double whole) { return whole > 0 ? part / whole : 0.0; };
        auto unit = ward_unit_values(city.wards[w]);
        sink.insert(city.wards[w].wkb,
                    {Value(city.wards[w].code), Value(city.wards[w].name), unit[0], unit[1],
                     Value(static_cast<std::int64_t>(t.devices)), Value(t.road_m), Value(t.road_covered_m),
                     Value(share(t.road_covered_m, t.road_m)), Value(t.parcel_m2), Value(t.parcel_covered_m2),
                     Value(share(t.parcel_covered_m2, t.parcel_m2))});
    }
}

}  // namespace

std::string footprint_result(CoverageNetwork network)
{
    return network == CoverageNetwork::cameras ? "camera_coverage" : "lighting_coverage";
}

std::string footprint_device_field(CoverageNetwork network)
{
    return network == CoverageNetwork::cameras ? "camera_id" : "lamp_id";
}

std::vector<std::string> measure_results(CoverageNetwork network)
{
    if (network == CoverageNetwork::cameras)
        return {"camera_blind_spots", "camera_gaps", "camera_coverage_wards"};
    return {"lighting_gaps", "lighting_coverage_wards"};
}

void add_footprint_results(const ResultSinks& sinks, const std::vector<Device>& devices,
                           const std::vector<Footprint>& footprints, CoverageNetwork network)
{
    if (network == CoverageNetwork::cameras)
        add_camera_bands(sinks, devices, footprints);
    else
        add_lit_areas(sinks, devices, footprints);
}

void add_measure_results(const ResultSinks& sinks, const CityLayers& city, const CoverageMeasure& measure,
                         CoverageNetwork network)
{
    if (network == CoverageNetwork::cameras)
        add_blind_spots(sinks, measure);
    add_gaps(sinks, measure, network);
    add_wards(sinks, city, measure, network);
}

}  // namespace lantern::layers::coverage
