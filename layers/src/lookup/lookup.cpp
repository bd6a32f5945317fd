// The planning lookup at a point (lookup.hpp, docs/api.md). Areas (parcels,
// zones, heritage zones, coverage footprints, the fire_access buildings) are
// kept as Boost.Geometry multipolygons for the parcel answers and behind a
// core::PolygonLocator (a grid of their boxes, strips of their edges) for
// point tests that do not grow with a ward's thousands of vertices (the
// buildings also in an R-tree of their boxes, for the nearest); the ward of
// a point is the WardLocator's, as in every analysis; points (heritage
// sites, drainage nodes) in an R-tree of points, and the flood grids as
// plain arrays: all read-only after loading, so lookups run in parallel
// without locks. Each feature's properties are written as JSON text once, so
// that an answer at a point is text put together, not a tree built and
// written.

#include <lantern/layers/lookup.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <unordered_map>
#include <cmath>
#include <string>
#include <vector>

#include <boost/container/small_vector.hpp>
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <boost/iterator/function_output_iterator.hpp>
#include <ogr_api.h>
#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/json_text.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/base/utf8.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/geometry/box_grid.hpp>
#include <lantern/core/geometry/polygon_locator.hpp>
#include <lantern/core/geometry/ring_measure.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/layers/flood.hpp>
#include <lantern/layers/result_availability.hpp>
#include <lantern/layers/ward_locator.hpp>

#include "../field_values.hpp"
#include "../flood/flood_internal.hpp"
#include "fire_sentence.hpp"

namespace lantern::layers {

namespace {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BPolygon = bg::model::polygon<BPoint>;
using BMultiPolygon = bg::model::multi_polygon<BPolygon>;
using nlohmann::json;

std::unique_ptr<OGRGeometry> read_wkb(const core::StoredFeature& f, const std::string& where)
{
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &g, f.wkb.size()) != OGRERR_NONE)
        throw core::StorageError(where + " feature " + std::to_string(f.fid) + ": unreadable geometry");
    return std::unique_ptr<OGRGeometry>(g);
}

BPolygon to_polygon(const OGRPolygon& polygon)
{
    BPolygon out;
    auto ring = [](const OGRLinearRing& r, BPolygon::ring_type& to) {
        for (const auto& p : r)
            to.push_back(BPoint(p.getX(), p.getY()));
    };
    ring(*polygon.getExteriorRing(), out.outer());
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
        out.inners().emplace_back();
        ring(*polygon.getInteriorRing(i), out.inners().back());
    }
    bg::correct(out);
    return out;
}

// The features of one class or feature result: their values, with the
// schema that names them, and their properties as JSON text.
struct Features {
    core::ClassSchema schema;
    std::vector<std::vector<core::Value>> values;
    std::vector<std::string> texts;

    json properties(std::size_t i) const
    {
        json out = json::object();
        for (std::size_t f = 0; f < schema.fields.size() && f < values[i].size(); ++f)
            if (schema.fields[f].name != "source")
                out[schema.fields[f].name] = core::value_json(values[i][f]);
        return out;
    }
};

// Features in fid order, as few as a point lies in without an allocation.
using FeatureList = boost::container::small_vector<std::size_t, 8>;

struct Areas : Features {
    std::vector<std::int64_t> fids;
    std::vector<BMultiPolygon> shapes;
    core::PolygonLocator locator;  // of the shapes, in the same order

    // The features whose area holds the point (edges included), in fid order.
    FeatureList holding(BPoint p) const
    {
        FeatureList out;
        locator.holding({p.x(), p.y()}, [&](std::size_t i) { out.push_back(i); });
        return out;
    }

    bool covers(BPoint p) const { return locator.locate({p.x(), p.y()}).has_value(); }
};

std::vector<core::PlanePolygon> plane_parts(const BMultiPolygon& shape)
{
    std::vector<core::PlanePolygon> parts;
    auto ring = [](const BPolygon::ring_type& r) {
        core::PlaneRing out;
        for (std::size_t i = 0; i + 1 < r.size(); ++i)  // without the closing point
            out.push_back({r[i].x(), r[i].y()});
        return out;
    };
    for (const auto& polygon : shape) {
        parts.push_back({ring(polygon.outer()), {}});
        for (const auto& hole : polygon.inners())
            parts.back().holes.push_back(ring(hole));
    }
    return parts;
}

// Each feature's properties as JSON text, after `decorate` has had its say.
template <typename Decorate>
void write_texts(Features& features, Decorate decorate)
{
    features.texts.clear();
    for (std::size_t i = 0; i < features.values.size(); ++i) {
        json properties = features.properties(i);
        decorate(properties);
        features.texts.push_back(properties.dump());
    }
}

void write_texts(Features& features)
{
    write_texts(features, [](json&) {});
}

// For the nearest point: an R-tree finds it in few steps where points are
// sparse (a grid would search ring after ring of empty cells).
using PointTree = bgi::rtree<std::pair<BPoint, std::size_t>, bgi::rstar<16>>;

struct Points : Features {
    std::vector<BPoint> points;

    PointTree index() const
    {
        std::vector<std::pair<BPoint, std::size_t>> entries;
        for (std::size_t i = 0; i < points.size(); ++i)
            entries.emplace_back(points[i], i);
        return PointTree(entries.begin(), entries.end());
    }
};

using BBox = bg::model::box<BPoint>;

BBox bounds_of(const BPoint& p)
{
    return {p, p};
}

// Written out: Boost's envelope of a multi-polygon trips GCC 12's
// uninitialised-value warning.
BBox bounds_of(const BMultiPolygon& shape)
{
    BBox box{{INFINITY, INFINITY}, {-INFINITY, -INFINITY}};
    for (const auto& polygon : shape)
        for (const auto& p : polygon.outer()) {
            box.min_corner().x(std::min(box.min_corner().x(), p.x()));
            box.min_corner().y(std::min(box.min_corner().y(), p.y()));
            box.max_corner().x(std::max(box.max_corner().x(), p.x()));
            box.max_corner().y(std::max(box.max_corner().y(), p.y()));
        }
    return box;
}

// A point class with a part in the lookup (its description's lookup part),
// its features' texts holding their tile fields and id, written once.
struct PointClass {
    LookupPart part;
    std::string name;
    std::string member;  // "\"hydrants\":", the class's key in the answer
    Points points;
    PointTree index;

    // The nearest feature within the part's distance, if any.
    template <typename Found>
    void nearest(BPoint p, Found found) const
    {
        index.query(bgi::nearest(p, 1), boost::make_function_output_iterator([&](const auto& entry) {
                        if (double dist = bg::distance(p, entry.first); dist <= part.within_m)
                            found(entry.second, dist);
                    }));
    }

    // Every feature within the part's distance of `shape`, nearest first.
    template <typename Shape>
    std::vector<std::pair<double, std::size_t>> within(const Shape& shape) const
    {
        auto box = bounds_of(shape);
        box.min_corner().x(box.min_corner().x() - part.within_m);
        box.min_corner().y(box.min_corner().y() - part.within_m);
        box.max_corner().x(box.max_corner().x() + part.within_m);
        box.max_corner().y(box.max_corner().y() + part.within_m);
        std::vector<std::pair<double, std::size_t>> near;
        index.query(bgi::intersects(box), boost::make_function_output_iterator([&](const auto& entry) {
                        if (double dist = bg::distance(entry.first, shape); dist <= part.within_m)
                            near.emplace_back(dist, entry.second);
                    }));
        std::sort(near.begin(), near.end());
        return near;
    }
};

// A class not imported yet reads as no features.
Areas read_areas(const core::Storage& storage, const core::ClassSchema& schema)
{
    Areas areas;
    areas.schema = schema;
    if (!storage.has_class(schema.name))
        return areas;
    std::vector<std::vector<core::PlanePolygon>> polygons;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        auto g = read_wkb(f, schema.name);
        BMultiPolygon shape;
        auto type = wkbFlatten(g->getGeometryType());
        if (type == wkbPolygon)
            shape.push_back(to_polygon(*g->toPolygon()));
        else if (type == wkbMultiPolygon)
            for (const auto* part : *g->toMultiPolygon())
                shape.push_back(to_polygon(*part));
        if (shape.empty())
            return;
        polygons.push_back(plane_parts(shape));
        areas.fids.push_back(f.fid);
        areas.shapes.push_back(std::move(shape));
        areas.values.push_back(f.values);
    });
    areas.locator = core::PolygonLocator(polygons);
    write_texts(areas);
    return areas;
}

Points read_points(const core::Storage& storage, const core::ClassSchema& schema)
{
    Points points;
    points.schema = schema;
    if (!storage.has_class(schema.name))
        return points;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        auto g = read_wkb(f, schema.name);
        if (wkbFlatten(g->getGeometryType()) != wkbPoint || g->IsEmpty())
            return;
        points.points.emplace_back(g->toPoint()->getX(), g->toPoint()->getY());
        points.values.push_back(f.values);
    });
    write_texts(points);
    return points;
}

// A raster result in memory, north up. Its cells may be interleaved with
// other grids of the same shape (read_grids): value k of cell i at
// cells[i * stride + offset].
struct Grid {
    double x0 = 0, y0 = 0, pixel_width = 0, pixel_height = 0;
    int width = 0, height = 0;
    std::optional<double> no_data;
    std::shared_ptr<const std::vector<float>> cells;  // none when it could not be read
    std::size_t stride = 1, offset = 0;
    std::string problem;  // why it could not be read

    std::size_t cell_count() const { return static_cast<std::size_t>(width) * static_cast<std::size_t>(height); }

    bool same_shape(const Grid& other) const
    {
        return x0 == other.x0 && y0 == other.y0 && pixel_width == other.pixel_width &&
               pixel_height == other.pixel_height && width == other.width && height == other.height;
    }

    // The cell's value under the point; none off the grid or on no data.
    std::optional<double> at(BPoint p) const
    {
        double col = (p.x() - x0) / pixel_width, row = (y0 - p.y()) / pixel_height;
        if (!(col >= 0 && row >= 0 && col < width && row < height))
            return std::nullopt;
        std::size_t cell = static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col);
        double v = (*cells)[cell * stride + offset];
        if (std::isnan(v) || (no_data && v == *no_data))
            return std::nullopt;
        return v;
    }
};

// Raster results read into memory, in the order given. The cells of those
// shaped like the first are interleaved: the values of one place in all of
// them share a cache line, and a lookup at a random point waits on memory
// once, not once per grid. A raster that cannot be read (its file missing
// or damaged) gives a grid without cells and with the problem.
std::vector<Grid> read_grids(const core::Storage& storage, const std::vector<const core::ResultRecord*>& records)
{
    std::vector<Grid> grids;
    std::vector<std::optional<core::RasterDataset>> rasters;
    for (const auto* record : records) {
        Grid& grid = grids.emplace_back();
        auto& raster = rasters.emplace_back();
        try {
            raster.emplace(storage.open_raster(record->name));
        } catch (const std::exception& e) {
            grid.problem = e.what();
            continue;
        }
        const auto& frame = raster->frame();
        grid.x0 = frame.origin_x;
        grid.y0 = frame.origin_y;
        grid.pixel_width = frame.cell_x;
        grid.pixel_height = frame.cell_y;
        grid.width = frame.width;
        grid.height = frame.height;
        grid.no_data = record->no_data;
    }
    // Each read straight into its place, every stride-th value of `cells`
    // from `offset`; a raster is closed once read, and with it the blocks
    // GDAL cached on the way.
    auto read_into = [&](std::size_t i, const std::shared_ptr<std::vector<float>>& cells, std::size_t stride,
                         std::size_t offset) {
        auto& grid = grids[i];
        try {
            rasters[i]->read(0, 0, grid.width, grid.height, cells->data() + offset, stride);
            grid.cells = cells;
            grid.stride = stride;
            grid.offset = offset;
        } catch (const std::exception& e) {
            grid.problem = e.what();
        }
        rasters[i].reset();
    };
    std::vector<std::size_t> alike;
    for (std::size_t i = 0; i < grids.size(); ++i)
        if (rasters[i] && grids[i].same_shape(grids[alike.empty() ? i : alike.front()]))
            alike.push_back(i);
    if (!alike.empty()) {
        auto stack = std::make_shared<std::vector<float>>(grids[alike.front()].cell_count() * alike.size());
        for (std::size_t k = 0; k < alike.size(); ++k)
            read_into(alike[k], stack, alike.size(), k);
    }
    for (std::size_t i = 0; i < grids.size(); ++i)
        if (rasters[i])
            read_into(i, std::make_shared<std::vector<float>>(grids[i].cell_count()), 1, 0);
    return grids;
}

// An object's members as JSON text without its braces.
std::string members_text(const json& object)
{
    auto text = object.dump();
    return text.substr(1, text.size() - 2);
}

// A river stage's flood depths (flood_depth_<level>m).
struct StageDepths {
    std::string result, label;
    double level_m = 0;
    Grid depth;
    std::string fixed_members;  // "result", "level_m" and "label" as JSON members

    StageDepths(std::string result_name, std::string stage_label, double level, Grid grid)
        : result(std::move(result_name)), label(std::move(stage_label)), level_m(level), depth(std::move(grid)),
          fixed_members(members_text(
              {{"result", result}, {"level_m", level_m}, {"label", label.empty() ? json(nullptr) : json(label)}}))
    {
    }
};

// A hydrograph's arrival times (flood_arrival_<name>).
struct Arrival {
    std::string result, hydrograph;
    Grid hours;
    std::string fixed_members;  // "result" and "hydrograph" as JSON members

    Arrival(std::string result_name, std::string hydrograph_name, Grid grid)
        : result(std::move(result_name)), hydrograph(std::move(hydrograph_name)), hours(std::move(grid)),
          fixed_members(members_text({{"result", result}, {"hydrograph", hydrograph}}))
    {
    }
};

// The level of a stage result's name ("flood_depth_2.0m" -> 2.0), or none
// for another flood depth (a hydrograph's).
std::optional<double> stage_level(const std::string& name)
{
    const std::string prefix = "flood_depth_";
    if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 2 || name.back() != 'm')
        return std::nullopt;
    return core::parse_number(std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - 1));
}

std::string stage_label(double level)
{
    for (const auto& preset : gauge_presets())
        if (std::abs(preset.stage.level - level) < 1e-9)
            return preset.stage.label;
    return {};
}

// Names to search: each entry's words (core::search_words) in one sorted
// list, so the entries with a word starting with a prefix are one range.
struct SearchIndex {
    struct Entry {
        std::string kind, label, id;
        BPoint at;
        int rank = 0;  // of its kind: wards first, then heritage sites, streets, addresses, parcels
        std::vector<std::string> words;
        json more;  // members the hit has besides these (a former ward's unit), or null
    };
    std::vector<Entry> entries;
    std::vector<std::pair<std::string, std::size_t>> words;  // word, entry

    void add(std::string kind, int rank, std::string label, std::string id, BPoint at, json more = nullptr)
    {
        auto w = core::search_words(label + " " + id);
        if (w.empty())
            return;
        entries.push_back({std::move(kind), std::move(label), std::move(id), at, rank, std::move(w), std::move(more)});
    }

    void sort()
    {
        for (std::size_t e = 0; e < entries.size(); ++e)
            for (const auto& w : entries[e].words)
                words.emplace_back(w, e);
        std::sort(words.begin(), words.end());
        words.erase(std::unique(words.begin(), words.end()), words.end());
    }

    // Entries with a word starting with each query word, best first: labels
    // that start with the query, then by kind, then shorter labels.
    std::vector<std::size_t> find(const std::vector<std::string>& query, std::size_t limit) const
    {
        if (query.empty())
            return {};
        auto starts = [](const std::string& word, const std::string& prefix) {
            return word.compare(0, prefix.size(), prefix) == 0;
        };
        std::vector<std::size_t> hits;
        for (auto it = std::lower_bound(words.begin(), words.end(), std::make_pair(query[0], std::size_t{0}));
             it != words.end() && starts(it->first, query[0]); ++it) {
            const auto& entry = entries[it->second];
            bool all = std::all_of(query.begin() + 1, query.end(), [&](const std::string& q) {
                return std::any_of(entry.words.begin(), entry.words.end(),
                                   [&](const std::string& w) { return starts(w, q); });
            });
            if (all)
                hits.push_back(it->second);
        }
        std::sort(hits.begin(), hits.end());
        hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
        auto leading = [&](std::size_t e) {
            const auto& w = entries[e].words;
            if (w.size() < query.size())
                return false;
            for (std::size_t k = 0; k < query.size(); ++k)
                if (k + 1 < query.size() ? w[k] != query[k] : !starts(w[k], query[k]))
                    return false;
            return true;
        };
        std::sort(hits.begin(), hits.end(), [&](std::size_t a, std::size_t b) {
            const auto& x = entries[a];
            const auto& y = entries[b];
            return std::make_tuple(!leading(a), x.rank, x.label.size(), x.label) <
                   std::make_tuple(!leading(b), y.rank, y.label.size(), y.label);
        });
        if (hits.size() > limit)
            hits.resize(limit);
        return hits;
    }
};

// A point to show a search hit at: a line's first vertex's neighbourhood (the
// middle of its first segment), a polygon's centroid.
std::optional<BPoint> search_marker(const OGRGeometry& g)
{
    auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbMultiLineString && !g.IsEmpty())
        return search_marker(*g.toMultiLineString()->getGeometryRef(0));
    if (type == wkbLineString && g.toLineString()->getNumPoints() >= 2) {
        const auto* l = g.toLineString();
        return BPoint((l->getX(0) + l->getX(1)) / 2, (l->getY(0) + l->getY(1)) / 2);
    }
    if (type == wkbPoint && !g.IsEmpty())
        return BPoint(g.toPoint()->getX(), g.toPoint()->getY());
    OGRPoint centre;
    if (!g.IsEmpty() && g.Centroid(&centre) == OGRERR_NONE)
        return BPoint(centre.getX(), centre.getY());
    return std::nullopt;
}

// A point inside an area to show it at: its centroid where the area holds
// it, else a point on its surface (a crescent, a ring of islands).
std::optional<BPoint> marker_inside(const OGRGeometry& area)
{
    OGRPoint p;
    if (area.IsEmpty())
        return std::nullopt;
    if (area.Centroid(&p) == OGRERR_NONE && area.Contains(&p))
        return BPoint(p.getX(), p.getY());
    std::unique_ptr<OGRGeometry> on(OGRGeometry::FromHandle(
        OGR_G_PointOnSurface(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&area)))));
    if (on && wkbFlatten(on->getGeometryType()) == wkbPoint && !on->IsEmpty())
        return BPoint(on->toPoint()->getX(), on->toPoint()->getY());
    return std::nullopt;
}

std::string text_value(const Features& f, std::size_t i, const std::string& field)
{
    for (std::size_t k = 0; k < f.schema.fields.size(); ++k)
        if (f.schema.fields[k].name == field)
            if (const auto* s = std::get_if<std::string>(&f.values[i][k]))
                return *s;
    return {};
}

// A ward as the lookup gives it (docs/api.md): its fields but the unit's,
// the unit it is part of now ("unit": code, name, kind; null where the ward
// itself is current), the ward as it was ("former": code, name) where it
// has a unit, and the label naming both ("Phường Hội An, formerly Phường
// Minh An").
void describe_ward(json& ward)
{
    auto take = [&](const char* key) {
        std::string value;
        if (auto it = ward.find(key); it != ward.end()) {
            if (it->is_string())
                value = it->get<std::string>();
            ward.erase(it);
        }
        return value;
    };
    auto text = [&](const char* key) {
        auto it = ward.find(key);
        return it != ward.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    auto or_null = [](const std::string& value) { return value.empty() ? json(nullptr) : json(value); };
    Ward w;
    w.code = text("ward_code");
    w.name = text("name");
    w.unit_code = take("unit_code");
    w.unit_name = take("unit_name");
    auto unit_kind = take("unit_kind");
    ward["unit"] = nullptr;
    if (w.has_unit()) {
        ward["unit"] = {{"code", w.unit_code}, {"name", or_null(w.unit_name)}, {"kind", or_null(unit_kind)}};
        ward["former"] = {{"code", w.code}, {"name", w.name}};
    }
    ward["label"] = w.label();
}

// A parcel's land use with its names in the land law ("land_use_name").
void name_land_use(json& parcel)
{
    if (const auto* use = land_use(parcel.value("land_use", std::string())))
        parcel["land_use_name"] = {{"vi", use->name_vi}, {"en", use->name_en}};
}

// A zone's land_uses ("ODT,TMD") as a list of codes.
void list_land_uses(json& zone)
{
    if (!zone.contains("land_uses") || !zone["land_uses"].is_string())
        return;
    std::string list = zone["land_uses"];
    json codes = json::array();
    for (std::size_t start = 0; start < list.size();) {
        auto comma = std::min(list.find(',', start), list.size());
        if (comma > start)
            codes.push_back(list.substr(start, comma - start));
        start = comma + 1;
    }
    zone["land_uses"] = codes;
}

BPoint centre_of(const BMultiPolygon& shape)
{
    BPoint c(0, 0);
    bg::centroid(shape, c);
    return c;
}

// A building's fire access (fire_access, docs/fire.md): the buildings behind
// a polygon locator for the one holding a point, and an R-tree of their
// boxes for the nearest within building_within_m and for those on a
// parcel; each building's answer (docs/api.md) written once as JSON text,
// its sentences with it.
constexpr double building_within_m = 30;
using BoxTree = bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>>;

struct FireAccess {
    Areas buildings;  // texts: each building's answer, without distance_m
    BoxTree boxes;
    std::vector<BPoint> centres;

    // The building holding the point, else the nearest within
    // building_within_m (the lower fid on a tie), with its distance.
    std::optional<std::pair<std::size_t, double>> building_at(BPoint p) const
    {
        auto here = buildings.holding(p);
        if (!here.empty())
            return std::make_pair(here.front(), 0.0);
        // The boxes within reach nearest first: none farther than the best
        // footprint so far can hold a nearer one.
        BBox near{{p.x() - building_within_m, p.y() - building_within_m},
                  {p.x() + building_within_m, p.y() + building_within_m}};
        boost::container::small_vector<std::pair<double, std::size_t>, 64> candidates;
        boxes.query(bgi::intersects(near), boost::make_function_output_iterator([&](const auto& entry) {
                        if (double d = bg::distance(p, entry.first); d <= building_within_m)
                            candidates.emplace_back(d, entry.second);
                    }));
        std::sort(candidates.begin(), candidates.end());
        std::optional<std::pair<std::size_t, double>> best;
        for (auto [box_distance, i] : candidates) {
            if (best && box_distance > best->second)
                break;
            double dist = bg::distance(p, buildings.shapes[i]);
            if (dist <= building_within_m && (!best || dist < best->second || (dist == best->second && i < best->first)))
                best = std::make_pair(i, dist);
        }
        return best;
    }

    // The buildings whose centre lies on the area, in fid order.
    std::vector<std::size_t> centred_on(const BMultiPolygon& area) const
    {
        std::vector<std::size_t> out;
        boxes.query(bgi::intersects(bounds_of(area)), boost::make_function_output_iterator([&](const auto& entry) {
                        if (bg::covered_by(centres[entry.second], area))
                            out.push_back(entry.second);
                    }));
        std::sort(out.begin(), out.end());
        return out;
    }
};

// Metres and seconds as the lookup gives them, to 0.1; null stays null.
json tenths(const json& value)
{
    return value.is_number() ? json(std::round(value.get<double>() * 10) / 10) : json(nullptr);
}

std::optional<double> number_or_none(const json& row, const char* key)
{
    auto it = row.find(key);
    return it != row.end() && it->is_number() ? std::optional<double>(it->get<double>()) : std::nullopt;
}

bool flag(const json& row, const char* key)
{
    auto it = row.find(key);
    return it != row.end() && it->is_number() && it->get<double>() != 0;
}

// A building's fire answer from its fire_access row and the run's
// parameters (hydrant_reach_m): the members docs/api.md lists.
json fire_answer(const json& row, const std::string& result, const json& parameters)
{
    json out = {{"computed", true}, {"result", result}, {"building_id", row.value("building_id", json(nullptr))}};
    for (const char* key : {"station_id", "station_name"})
        out[key] = row.value(key, json(nullptr));
    for (const char* key : {"time_s", "route_m", "hose_m"})
        out[key] = tenths(row.value(key, json(nullptr)));
    out["hydrant_id"] = row.value("hydrant_id", json(nullptr));
    out["hydrant_m"] = tenths(row.value("hydrant_m", json(nullptr)));
    for (const char* key : {"beyond_target", "beyond_hose", "no_hydrant", "unreachable"})
        out[key] = flag(row, key);
    detail::FireFacts facts;
    facts.time_s = number_or_none(row, "time_s");
    facts.hydrant_m = number_or_none(row, "hydrant_m");
    facts.hose_m = number_or_none(row, "hose_m");
    facts.unreachable = flag(row, "unreachable");
    facts.beyond_hose = flag(row, "beyond_hose");
    facts.no_hydrant = flag(row, "no_hydrant");
    facts.stage_m = number_or_none(row, "stage_m");
    facts.dry_time_s = number_or_none(row, "dry_time_s");
    if (auto reach = parameters.find("hydrant_reach_m"); reach != parameters.end() && reach->is_number())
        facts.hydrant_reach_m = reach->get<double>();
    if (facts.stage_m) {
        out["stage_m"] = *facts.stage_m;
        out["lost_access"] = flag(row, "lost_access");
        for (const char* key : {"extra_s", "dry_time_s", "dry_route_m"})
            out[key] = tenths(row.value(key, json(nullptr)));
    }
    auto sentences = detail::fire_sentences(facts);
    out["sentence"] = {{"en", sentences.en}, {"vi", sentences.vi}};
    return out;
}

FireAccess read_fire_access(const core::Storage& storage, const core::ResultRecord& record)
{
    FireAccess fire;
    fire.buildings = read_areas(storage, record.schema);
    write_texts(fire.buildings, [&](json& row) { row = fire_answer(row, record.name, record.parameters); });
    std::vector<std::pair<BBox, std::size_t>> entries;
    for (std::size_t i = 0; i < fire.buildings.shapes.size(); ++i) {
        entries.emplace_back(bounds_of(fire.buildings.shapes[i]), i);
        fire.centres.push_back(centre_of(fire.buildings.shapes[i]));
    }
    fire.boxes = BoxTree(entries.begin(), entries.end());
    return fire;
}

// The point classes with a lookup part, each behind its own R-tree, built
// once here; their features' texts hold the tile fields (and the id).
std::vector<PointClass> read_point_classes(const core::Storage& storage, const ClassRegistry& classes)
{
    std::vector<PointClass> out;
    for (const auto& c : classes.all()) {
        if (!c.lookup)
            continue;
        PointClass n;
        n.part = *c.lookup;
        n.name = c.name();
        n.member = json(c.name()).dump() + ":";
        n.points = read_points(storage, c.schema);
        const auto& tile_fields = c.tiles.fields;
        write_texts(n.points, [&](json& properties) {
            if (tile_fields.empty())
                return;
            json kept = json::object();
            for (const auto& [key, value] : properties.items())
                if (key == c.schema.id_field ||
                    std::find(tile_fields.begin(), tile_fields.end(), key) != tile_fields.end())
                    kept[key] = value;
            properties = std::move(kept);
        });
        n.index = n.points.index();
        out.push_back(std::move(n));
    }
    return out;
}

// A search label: the first of the fields that is not empty, the others
// that are not in parentheses ("Chùa Cầu (Japanese Bridge)").
std::string search_label(const core::StoredFeature& f, const std::vector<std::size_t>& fields)
{
    std::string label, others;
    for (auto k : fields) {
        const auto* s = std::get_if<std::string>(&f.values[k]);
        if (!s || s->empty())
            continue;
        if (label.empty())
            label = *s;
        else
            others += (others.empty() ? "" : ", ") + *s;
    }
    return others.empty() ? label : label + " (" + others + ")";
}

// What the search says of a ward it finds: its label and the hit's further
// members, from the ward's fid.
using WardHit = std::function<void(std::int64_t fid, std::string& label, json& more)>;

// The features of every class with a search part (its description's), by
// their labels and ids, found as the part's kind; a ward as ward_hit says.
void add_searched_classes(const core::Storage& storage, const ClassRegistry& classes, SearchIndex& names,
                          const WardHit& ward_hit)
{
    for (const auto& c : classes.all()) {
        if (c.search.empty() || !storage.has_class(c.name()))
            continue;
        auto id_index = c.schema.id_field.empty() ? c.schema.fields.size()
                                                  : detail::field_index(c.schema, c.schema.id_field);
        std::vector<std::vector<std::size_t>> searched;
        for (const auto& part : c.search) {
            searched.emplace_back();
            for (const auto& field : part.fields)
                searched.back().push_back(detail::field_index(c.schema, field));
        }
        std::vector<std::set<std::string>> labels_seen(c.search.size());
        storage.scan(c.schema, [&](const core::StoredFeature& f) {
            std::optional<BPoint> at;
            for (std::size_t k = 0; k < c.search.size(); ++k) {
                const auto& part = c.search[k];
                auto label = search_label(f, searched[k]);
                if (label.empty() || (part.once_per_label && !labels_seen[k].insert(label).second))
                    continue;
                if (!at)
                    at = search_marker(*read_wkb(f, c.name()));
                if (!at)
                    return;
                std::string id = part.once_per_label || id_index >= f.values.size()
                                     ? std::string()
                                     : core::to_display(f.values[id_index]);
                json more;
                if (c.name() == "wards" && ward_hit)
                    ward_hit(f.fid, label, more);
                names.add(part.kind.empty() ? c.name() : part.kind, part.rank, label, id, *at, std::move(more));
            }
        });
    }
}

// What the lookup reads from the city's classes: kept from one lookup to
// the next while no class changed (an analysis commits only results).
struct ClassPart {
    std::string key;  // every class's name and content checksum
    Areas wards, parcels, zones, heritage_zones;
    WardLocator ward_locator;             // the ward of a point, as every analysis finds it
    std::vector<std::size_t> ward_areas;  // of each ward_locator ward: its place in wards
    std::vector<PointClass> point_classes;  // in the registry's order
    std::vector<char> zone_one;             // of heritage_zones: protection I
    std::unordered_map<std::string, std::size_t> parcel_by_id;
    SearchIndex names;

    // The ward holding the point (its place in wards), or nothing.
    std::optional<std::size_t> ward_of(BPoint p) const
    {
        int w = ward_locator.ward_at({p.x(), p.y()});
        if (w < 0 || ward_areas[static_cast<std::size_t>(w)] >= wards.values.size())
            return std::nullopt;
        return ward_areas[static_cast<std::size_t>(w)];
    }
};

// Whether read_class_part reads the class.
bool class_part_reads(const ClassDescription& c)
{
    static const std::set<std::string> areas = {"wards", "parcels", "zones", "heritage_zones"};
    return areas.count(c.name()) || c.lookup || !c.search.empty();
}

// The classes' key: a class the lookup reads imported again, or a class
// added, changes it; a device's status (cameras, lamps) does not.
std::string class_key(const core::Storage& storage, const ClassRegistry& classes)
{
    std::string key = storage.city().crs;
    for (const auto& c : classes.all()) {
        if (!class_part_reads(c)) {
            key += ';' + c.name();
            continue;
        }
        auto record = storage.class_record(c.name());
        key += ';' + c.name() + ':' + (record ? record->checksum : std::string("-"));
        if (!c.built_in)
            key += to_json(c).dump();
    }
    return key;
}

// How the search finds a former ward, one that is part of a unit now: by
// its name and its unit's, under the label naming both ("Phường Hội An,
// formerly Phường Minh An"), with the unit and the former ward as the
// lookup gives them. A ward without a unit is found as before.
WardHit former_ward_hits(const ClassPart& c)
{
    std::unordered_map<std::int64_t, std::size_t> by_fid;
    for (std::size_t w = 0; w < c.ward_locator.size(); ++w)
        by_fid.emplace(c.ward_locator.wards()[w].fid, w);
    return [&c, by_fid = std::move(by_fid)](std::int64_t fid, std::string& label, json& more) {
        auto found = by_fid.find(fid);
        if (found == by_fid.end())
            return;
        const auto& ward = c.ward_locator.wards()[found->second];
        auto area = c.ward_areas[found->second];
        if (!ward.has_unit() || area >= c.wards.values.size())
            return;
        json described = json::parse(c.wards.texts[area]);
        label = ward.label();
        more = {{"unit", described["unit"]}, {"former", described["former"]}};
    };
}

// The units the wards form now, found by their names as the wards class's
// search part finds wards ("Hội An Tây" finds Phường Hội An Tây), with the
// unit's code as the id, at a point inside the union of its wards. A unit
// that is one ward under the same name (a commune left as it was) is found
// as that ward.
void add_unit_names(ClassPart& c, const ClassRegistry& classes)
{
    const auto* description = classes.find("wards");
    if (!description || description->search.empty())
        return;
    const auto& part = description->search.front();
    const auto& wards = c.ward_locator.wards();
    std::vector<std::string> order;  // unit codes, as the wards (in fid order) first name them
    std::map<std::string, std::vector<std::size_t>> units;
    for (std::size_t w = 0; w < wards.size(); ++w)
        if (wards[w].has_unit() && !wards[w].unit_name.empty()) {
            auto& members = units[wards[w].unit_code];
            if (members.empty())
                order.push_back(wards[w].unit_code);
            members.push_back(w);
        }
    for (const auto& code : order) {
        const auto& members = units[code];
        const auto& first = wards[members.front()];
        if (members.size() == 1 && first.label() == first.name)
            continue;  // the ward's own hit stands for it
        OGRMultiPolygon parts;
        for (auto w : members) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(wards[w].wkb.data(), nullptr, &g, wards[w].wkb.size()) != OGRERR_NONE)
                continue;
            std::unique_ptr<OGRGeometry> owned(g);
            if (wkbFlatten(g->getGeometryType()) == wkbPolygon)
                parts.addGeometry(g);
            else if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon)
                for (const auto* polygon : *g->toMultiPolygon())
                    parts.addGeometry(polygon);
        }
        std::unique_ptr<OGRGeometry> unit(parts.UnionCascaded());
        if (auto at = marker_inside(unit ? *unit : static_cast<const OGRGeometry&>(parts)))
            c.names.add(part.kind.empty() ? description->name() : part.kind, part.rank, first.unit_name, code, *at);
    }
}

std::shared_ptr<const ClassPart> read_class_part(const core::Storage& storage, const ClassRegistry& classes,
                                                 std::string key)
{
    auto part = std::make_shared<ClassPart>();
    auto& c = *part;
    c.key = std::move(key);
    c.wards = read_areas(storage, feature_class("wards"));
    c.ward_locator = WardLocator::read(storage);
    for (const auto& ward : c.ward_locator.wards()) {
        auto at = std::find(c.wards.fids.begin(), c.wards.fids.end(), ward.fid);
        c.ward_areas.push_back(static_cast<std::size_t>(at - c.wards.fids.begin()));  // its end: no area
    }
    c.parcels = read_areas(storage, feature_class("parcels"));
    c.zones = read_areas(storage, feature_class("zones"));
    c.heritage_zones = read_areas(storage, feature_class("heritage_zones"));
    c.point_classes = read_point_classes(storage, classes);
    write_texts(c.wards, describe_ward);
    write_texts(c.parcels, name_land_use);
    write_texts(c.zones, list_land_uses);
    for (std::size_t i = 0; i < c.heritage_zones.values.size(); ++i)
        c.zone_one.push_back(text_value(c.heritage_zones, i, "protection") == "I");
    for (std::size_t i = 0; i < c.parcels.values.size(); ++i)
        c.parcel_by_id.emplace(text_value(c.parcels, i, "parcel_id"), i);
    add_searched_classes(storage, classes, c.names, former_ward_hits(c));
    add_unit_names(c, classes);
    c.names.sort();
    return part;
}

// What the lookup reads from the city's current results: kept while no
// result it uses changed.
struct ResultPart {
    std::string key;  // the current results' names and checksums
    std::shared_ptr<const Areas> cameras, lighting;
    std::string cameras_result, lighting_result;
    std::string cameras_result_text, lighting_result_text;  // as JSON strings
    std::vector<StageDepths> stages;
    std::vector<Arrival> arrivals;
    std::shared_ptr<const FireAccess> fire;
    std::map<std::string, std::string> checksums;  // of the results read
    std::vector<UnavailableResult> unavailable;   // used results that cannot be read
    std::string unavailable_text;                // as a JSON list
};

// The results the lookup answers from: current (not stale) coverage areas,
// stage depths, arrival times and fire access.
std::vector<core::ResultRecord> used_results(const core::Storage& storage)
{
    std::vector<core::ResultRecord> used;
    for (auto& record : storage.result_records()) {
        if (!core::stale_reasons(storage, record).empty())
            continue;  // its inputs changed: not an answer any more
        bool coverage = record.kind == core::ResultKind::features &&
                        (record.name == "camera_coverage" || record.name == "lighting_coverage");
        bool flood = record.kind == core::ResultKind::raster &&
                     (stage_level(record.name) || record.name.rfind("flood_arrival_", 0) == 0);
        bool fire = record.kind == core::ResultKind::features && record.name == "fire_access";
        if (coverage || flood || fire)
            used.push_back(std::move(record));
    }
    return used;
}

std::string result_key(const std::vector<core::ResultRecord>& used)
{
    std::string key;
    for (const auto& record : used)
        key += record.name + ':' + record.checksum + ';';
    return key;
}

// Whether `previous` read the result at the checksum it has now.
bool read_before(const ResultPart* previous, const core::ResultRecord& record)
{
    if (!previous)
        return false;
    auto checksum = previous->checksums.find(record.name);
    return checksum != previous->checksums.end() && checksum->second == record.checksum;
}

// The one of the list that holds the result, or nothing.
template <typename Found>
const Found* holding(const std::vector<Found>& list, const std::string& result)
{
    auto found = std::find_if(list.begin(), list.end(), [&](const Found& f) { return f.result == result; });
    return found == list.end() ? nullptr : &*found;
}

// The results the lookup answers from, sharing with `previous` those whose
// checksum it read them at (an analysis that adds a stage reads that stage).
std::shared_ptr<const ResultPart> read_result_part(const core::Storage& storage,
                                                   const std::vector<core::ResultRecord>& used, std::string key,
                                                   const ResultPart* previous)
{
    auto part = std::make_shared<ResultPart>();
    auto& r = *part;
    r.key = std::move(key);
    std::vector<const core::ResultRecord*> to_read;  // stage depths and arrival times not kept
    for (const auto& record : used) {
        bool kept = read_before(previous, record);
        if (record.kind == core::ResultKind::raster) {
            if (const auto* stage = kept ? holding(previous->stages, record.name) : nullptr)
                r.stages.push_back(*stage);
            else if (const auto* arrival = kept ? holding(previous->arrivals, record.name) : nullptr)
                r.arrivals.push_back(*arrival);
            else
                to_read.push_back(&record);
            r.checksums[record.name] = record.checksum;
            continue;
        }
        if (record.name == "fire_access") {
            try {
                r.fire = kept && previous->fire ? previous->fire
                                                : std::make_shared<const FireAccess>(read_fire_access(storage, record));
                r.checksums[record.name] = record.checksum;
            } catch (const std::exception& e) {
                r.fire.reset();
                r.unavailable.push_back(unavailable(storage, record, e.what()));
            }
            continue;
        }
        bool cameras = record.name == "camera_coverage";
        auto& areas = cameras ? r.cameras : r.lighting;
        try {
            if (kept && (cameras ? previous->cameras : previous->lighting))
                areas = cameras ? previous->cameras : previous->lighting;
            else
                areas = std::make_shared<const Areas>(read_areas(storage, record.schema));
            (cameras ? r.cameras_result : r.lighting_result) = record.name;
            r.checksums[record.name] = record.checksum;
        } catch (const std::exception& e) {
            areas.reset();
            r.unavailable.push_back(unavailable(storage, record, e.what()));
        }
    }
    auto grids = read_grids(storage, to_read);
    for (std::size_t i = 0; i < to_read.size(); ++i) {
        const auto& record = *to_read[i];
        if (!grids[i].cells) {
            r.checksums.erase(record.name);
            r.unavailable.push_back(unavailable(storage, record, grids[i].problem));
            continue;
        }
        if (auto level = stage_level(record.name))
            r.stages.emplace_back(record.name, stage_label(*level), *level, std::move(grids[i]));
        else
            r.arrivals.emplace_back(record.name, record.parameters.value("hydrograph", std::string()),
                                    std::move(grids[i]));
    }
    std::sort(r.stages.begin(), r.stages.end(),
              [](const StageDepths& a, const StageDepths& b) { return a.level_m < b.level_m; });
    r.cameras_result_text = json(r.cameras_result).dump();
    r.lighting_result_text = json(r.lighting_result).dump();
    r.unavailable_text = to_json(r.unavailable).dump();
    return part;
}

}  // namespace

struct CityLookup::Data {
    std::string city_crs;
    std::shared_ptr<const ClassPart> classes;
    std::shared_ptr<const ResultPart> results;
    std::vector<std::string> risk_texts;  // of flood::depth_bands(), as JSON strings

    BPoint to_city(double lon, double lat) const { return transformed(lon, lat, true); }

    json to_wgs84(BPoint p) const
    {
        auto q = transformed(p.x(), p.y(), false);
        return {{"lon", std::round(q.x() * 1e7) / 1e7}, {"lat", std::round(q.y() * 1e7) / 1e7}};
    }

private:
    BPoint transformed(double x, double y, bool into_city) const
    {
        // PROJ transformations are not shared between threads.
        struct Transforms {
            std::string crs;
            std::unique_ptr<core::Transform> into, out_of;
        };
        thread_local Transforms t;
        if (!t.into || t.crs != city_crs) {
            auto city = core::Crs::from_user(city_crs);
            t.into = std::make_unique<core::Transform>(core::Crs::wgs84(), city);
            t.out_of = std::make_unique<core::Transform>(city, core::Crs::wgs84());
            t.crs = city_crs;
        }
        (into_city ? t.into : t.out_of)->apply(x, y);
        return {x, y};
    }
};

CityLookup::CityLookup(const core::Storage& storage, const CityLookup* previous) : m_data(std::make_unique<Data>())
{
    auto& d = *m_data;
    d.city_crs = storage.city().crs;
    auto classes = city_classes(storage);
    auto classes_now = class_key(storage, classes);
    if (previous && previous->m_data->classes->key == classes_now)
        d.classes = previous->m_data->classes;
    else
        d.classes = read_class_part(storage, classes, std::move(classes_now));
    auto used = used_results(storage);
    auto results_now = result_key(used);
    if (previous && previous->m_data->results->key == results_now)
        d.results = previous->m_data->results;
    else
        d.results = read_result_part(storage, used, std::move(results_now),
                                     previous ? previous->m_data->results.get() : nullptr);
    for (const auto& band : flood::depth_bands())
        d.risk_texts.push_back(json(band.risk).dump());
}

CityLookup::~CityLookup() = default;

namespace {

// Points as the lookup gives them, with their distances (metres, to 0.1),
// in the order found.
json with_distances(const Points& points, const std::vector<std::pair<double, std::size_t>>& found)
{
    json out = json::array();
    for (auto [dist, i] : found) {
        json p = json::parse(points.texts[i]);
        p["distance_m"] = std::round(dist * 10) / 10;
        out.push_back(p);
    }
    return out;
}

// Appends the text of the list's first feature, or null.
void append_first(std::string& out, const Features& features, const FeatureList& list)
{
    out += list.empty() ? std::string_view("null") : std::string_view(features.texts[list.front()]);
}

// Appends a feature's text with its distance (metres, to 0.1).
void append_with_distance(std::string& out, const Features& features, std::size_t i, double distance)
{
    std::string metres;
    core::append_json_number(metres, std::round(distance * 10) / 10);
    core::append_json_with_member(out, features.texts[i], "distance_m", metres);
}

constexpr std::string_view fire_not_computed =
    R"({"computed":false,"note":"no current fire access result: run lantern fire"})";

void append_coverage(std::string& out, const std::shared_ptr<const Areas>& areas, const std::string& result_text,
                     BPoint p, const char* what)
{
    if (!areas) {
        out += json{{"computed", false},
                    {"note", std::string("no current ") + what + " coverage result: run lantern coverage"}}
                   .dump();
        return;
    }
    auto here = areas->holding(p);
    out += "{\"computed\":true,\"result\":";
    out += result_text;
    out += ",\"covered\":";
    core::append_json_bool(out, !here.empty());
    out += ",\"by\":[";
    for (std::size_t k = 0; k < here.size(); ++k) {
        if (k > 0)
            out += ',';
        out += areas->texts[here[k]];
    }
    out += "]}";
}

}  // namespace

std::optional<std::string> CityLookup::at(double lon, double lat) const
{
    const auto& d = *m_data;
    const auto& c = *d.classes;
    const auto& r = *d.results;
    BPoint p = d.to_city(lon, lat);
    auto ward = c.ward_of(p);
    if (!ward)
        return std::nullopt;

    std::string out;
    out.reserve(4096);
    out += "{\"lon\":";
    core::append_json_number(out, lon);
    out += ",\"lat\":";
    core::append_json_number(out, lat);
    out += ",\"ward\":";
    out += c.wards.texts[*ward];
    out += ",\"parcel\":";
    append_first(out, c.parcels, c.parcels.holding(p));
    out += ",\"zone\":";
    append_first(out, c.zones, c.zones.holding(p));

    // Zone I before zone II where both are given.
    out += ",\"heritage_zone\":";
    auto heritage = c.heritage_zones.holding(p);
    auto zone_one = std::find_if(heritage.begin(), heritage.end(), [&](std::size_t i) { return c.zone_one[i]; });
    out += heritage.empty() ? std::string_view("null")
                            : std::string_view(c.heritage_zones.texts[zone_one != heritage.end() ? *zone_one
                                                                                                 : heritage.front()]);

    // The point classes listed within their distance (heritage sites).
    for (const auto& point_class : c.point_classes) {
        if (point_class.part.answer != LookupPart::Answer::all_within)
            continue;
        out += ',';
        out += point_class.member;
        out += '[';
        auto near = point_class.within(p);
        for (std::size_t k = 0; k < near.size(); ++k) {
            if (k > 0)
                out += ',';
            append_with_distance(out, point_class.points, near[k].second, near[k].first);
        }
        out += ']';
    }

    out += ",\"flood\":{\"computed\":";
    core::append_json_bool(out, !r.stages.empty() || !r.arrivals.empty());
    if (r.stages.empty() && r.arrivals.empty())
        out += ",\"note\":\"no current flood result: run lantern flood\"";
    out += ",\"stages\":[";
    for (std::size_t k = 0; k < r.stages.size(); ++k) {
        const auto& s = r.stages[k];
        auto depth = s.depth.at(p);
        bool wet = depth && *depth > 0;
        out += k > 0 ? ",{" : "{";
        out += s.fixed_members;
        out += ",\"flooded\":";
        core::append_json_bool(out, wet);
        out += ",\"depth_m\":";
        core::append_json_number(out, wet ? std::round(*depth * 100) / 100 : 0.0);
        out += ",\"risk\":";
        out += wet ? d.risk_texts[static_cast<std::size_t>(flood::depth_band(*depth))] : std::string("null");
        out += '}';
    }
    out += "],\"hydrographs\":[";
    for (std::size_t k = 0; k < r.arrivals.size(); ++k) {
        const auto& a = r.arrivals[k];
        auto hours = a.hours.at(p);
        out += k > 0 ? ",{" : "{";
        out += a.fixed_members;
        out += ",\"flooded\":";
        core::append_json_bool(out, hours.has_value());
        out += ",\"arrival_hours\":";
        if (hours)
            core::append_json_number(out, std::round(*hours * 10) / 10);
        else
            out += "null";
        out += '}';
    }

    out += "]},\"coverage\":{\"cameras\":";
    append_coverage(out, r.cameras, r.cameras_result_text, p, "camera");
    out += ",\"lighting\":";
    append_coverage(out, r.lighting, r.lighting_result_text, p, "lighting");

    // The building at the point, or the nearest within 30 m: its fire access.
    out += "},\"fire\":";
    if (!r.fire) {
        out += fire_not_computed;
    } else if (auto building = r.fire->building_at(p)) {
        append_with_distance(out, r.fire->buildings, building->first, building->second);
    } else {
        out += "null";
    }

    // The nearest feature of each point class that gives one (drainage nodes, hydrants).
    out += ",\"nearest\":{";
    bool first = true;
    for (const auto& point_class : c.point_classes) {
        if (point_class.part.answer != LookupPart::Answer::nearest)
            continue;
        if (!first)
            out += ',';
        first = false;
        out += point_class.member;
        bool found = false;
        point_class.nearest(p, [&](std::size_t i, double dist) {
            append_with_distance(out, point_class.points, i, dist);
            found = true;
        });
        if (!found)
            out += "null";
    }
    out += "},\"unavailable\":";
    out += r.unavailable_text;
    out += '}';
    return out;
}

namespace {

constexpr double zone_share_listed = 0.10;

// Points on a lattice over a parcel, about 2000 of them (spacing at least
// 0.25 m), that stand for its area: a share of them is a share of the area.
std::vector<BPoint> lattice_in(const BMultiPolygon& shape)
{
    double min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
    for (const auto& polygon : shape)
        for (const auto& p : polygon.outer()) {
            min_x = std::min(min_x, p.x());
            min_y = std::min(min_y, p.y());
            max_x = std::max(max_x, p.x());
            max_y = std::max(max_y, p.y());
        }
    double spacing = std::max(0.25, std::sqrt(std::abs(bg::area(shape)) / 2000));
    std::vector<BPoint> out;
    for (double y = min_y + spacing / 2; y < max_y; y += spacing)
        for (double x = min_x + spacing / 2; x < max_x; x += spacing)
            if (bg::covered_by(BPoint(x, y), shape))
                out.emplace_back(x, y);
    return out;
}

double share(std::size_t part, std::size_t whole)
{
    return whole == 0 ? 0.0 : std::round(1e4 * static_cast<double>(part) / static_cast<double>(whole)) / 1e4;
}

// The areas holding at least 10 % of the lattice's points, largest share
// first, from how many points each holds.
json zones_listed(const Areas& areas, const std::map<std::size_t, std::size_t>& counts, std::size_t points)
{
    std::vector<std::pair<std::size_t, std::size_t>> listed;  // count, feature
    for (auto [i, n] : counts)
        if (static_cast<double>(n) >= zone_share_listed * static_cast<double>(points))
            listed.emplace_back(n, i);
    std::sort(listed.begin(), listed.end(), [](auto a, auto b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
    json out = json::array();
    for (auto [n, i] : listed) {
        json zone = areas.properties(i);
        zone["share"] = share(n, points);
        out.push_back(zone);
    }
    return out;
}

// The areas covering at least 10 % of the lattice; a point in several counts for each.
json zones_covering(const Areas& areas, const std::vector<BPoint>& lattice)
{
    std::map<std::size_t, std::size_t> counts;
    for (const auto& p : lattice)
        for (auto i : areas.holding(p))
            ++counts[i];
    return zones_listed(areas, counts, lattice.size());
}

json coverage_share(const std::shared_ptr<const Areas>& areas, const std::string& result,
                    const std::vector<BPoint>& lattice, const char* what)
{
    if (!areas)
        return {{"computed", false}, {"note", std::string("no current ") + what + " coverage result: run lantern coverage"}};
    std::size_t covered = 0;
    for (const auto& p : lattice)
        covered += areas->covers(p) ? 1 : 0;
    return {{"computed", true}, {"result", result}, {"covered_share", share(covered, lattice.size())}};
}

}  // namespace

std::optional<json> CityLookup::parcel(const std::string& parcel_id) const
{
    const auto& d = *m_data;
    const auto& c = *d.classes;
    const auto& r = *d.results;
    auto found = c.parcel_by_id.find(parcel_id);
    if (found == c.parcel_by_id.end())
        return std::nullopt;
    std::size_t i = found->second;
    const auto& shape = c.parcels.shapes[i];
    auto lattice = lattice_in(shape);
    if (lattice.empty())
        lattice.push_back(centre_of(shape));

    json out;
    json parcel = c.parcels.properties(i);
    name_land_use(parcel);
    out["parcel"] = parcel;
    out["centre"] = d.to_wgs84(centre_of(shape));
    std::map<std::size_t, std::size_t> ward_counts;  // each point in the one ward the locator gives it
    for (const auto& p : lattice)
        if (auto w = c.ward_of(p))
            ++ward_counts[*w];
    auto wards = zones_listed(c.wards, ward_counts, lattice.size());
    out["ward"] = wards.empty() ? json(nullptr) : wards.front();
    if (!wards.empty())
        describe_ward(out["ward"]);
    out["zones"] = zones_covering(c.zones, lattice);
    for (auto& zone : out["zones"])
        list_land_uses(zone);
    out["heritage_zones"] = zones_covering(c.heritage_zones, lattice);

    for (const auto& point_class : c.point_classes)
        if (point_class.part.answer == LookupPart::Answer::all_within)
            out[point_class.name] = with_distances(point_class.points, point_class.within(shape));

    json stages = json::array();
    for (const auto& stage : r.stages) {
        std::size_t wet = 0;
        double deepest = 0;
        for (const auto& p : lattice)
            if (auto depth = stage.depth.at(p); depth && *depth > 0) {
                ++wet;
                deepest = std::max(deepest, *depth);
            }
        stages.push_back({{"result", stage.result},
                          {"level_m", stage.level_m},
                          {"label", stage.label.empty() ? json(nullptr) : json(stage.label)},
                          {"flooded_share", share(wet, lattice.size())},
                          {"max_depth_m", std::round(deepest * 100) / 100},
                          {"risk", wet ? json(flood::depth_bands()[static_cast<std::size_t>(flood::depth_band(deepest))].risk)
                                       : json(nullptr)}});
    }
    out["flood"] = {{"computed", !r.stages.empty()}, {"stages", stages}};
    if (r.stages.empty())
        out["flood"]["note"] = "no current flood result: run lantern flood";
    out["coverage"] = {{"cameras", coverage_share(r.cameras, r.cameras_result, lattice, "camera")},
                       {"lighting", coverage_share(r.lighting, r.lighting_result, lattice, "lighting")}};
    if (r.fire) {
        json buildings = json::array();
        for (auto b : r.fire->centred_on(shape))
            buildings.push_back(json::parse(r.fire->buildings.texts[b]));
        out["fire"] = {{"computed", true}, {"buildings", buildings}};
    } else {
        out["fire"] = json::parse(fire_not_computed);
    }
    out["lattice_points"] = lattice.size();
    out["unavailable"] = to_json(r.unavailable);
    return out;
}

json CityLookup::search(std::string_view query, std::size_t limit) const
{
    const auto& d = *m_data;
    const auto& c = *d.classes;
    json hits = json::array();
    for (auto e : c.names.find(core::search_words(query), limit)) {
        const auto& entry = c.names.entries[e];
        json hit = {{"kind", entry.kind}, {"label", entry.label}};
        if (!entry.id.empty())
            hit["id"] = entry.id;
        hit.update(d.to_wgs84(entry.at));
        if (entry.more.is_object())
            hit.update(entry.more);
        hits.push_back(hit);
    }
    return hits;
}

}  // namespace lantern::layers
