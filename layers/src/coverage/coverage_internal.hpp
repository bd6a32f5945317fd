#pragma once
// The coverage analysis's parts, private to layers/src/coverage.

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/base/parallel.hpp>
#include <lantern/core/geometry/visibility.hpp>
#include <lantern/core/io/grid_vector.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/coverage.hpp>
#include <lantern/layers/ward_locator.hpp>

namespace lantern::layers::coverage {

using core::PlanePoint;
using core::PlaneRing;

// A camera or a lamp as the analysis sees it, with the defaults filled in.
struct Device {
    std::string id;
    std::string kind;  // the camera's purpose or the lamp's type
    PlanePoint at;
    double heading_deg = 0;
    double fov_deg = 360;
    double range_m = 0;        // cameras: the stated useful range
    double resolution_px = 0;  // cameras
    double height_m = 0;       // lamps: mounting height
    double lumens = 0;         // lamps
    std::string lighting_class;  // lamps: of the nearest road
    double threshold_lux = 0;    // lamps: that class's minimum illuminance
    bool added = false;          // a what-if device from --add
};

// The device's reach: the region it covers out to each radius it is
// measured at, nested, finest first. Cameras: one ring per detail level
// (identify ... detect), each out to where the pixel density falls to the
// level or the stated range, whichever is nearer. Lamps: one ring, out to
// the lit radius. An empty ring: nothing at that level.
struct Footprint {
    std::vector<double> radii;
    std::vector<PlaneRing> reach;
    const PlaneRing& outer() const { return reach.back(); }
    bool empty() const { return reach.empty() || reach.back().empty(); }
};

// Calls work(i) for i in [0, count) on up to `threads` threads (0: all of
// the default pool's), one index at a time: items take very different times.
template <typename Work>
void parallel_for(std::size_t count, unsigned threads, Work&& work)
{
    core::parallel_for(count, std::forward<Work>(work), {.grain = 1, .threads = threads});
}

// ---- the city's classes, read once -----------------------------------------

struct RoadLine {
    std::string id;
    std::string name;
    std::string road_class;
    std::vector<std::vector<PlanePoint>> parts;
};

struct AreaFeature {
    std::string id;
    std::string name;
    std::string kind;  // heritage zone protection, site rank, parcel land use
    core::Wkb wkb;     // empty for a point site
    PlaneRing convex;  // the outline of a polygon that is convex and has no holes; empty otherwise
    std::optional<PlanePoint> point;
    core::Bounds bounds;
    double area_m2 = 0;
};

struct CityLayers {
    std::vector<RoadLine> roads;
    std::vector<AreaFeature> heritage_zones;
    std::vector<AreaFeature> heritage_sites;
    std::vector<AreaFeature> parcels;
    std::vector<Ward> wards;  // in fid order, for a WardLocator
    std::vector<core::PlanePolygon> buildings;
    std::vector<std::string> classes_read;  // the inputs a result records
};

// The large classes are parsed on up to `threads` threads (0: one per core).
CityLayers read_city_layers(const core::Storage& storage, CoverageNetwork network, unsigned threads);

// The polygons, lines or point of a WKB geometry. Throw DataError for WKB
// that cannot be read.
std::vector<core::PlanePolygon> polygons_of(const core::Wkb& wkb);
std::vector<std::vector<PlanePoint>> lines_of(const core::Wkb& wkb);
// The point of a point geometry; nothing for any other type.
std::optional<PlanePoint> point_of(const core::Wkb& wkb);
core::Wkb polygon_wkb(const PlaneRing& ring);
core::Wkb line_wkb(const std::vector<PlanePoint>& points);

// ---- devices ------------------------------------------------------------------

// The devices the analysis covers with: cameras online (or without a
// status), lamps on (or without one); each lamp with the lighting class of
// the nearest road within 30 m (docs/coverage.md).
std::vector<Device> read_devices(const core::Storage& storage, CoverageNetwork network,
                                 const CityLayers& city);
// The device of this id as read_devices would read it; nothing when the
// class has no such device, or when its status leaves it out.
std::optional<Device> read_device(const core::Storage& storage, CoverageNetwork network, const CityLayers& city,
                                  const std::string& id);
// Devices from a what-if or candidates file, in the city CRS; the fields of
// the cameras or lamps schema, missing ones defaulted. Throws DataError
// naming the file, the feature and the field.
std::vector<Device> read_device_file(const core::Storage& storage, const std::string& path,
                                     CoverageNetwork network, const CityLayers& city);

// The default horizontal resolution of a camera of this purpose.
double default_resolution_px(const std::string& purpose);

// EN 13201-2 P classes (docs/coverage.md).
struct LightingClass {
    std::string name;
    double average_lux;
    double minimum_lux;
};
const std::vector<LightingClass>& lighting_classes();
// The class a road of this OSM-style class is lit to; P6 for none.
const LightingClass& lighting_class_for(const std::string& road_class);

// ---- footprints -----------------------------------------------------------------

// Each device's footprint, in parallel.
std::vector<Footprint> compute_footprints(const std::vector<Device>& devices,
                                          const core::Occluders& buildings, CoverageNetwork network,
                                          unsigned threads);

// The radius of each reach ring of a device (see Footprint).
std::vector<double> reach_radii(const Device& device, CoverageNetwork network);

// ---- measuring ----------------------------------------------------------------------

// What a set of footprints covers of the city.
struct CoverageMeasure {
    nlohmann::json summary;  // roads by class, heritage, parcels, wards
    // Uncovered road stretches at least min_gap_m long.
    struct Gap {
        const RoadLine* road;
        std::vector<PlanePoint> points;
        double length_m;
        std::string ward;
        std::size_t part;  // of the road's lines
        double from_m;     // where it starts along that part
    };
    std::vector<Gap> gaps;
    // Heritage zone parts no footprint reaches, at least min_blind_spot_m2.
    struct BlindSpot {
        const AreaFeature* zone;
        core::Wkb wkb;
        double area_m2;
    };
    std::vector<BlindSpot> blind_spots;
    struct WardTotals {
        double road_m = 0, road_covered_m = 0;
        double parcel_m2 = 0, parcel_covered_m2 = 0;
        std::size_t devices = 0;
    };
    std::vector<WardTotals> wards;  // in CityLayers::wards order
};

struct MeasureOptions {
    double min_gap_m = 20;
    double min_blind_spot_m2 = 25;
    bool blind_spots = true;
    unsigned threads = 0;
};

// Measures the outer rings (and for cameras each detail level's ring on
// roads), keeping each road's, parcel's, zone's and site's part: after a few
// footprints change, only what lies where they were or are is measured again
// (LiveCoverage). A device whose id is empty is a vacant slot: not counted.
class CoverageMeasurer {
public:
    CoverageMeasurer(const CityLayers& city, CoverageNetwork network, const MeasureOptions& options);
    ~CoverageMeasurer();
    CoverageMeasurer(const CoverageMeasurer&) = delete;
    CoverageMeasurer& operator=(const CoverageMeasurer&) = delete;

    // Measures everything.
    CoverageMeasure measure(const std::vector<Device>& devices, const std::vector<Footprint>& footprints);
    // After the footprints at `changed` (indices) changed, within `where`
    // (their boxes before and after): measures again what meets `where`.
    // The vectors are those measured before, but for those slots.
    CoverageMeasure measure_again(const std::vector<Device>& devices, const std::vector<Footprint>& footprints,
                                  const std::vector<std::size_t>& changed, const core::Bounds& where);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// The same, once.
CoverageMeasure measure_coverage(const CityLayers& city, const std::vector<Device>& devices,
                                 const std::vector<Footprint>& footprints, CoverageNetwork network,
                                 const MeasureOptions& options);

// The footprints whose outer ring's box meets a box, by an R-tree.
class FootprintIndex {
public:
    explicit FootprintIndex(const std::vector<Footprint>& footprints);
    ~FootprintIndex();
    // Indices into the footprints, ascending.
    std::vector<std::size_t> near(const core::Bounds& bounds) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// ---- results, map, placement ------------------------------------------------------

// Where coverage results are written: a sink for result `name`, in a
// batch (a run) or an edit (live_coverage.cpp).
using ResultSinks =
    std::function<core::FeatureSink&(const std::string& name, const std::string& description, core::ClassSchema schema)>;

// The footprint result's name (camera_coverage, lighting_coverage) and the
// field that holds a device's id in it.
std::string footprint_result(CoverageNetwork network);
std::string footprint_device_field(CoverageNetwork network);

// Writes each device's footprint (per detail band for cameras).
void add_footprint_results(const ResultSinks& sinks, const std::vector<Device>& devices,
                           const std::vector<Footprint>& footprints, CoverageNetwork network);
// Writes the gaps, blind spots (cameras) and ward totals.
void add_measure_results(const ResultSinks& sinks, const CityLayers& city, const CoverageMeasure& measure,
                         CoverageNetwork network);
// Their names.
std::vector<std::string> measure_results(CoverageNetwork network);

// Draws the footprints and gaps over the city, and the suggested sites' views.
void draw_coverage_map(const core::Storage& storage, const std::vector<Device>& devices,
                       const std::vector<Footprint>& footprints, const CoverageMeasure& measure,
                       CoverageNetwork network,
                       const std::vector<Device>& suggested, const std::vector<Footprint>& suggested_footprints,
                       const CoverageOptions& options);

// Junction candidates: a camera of the default model at each junction of
// three or more road ends, looking along each road that leaves it.
std::vector<Device> junction_candidates(const CityLayers& city);

struct Placement {
    std::vector<Device> chosen;
    std::vector<Footprint> chosen_footprints;
    nlohmann::json summary;
};
Placement suggest_sites(const CityLayers& city, const std::vector<Footprint>& existing,
                        std::vector<Device> candidates, const core::Occluders& buildings,
                        const CoverageOptions& options);

}  // namespace lantern::layers::coverage
