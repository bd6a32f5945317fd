// Where one more camera would help most: candidate sites (street junctions
// or a file), what each would see, and the greedy maximum coverage of what
// the existing cameras leave unwatched (core/coverage/max_coverage.hpp).

#include "coverage_internal.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <lantern/core/coverage/max_coverage.hpp>
#include <lantern/core/geometry/ring_measure.hpp>

namespace lantern::layers::coverage {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

// The camera a junction candidate stands for (docs/coverage.md).
constexpr double candidate_fov_deg = 90;
constexpr double candidate_range_m = 60;
// Road pieces and heritage lattice cells: the units of what is covered.
constexpr double road_piece_m = 1.0;
constexpr double heritage_cell_m = 2.0;

using BoxPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using Box = bg::model::box<BoxPoint>;

double bearing_deg(PlanePoint from, PlanePoint to)
{
    double bearing = std::atan2(to.x - from.x, to.y - from.y) * 180.0 / std::numbers::pi;
    return bearing < 0 ? bearing + 360 : bearing;
}

// What may be covered: points with weights (metres of road or square metres
// of heritage area), behind an R-tree.
struct Elements {
    std::vector<PlanePoint> points;
    std::vector<double> weights;
    bgi::rtree<std::pair<BoxPoint, std::uint32_t>, bgi::rstar<16>> tree;

    void index()
    {
        std::vector<std::pair<BoxPoint, std::uint32_t>> entries;
        for (std::size_t i = 0; i < points.size(); ++i)
            entries.emplace_back(BoxPoint{points[i].x, points[i].y}, static_cast<std::uint32_t>(i));
        tree = decltype(tree)(entries.begin(), entries.end());
    }

    std::vector<std::uint32_t> inside(const PlaneRing& ring) const
    {
        std::vector<std::uint32_t> out;
        if (ring.size() < 3)
            return out;
        auto b = core::ring_bounds(ring);
        Box box{{b.min_x, b.min_y}, {b.max_x, b.max_y}};
        for (auto it = tree.qbegin(bgi::intersects(box)); it != tree.qend(); ++it)
            if (core::ring_contains(ring, points[it->second]))
                out.push_back(it->second);
        std::sort(out.begin(), out.end());
        return out;
    }
};

Elements road_elements(const CityLayers& city)
{
    Elements e;
    for (const auto& road : city.roads)
        for (const auto& points : road.parts)
            for (std::size_t i = 0; i + 1 < points.size(); ++i) {
                PlanePoint a = points[i], b = points[i + 1];
                double length = std::hypot(b.x - a.x, b.y - a.y);
                int pieces = static_cast<int>(std::ceil(length / road_piece_m));
                for (int p = 0; p < pieces; ++p) {
                    double t = (p + 0.5) / pieces;
                    e.points.push_back({a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t});
                    e.weights.push_back(length / pieces);
                }
            }
    e.index();
    return e;
}

Elements heritage_elements(const CityLayers& city)
{
    Elements e;
    // The zones hold the sites; without zones, the sites' own areas.
    const auto& areas = city.heritage_zones.empty() ? city.heritage_sites : city.heritage_zones;
    for (const auto& area : areas) {
        if (area.wkb.empty())
            continue;
        for (const auto& s : core::sample_geometry(area.wkb, heritage_cell_m)) {
            e.points.push_back({s.x, s.y});
            e.weights.push_back(s.weight);
        }
    }
    e.index();
    return e;
}

}  // namespace

std::vector<Device> junction_candidates(const CityLayers& city)
{
    // Road ends and vertices by position (to the centimetre), with the
    // directions of the segments that meet there.
    struct Node {
        PlanePoint at;
        std::vector<double> bearings;
    };
    std::map<std::pair<long long, long long>, Node> nodes;
    auto key = [](PlanePoint p) { return std::make_pair(std::llround(p.x * 100), std::llround(p.y * 100)); };
    for (const auto& road : city.roads)
        for (const auto& points : road.parts)
            for (std::size_t i = 0; i + 1 < points.size(); ++i) {
                PlanePoint a = points[i], b = points[i + 1];
                if (a.x == b.x && a.y == b.y)
                    continue;
                auto& na = nodes[key(a)];
                na.at = a;
                na.bearings.push_back(bearing_deg(a, b));
                auto& nb = nodes[key(b)];
                nb.at = b;
                nb.bearings.push_back(bearing_deg(b, a));
            }
    std::vector<Device> candidates;
    std::size_t junction = 0;
    for (auto& [k, node] : nodes) {
        if (node.bearings.size() < 3)
            continue;
        ++junction;
        std::sort(node.bearings.begin(), node.bearings.end());
        std::vector<double> headings;
        for (double b : node.bearings)
            if (headings.empty() || b - headings.back() > 10)
                headings.push_back(b);
        for (std::size_t h = 0; h < headings.size(); ++h) {
            Device d;
            d.id = "J" + std::to_string(junction) + "-" + std::to_string(h + 1);
            d.kind = "security";
            d.at = node.at;
            d.heading_deg = headings[h];
            d.fov_deg = candidate_fov_deg;
            d.range_m = candidate_range_m;
            d.resolution_px = default_resolution_px(d.kind);
            d.added = true;
            candidates.push_back(std::move(d));
        }
    }
    return candidates;
}

Placement suggest_sites(const CityLayers& city, const std::vector<Footprint>& existing,
                        std::vector<Device> candidates, const core::Occluders& buildings,
                        const CoverageOptions& options)
{
    bool roads = options.objective == PlacementObjective::roads;
    Elements elements = roads ? road_elements(city) : heritage_elements(city);

    core::CoverageProblem problem;
    problem.element_weights = elements.weights;
    problem.already_covered.assign(elements.points.size(), false);
    for (const auto& footprint : existing)
        if (!footprint.empty())
            for (auto i : elements.inside(footprint.outer()))
                problem.already_covered[i] = true;
    auto footprints = compute_footprints(candidates, buildings, CoverageNetwork::cameras, options.threads);
    for (const auto& footprint : footprints)
        problem.candidates.push_back(footprint.empty() ? std::vector<std::uint32_t>{}
                                                       : elements.inside(footprint.outer()));

    auto choice = core::greedy_max_coverage(problem, options.suggest);

    double total = 0, covered = 0;
    for (std::size_t i = 0; i < elements.weights.size(); ++i) {
        total += elements.weights[i];
        covered += problem.already_covered[i] ? elements.weights[i] : 0;
    }
    const char* unit = roads ? "m" : "m2";
    Placement placement;
    auto sites = nlohmann::json::array();
    double cumulative = covered;
    for (std::size_t n = 0; n < choice.chosen.size(); ++n) {
        const auto& d = candidates[choice.chosen[n]];
        cumulative += choice.gains[n];
        sites.push_back({{"id", d.id},
                         {"x", d.at.x},
                         {"y", d.at.y},
                         {"heading_deg", d.heading_deg},
                         {"fov_deg", d.fov_deg},
                         {"range_m", d.range_m},
                         {std::string("gain_") + unit, choice.gains[n]},
                         {"covered_share_after", total > 0 ? cumulative / total : 0}});
        placement.chosen.push_back(d);
        placement.chosen_footprints.push_back(footprints[choice.chosen[n]]);
    }
    placement.summary = {
        {"objective", roads ? "roads" : "heritage"},
        {"unit", unit},
        {"candidates", candidates.size()},
        {"asked", options.suggest},
        {"total", total},
        {"covered_before", covered},
        {"covered_after", covered + choice.total_gain},
        {"gain", choice.total_gain},
        {"evaluations", choice.evaluations},
        {"method", "greedy maximum coverage with lazy evaluation: at least (1 - 1/e) of the best choice"},
        {"sites", sites},
    };
    return placement;
}

}  // namespace lantern::layers::coverage
