#include "polygon_repair.hpp"

#include <algorithm>
#include <cmath>
#include <memory>

#include <geos_c.h>

#include <lantern/core/tiles/tile_generalise.hpp>

namespace lantern::core::mvt {

namespace {

// Above this many vertices the exact pairwise simplicity test costs more
// than handing the polygon to GEOS.
constexpr std::size_t max_fast_path_vertices = 64;

GridPoint snap(const TilePoint& p)
{
    return {std::llround(p.x), std::llround(p.y)};
}

// Rounded ring without repeated points (nor a repeated closing point).
GridRing snap_ring(const std::vector<TilePoint>& ring)
{
    GridRing out;
    out.reserve(ring.size());
    for (const TilePoint& p : ring) {
        GridPoint q = snap(p);
        if (out.empty() || !(out.back() == q))
            out.push_back(q);
    }
    while (out.size() > 1 && out.front() == out.back())
        out.pop_back();
    return out;
}

std::int64_t cross(const GridPoint& o, const GridPoint& a, const GridPoint& b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

int sign(std::int64_t v)
{
    return (v > 0) - (v < 0);
}

bool on_segment(const GridPoint& p, const GridPoint& a, const GridPoint& b)
{
    return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
           p.y <= std::max(a.y, b.y);
}

// Closed segments a-b and c-d share at least one point.
bool segments_meet(const GridPoint& a, const GridPoint& b, const GridPoint& c, const GridPoint& d)
{
    int d1 = sign(cross(c, d, a));
    int d2 = sign(cross(c, d, b));
    int d3 = sign(cross(a, b, c));
    int d4 = sign(cross(a, b, d));
    if (d1 * d2 < 0 && d3 * d4 < 0)
        return true;
    return (d1 == 0 && on_segment(a, c, d)) || (d2 == 0 && on_segment(b, c, d)) ||
           (d3 == 0 && on_segment(c, a, b)) || (d4 == 0 && on_segment(d, a, b));
}

void orient(GridRing& ring, bool positive)
{
    if ((twice_area(ring) > 0) != positive)
        std::reverse(ring.begin(), ring.end());
}

// GEOS with one context per thread, since tiles render in parallel.
class GeosThreadContext {
public:
    GeosThreadContext() : m_ctx(GEOS_init_r()) {}
    ~GeosThreadContext() { GEOS_finish_r(m_ctx); }
    GeosThreadContext(const GeosThreadContext&) = delete;
    GeosThreadContext& operator=(const GeosThreadContext&) = delete;
    GEOSContextHandle_t get() const { return m_ctx; }

private:
    GEOSContextHandle_t m_ctx;
};

GEOSContextHandle_t geos()
{
    thread_local GeosThreadContext context;
    return context.get();
}

struct GeomDeleter {
    void operator()(GEOSGeometry* g) const
    {
        if (g)
            GEOSGeom_destroy_r(geos(), g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GEOSGeometry* make_ring(const std::vector<TilePoint>& ring)
{
    auto size = static_cast<unsigned>(ring.size());
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos(), size + 1, 2);
    for (unsigned i = 0; i <= size; ++i) {
        const TilePoint& p = ring[i % size];
        GEOSCoordSeq_setXY_r(geos(), seq, i, p.x, p.y);
    }
    return GEOSGeom_createLinearRing_r(geos(), seq);
}

// At least three distinct points, so the ring can close.
bool can_close(const std::vector<TilePoint>& ring)
{
    if (ring.size() < 3)
        return false;
    std::size_t distinct = 1;
    for (std::size_t i = 1; i < ring.size() && distinct < 3; ++i)
        if (ring[i].x != ring[0].x || ring[i].y != ring[0].y)
            ++distinct;
    return distinct >= 3;
}

GeomPtr make_polygon(const std::vector<std::vector<TilePoint>>& rings)
{
    if (rings.empty() || !can_close(rings.front()))
        return nullptr;
    GEOSGeometry* shell = make_ring(rings.front());
    if (!shell)
        return nullptr;
    std::vector<GEOSGeometry*> holes;
    for (std::size_t i = 1; i < rings.size(); ++i)
        if (can_close(rings[i]))
            if (GEOSGeometry* hole = make_ring(rings[i]))
                holes.push_back(hole);
    return GeomPtr(GEOSGeom_createPolygon_r(geos(), shell, holes.data(),
                                            static_cast<unsigned>(holes.size())));
}

GridRing read_ring(const GEOSGeometry* ring)
{
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos(), ring);
    unsigned size = 0;
    GEOSCoordSeq_getSize_r(geos(), seq, &size);
    std::vector<TilePoint> points(size);
    for (unsigned i = 0; i < size; ++i)
        GEOSCoordSeq_getXY_r(geos(), seq, i, &points[i].x, &points[i].y);
    return snap_ring(points);
}

void collect_polygons(const GEOSGeometry* g, std::vector<GridPolygon>& out)
{
    int type = GEOSGeomTypeId_r(geos(), g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        for (int i = 0; i < GEOSGetNumGeometries_r(geos(), g); ++i)
            collect_polygons(GEOSGetGeometryN_r(geos(), g, i), out);
        return;
    }
    if (type != GEOS_POLYGON || GEOSisEmpty_r(geos(), g) != 0)
        return;
    GridPolygon polygon;
    polygon.push_back(read_ring(GEOSGetExteriorRing_r(geos(), g)));
    if (polygon.front().size() < 3)
        return;
    orient(polygon.front(), true);
    for (int i = 0; i < GEOSGetNumInteriorRings_r(geos(), g); ++i) {
        GridRing hole = read_ring(GEOSGetInteriorRingN_r(geos(), g, i));
        if (hole.size() < 3)
            continue;
        orient(hole, false);
        polygon.push_back(std::move(hole));
    }
    out.push_back(std::move(polygon));
}

// Clipped polygons to valid polygons on the grid, through GEOS. The parts
// of a multipolygon go together, so parts that snapping brings into contact
// are merged rather than left overlapping.
std::vector<GridPolygon> snap_round(const std::vector<std::vector<std::vector<TilePoint>>>& polygons)
{
    std::vector<GridPolygon> out;
    std::vector<GEOSGeometry*> parts;
    for (const auto& rings : polygons)
        if (GeomPtr part = make_polygon(rings))
            parts.push_back(part.release());
    if (parts.empty())
        return out;
    GeomPtr geometry(parts.size() == 1
                         ? parts.front()
                         : GEOSGeom_createCollection_r(geos(), GEOS_MULTIPOLYGON, parts.data(),
                                                       static_cast<unsigned>(parts.size())));
    if (!geometry)
        return out;
    if (GEOSisValid_r(geos(), geometry.get()) != 1) {
        // The "structure" method rebuilds area from the rings, so the
        // zero-width bridges of a clipped concave ring fall away.
        GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(geos());
        GEOSMakeValidParams_setMethod_r(geos(), params, GEOS_MAKE_VALID_STRUCTURE);
        GEOSMakeValidParams_setKeepCollapsed_r(geos(), params, 0);
        geometry.reset(GEOSMakeValidWithParams_r(geos(), geometry.get(), params));
        GEOSMakeValidParams_destroy_r(geos(), params);
        if (!geometry)
            return out;
    }
    GeomPtr snapped(GEOSGeom_setPrecision_r(geos(), geometry.get(), 1.0, 0));
    if (!snapped)
        return out;
    collect_polygons(snapped.get(), out);
    return out;
}

// The ring simplified as a closed ring; fewer than three points when it
// collapses.
std::vector<TilePoint> simplify_ring(std::vector<TilePoint> ring, double tolerance)
{
    if (ring.empty())
        return ring;
    if (ring.front().x != ring.back().x || ring.front().y != ring.back().y)
        ring.push_back(ring.front());
    ring = simplify_line(ring, tolerance);
    ring.pop_back();
    return ring;
}

bool inside_box(const std::vector<TilePoint>& ring, const ClipBox& box)
{
    return std::all_of(ring.begin(), ring.end(), [&](const TilePoint& p) { return box.contains(p); });
}

bool misses_box(const std::vector<TilePoint>& ring, const ClipBox& box)
{
    ClipBox b{ring.front().x, ring.front().y, ring.front().x, ring.front().y};
    for (const TilePoint& p : ring) {
        b.min_x = std::min(b.min_x, p.x);
        b.min_y = std::min(b.min_y, p.y);
        b.max_x = std::max(b.max_x, p.x);
        b.max_y = std::max(b.max_y, p.y);
    }
    return b.max_x < box.min_x || b.min_x > box.max_x || b.max_y < box.min_y || b.min_y > box.max_y;
}

}  // namespace

std::int64_t twice_area(const GridRing& ring)
{
    std::int64_t sum = 0;
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
        const GridPoint& a = ring[i];
        const GridPoint& b = ring[(i + 1) % n];
        sum += a.x * b.y - b.x * a.y;
    }
    return sum;
}

bool is_simple_ring(const GridRing& ring)
{
    std::size_t n = ring.size();
    if (n < 3 || twice_area(ring) == 0)
        return false;
    for (std::size_t i = 0; i < n; ++i) {
        const GridPoint& a = ring[i];
        const GridPoint& b = ring[(i + 1) % n];
        // The next edge b-c must not fold back along a-b.
        const GridPoint& c = ring[(i + 2) % n];
        if (cross(b, a, c) == 0 && (a.x - b.x) * (c.x - b.x) + (a.y - b.y) * (c.y - b.y) > 0)
            return false;
        for (std::size_t j = i + 2; j < n; ++j) {
            if (i == 0 && j == n - 1)
                continue;  // the closing edge neighbours the first
            if (segments_meet(a, b, ring[j], ring[(j + 1) % n]))
                return false;
        }
    }
    return true;
}

std::vector<GridPolygon> clip_and_snap_polygons(
    const std::vector<std::vector<std::vector<TilePoint>>>& polygons, const ClipBox& box,
    double tolerance)
{
    std::vector<std::vector<std::vector<TilePoint>>> clipped;
    for (const auto& rings : polygons) {
        if (rings.empty() || rings.front().size() < 3 || !all_finite(rings.front()) ||
            misses_box(rings.front(), box))
            continue;
        std::vector<std::vector<TilePoint>> kept;
        for (const auto& ring : rings) {
            if (ring.size() < 3 || !all_finite(ring) || misses_box(ring, box))
                continue;
            auto part = inside_box(ring, box) ? ring : clip_ring(ring, box);
            if (tolerance > 0)
                part = simplify_ring(std::move(part), tolerance);
            if (part.size() < 3) {
                if (kept.empty())
                    break;  // the exterior is gone, and its holes with it
                continue;
            }
            kept.push_back(std::move(part));
        }
        if (!kept.empty())
            clipped.push_back(std::move(kept));
    }
    if (clipped.empty())
        return {};
    // The common case: one ring, small, still simple on the grid.
    if (clipped.size() == 1 && clipped.front().size() == 1 &&
        clipped.front().front().size() <= max_fast_path_vertices + 1) {
        GridRing ring = snap_ring(clipped.front().front());
        if (is_simple_ring(ring)) {
            orient(ring, true);
            return {GridPolygon{std::move(ring)}};
        }
    }
    return snap_round(clipped);
}

}  // namespace lantern::core::mvt
