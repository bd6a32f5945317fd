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

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/error.hpp>

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
}

}  // namespace lantern::layers::sample
