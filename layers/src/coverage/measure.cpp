// What a set of footprints covers: road length exactly, segment by segment
// against each footprint ring (core/geometry/ring_measure.hpp); areas of heritage
// zones, sites and parcels exactly too, a convex one by inclusion and
// exclusion over the footprints' fans (core/geometry/convex_clip.hpp), any other by
// overlaying the union of the footprints that reach it (GEOS); the gaps in
// between.

#include "coverage_internal.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <lantern/core/coverage/coverage_models.hpp>
#include <lantern/core/geometry/convex_clip.hpp>
#include <lantern/core/geometry/ring_measure.hpp>

#include "../geos_ops.hpp"

namespace lantern::layers::coverage {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using BoxPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<BoxPoint>;

// Road length is given to wards by the midpoints of pieces this long at most.
constexpr double ward_piece_m = 25;

Box box_of(const core::Bounds& b)
{
    return Box{{b.min_x, b.min_y}, {b.max_x, b.max_y}};
}

double share(double part, double whole)
{
    return whole > 0 ? part / whole : 0;
}

nlohmann::json totals_json(double total, double covered, const char* unit)
{
    std::string t = std::string("total_") + unit, c = std::string("covered_") + unit;
    return {{t, total}, {c, covered}, {"covered_share", share(covered, total)}};
}

PlanePoint lerp(PlanePoint a, PlanePoint b, double t)
{
    return {a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t};
}

// One road's, parcel's, zone's and site's measure is kept, so that after a
// few footprints changed only what they reach is measured again and the
// totals are summed anew from the kept parts.
struct RoadMeasure {
    double total = 0;
    std::vector<double> covered_by_level;  // finest first; the last is the outer
    // Road length and covered length per ward index.
    std::vector<std::pair<int, std::pair<double, double>>> wards;
    std::vector<CoverageMeasure::Gap> gaps;
};

struct ZoneMeasure {
    double covered = 0;
    std::vector<CoverageMeasure::BlindSpot> blind_spots;
};

struct SiteMeasure {
    bool covered = false;
    double covered_m2 = 0;  // outlined sites
};

class Measurer {
public:
    Measurer(const CityLayers& city, CoverageNetwork network, const MeasureOptions& options)
        : m_city(city), m_network(network), m_options(options), m_wards(city.wards)
    {
        for (const auto& road : city.roads) {
            core::Bounds b{1e300, 1e300, -1e300, -1e300};  // meets nothing until a part is added
            for (const auto& part : road.parts)
                if (!part.empty())
                    b.expand(core::ring_bounds(part));
            m_road_bounds.push_back(b);
        }
        // A parcel's ward, by the centre of its box, found once.
        for (const auto& parcel : city.parcels) {
            const auto& b = parcel.bounds;
            m_parcel_wards.push_back(m_wards.ward_at({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2}));
        }
        m_roads.resize(city.roads.size());
        m_parcels.resize(city.parcels.size());
        m_zones.resize(city.heritage_zones.size());
        m_sites.resize(city.heritage_sites.size());
    }

    CoverageMeasure measure(const std::vector<Device>& devices, const std::vector<Footprint>& footprints)
    {
        use(devices, footprints);
        m_fans.assign(footprints.size(), {});
        parallel_for(footprints.size(), m_options.threads, [&](std::size_t f) { cut_fans(f); });
        for (std::size_t r = 0; r < m_city.roads.size(); ++r)
            m_roads[r] = measure_road(m_city.roads[r]);
        if (m_network == CoverageNetwork::cameras) {
            for (std::size_t z = 0; z < m_zones.size(); ++z)
                m_zones[z] = measure_zone(m_city.heritage_zones[z]);
            for (std::size_t i = 0; i < m_sites.size(); ++i)
                m_sites[i] = measure_site(m_city.heritage_sites[i]);
        }
        parallel_for(m_parcels.size(), m_options.threads, [&](std::size_t i) { m_parcels[i] = measure_parcel(i); });
        return totals();
    }

    CoverageMeasure measure_again(const std::vector<Device>& devices, const std::vector<Footprint>& footprints,
                                  const std::vector<std::size_t>& changed, const core::Bounds& where)
    {
        use(devices, footprints);
        m_fans.resize(footprints.size());
        for (auto f : changed)
            cut_fans(f);
        for (std::size_t r = 0; r < m_city.roads.size(); ++r)
            if (m_road_bounds[r].intersects(where))
                m_roads[r] = measure_road(m_city.roads[r]);
        if (m_network == CoverageNetwork::cameras) {
            for (std::size_t z = 0; z < m_zones.size(); ++z)
                if (m_city.heritage_zones[z].bounds.intersects(where))
                    m_zones[z] = measure_zone(m_city.heritage_zones[z]);
            for (std::size_t i = 0; i < m_sites.size(); ++i)
                if (m_city.heritage_sites[i].bounds.intersects(where))
                    m_sites[i] = measure_site(m_city.heritage_sites[i]);
        }
        for (std::size_t i = 0; i < m_parcels.size(); ++i)
            if (m_city.parcels[i].bounds.intersects(where))
                m_parcels[i] = measure_parcel(i);
        return totals();
    }

private:
    void use(const std::vector<Device>& devices, const std::vector<Footprint>& footprints)
    {
        m_devices = &devices;
        m_footprints = &footprints;
        m_index = std::make_unique<FootprintIndex>(footprints);
    }

    std::size_t levels() const
    {
        return m_network == CoverageNetwork::cameras ? core::detail_levels().size() : 1;
    }

    // ---- the totals, from the kept parts -------------------------------------

    CoverageMeasure totals() const
    {
        CoverageMeasure out;
        out.wards.resize(m_city.wards.size());
        for (const auto& device : *m_devices)
            if (int w = device.id.empty() ? -1 : m_wards.ward_at(device.at); w >= 0)
                ++out.wards[static_cast<std::size_t>(w)].devices;
        out.summary["roads"] = road_totals(out);
        if (m_network == CoverageNetwork::cameras) {
            out.summary["heritage_zones"] = zone_totals(out);
            out.summary["heritage_sites"] = site_totals();
        }
        out.summary["parcels"] = parcel_totals(out);
        return out;
    }

    nlohmann::json road_totals(CoverageMeasure& out) const
    {
        std::map<std::string, std::pair<double, double>> by_class;
        std::vector<double> covered_by_level(levels(), 0.0);
        double total = 0;
        for (std::size_t r = 0; r < m_roads.size(); ++r) {
            const auto& road = m_roads[r];
            const auto& cls = m_city.roads[r].road_class;
            auto& class_totals = by_class[cls.empty() ? "unclassified" : cls];
            total += road.total;
            class_totals.first += road.total;
            class_totals.second += road.covered_by_level.back();
            for (std::size_t k = 0; k < covered_by_level.size(); ++k)
                covered_by_level[k] += road.covered_by_level[k];
            for (const auto& [w, lengths] : road.wards) {
                out.wards[static_cast<std::size_t>(w)].road_m += lengths.first;
                out.wards[static_cast<std::size_t>(w)].road_covered_m += lengths.second;
            }
            out.gaps.insert(out.gaps.end(), road.gaps.begin(), road.gaps.end());
        }
        nlohmann::json json = totals_json(total, covered_by_level.back(), "m");
        json["by_class"] = nlohmann::json::object();
        for (const auto& [cls, t] : by_class)
            json["by_class"][cls] = totals_json(t.first, t.second, "m");
        if (m_network == CoverageNetwork::cameras) {
            // Finest first; each level's length includes the finer ones'.
            json["by_detail"] = nlohmann::json::array();
            for (std::size_t k = 0; k < levels(); ++k) {
                auto level = totals_json(total, covered_by_level[k], "m");
                level["level"] = core::detail_levels()[k].name;
                json["by_detail"].push_back(level);
            }
        }
        json["gaps"] = out.gaps.size();
        double gap_length = 0;
        for (const auto& g : out.gaps)
            gap_length += g.length_m;
        json["gap_m"] = gap_length;
        return json;
    }

    nlohmann::json zone_totals(CoverageMeasure& out) const
    {
        auto json = nlohmann::json::array();
        for (std::size_t z = 0; z < m_zones.size(); ++z) {
            const auto& zone = m_city.heritage_zones[z];
            out.blind_spots.insert(out.blind_spots.end(), m_zones[z].blind_spots.begin(), m_zones[z].blind_spots.end());
            auto entry = totals_json(zone.area_m2, m_zones[z].covered, "m2");
            entry["zone_id"] = zone.id;
            entry["protection"] = zone.kind;
            entry["blind_spots"] = m_zones[z].blind_spots.size();
            json.push_back(entry);
        }
        return json;
    }

    nlohmann::json site_totals() const
    {
        std::size_t covered_count = 0;
        double area = 0, covered_area_sum = 0;
        auto uncovered_sites = nlohmann::json::array();
        for (std::size_t i = 0; i < m_sites.size(); ++i) {
            const auto& site = m_city.heritage_sites[i];
            if (!site.point) {
                area += site.area_m2;
                covered_area_sum += m_sites[i].covered_m2;
            }
            covered_count += m_sites[i].covered ? 1 : 0;
            if (!m_sites[i].covered)
                uncovered_sites.push_back({{"site_id", site.id}, {"name", site.name}});
        }
        return {{"sites", m_sites.size()},
                {"covered", covered_count},
                {"covered_share", share(static_cast<double>(covered_count), static_cast<double>(m_sites.size()))},
                {"area", totals_json(area, covered_area_sum, "m2")},
                {"not_covered", uncovered_sites}};
    }

    nlohmann::json parcel_totals(CoverageMeasure& out) const
    {
        const auto& parcels = m_city.parcels;
        double total = 0, covered_total = 0;
        std::size_t touched = 0;
        for (std::size_t i = 0; i < parcels.size(); ++i) {
            total += parcels[i].area_m2;
            covered_total += m_parcels[i];
            touched += m_parcels[i] > 0 ? 1 : 0;
            if (int w = m_parcel_wards[i]; w >= 0) {
                out.wards[static_cast<std::size_t>(w)].parcel_m2 += parcels[i].area_m2;
                out.wards[static_cast<std::size_t>(w)].parcel_covered_m2 += m_parcels[i];
            }
        }
        auto json = totals_json(total, covered_total, "m2");
        json["parcels"] = parcels.size();
        json["parcels_touched"] = touched;
        return json;
    }

    // ---- roads ----------------------------------------------------------

    struct OpenGap {
        std::size_t part = 0;
        std::vector<PlanePoint> points;
        double length = 0;
        double from_m = 0;  // along the part
    };

    void close_gap(OpenGap& gap, const RoadLine& road, RoadMeasure& out) const
    {
        if (gap.length >= m_options.min_gap_m && gap.points.size() >= 2) {
            int w = m_wards.ward_at(gap.points[gap.points.size() / 2]);
            out.gaps.push_back({&road, gap.points, gap.length,
                                w >= 0 ? m_city.wards[static_cast<std::size_t>(w)].code : std::string(), gap.part,
                                gap.from_m});
        }
        gap = OpenGap{.part = gap.part, .points = {}, .length = 0, .from_m = 0};
    }

    RoadMeasure measure_road(const RoadLine& road) const
    {
        RoadMeasure out;
        out.covered_by_level.assign(levels(), 0.0);
        for (std::size_t part = 0; part < road.parts.size(); ++part) {
            const auto& points = road.parts[part];
            OpenGap gap{.part = part, .points = {}, .length = 0, .from_m = 0};
            double along = 0;
            for (std::size_t i = 0; i + 1 < points.size(); ++i) {
                PlanePoint a = points[i], b = points[i + 1];
                double length = std::hypot(b.x - a.x, b.y - a.y);
                if (length <= 0)
                    continue;
                auto levels_inside = covered_intervals(a, b);
                const auto& inside = levels_inside.back();
                out.total += length;
                for (std::size_t k = 0; k < levels_inside.size(); ++k)
                    for (const auto& [t0, t1] : levels_inside[k])
                        out.covered_by_level[k] += (t1 - t0) * length;
                add_to_wards(a, b, length, inside, out);
                follow_gaps(gap, road, a, b, length, along, inside, out);
                along += length;
            }
            close_gap(gap, road, out);
        }
        return out;
    }

    // The parts of a-b inside each level's rings, merged; the last is the outer.
    std::vector<std::vector<core::SegmentInterval>> covered_intervals(PlanePoint a, PlanePoint b) const
    {
        core::Bounds box{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
        std::vector<std::vector<core::SegmentInterval>> out(levels());
        for (auto f : m_index->near(box)) {
            const auto& footprint = (*m_footprints)[f];
            for (std::size_t k = 0; k < footprint.reach.size() && k < out.size(); ++k)
                if (footprint.reach[k].size() >= 3)
                    for (const auto& interval : core::segment_inside(footprint.reach[k], a, b))
                        out[k].push_back(interval);
        }
        for (auto& intervals : out)
            intervals = core::merge_intervals(std::move(intervals));
        return out;
    }

    void add_to_wards(PlanePoint a, PlanePoint b, double length, const std::vector<core::SegmentInterval>& inside,
                      RoadMeasure& out) const
    {
        if (m_city.wards.empty())
            return;
        int pieces = std::max(1, static_cast<int>(std::ceil(length / ward_piece_m)));
        for (int p = 0; p < pieces; ++p) {
            double u0 = static_cast<double>(p) / pieces, u1 = static_cast<double>(p + 1) / pieces;
            int w = m_wards.ward_at(lerp(a, b, (u0 + u1) / 2));
            if (w < 0)
                continue;
            double covered = 0;
            for (const auto& [t0, t1] : inside)
                covered += std::max(0.0, std::min(t1, u1) - std::max(t0, u0));
            auto it = std::find_if(out.wards.begin(), out.wards.end(), [&](const auto& e) { return e.first == w; });
            if (it == out.wards.end())
                it = out.wards.emplace(out.wards.end(), w, std::make_pair(0.0, 0.0));
            it->second.first += (u1 - u0) * length;
            it->second.second += covered * length;
        }
    }

    // Extends the open gap over the uncovered parts of a-b, closing it where
    // a covered part begins.
    void follow_gaps(OpenGap& gap, const RoadLine& road, PlanePoint a, PlanePoint b, double length, double along,
                     const std::vector<core::SegmentInterval>& inside, RoadMeasure& out) const
    {
        double t = 0;
        auto extend = [&](double from, double to) {
            if (to <= from)
                return;
            PlanePoint start = lerp(a, b, from);
            if (gap.points.empty()) {
                gap.points.push_back(start);
                gap.from_m = along + from * length;
            }
            gap.points.push_back(lerp(a, b, to));
            gap.length += (to - from) * length;
        };
        for (const auto& [t0, t1] : inside) {
            extend(t, t0);
            close_gap(gap, road, out);
            t = t1;
        }
        extend(t, 1.0);
    }

    // ---- areas ----------------------------------------------------------

    std::vector<const PlaneRing*> rings_near(const core::Bounds& bounds) const
    {
        std::vector<const PlaneRing*> rings;
        for (auto f : m_index->near(bounds))
            rings.push_back(&(*m_footprints)[f].outer());
        return rings;
    }

    // The covered area of a polygon feature, and what of it is not covered.
    double covered_area(const GeosOps& geos, const AreaFeature& area, GeosOps::Geometry* uncovered) const
    {
        if (!uncovered && !area.convex.empty())
            return covered_area_of_convex(geos, area);
        return covered_area_by_union(geos, area, uncovered);
    }

    // Through GEOS: the union of the footprints that reach the feature,
    // overlaid with it.
    double covered_area_by_union(const GeosOps& geos, const AreaFeature& area, GeosOps::Geometry* uncovered) const
    {
        auto rings = rings_near(area.bounds);
        auto shape = geos.read(area.wkb);
        if (rings.empty()) {
            if (uncovered)
                *uncovered = std::move(shape);
            return 0;
        }
        auto cover = geos.union_of(rings);
        double covered = geos.area(geos.intersection(shape.get(), cover.get()).get());
        if (uncovered)
            *uncovered = geos.difference(shape.get(), cover.get());
        return covered;
    }

    // A convex feature (most parcels). Each footprint is star-shaped from its
    // device, so it cuts into convex fans (once, in cut_fans); the fans
    // clipped to the feature are convex, and inclusion and exclusion over
    // them gives the covered area exactly, with no overlay. A footprint that
    // does not cut (seen from a point on a facade, say) or overlaps too
    // tangled for the clip budget send the feature to GEOS.
    double covered_area_of_convex(const GeosOps& geos, const AreaFeature& area) const
    {
        std::vector<core::ConvexPart> parts;
        for (auto f : m_index->near(area.bounds)) {
            const auto& fans = m_fans[f];
            if (fans.empty())
                return covered_area_by_union(geos, area, nullptr);
            double inside = 0;
            for (const auto& fan : fans) {
                if (!fan.bounds.intersects(area.bounds))
                    continue;
                auto part = core::clip_to_convex(core::fan_window(fan.ring, area.bounds), area.convex);
                double part_area = part.size() < 3 ? 0 : std::abs(core::ring_area(part));
                if (part_area <= 0)
                    continue;
                inside += part_area;
                parts.push_back({std::move(part), f});
            }
            if (inside >= area.area_m2 * (1 - 1e-12))
                return area.area_m2;  // one footprint covers it all
        }
        if (auto united = core::convex_union_area(parts))
            return *united;
        return covered_area_by_union(geos, area, nullptr);
    }

    // A footprint's convex fans with their boxes, cut once rather than once
    // for every parcel it reaches; none for a footprint that is not
    // star-shaped from its device.
    void cut_fans(std::size_t f)
    {
        m_fans[f].clear();
        const auto& footprint = (*m_footprints)[f];
        if (footprint.empty())
            return;
        for (auto& ring : core::convex_fans(footprint.outer(), (*m_devices)[f].at)) {
            auto bounds = core::ring_bounds(ring);
            m_fans[f].push_back({std::move(ring), bounds});
        }
    }

    ZoneMeasure measure_zone(const AreaFeature& zone) const
    {
        GeosOps geos;
        ZoneMeasure out;
        GeosOps::Geometry uncovered;
        out.covered = covered_area(geos, zone, &uncovered);
        if (m_options.blind_spots)
            for (auto& part : geos.polygons(uncovered.get())) {
                double area = geos.area(part.get());
                if (area >= m_options.min_blind_spot_m2)
                    out.blind_spots.push_back({&zone, geos.write(part.get()), area});
            }
        return out;
    }

    SiteMeasure measure_site(const AreaFeature& site) const
    {
        SiteMeasure out;
        if (site.point) {
            for (const auto* ring : rings_near({site.point->x, site.point->y, site.point->x, site.point->y}))
                out.covered = out.covered || core::ring_contains(*ring, *site.point);
        } else {
            GeosOps geos;
            out.covered_m2 = covered_area(geos, site, nullptr);
            out.covered = out.covered_m2 > 0;
        }
        return out;
    }

    double measure_parcel(std::size_t i) const
    {
        // One GEOS context per thread, kept for the thread's life.
        thread_local GeosOps geos;
        return m_city.parcels[i].wkb.empty() ? 0.0 : covered_area(geos, m_city.parcels[i], nullptr);
    }

    const CityLayers& m_city;
    CoverageNetwork m_network;
    MeasureOptions m_options;
    WardLocator m_wards;
    std::vector<core::Bounds> m_road_bounds;
    std::vector<int> m_parcel_wards;  // -1: none
    // What is measured now: the devices and footprints given last.
    const std::vector<Device>* m_devices = nullptr;
    const std::vector<Footprint>* m_footprints = nullptr;
    std::unique_ptr<FootprintIndex> m_index;
    struct Fan {
        PlaneRing ring;
        core::Bounds bounds;
    };
    std::vector<std::vector<Fan>> m_fans;  // by footprint, for convex features
    // The kept parts.
    std::vector<RoadMeasure> m_roads;
    std::vector<double> m_parcels;  // covered area
    std::vector<ZoneMeasure> m_zones;
    std::vector<SiteMeasure> m_sites;
};

}  // namespace

// ---- footprints by place ----------------------------------------------------------

struct FootprintIndex::Impl {
    bgi::rtree<std::pair<Box, std::size_t>, bgi::rstar<16>> tree;
};

FootprintIndex::FootprintIndex(const std::vector<Footprint>& footprints) : m_impl(std::make_unique<Impl>())
{
    std::vector<std::pair<Box, std::size_t>> boxes;
    for (std::size_t i = 0; i < footprints.size(); ++i)
        if (!footprints[i].empty())
            boxes.emplace_back(box_of(core::ring_bounds(footprints[i].outer())), i);
    m_impl->tree = decltype(m_impl->tree)(boxes.begin(), boxes.end());
}

FootprintIndex::~FootprintIndex() = default;

std::vector<std::size_t> FootprintIndex::near(const core::Bounds& bounds) const
{
    std::vector<std::size_t> out;
    for (auto it = m_impl->tree.qbegin(bgi::intersects(box_of(bounds))); it != m_impl->tree.qend(); ++it)
        out.push_back(it->second);
    std::sort(out.begin(), out.end());
    return out;
}

struct CoverageMeasurer::Impl : Measurer {
    using Measurer::Measurer;
};

CoverageMeasurer::CoverageMeasurer(const CityLayers& city, CoverageNetwork network, const MeasureOptions& options)
    : m_impl(std::make_unique<Impl>(city, network, options))
{
}

CoverageMeasurer::~CoverageMeasurer() = default;

CoverageMeasure CoverageMeasurer::measure(const std::vector<Device>& devices, const std::vector<Footprint>& footprints)
{
    return m_impl->measure(devices, footprints);
}

CoverageMeasure CoverageMeasurer::measure_again(const std::vector<Device>& devices,
                                                const std::vector<Footprint>& footprints,
                                                const std::vector<std::size_t>& changed, const core::Bounds& where)
{
    return m_impl->measure_again(devices, footprints, changed, where);
}

CoverageMeasure measure_coverage(const CityLayers& city, const std::vector<Device>& devices,
                                 const std::vector<Footprint>& footprints, CoverageNetwork network,
                                 const MeasureOptions& options)
{
    return CoverageMeasurer(city, network, options).measure(devices, footprints);
}

}  // namespace lantern::layers::coverage
