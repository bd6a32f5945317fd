#pragma once
// The plan as the permit check, the compliance audit and the land fund read
// it (docs/permits.md): planning zones with their building rules, heritage
// zones with theirs, parcels, buildings and heritage sites, each feature's
// WKB behind an R-tree of boxes, and the wards. Read once; const queries
// are safe from any number of threads (the R-trees are only read, and GEOS
// geometries are made per query, in the caller's GeosOps).

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <lantern/core/base/numbers.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/ward_locator.hpp>

namespace lantern::layers::planning {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BBox = bg::model::box<BPoint>;

// A zone of the detailed plan and the rules it sets; a rule the zone does not
// give is none.
struct ZoneRules {
    std::string id, type, plan_ref;
    std::optional<double> max_height_m, max_coverage_pct, max_far;
    std::optional<std::int64_t> max_floors;
    std::vector<std::string> land_uses;  // empty: the zone names none

    bool allows(const std::string& land_use) const;
    // Whether the zone lets anything be built at all: floors, coverage and
    // floor-area ratio all above zero where given.
    bool allows_building() const;
    // The reference a rule of this zone cites: its plan, or its id.
    std::string source() const;
};

// A heritage protection zone: I (no new construction; repairs within the
// original height) or II (its own limits).
struct HeritageRules {
    std::string id, protection, name, rules;
    std::optional<double> max_height_m, min_site_distance_m;
    std::optional<std::int64_t> max_floors;

    bool absolute() const { return protection == "I"; }
    std::string source() const;  // the zone's name and rules text
};

struct ParcelRecord {
    std::string id, land_use, address;
};

struct BuildingRecord {
    std::string id;
    std::optional<double> height_m;
    std::optional<std::int64_t> levels;
    std::string permit;
    // Floors for floor area: the stated levels, else one.
    double floors_for_area() const { return levels && *levels > 0 ? static_cast<double>(*levels) : 1.0; }
};

struct SiteRecord {
    std::string id, name, rank;
};

// Features of one class with their records, WKB and boxes, in fid order.
template <typename Record>
struct Indexed {
    std::vector<Record> records;
    std::vector<core::Wkb> wkb;
    std::vector<std::int64_t> fids;
    std::vector<BBox> boxes;
    bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>> tree;

    std::size_t size() const { return records.size(); }
    // The features whose boxes meet the box, in fid order.
    std::vector<std::size_t> touching(const BBox& box) const;
};

struct PlanData {
    Indexed<ZoneRules> zones;
    Indexed<HeritageRules> heritage_zones;
    Indexed<ParcelRecord> parcels;
    Indexed<BuildingRecord> buildings;
    Indexed<SiteRecord> heritage_sites;
    WardLocator wards;
    std::string crs;  // the city's

    // Reads the classes; a class not imported yet has no features. Throws
    // DataError naming the class and feature whose geometry cannot be read.
    static PlanData read(const core::Storage& storage);
    // The classes read, for a result's inputs.
    static std::vector<std::string> input_classes(const core::Storage& storage);
};

BBox box_of(const core::Wkb& wkb);

using core::rounded;
BBox grown(const BBox& box, double by);

}  // namespace lantern::layers::planning
