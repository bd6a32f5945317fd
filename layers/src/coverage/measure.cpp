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

#include "geos_ops.hpp"

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

class Measurer {
public:
    Measurer(const CityLayers& city, const std::vector<Device>& devices, const std::vector<Footprint>& footprints,
             CoverageNetwork network, const MeasureOptions& options)
        : m_city(city), m_devices(devices), m_footprints(footprints), m_network(network), m_options(options),
          m_index(footprints), m_wards(city.wards)
    {
        m_out.wards.resize(city.wards.size());
    }

    CoverageMeasure run()
    {
        for (const auto& device : m_devices)
            if (int w = m_wards.ward_at(device.at); w >= 0)
                ++m_out.wards[static_cast<std::size_t>(w)].devices;
        m_out.summary["roads"] = measure_roads();
        cut_fans();
        if (m_network == CoverageNetwork::cameras) {
            m_out.summary["heritage_zones"] = measure_zones();
            m_out.summary["heritage_sites"] = measure_sites();
        }
        m_out.summary["parcels"] = measure_parcels();
        return std::move(m_out);
    }

private:
    std::size_t levels() const
    {
        return m_network == CoverageNetwork::cameras ? core::detail_levels().size() : 1;
    }

    // ---- roads ----------------------------------------------------------

    struct OpenGap {
        std::size_t part = 0;
        std::vector<PlanePoint> points;
        double length = 0;
        double from_m = 0;  // along the part
    };

    void close_gap(OpenGap& gap, const RoadLine& road)
    {
        if (gap.length >= m_options.min_gap_m && gap.points.size() >= 2) {
            int w = m_wards.ward_at(gap.points[gap.points.size() / 2]);
            m_out.gaps.push_back({&road, gap.points, gap.length,
                                  w >= 0 ? m_city.wards[static_cast<std::size_t>(w)].code : std::string(),
                                  gap.part, gap.from_m});
        }
        gap = OpenGap{.part = gap.part, .points = {}, .length = 0, .from_m = 0};
    }

    nlohmann::json measure_roads()
    {
        std::map<std::string, std::pair<double, double>> by_class;
        std::vector<double> covered_by_level(levels(), 0.0);
        double total = 0;
        for (const auto& road : m_city.roads) {
            auto& class_totals = by_class[road.road_class.empty() ? "unclassified" : road.road_class];
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
                    total += length;
                    class_totals.first += length;
                    for (std::size_t k = 0; k < levels_inside.size(); ++k)
                        for (const auto& [t0, t1] : levels_inside[k])
                            covered_by_level[k] += (t1 - t0) * length;
                    for (const auto& [t0, t1] : inside)
                        class_totals.second += (t1 - t0) * length;
                    add_to_wards(a, b, length, inside);
                    follow_gaps(gap, road, a, b, length, along, inside);
                    along += length;
                }
                close_gap(gap, road);
            }
        }
        nlohmann::json out = totals_json(total, covered_by_level.back(), "m");
        out["by_class"] = nlohmann::json::object();
        for (const auto& [cls, t] : by_class)
            out["by_class"][cls] = totals_json(t.first, t.second, "m");
        if (m_network == CoverageNetwork::cameras) {
            // Finest first; each level's length includes the finer ones'.
            out["by_detail"] = nlohmann::json::array();
            for (std::size_t k = 0; k < levels(); ++k) {
                auto level = totals_json(total, covered_by_level[k], "m");
                level["level"] = core::detail_levels()[k].name;
                out["by_detail"].push_back(level);
            }
        }
        out["gaps"] = m_out.gaps.size();
        double gap_length = 0;
        for (const auto& g : m_out.gaps)
            gap_length += g.length_m;
        out["gap_m"] = gap_length;
        return out;
    }

    // The parts of a-b inside each level's rings, merged; the last is the outer.
    std::vector<std::vector<core::SegmentInterval>> covered_intervals(PlanePoint a, PlanePoint b) const
    {
        core::Bounds box{std::min(a.x, b.x), std::min(a.y, b.y), std::max(a.x, b.x), std::max(a.y, b.y)};
        std::vector<std::vector<core::SegmentInterval>> out(levels());
        for (auto f : m_index.near(box)) {
            const auto& footprint = m_footprints[f];
            for (std::size_t k = 0; k < footprint.reach.size() && k < out.size(); ++k)
                if (footprint.reach[k].size() >= 3)
                    for (const auto& interval : core::segment_inside(footprint.reach[k], a, b))
                        out[k].push_back(interval);
        }
        for (auto& intervals : out)
            intervals = core::merge_intervals(std::move(intervals));
        return out;
    }

    void add_to_wards(PlanePoint a, PlanePoint b, double length, const std::vector<core::SegmentInterval>& inside)
    {
        if (m_out.wards.empty())
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
            auto& totals = m_out.wards[static_cast<std::size_t>(w)];
            totals.road_m += (u1 - u0) * length;
            totals.road_covered_m += covered * length;
        }
    }

    // Extends the open gap over the uncovered parts of a-b, closing it where
    // a covered part begins.
    void follow_gaps(OpenGap& gap, const RoadLine& road, PlanePoint a, PlanePoint b, double length,
                     double along, const std::vector<core::SegmentInterval>& inside)
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
            close_gap(gap, road);
            t = t1;
        }
        extend(t, 1.0);
    }

    // ---- areas ----------------------------------------------------------

    std::vector<const PlaneRing*> rings_near(const core::Bounds& bounds) const
    {
        std::vector<const PlaneRing*> rings;
        for (auto f : m_index.near(bounds))
            rings.push_back(&m_footprints[f].outer());
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
        for (auto f : m_index.near(area.bounds)) {
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

    // Every footprint's convex fans with their boxes, cut once rather than
    // once for every parcel it reaches; none for a footprint that is not
    // star-shaped from its device.
    void cut_fans()
    {
        m_fans.resize(m_footprints.size());
        parallel_for(m_footprints.size(), m_options.threads, [&](std::size_t f) {
            if (m_footprints[f].empty())
                return;
            for (auto& ring : core::convex_fans(m_footprints[f].outer(), m_devices[f].at)) {
                auto bounds = core::ring_bounds(ring);
                m_fans[f].push_back({std::move(ring), bounds});
            }
        });
    }

    nlohmann::json measure_zones()
    {
        GeosOps geos;
        auto out = nlohmann::json::array();
        for (const auto& zone : m_city.heritage_zones) {
            GeosOps::Geometry uncovered;
            double covered = covered_area(geos, zone, &uncovered);
            std::size_t spots = 0;
            if (m_options.blind_spots)
                for (auto& part : geos.polygons(uncovered.get())) {
                    double area = geos.area(part.get());
                    if (area < m_options.min_blind_spot_m2)
                        continue;
                    m_out.blind_spots.push_back({&zone, geos.write(part.get()), area});
                    ++spots;
                }
            auto entry = totals_json(zone.area_m2, covered, "m2");
            entry["zone_id"] = zone.id;
            entry["protection"] = zone.kind;
            entry["blind_spots"] = spots;
            out.push_back(entry);
        }
        return out;
    }

    nlohmann::json measure_sites()
    {
        GeosOps geos;
        std::size_t covered_count = 0;
        double area = 0, covered_area_sum = 0;
        auto uncovered_sites = nlohmann::json::array();
        for (const auto& site : m_city.heritage_sites) {
            bool covered = false;
            if (site.point) {
                for (const auto* ring : rings_near({site.point->x, site.point->y, site.point->x, site.point->y}))
                    covered = covered || core::ring_contains(*ring, *site.point);
            } else {
                double c = covered_area(geos, site, nullptr);
                area += site.area_m2;
                covered_area_sum += c;
                covered = c > 0;
            }
            covered_count += covered ? 1 : 0;
            if (!covered)
                uncovered_sites.push_back({{"site_id", site.id}, {"name", site.name}});
        }
        return {{"sites", m_city.heritage_sites.size()},
                {"covered", covered_count},
                {"covered_share", share(static_cast<double>(covered_count),
                                        static_cast<double>(m_city.heritage_sites.size()))},
                {"area", totals_json(area, covered_area_sum, "m2")},
                {"not_covered", uncovered_sites}};
    }

    nlohmann::json measure_parcels()
    {
        const auto& parcels = m_city.parcels;
        std::vector<double> covered(parcels.size(), 0.0);
        parallel_for(parcels.size(), m_options.threads, [&](std::size_t i) {
            // One GEOS context per thread, kept for the thread's life.
            thread_local GeosOps geos;
            if (!parcels[i].wkb.empty())
                covered[i] = covered_area(geos, parcels[i], nullptr);
        });

        double total = 0, covered_total = 0;
        std::size_t touched = 0;
        for (std::size_t i = 0; i < parcels.size(); ++i) {
            total += parcels[i].area_m2;
            covered_total += covered[i];
            touched += covered[i] > 0 ? 1 : 0;
            if (m_out.wards.empty())
                continue;
            const auto& b = parcels[i].bounds;
            int w = m_wards.ward_at({(b.min_x + b.max_x) / 2, (b.min_y + b.max_y) / 2});
            if (w >= 0) {
                m_out.wards[static_cast<std::size_t>(w)].parcel_m2 += parcels[i].area_m2;
                m_out.wards[static_cast<std::size_t>(w)].parcel_covered_m2 += covered[i];
            }
        }
        auto out = totals_json(total, covered_total, "m2");
        out["parcels"] = parcels.size();
        out["parcels_touched"] = touched;
        return out;
    }

    const CityLayers& m_city;
    const std::vector<Device>& m_devices;
    const std::vector<Footprint>& m_footprints;
    CoverageNetwork m_network;
    MeasureOptions m_options;
    FootprintIndex m_index;
    struct Fan {
        PlaneRing ring;
        core::Bounds bounds;
    };
    std::vector<std::vector<Fan>> m_fans;  // by footprint, for convex features
    WardLocator m_wards;
    CoverageMeasure m_out;
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

CoverageMeasure measure_coverage(const CityLayers& city, const std::vector<Device>& devices,
                                 const std::vector<Footprint>& footprints, CoverageNetwork network,
                                 const MeasureOptions& options)
{
    return Measurer(city, devices, footprints, network, options).run();
}

}  // namespace lantern::layers::coverage
