// The building-permit pre-check (permit_check.hpp, docs/permits.md). The plan
// is read once into PlanData; each check makes its own GEOS geometries of the
// few features near the footprint, in a GeosOps of its thread, so checks run
// side by side without locks.

#include <lantern/layers/permit_check.hpp>

#include <algorithm>
#include <cmath>
#include <map>

#include <ogr_api.h>
#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/io/vector_source.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/flood.hpp>

#include "../geos_ops.hpp"
#include "permit_data.hpp"

namespace lantern::layers {

namespace {

using json = nlohmann::json;
using planning::PlanData;
using Geometry = GeosOps::Geometry;

// Parts smaller than this are slivers of a drawing, not a zone or parcel a
// building stands in: at most half a square metre, or 1 % of the footprint.
double sliver_m2(double footprint_m2)
{
    return std::min(0.5, 0.01 * footprint_m2);
}

// The 1964 flood, the record the city builds against (flood.hpp's presets).
double record_stage()
{
    for (const auto& preset : gauge_presets())
        if (preset.key == "record-1964")
            return preset.stage.level;
    throw core::Error("the gauge presets lack the 1964 record");
}

std::string stage_name(double level)
{
    for (const auto& preset : gauge_presets())
        if (std::abs(preset.stage.level - level) < 1e-9)
            return core::fixed_text(level, 2) + " m, the " + preset.stage.label;
    return core::fixed_text(level, 2) + " m";
}

planning::BBox box_of(const GeosOps& geos, const GEOSGeometry* g)
{
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    GEOSGeom_getXMin_r(geos.context(), g, &min_x);
    GEOSGeom_getYMin_r(geos.context(), g, &min_y);
    GEOSGeom_getXMax_r(geos.context(), g, &max_x);
    GEOSGeom_getYMax_r(geos.context(), g, &max_y);
    return planning::BBox({min_x, min_y}, {max_x, max_y});
}

// The cells of a grid whose centres lie in the footprint; the cell under a
// point inside it when the footprint is smaller than a cell.
std::vector<std::size_t> cells_under(const GeosOps& geos, const GEOSGeometry* footprint, const core::GridFrame& f)
{
    auto box = box_of(geos, footprint);
    std::vector<std::size_t> out;
    int c0 = std::max(0, f.col_of(box.min_corner().x())), c1 = std::min(f.width - 1, f.col_of(box.max_corner().x()));
    int r0 = std::max(0, f.row_of(box.max_corner().y())), r1 = std::min(f.height - 1, f.row_of(box.min_corner().y()));
    for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c)
            if (geos.intersects(footprint, geos.point(f.centre_x(c), f.centre_y(r)).get()))
                out.push_back(f.index(c, r));
    if (out.empty()) {
        auto [x, y] = geos.xy(geos.point_on_surface(footprint).get());
        int c = f.col_of(x), r = f.row_of(y);
        if (f.contains(c, r))
            out.push_back(f.index(c, r));
    }
    return out;
}

// What is wrong with a polygon's rings as OGR read them (it takes a ring
// that does not end where it starts, with a warning); empty when nothing.
std::string ring_problem(const OGRGeometry& geometry)
{
    auto polygon_problem = [](const OGRPolygon& polygon) -> std::string {
        for (const auto* ring : polygon) {
            if (ring->getNumPoints() < 4)
                return "a ring has " + std::to_string(ring->getNumPoints()) +
                       " points; it needs three corners and the first again";
            if (!ring->get_IsClosed())
                return "a ring does not end at its first point";
        }
        return {};
    };
    if (wkbFlatten(geometry.getGeometryType()) == wkbPolygon)
        return polygon_problem(*geometry.toPolygon());
    for (const auto* polygon : *geometry.toMultiPolygon())
        if (auto problem = polygon_problem(*polygon); !problem.empty())
            return problem;
    return {};
}

// The GeoJSON "type" of an object, empty when it has none that is text.
std::string geojson_type(const json& object)
{
    auto found = object.find("type");
    return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

json rule(std::string name, json limit, json proposed, std::optional<bool> pass, std::string source)
{
    return {{"rule", std::move(name)},
            {"limit", std::move(limit)},
            {"proposed", std::move(proposed)},
            {"pass", pass ? json(*pass) : json(nullptr)},
            {"source", std::move(source)}};
}

// The current (not stale) flood depth results at a river stage, with their stages.
std::vector<std::pair<double, core::ResultRecord>> flood_depth_results(const core::Storage& storage)
{
    std::vector<std::pair<double, core::ResultRecord>> out;
    for (auto& record : storage.result_records()) {
        const std::string prefix = "flood_depth_";
        if (record.kind != core::ResultKind::raster || record.name.rfind(prefix, 0) != 0 ||
            !core::stale_reasons(storage, record).empty())
            continue;
        auto level = core::parse_number(record.name.substr(prefix.size(), record.name.size() - prefix.size() - 1));
        if (!level || record.name.back() != 'm')
            continue;
        out.emplace_back(*level, std::move(record));
    }
    return out;
}

}  // namespace

PermitChecker::PermitChecker(const core::Storage& storage) : m_data(std::make_unique<Data>())
{
    auto& d = *m_data;
    d.plan = PlanData::read(storage);
    d.city_crs = storage.city().crs;
    for (std::size_t i = 0; i < d.plan.parcels.size(); ++i)
        d.parcel_by_id.emplace(d.plan.parcels.records[i].id, i);
    // A raster whose file is missing or damaged beside the database is left
    // out, as the lookup leaves it out (result_availability.hpp): the flood
    // rule then says it cannot be checked, and the rest are.
    try {
        for (const auto& raster : storage.raster_records())
            if (raster.name == "dem")
                d.dem = storage.open_raster("dem").read_float_grid();
    } catch (const core::Error&) {
        d.dem.reset();
    }
    // Every current stage result: the check looks up its design stage's.
    for (const auto& [level, record] : flood_depth_results(storage)) {
        try {
            d.floods.push_back({level, record.name, storage.open_raster(record.name).read_float_grid()});
        } catch (const core::Error&) {
            continue;
        }
    }
}

std::string PermitChecker::inputs_key(const core::Storage& storage)
{
    std::string key = storage.city().crs;
    for (const auto& name : PlanData::input_classes(storage)) {
        auto record = storage.class_record(name);
        key += ';' + name + ':' + (record ? record->checksum : std::string("-"));
    }
    for (const auto& raster : storage.raster_records())
        if (raster.name == "dem")
            key += ";dem:" + raster.checksum;
    for (const auto& [level, record] : flood_depth_results(storage))
        key += ';' + record.name + ':' + record.checksum;
    return key;
}

PermitChecker::~PermitChecker() = default;

namespace {

// What a check works on: the footprint, how it was made, and the parcels,
// zones and buildings around it as GEOS geometries.
struct Site {
    Geometry footprint;
    std::string made_from;  // "drawn", "the parcel's buildings", "the largest footprint the zone allows"
    double area = 0;
    std::vector<std::size_t> replaced;  // buildings the proposal replaces (a parcel's, a repair's)
};

void check_proposal_values(const PermitProposal& p)
{
    if (p.floors < 0)
        throw PermitInputError("floors: " + std::to_string(p.floors) + " is below 0");
    if (!(p.height_m >= 0) || p.height_m > 1000)
        throw PermitInputError("height_m: " + core::fixed_text(p.height_m, 2) + " is not a height in metres (0 to 1000)");
    if (p.floors > 0 && p.height_m <= 0)
        throw PermitInputError("height_m: a building of " + std::to_string(p.floors) + " floors needs a height above 0");
    if (!land_use(p.land_use))
        throw PermitInputError("land_use: '" + p.land_use +
                               "' is not a land-use code (ODT urban residential, TMD commerce, ...: docs/classes.md)");
    if (p.footprint.has_value() == p.parcel_id.has_value())
        throw PermitInputError("give either a footprint or a parcel id");
    if (p.floor_level_m && (*p.floor_level_m < -50 || *p.floor_level_m > 500))
        throw PermitInputError("floor_level_m: not a level in metres above the datum (-50 to 500)");
    if (p.design_stage_m && (*p.design_stage_m < -50 || *p.design_stage_m > 100))
        throw PermitInputError("design_stage_m: not a river stage in metres (-50 to 100)");
}

void check_footprint_size(const GeosOps& geos, const GEOSGeometry* footprint)
{
    auto* context = geos.context();
    int rings = 0;
    for (int i = 0, n = GEOSGetNumGeometries_r(context, footprint); i < n; ++i)
        rings += 1 + std::max(0, GEOSGetNumInteriorRings_r(context, GEOSGetGeometryN_r(context, footprint, i)));
    if (rings > max_footprint_rings)
        throw PermitInputError("footprint: " + std::to_string(rings) +
                               " rings (polygons and holes), more than a building has (at most " +
                               std::to_string(max_footprint_rings) + ")");
    // Each ring's first corner comes again at its end.
    int corners = GEOSGetNumCoordinates_r(context, footprint) - rings;
    if (corners > max_footprint_corners)
        throw PermitInputError("footprint: " + std::to_string(corners) +
                               " corners, more than a building has (at most " +
                               std::to_string(max_footprint_corners) + ")");
    auto box = box_of(geos, footprint);
    double across =
        std::max(box.max_corner().x() - box.min_corner().x(), box.max_corner().y() - box.min_corner().y());
    if (!(across <= max_footprint_across_m))
        throw PermitInputError("footprint: it reaches " + core::fixed_text(across, 0) +
                               " m across, farther than a building (at most " +
                               core::fixed_text(max_footprint_across_m, 0) + " m)");
}

}  // namespace

json PermitChecker::check(const PermitProposal& proposal) const
{
    return evaluate(proposal, nullptr);
}

json PermitChecker::evaluate(const PermitProposal& proposal, core::Wkb* footprint_out) const
{
    check_proposal_values(proposal);
    const auto& d = *m_data;
    const auto& plan = d.plan;
    GeosOps geos;
    Site site;
    auto area = [&](const GEOSGeometry* g) { return geos.area(g); };
    auto overlap = [&](const GEOSGeometry* a, const GEOSGeometry* b) { return area(geos.intersection(a, b).get()); };

    if (proposal.footprint) {
        try {
            site.footprint = geos.read(*proposal.footprint);
        } catch (const core::Error& e) {
            // An unclosed ring, a ring of fewer than four points.
            throw PermitInputError(std::string("footprint: not a polygon (") + e.what() + ")");
        }
        int type = GEOSGeomTypeId_r(geos.context(), site.footprint.get());
        if ((type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) || geos.is_empty(site.footprint.get()))
            throw PermitInputError("footprint: not a polygon");
        check_footprint_size(geos, site.footprint.get());
        site.made_from = "drawn";
    } else {
        auto found = d.parcel_by_id.find(*proposal.parcel_id);
        if (found == d.parcel_by_id.end())
            throw PermitInputError("parcel_id: no parcel " + *proposal.parcel_id + " in the city");
        auto parcel = geos.read(plan.parcels.wkb[found->second]);
        // The parcel's buildings: those with most of their area on it.
        std::vector<Geometry> on_parcel;
        for (auto b : plan.buildings.touching(plan.parcels.boxes[found->second])) {
            auto building = geos.read(plan.buildings.wkb[b]);
            if (overlap(building.get(), parcel.get()) > 0.5 * area(building.get())) {
                site.replaced.push_back(b);
                on_parcel.push_back(std::move(building));
            }
        }
        if (!on_parcel.empty()) {
            site.footprint = geos.union_all(std::move(on_parcel));
            site.made_from = "the parcel's buildings";
        } else {
            // The zone holding most of the parcel gives the coverage.
            double best = 0;
            std::optional<double> coverage;
            for (auto z : plan.zones.touching(plan.parcels.boxes[found->second])) {
                double a = overlap(parcel.get(), geos.read(plan.zones.wkb[z]).get());
                if (a > best) {
                    best = a;
                    coverage = plan.zones.records[z].max_coverage_pct;
                }
            }
            double factor = coverage ? std::sqrt(std::clamp(*coverage, 0.0, 100.0) / 100) : 1.0;
            auto [cx, cy] = geos.xy(geos.point_on_surface(parcel.get()).get());
            auto scaled = geos.scaled(parcel.get(), factor, cx, cy);
            bool inside = factor > 0 && area(geos.difference(scaled.get(), parcel.get()).get()) < 1e-6;
            site.footprint = inside ? std::move(scaled) : std::move(parcel);
            site.made_from = inside ? "the largest footprint the zone allows" : "the whole parcel";
        }
    }
    const GEOSGeometry* fp = site.footprint.get();
    site.area = area(fp);
    if (footprint_out)
        *footprint_out = geos.write(fp);
    const double sliver = sliver_m2(site.area);

    json rules = json::array();
    json out = {{"verdict", "pass"}};

    // Valid, inside the city.
    auto reason = geos.invalid_reason(fp);
    rules.push_back(rule("footprint_valid", "a valid polygon", reason.empty() ? "valid" : reason, reason.empty(),
                         "OGC simple features (GEOS)"));
    if (!plan.wards.wards().empty()) {
        std::size_t outside = 0;
        auto vertices = geos.vertices(fp);
        for (auto [x, y] : vertices)
            if (plan.wards.ward_at({x, y}) < 0)
                ++outside;
        rules.push_back(rule("inside_city", "every corner in a ward of the city",
                             outside == 0 ? "inside" : std::to_string(outside) + " of " +
                                                           std::to_string(vertices.size()) + " corners outside",
                             outside == 0, "the city's wards"));
    }
    auto finish = [&]() {
        for (const auto& r : rules)
            if (r["pass"] == false)
                out["verdict"] = "fail";
        out["rules"] = std::move(rules);
        return out;
    };
    if (!reason.empty()) {
        out["site"] = {{"footprint_area_m2", planning::rounded(site.area, 2)}, {"footprint", site.made_from}};
        out["note"] = "the other rules need a valid footprint";
        return finish();
    }

    // Parcels under the footprint, and the site they make together.
    auto fp_box = box_of(geos, fp);
    std::vector<std::size_t> parcels;
    double on_parcels = 0;
    std::vector<Geometry> parcel_shapes;
    for (auto i : plan.parcels.touching(fp_box)) {
        auto parcel = geos.read(plan.parcels.wkb[i]);
        double a = overlap(fp, parcel.get());
        if (a < sliver)
            continue;
        parcels.push_back(i);
        on_parcels += a;
        parcel_shapes.push_back(std::move(parcel));
    }
    json parcel_ids = json::array();
    for (auto i : parcels)
        parcel_ids.push_back(plan.parcels.records[i].id);
    double off_parcels = std::max(0.0, site.area - on_parcels);
    bool one_parcel = parcels.size() == 1 && off_parcels < sliver;
    json on = parcels.empty() ? json("on no parcel") : json(parcel_ids);
    if (!parcels.empty() && off_parcels >= sliver)
        on = {{"parcels", parcel_ids}, {"off_parcels_m2", planning::rounded(off_parcels, 2)}};
    rules.push_back(rule("inside_parcel", "one parcel", on, one_parcel,
                         parcels.size() > 1 ? "a building stands on one parcel: merge the parcels first"
                                            : "the cadastre (parcels)"));
    auto site_area = geos.union_all(std::move(parcel_shapes));

    // Buildings on the site that stay: their parts off the footprint.
    struct Other {
        Geometry part;
        double floors;
    };
    std::vector<Other> others;
    if (!parcels.empty()) {
        auto site_box = box_of(geos, site_area.get());
        for (auto b : plan.buildings.touching(site_box)) {
            if (std::find(site.replaced.begin(), site.replaced.end(), b) != site.replaced.end())
                continue;
            auto building = geos.read(plan.buildings.wkb[b]);
            auto part = geos.difference(geos.intersection(building.get(), site_area.get()).get(), fp);
            if (area(part.get()) >= 0.01)
                others.push_back({std::move(part), plan.buildings.records[b].floors_for_area()});
        }
    }

    // Each planning zone for its part of the footprint, largest part first.
    struct ZonePart {
        std::size_t zone;
        Geometry area;
        double m2;
    };
    std::vector<ZonePart> zone_parts;
    for (auto z : plan.zones.touching(fp_box)) {
        auto zone = geos.read(plan.zones.wkb[z]);
        double a = overlap(fp, zone.get());
        if (a >= sliver)
            zone_parts.push_back({z, std::move(zone), a});
    }
    std::stable_sort(zone_parts.begin(), zone_parts.end(), [](const auto& a, const auto& b) { return a.m2 > b.m2; });
    json zones_json = json::array();
    for (const auto& part : zone_parts) {
        const auto& z = plan.zones.records[part.zone];
        double share = planning::rounded(part.m2 / site.area, 3);
        zones_json.push_back({{"zone_id", z.id}, {"zone_type", z.type}, {"share", share}});
        auto add = [&](json r) {
            r["zone"] = z.id;
            r["share"] = share;
            rules.push_back(std::move(r));
        };
        if (!z.land_uses.empty())
            add(rule("land_use", z.land_uses, proposal.land_use, z.allows(proposal.land_use), z.source()));
        if (z.max_height_m)
            add(rule("max_height_m", *z.max_height_m, proposal.height_m, proposal.height_m <= *z.max_height_m + 1e-9,
                     z.source()));
        if (z.max_floors)
            add(rule("max_floors", *z.max_floors, proposal.floors, proposal.floors <= *z.max_floors, z.source()));
        if (parcels.empty() || (!z.max_coverage_pct && !z.max_far))
            continue;
        // Coverage and floor-area ratio of the site's part in this zone.
        auto site_part = geos.intersection(site_area.get(), part.area.get());
        double land = area(site_part.get());
        if (land <= 0)
            continue;
        double new_part = area(geos.intersection(fp, site_part.get()).get());
        double built = new_part, floor_area = new_part * static_cast<double>(proposal.floors);
        for (const auto& other : others) {
            double a = overlap(other.part.get(), part.area.get());
            built += a;
            floor_area += a * other.floors;
        }
        if (z.max_coverage_pct) {
            double pct = 100 * built / land;
            add(rule("max_coverage_pct", *z.max_coverage_pct, planning::rounded(pct, 2), pct <= *z.max_coverage_pct + 1e-9,
                     z.source()));
        }
        if (z.max_far) {
            double far = floor_area / land;
            add(rule("max_far", *z.max_far, planning::rounded(far, 3), far <= *z.max_far + 1e-9, z.source()));
        }
    }

    // Heritage zones: I before II.
    std::vector<std::pair<std::size_t, double>> heritage;
    for (auto h : plan.heritage_zones.touching(fp_box)) {
        double a = overlap(fp, geos.read(plan.heritage_zones.wkb[h]).get());
        if (a >= sliver)
            heritage.emplace_back(h, a);
    }
    std::stable_sort(heritage.begin(), heritage.end(), [&](const auto& a, const auto& b) {
        return plan.heritage_zones.records[a.first].absolute() > plan.heritage_zones.records[b.first].absolute();
    });
    // The buildings a repair keeps the form of: those under the footprint.
    std::vector<std::size_t> originals = site.replaced;
    if (proposal.repair && originals.empty())
        for (auto b : plan.buildings.touching(fp_box))
            if (overlap(fp, geos.read(plan.buildings.wkb[b]).get()) >= sliver)
                originals.push_back(b);
    json heritage_json = json::array();
    for (auto [h, a] : heritage) {
        const auto& zone = plan.heritage_zones.records[h];
        double share = planning::rounded(a / site.area, 3);
        heritage_json.push_back({{"zone_id", zone.id}, {"protection", zone.protection}, {"share", share}});
        auto add = [&](json r) {
            r["heritage_zone"] = zone.id;
            r["share"] = share;
            rules.push_back(std::move(r));
        };
        if (zone.absolute()) {
            if (!proposal.repair) {
                add(rule("heritage_no_new_building", "no new construction", "a new building", false, zone.source()));
            } else {
                std::optional<double> original;
                for (auto b : originals)
                    if (auto h_m = plan.buildings.records[b].height_m)
                        original = std::max(original.value_or(0.0), *h_m);
                if (original)
                    add(rule("heritage_original_height", *original, proposal.height_m,
                             proposal.height_m <= *original + 1e-9, zone.source()));
                else
                    add(rule("heritage_original_height", "the height of the building repaired",
                             "no building with a height under the footprint", false, zone.source()));
            }
        }
        if (zone.max_height_m)
            add(rule("heritage_max_height_m", *zone.max_height_m, proposal.height_m,
                     proposal.height_m <= *zone.max_height_m + 1e-9, zone.source()));
        if (zone.max_floors)
            add(rule("heritage_max_floors", *zone.max_floors, proposal.floors, proposal.floors <= *zone.max_floors,
                     zone.source()));
        if (zone.min_site_distance_m && !proposal.repair) {
            double limit = *zone.min_site_distance_m;
            std::optional<std::pair<double, std::size_t>> nearest;
            for (auto s : plan.heritage_sites.touching(planning::grown(fp_box, limit))) {
                double dist = geos.distance(fp, geos.read(plan.heritage_sites.wkb[s]).get());
                if (!nearest || dist < nearest->first)
                    nearest = {dist, s};
            }
            json proposed = nearest ? json{{"distance_m", planning::rounded(nearest->first, 1)},
                                           {"site", plan.heritage_sites.records[nearest->second].name}}
                                    : json("no heritage site within " + core::fixed_text(limit, 1) + " m");
            add(rule("heritage_site_distance_m", limit, proposed, !nearest || nearest->first >= limit - 1e-9,
                     zone.source()));
        }
    }

    // The ground floor above the design flood.
    double stage = proposal.design_stage_m.value_or(record_stage());
    json flood_rule;
    std::optional<double> ground;
    if (d.dem) {
        for (auto i : cells_under(geos, fp, d.dem->frame))
            if (!std::isnan(d.dem->values[i]))
                ground = std::max(ground.value_or(-1e9), static_cast<double>(d.dem->values[i]));
    }
    std::optional<double> floor = proposal.floor_level_m ? proposal.floor_level_m : ground;
    const auto* flood = d.flood_at(stage);
    std::string flood_source = "design flood: river stage " + stage_name(stage);
    if (!flood || !d.dem) {
        flood_rule = rule("floor_above_flood", nullptr, floor ? json(planning::rounded(*floor, 2)) : json(nullptr),
                          std::nullopt, flood_source);
        flood_rule["note"] = "no current flood result for this stage: run lantern flood CITY --stage " +
                             core::fixed_text(stage, 2);
    } else {
        std::optional<double> water;
        for (auto i : cells_under(geos, fp, flood->depth.frame)) {
            float depth = flood->depth.values[i];
            if (!std::isnan(depth) && depth > 0 && flood->depth.frame.cells() == d.dem->frame.cells())
                water = std::max(water.value_or(-1e9), static_cast<double>(d.dem->values[i]) + depth);
        }
        flood_source += " (" + flood->result + ")";
        if (!water) {
            flood_rule = rule("floor_above_flood", "not flooded at this stage",
                              floor ? json(planning::rounded(*floor, 2)) : json(nullptr), true, flood_source);
        } else {
            bool pass = floor && *floor >= *water - 1e-9;
            flood_rule = rule("floor_above_flood", planning::rounded(*water, 2), floor ? json(planning::rounded(*floor, 2)) : json(nullptr),
                              pass, flood_source);
        }
    }
    if (!proposal.floor_level_m && ground)
        flood_rule["note"] = flood_rule.value("note", std::string()).empty()
                                 ? "floor level: the highest ground under the footprint"
                                 : flood_rule["note"].get<std::string>() + "; floor level: the highest ground under the footprint";
    rules.push_back(std::move(flood_rule));

    json ward = nullptr;
    {
        auto [x, y] = geos.xy(geos.point_on_surface(fp).get());
        int w = plan.wards.ward_at({x, y});
        if (w >= 0)
            ward = {{"code", plan.wards.wards()[static_cast<std::size_t>(w)].code},
                    {"name", plan.wards.wards()[static_cast<std::size_t>(w)].name}};
    }
    out["site"] = {{"footprint_area_m2", planning::rounded(site.area, 2)},
                   {"footprint", site.made_from},
                   {"parcels", parcel_ids},
                   {"zones", zones_json},
                   {"heritage_zones", heritage_json},
                   {"ward", ward},
                   {"ground_m", ground ? json(planning::rounded(*ground, 2)) : json(nullptr)}};
    out["proposal"] = {{"floors", proposal.floors}, {"height_m", proposal.height_m}, {"land_use", proposal.land_use},
                       {"repair", proposal.repair}, {"design_stage_m", stage}};
    return finish();
}

PermitProposal PermitChecker::proposal_from_json(const json& body) const
{
    if (!body.is_object())
        throw PermitInputError("the body is not a JSON object");
    PermitProposal p;
    auto number = [&](const char* key, bool required) -> std::optional<double> {
        if (!body.contains(key) || body[key].is_null()) {
            if (required)
                throw PermitInputError(std::string(key) + ": missing");
            return std::nullopt;
        }
        if (!body[key].is_number())
            throw PermitInputError(std::string(key) + ": not a number");
        return body[key].get<double>();
    };
    double floors = *number("floors", true);
    if (floors != std::floor(floors) || std::abs(floors) > 1000)
        throw PermitInputError("floors: not a whole number of floors");
    p.floors = static_cast<std::int64_t>(floors);
    p.height_m = *number("height_m", true);
    p.floor_level_m = number("floor_level_m", false);
    p.design_stage_m = number("design_stage_m", false);
    if (!body.contains("land_use") || !body["land_use"].is_string())
        throw PermitInputError("land_use: missing, or not a code");
    p.land_use = body["land_use"].get<std::string>();
    if (body.contains("repair") && !body["repair"].is_null()) {
        if (!body["repair"].is_boolean())
            throw PermitInputError("repair: not true or false");
        p.repair = body["repair"].get<bool>();
    }
    if (body.contains("parcel_id") && !body["parcel_id"].is_null()) {
        if (!body["parcel_id"].is_string())
            throw PermitInputError("parcel_id: not a text");
        p.parcel_id = body["parcel_id"].get<std::string>();
    }
    if (body.contains("footprint") && !body["footprint"].is_null()) {
        const json* geometry = &body["footprint"];
        if (geometry->is_object() && geojson_type(*geometry) == "Feature") {
            auto inner = geometry->find("geometry");
            geometry = inner != geometry->end() ? &*inner : nullptr;
        }
        if (!geometry || !geometry->is_object() ||
            (geojson_type(*geometry) != "Polygon" && geojson_type(*geometry) != "MultiPolygon"))
            throw PermitInputError("footprint: not a GeoJSON Polygon or MultiPolygon");
        std::string text = geometry->dump();
        OGRGeometryH parsed = nullptr;
        {
            core::ScopedGdalErrors quiet;  // a client's mistake, not the log's business
            parsed = OGR_G_CreateGeometryFromJson(text.c_str());
        }
        if (!parsed)
            throw PermitInputError("footprint: not a GeoJSON Polygon (its coordinates cannot be read)");
        std::unique_ptr<OGRGeometry> g(OGRGeometry::FromHandle(parsed));
        if (auto type = wkbFlatten(g->getGeometryType()); type != wkbPolygon && type != wkbMultiPolygon)
            throw PermitInputError("footprint: not a GeoJSON Polygon or MultiPolygon");
        if (auto problem = ring_problem(*g); !problem.empty())
            throw PermitInputError("footprint: " + problem);
        OGREnvelope e;
        g->getEnvelope(&e);
        if (g->IsEmpty() || e.MinX < -180 || e.MaxX > 180 || e.MinY < -90 || e.MaxY > 90)
            throw PermitInputError("footprint: coordinates are not WGS 84 longitude and latitude");
        // PROJ transformations are not shared between threads.
        struct Into {
            std::string crs;
            std::unique_ptr<core::Transform> transform;
        };
        thread_local Into into;
        if (!into.transform || into.crs != m_data->city_crs) {
            into.transform = std::make_unique<core::Transform>(core::Crs::wgs84(), core::Crs::from_user(m_data->city_crs));
            into.crs = m_data->city_crs;
        }
        if (!into.transform->apply(*g))
            throw PermitInputError("footprint: cannot be projected into the city's CRS");
        core::Wkb wkb(static_cast<std::size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        p.footprint = std::move(wkb);
    }
    if (p.footprint.has_value() == p.parcel_id.has_value())
        throw PermitInputError("give either footprint or parcel_id");
    return p;
}

core::Wkb PermitChecker::footprint_from_file(const std::string& path) const
{
    core::VectorSource source({path, "", {}});
    auto& layer = source.layer();
    layer.ResetReading();
    std::unique_ptr<OGRFeature> feature(layer.GetNextFeature());
    if (!feature)
        throw core::DataError(source.label() + ": no feature; a footprint file holds one polygon");
    std::unique_ptr<OGRFeature> more(layer.GetNextFeature());
    if (more)
        throw core::DataError(source.label() + ": more than one feature; a footprint file holds one polygon");
    const OGRGeometry* g = feature->GetGeometryRef();
    if (!g || g->IsEmpty())
        throw core::DataError(source.label() + " feature " + std::to_string(feature->GetFID()) + ": no geometry");
    auto type = wkbFlatten(g->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon)
        throw core::DataError(source.label() + " feature " + std::to_string(feature->GetFID()) + ": a " +
                              OGRGeometryTypeToName(type) + ", not a polygon");
    auto crs = source.crs();
    if (!crs)
        throw core::DataError(source.label() + ": no CRS; give the footprint in a file that declares one (GeoJSON is WGS 84)");
    std::unique_ptr<OGRGeometry> copy(g->clone());
    copy->flattenTo2D();
    core::Transform transform(*crs, core::Crs::from_user(m_data->city_crs));
    if (!transform.is_identity() && !transform.apply(*copy))
        throw core::DataError(source.label() + ": the footprint cannot be projected into the city's CRS");
    core::Wkb wkb(static_cast<std::size_t>(copy->WkbSize()));
    copy->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return wkb;
}

}  // namespace lantern::layers
