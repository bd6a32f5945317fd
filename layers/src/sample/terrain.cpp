// The synthetic terrain (docs/sample-city.md, "Terrain"): a low sandy plain
// of 1.5-4 m, coastal dunes of 3-8 m along the sea, the Ancient Town at
// 1.5-2.5 m rising from the river, lower rice land in the communes, river
// channels below 0 m and the sea shelving to -10 m; the Cham Islands rise
// steeply from their shores. Distances come from a two-pass chamfer distance
// transform (Borgefors 1986) on the 10 m grid.

#include "sample.hpp"

#include <algorithm>
#include <limits>

#include <gdal_alg.h>
#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/temporary_output.hpp>

namespace lantern::layers::sample {

namespace {

constexpr double margin = 2000;  // the DEM reaches 2 km past the boundary's extent

// Burns geometries into a byte grid; value per geometry.
std::vector<std::uint8_t> burn(int width, int height, double x0, double y0,
                               const std::vector<const OGRGeometry*>& geometries,
                               const std::vector<double>& values)
{
    auto* driver = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr ds(driver->Create("", width, height, 1, GDT_Byte, nullptr));
    double gt[6] = {x0, Terrain::cell, 0, y0, 0, -Terrain::cell};
    ds->SetGeoTransform(gt);
    std::vector<OGRGeometryH> handles;
    for (const auto* g : geometries)
        handles.push_back(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)));
    int band = 1;
    if (!handles.empty() &&
        GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, &band,
                                static_cast<int>(handles.size()), handles.data(), nullptr, nullptr,
                                values.data(), nullptr, nullptr, nullptr) != CE_None)
        throw core::Error("cannot rasterise the sample city's geography");
    std::vector<std::uint8_t> out(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
    if (ds->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, width, height, out.data(), width, height,
                                       GDT_Byte, 0, 0, nullptr) != CE_None)
        throw core::Error("cannot read a rasterised grid");
    return out;
}

// Distance in metres from every cell to the nearest cell where source is set.
std::vector<float> distance_to(int width, int height, const std::vector<std::uint8_t>& source)
{
    const float big = std::numeric_limits<float>::max() / 4;
    const float a = static_cast<float>(Terrain::cell);
    const float b = static_cast<float>(Terrain::cell * M_SQRT2);
    std::vector<float> d(source.size());
    for (std::size_t i = 0; i < d.size(); ++i)
        d[i] = source[i] ? 0.0f : big;
    auto at = [&](int c, int r) -> float& {
        return d[static_cast<std::size_t>(r) * static_cast<std::size_t>(width) + static_cast<std::size_t>(c)];
    };
    for (int r = 0; r < height; ++r)
        for (int c = 0; c < width; ++c) {
            float& v = at(c, r);
            if (c > 0) v = std::min(v, at(c - 1, r) + a);
            if (r > 0) {
                v = std::min(v, at(c, r - 1) + a);
                if (c > 0) v = std::min(v, at(c - 1, r - 1) + b);
                if (c + 1 < width) v = std::min(v, at(c + 1, r - 1) + b);
            }
        }
    for (int r = height - 1; r >= 0; --r)
        for (int c = width - 1; c >= 0; --c) {
            float& v = at(c, r);
            if (c + 1 < width) v = std::min(v, at(c + 1, r) + a);
            if (r + 1 < height) {
                v = std::min(v, at(c, r + 1) + a);
                if (c + 1 < width) v = std::min(v, at(c + 1, r + 1) + b);
                if (c > 0) v = std::min(v, at(c - 1, r + 1) + b);
            }
        }
    return d;
}

double smooth_step(double edge0, double edge1, double x)
{
    double t = std::clamp((x - edge0) / (edge1 - edge0), 0.0, 1.0);
    return t * t * (3 - 2 * t);
}

}  // namespace

Terrain::Terrain(const Geography& geo, const OldTown& old_town, std::uint64_t seed)
{
    m_x0 = std::floor((geo.extent.min_x - margin) / cell) * cell;
    m_y0 = std::ceil((geo.extent.max_y + margin) / cell) * cell;
    m_width = static_cast<int>(std::ceil((geo.extent.max_x + margin - m_x0) / cell));
    m_height = static_cast<int>(std::ceil((m_y0 - (geo.extent.min_y - margin)) / cell));

    // Inland water: 1 for rivers, 2 for wetland; any of it counts as river below.
    std::vector<const OGRGeometry*> sea = {geo.sea.get()}, rivers, inside = {geo.boundary.get()};
    std::vector<double> water_values;
    for (const auto& w : geo.water)
        if (w.kind != "sea") {
            rivers.push_back(w.area.get());
            water_values.push_back(w.kind == "wetland" ? 2 : 1);
        }
    auto sea_mask = burn(m_width, m_height, m_x0, m_y0, sea, {1});
    auto water_kind = burn(m_width, m_height, m_x0, m_y0, rivers, water_values);
    std::vector<std::uint8_t> river_mask(water_kind.size());
    for (std::size_t i = 0; i < water_kind.size(); ++i)
        river_mask[i] = water_kind[i] ? 1 : 0;
    auto inside_mask = burn(m_width, m_height, m_x0, m_y0, inside, {1});
    std::vector<const OGRGeometry*> ward_areas;
    std::vector<double> ward_values;
    for (std::size_t i = 0; i < geo.wards.size(); ++i) {
        ward_areas.push_back(geo.wards[i].area.get());
        ward_values.push_back(static_cast<double>(i + 1));
    }
    auto ward_grid = burn(m_width, m_height, m_x0, m_y0, ward_areas, ward_values);
    m_old_town = burn(m_width, m_height, m_x0, m_y0, {old_town.quarters.get(), old_town.core.get()}, {2, 1});

    m_sea_distance = distance_to(m_width, m_height, sea_mask);
    m_river_distance = distance_to(m_width, m_height, river_mask);
    std::vector<std::uint8_t> not_sea(sea_mask.size()), not_river(river_mask.size());
    for (std::size_t i = 0; i < sea_mask.size(); ++i) {
        // Outside the city and the sea counts as land for the sea's depth.
        not_sea[i] = sea_mask[i] ? 0 : 1;
        not_river[i] = river_mask[i] ? 0 : 1;
    }
    auto from_shore = distance_to(m_width, m_height, not_sea);
    auto from_bank = distance_to(m_width, m_height, not_river);

    m_ward.resize(ward_grid.size());
    for (std::size_t i = 0; i < ward_grid.size(); ++i)
        m_ward[i] = static_cast<std::int16_t>(static_cast<int>(ward_grid[i]) - 1);

    Noise broad(seed * 31 + 1), fine(seed * 31 + 2), ridges(seed * 31 + 3);
    m_height_m.resize(sea_mask.size());
    for (int r = 0; r < m_height; ++r)
        for (int c = 0; c < m_width; ++c) {
            std::size_t i = static_cast<std::size_t>(r) * static_cast<std::size_t>(m_width) +
                            static_cast<std::size_t>(c);
            double x = m_x0 + (c + 0.5) * cell, y = m_y0 - (r + 0.5) * cell;
            double h;
            if (sea_mask[i]) {
                h = -1.5 - 8.5 * std::min(1.0, from_shore[i] / 1500.0);
            } else if (water_kind[i] == 1) {
                h = -1.0 - 3.0 * std::min(1.0, from_bank[i] / 60.0);
            } else if (water_kind[i] == 2) {
                h = 0.4 + 0.2 * fine.at(x, y, 80);
            } else {
                double n1 = broad.at(x, y, 2500), n2 = fine.at(x, y, 300);
                h = 2.7 + 0.9 * n1 + 0.3 * n2;
                int ward = m_ward[i];
                bool commune = ward >= 0 && geo.wards[static_cast<std::size_t>(ward)].kind == "commune";
                if (commune)
                    h -= 0.7;  // rice land
                double river = m_river_distance[i];
                h = 1.3 + (h - 1.3) * smooth_step(0, 300, river);  // low river banks
                if (m_old_town[i]) {
                    // The Ancient Town: 1.5 m at the river, 2.0 m about 120 m
                    // inland (alarm III floods the riverside streets), 2.4 m
                    // beyond, rising past the 1964 level at its northern edge.
                    double town = 1.5 + 0.9 * smooth_step(0, 220, river) +
                                  1.2 * smooth_step(500, 800, river) + 0.08 * n2;
                    double blend = m_old_town[i] == 1 ? 1.0 : 0.6;
                    h = blend * town + (1 - blend) * h;
                }
                double s = m_sea_distance[i];
                if (s < 1200) {
                    // Dune belt: a ridge 250 m inland, 3-8 m.
                    double dune = 3.0 + 5.0 * std::exp(-std::pow((s - 250) / 220, 2)) *
                                            (0.75 + 0.25 * ridges.at(x, y, 400));
                    h = std::max(h, dune * (1 - smooth_step(600, 1200, s)) + h * smooth_step(600, 1200, s));
                }
                if (ward >= 0 && geo.wards[static_cast<std::size_t>(ward)].name == "Xã Tân Hiệp")
                    h = 1.0 + std::min(500.0, 0.3 * s) * (0.85 + 0.15 * fine.at(x, y, 500));
                if (!inside_mask[i] && ward < 0)
                    h = 2.0 + 0.8 * n1;  // neighbouring districts
                h = std::max(h, 0.3);
            }
            m_height_m[i] = static_cast<float>(h);
        }
}

std::size_t Terrain::index_of(Point p) const
{
    int c = std::clamp(static_cast<int>((p.x - m_x0) / cell), 0, m_width - 1);
    int r = std::clamp(static_cast<int>((m_y0 - p.y) / cell), 0, m_height - 1);
    return static_cast<std::size_t>(r) * static_cast<std::size_t>(m_width) + static_cast<std::size_t>(c);
}

double Terrain::height(Point p) const
{
    double u = (p.x - m_x0) / cell - 0.5, v = (m_y0 - p.y) / cell - 0.5;
    int c = std::clamp(static_cast<int>(std::floor(u)), 0, m_width - 2);
    int r = std::clamp(static_cast<int>(std::floor(v)), 0, m_height - 2);
    double fu = std::clamp(u - c, 0.0, 1.0), fv = std::clamp(v - r, 0.0, 1.0);
    auto at = [&](int cc, int rr) {
        return static_cast<double>(m_height_m[static_cast<std::size_t>(rr) * static_cast<std::size_t>(m_width) +
                                              static_cast<std::size_t>(cc)]);
    };
    return (at(c, r) * (1 - fu) + at(c + 1, r) * fu) * (1 - fv) +
           (at(c, r + 1) * (1 - fu) + at(c + 1, r + 1) * fu) * fv;
}

int Terrain::ward_at(Point p) const { return m_ward[index_of(p)]; }
double Terrain::sea_distance(Point p) const { return m_sea_distance[index_of(p)]; }
double Terrain::river_distance(Point p) const { return m_river_distance[index_of(p)]; }
int Terrain::old_town(Point p) const { return m_old_town[index_of(p)]; }

void Terrain::write_dem(const std::string& path) const
{
    auto* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    char** options = nullptr;
    options = CSLSetNameValue(options, "TILED", "YES");
    options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
    options = CSLSetNameValue(options, "PREDICTOR", "3");
    core::TemporaryOutput output(path);
    GDALDatasetUniquePtr ds(
        driver->Create(output.temporary_path().c_str(), m_width, m_height, 1, GDT_Float32, options));
    CSLDestroy(options);
    if (!ds)
        throw core::FileError(path + ": cannot write the DEM");
    double gt[6] = {m_x0, cell, 0, m_y0, 0, -cell};
    ds->SetGeoTransform(gt);
    ds->SetSpatialRef(&core::Crs::from_user(city_crs).srs());
    auto* band = ds->GetRasterBand(1);
    band->SetNoDataValue(-9999);
    if (band->RasterIO(GF_Write, 0, 0, m_width, m_height, const_cast<float*>(m_height_m.data()),
                       m_width, m_height, GDT_Float32, 0, 0, nullptr) != CE_None)
        throw core::FileError(path + ": cannot write the DEM");
    ds.reset();
    output.commit();
}

}  // namespace lantern::layers::sample
