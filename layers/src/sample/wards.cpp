// Ward partition: multi-source Dijkstra over a 25 m grid of the city,
// growing every ward from its approximate point through the city's area with
// a speed (weight) per ward, and adjusting the weights until each ward's area
// is close to the area in wards.csv (a multiplicatively weighted, connected
// Voronoi partition). The grid labels are polygonised and cut to the real
// boundary, so the wards partition the boundary exactly.

#include "sample.hpp"

#include <algorithm>
#include <limits>
#include <queue>

#include <geos_c.h>

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>

namespace lantern::layers::sample {

namespace {

constexpr double cell = 25.0;

struct Grid {
    int width = 0, height = 0;
    double x0 = 0, y0 = 0;  // top-left corner
    std::vector<unsigned char> inside;
    std::size_t index(int col, int row) const
    {
        return static_cast<std::size_t>(row) * static_cast<std::size_t>(width) +
               static_cast<std::size_t>(col);
    }
    Point centre(std::size_t i) const
    {
        auto col = static_cast<double>(i % static_cast<std::size_t>(width));
        auto row = static_cast<double>(i / static_cast<std::size_t>(width));
        return {x0 + (col + 0.5) * cell, y0 - (row + 0.5) * cell};
    }
};

GDALDatasetUniquePtr mem_raster(const Grid& grid, GDALDataType type)
{
    auto* driver = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr ds(driver->Create("", grid.width, grid.height, 1, type, nullptr));
    double gt[6] = {grid.x0, cell, 0, grid.y0, 0, -cell};
    ds->SetGeoTransform(gt);
    return ds;
}

Grid rasterize_boundary(const Geography& geo)
{
    Grid grid;
    grid.x0 = geo.extent.min_x - 4 * cell;
    grid.y0 = geo.extent.max_y + 4 * cell;
    grid.width = static_cast<int>((geo.extent.max_x - geo.extent.min_x) / cell) + 9;
    grid.height = static_cast<int>((geo.extent.max_y - geo.extent.min_y) / cell) + 9;
    auto ds = mem_raster(grid, GDT_Byte);
    int band = 1;
    double burn = 1;
    OGRGeometryH g = OGRGeometry::ToHandle(geo.boundary.get());
    if (GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, &band, 1, &g, nullptr, nullptr,
                                &burn, nullptr, nullptr, nullptr) != CE_None)
        throw core::Error("cannot rasterise the city boundary");
    grid.inside.resize(static_cast<std::size_t>(grid.width) * static_cast<std::size_t>(grid.height));
    if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, grid.width, grid.height, grid.inside.data(),
                                       grid.width, grid.height, GDT_Byte, 0, 0, nullptr) != CE_None)
        throw core::Error("cannot read the boundary raster");
    return grid;
}

std::size_t nearest_inside(const Grid& grid, Point p)
{
    std::size_t best = 0;
    double best_d = std::numeric_limits<double>::max();
    for (std::size_t i = 0; i < grid.inside.size(); ++i)
        if (grid.inside[i]) {
            double d = distance(grid.centre(i), p);
            if (d < best_d) {
                best_d = d;
                best = i;
            }
        }
    return best;
}

// Labels every inside cell with the ward that reaches it first at its speed.
std::vector<int> grow(const Grid& grid, const std::vector<std::size_t>& seeds,
                      const std::vector<double>& weight)
{
    std::vector<int> label(grid.inside.size(), -1);
    std::vector<double> key(grid.inside.size(), std::numeric_limits<double>::max());
    std::vector<double> path(grid.inside.size(), 0);
    using Item = std::pair<double, std::size_t>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> queue;
    for (std::size_t s = 0; s < seeds.size(); ++s) {
        key[seeds[s]] = 0;
        label[seeds[s]] = static_cast<int>(s);
        queue.push({0.0, seeds[s]});
    }
    const int dc[] = {1, -1, 0, 0, 1, 1, -1, -1};
    const int dr[] = {0, 0, 1, -1, 1, -1, 1, -1};
    while (!queue.empty()) {
        auto [k, i] = queue.top();
        queue.pop();
        if (k > key[i])
            continue;
        int col = static_cast<int>(i % static_cast<std::size_t>(grid.width));
        int row = static_cast<int>(i / static_cast<std::size_t>(grid.width));
        auto owner = static_cast<std::size_t>(label[i]);
        for (int n = 0; n < 8; ++n) {
            int c = col + dc[n], r = row + dr[n];
            if (c < 0 || r < 0 || c >= grid.width || r >= grid.height)
                continue;
            std::size_t j = grid.index(c, r);
            if (!grid.inside[j])
                continue;
            double step = n < 4 ? cell : cell * M_SQRT2;
            double d = path[i] + step;
            double nk = d / weight[owner];
            if (nk < key[j]) {
                key[j] = nk;
                path[j] = d;
                label[j] = static_cast<int>(owner);
                queue.push({nk, j});
            }
        }
    }
    // Parts the growth cannot reach (islands of another ward's seed) go to
    // the nearest seed, weighted the same way.
    for (std::size_t i = 0; i < label.size(); ++i) {
        if (!grid.inside[i] || label[i] >= 0)
            continue;
        double best = std::numeric_limits<double>::max();
        for (std::size_t s = 0; s < seeds.size(); ++s) {
            double d = distance(grid.centre(i), grid.centre(seeds[s])) / weight[s];
            if (d < best) {
                best = d;
                label[i] = static_cast<int>(s);
            }
        }
    }
    return label;
}

// Extends labels a few cells past the boundary so that cutting the cells to
// the boundary leaves no sliver uncovered.
void dilate(const Grid& grid, std::vector<int>& label, int times)
{
    for (int t = 0; t < times; ++t) {
        auto next = label;
        for (int row = 0; row < grid.height; ++row)
            for (int col = 0; col < grid.width; ++col) {
                auto i = grid.index(col, row);
                if (label[i] >= 0)
                    continue;
                for (auto [dc, dr] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
                    int c = col + dc, r = row + dr;
                    if (c >= 0 && r >= 0 && c < grid.width && r < grid.height &&
                        label[grid.index(c, r)] >= 0) {
                        next[i] = label[grid.index(c, r)];
                        break;
                    }
                }
            }
        label = std::move(next);
    }
}

// Straightens the staircase edges that polygonising the grid leaves between
// wards, keeping the wards a partition of the boundary: the ward outlines are
// noded and merged into edges between junctions, each inner edge is simplified
// on its own (Douglas-Peucker keeps its end points, so neighbours still meet),
// edges on the city boundary stay as they are, and the faces are polygonised
// again and handed back to the ward they lie in. When any check fails the
// staircase wards are kept.
class GeosWork {
public:
    GeosWork() : m_ctx(GEOS_init_r()) {}
    ~GeosWork()
    {
        for (auto* g : m_owned)
            GEOSGeom_destroy_r(m_ctx, g);
        GEOS_finish_r(m_ctx);
    }
    GeosWork(const GeosWork&) = delete;
    GeosWork& operator=(const GeosWork&) = delete;

    GEOSContextHandle_t ctx() const { return m_ctx; }
    // Keeps g alive until the end of the work.
    GEOSGeometry* own(GEOSGeometry* g)
    {
        if (!g)
            throw core::Error("GEOS failed while smoothing the wards");
        m_owned.push_back(g);
        return g;
    }
    GEOSGeometry* from_ogr(const OGRGeometry& g)
    {
        std::vector<unsigned char> wkb(g.WkbSize());
        g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        auto* reader = GEOSWKBReader_create_r(m_ctx);
        auto* out = GEOSWKBReader_read_r(m_ctx, reader, wkb.data(), wkb.size());
        GEOSWKBReader_destroy_r(m_ctx, reader);
        return own(out);
    }
    GeometryPtr to_ogr(const GEOSGeometry* g)
    {
        auto* writer = GEOSWKBWriter_create_r(m_ctx);
        std::size_t size = 0;
        unsigned char* wkb = GEOSWKBWriter_write_r(m_ctx, writer, g, &size);
        GEOSWKBWriter_destroy_r(m_ctx, writer);
        OGRGeometry* out = nullptr;
        OGRGeometryFactory::createFromWkb(wkb, nullptr, &out, size);
        GEOSFree_r(m_ctx, wkb);
        return GeometryPtr(out);
    }

private:
    GEOSContextHandle_t m_ctx;
    std::vector<GEOSGeometry*> m_owned;
};

void straighten_ward_edges(Geography& geo, double tolerance)
{
    GeosWork work;
    auto* ctx = work.ctx();
    std::vector<GEOSGeometry*> outlines;
    for (const auto& w : geo.wards)
        outlines.push_back(GEOSBoundary_r(ctx, work.from_ogr(*w.area)));
    auto* all = work.own(GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, outlines.data(),
                                                     static_cast<unsigned>(outlines.size())));
    auto* edges = work.own(GEOSLineMerge_r(ctx, work.own(GEOSUnaryUnion_r(ctx, all))));
    auto* city_outline = work.own(GEOSBoundary_r(ctx, work.from_ogr(*geo.boundary)));

    std::vector<GEOSGeometry*> kept;
    for (int i = 0; i < GEOSGetNumGeometries_r(ctx, edges); ++i) {
        const GEOSGeometry* edge = GEOSGetGeometryN_r(ctx, edges, i);
        auto* middle = work.own(GEOSInterpolateNormalized_r(ctx, edge, 0.5));
        double to_city = 0;
        GEOSDistance_r(ctx, middle, city_outline, &to_city);
        kept.push_back(to_city > 0.5 ? work.own(GEOSTopologyPreserveSimplify_r(ctx, edge, tolerance))
                                     : work.own(GEOSGeom_clone_r(ctx, edge)));
    }
    auto* faces = work.own(GEOSPolygonize_r(ctx, kept.data(), static_cast<unsigned>(kept.size())));

    std::vector<GeometryPtr> smoothed(geo.wards.size());
    for (auto& m : smoothed)
        m = std::make_unique<OGRMultiPolygon>();
    for (int i = 0; i < GEOSGetNumGeometries_r(ctx, faces); ++i) {
        const GEOSGeometry* face_geos = GEOSGetGeometryN_r(ctx, faces, i);
        auto face = work.to_ogr(face_geos);
        auto inside = work.to_ogr(work.own(GEOSPointOnSurface_r(ctx, face_geos)));
        for (std::size_t w = 0; w < geo.wards.size(); ++w)
            if (geo.wards[w].area->Contains(inside.get())) {
                smoothed[w]->toMultiPolygon()->addGeometry(face.get());
                break;
            }
    }
    // Checks: every ward valid and within 5 % of its old area; together the whole city.
    double total = 0;
    for (std::size_t w = 0; w < geo.wards.size(); ++w) {
        double before = area_of(*geo.wards[w].area), after = area_of(*smoothed[w]);
        if (!smoothed[w]->IsValid() || std::fabs(after - before) > 0.05 * before)
            return;
        total += after;
    }
    if (std::fabs(total - area_of(*geo.boundary)) > 1e-4 * area_of(*geo.boundary))
        return;
    for (std::size_t w = 0; w < geo.wards.size(); ++w)
        geo.wards[w].area = std::move(smoothed[w]);
}

}  // namespace

void partition_wards(Geography& geo)
{
    Grid grid = rasterize_boundary(geo);
    std::vector<std::size_t> seeds;
    for (const auto& w : geo.wards) {
        int col = static_cast<int>((w.seed.x - grid.x0) / cell);
        int row = static_cast<int>((grid.y0 - w.seed.y) / cell);
        std::size_t i = grid.index(col, row);
        seeds.push_back(grid.inside[i] ? i : nearest_inside(grid, w.seed));
    }
    std::vector<double> weight(geo.wards.size(), 1.0);
    std::vector<int> label;
    for (int iteration = 0; iteration < 40; ++iteration) {
        label = grow(grid, seeds, weight);
        std::vector<double> area(geo.wards.size(), 0);
        for (std::size_t i = 0; i < label.size(); ++i)
            if (label[i] >= 0)
                area[static_cast<std::size_t>(label[i])] += cell * cell;
        for (std::size_t s = 0; s < weight.size(); ++s) {
            double ratio = geo.wards[s].target_area_m2 / std::max(area[s], cell * cell);
            weight[s] *= std::clamp(std::sqrt(ratio), 0.8, 1.25);
        }
    }
    dilate(grid, label, 3);

    auto ds = mem_raster(grid, GDT_Int32);
    auto* band = ds->GetRasterBand(1);
    band->SetNoDataValue(-1);
    if (band->RasterIO(GF_Write, 0, 0, grid.width, grid.height, label.data(), grid.width,
                       grid.height, GDT_Int32, 0, 0, nullptr) != CE_None)
        throw core::Error("cannot write the ward raster");
    auto* memory = GetGDALDriverManager()->GetDriverByName("Memory");
    GDALDatasetUniquePtr vectors(memory->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    auto* layer = vectors->CreateLayer("wards", nullptr, wkbPolygon, nullptr);
    OGRFieldDefn field("label", OFTInteger);
    layer->CreateField(&field);
    if (GDALPolygonize(band, band->GetMaskBand(), layer, 0, nullptr, nullptr, nullptr) != CE_None)
        throw core::Error("cannot polygonise the ward raster");
    std::vector<GeometryPtr> parts(geo.wards.size());
    for (auto& s : parts)
        s = std::make_unique<OGRMultiPolygon>();
    for (auto& f : *layer) {
        int l = f->GetFieldAsInteger(0);
        if (l < 0 || static_cast<std::size_t>(l) >= parts.size())
            continue;
        parts[static_cast<std::size_t>(l)]->toMultiPolygon()->addGeometry(f->GetGeometryRef());
    }
    for (std::size_t s = 0; s < parts.size(); ++s) {
        GeometryPtr merged(parts[s]->UnionCascaded());
        geo.wards[s].area = polygonal(GeometryPtr(merged->Intersection(geo.boundary.get())));
    }
    straighten_ward_edges(geo, 1.5 * cell);
}

}  // namespace lantern::layers::sample
