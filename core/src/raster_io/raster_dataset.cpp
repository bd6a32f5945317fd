#include <lantern/core/raster_io/raster_dataset.hpp>

#include <cmath>

#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::core {

namespace {

GridFrame frame_of(GDALDataset& ds, const std::string& label)
{
    double gt[6] = {};
    if (ds.GetGeoTransform(gt) != CE_None)
        throw DataError(label + ": the raster has no georeferencing");
    if (gt[2] != 0 || gt[4] != 0 || gt[1] <= 0 || gt[5] >= 0)
        throw DataError(label + ": the raster is rotated or not north up; warp it first");
    GridFrame frame;
    frame.width = ds.GetRasterXSize();
    frame.height = ds.GetRasterYSize();
    frame.origin_x = gt[0];
    frame.origin_y = gt[3];
    frame.cell_x = gt[1];
    frame.cell_y = -gt[5];
    if (const auto* srs = ds.GetSpatialRef()) {
        char* wkt = nullptr;
        if (srs->exportToWkt(&wkt) == OGRERR_NONE && wkt)
            frame.crs_wkt = wkt;
        CPLFree(wkt);
    }
    return frame;
}

}  // namespace

struct RasterDataset::State {
    std::unique_ptr<GDALDataset> dataset;
    std::string label;
    GridFrame frame;
};

RasterDataset::RasterDataset(std::unique_ptr<GDALDataset> dataset, std::string label)
    : m_state(std::make_unique<State>())
{
    m_state->dataset = std::move(dataset);
    m_state->label = std::move(label);
    if (m_state->dataset->GetRasterCount() < 1)
        throw DataError(m_state->label + ": the raster has no bands");
    m_state->frame = frame_of(*m_state->dataset, m_state->label);
}

RasterDataset::~RasterDataset() = default;
RasterDataset::RasterDataset(RasterDataset&&) noexcept = default;
RasterDataset& RasterDataset::operator=(RasterDataset&&) noexcept = default;

const std::string& RasterDataset::label() const
{
    return m_state->label;
}

const GridFrame& RasterDataset::frame() const
{
    return m_state->frame;
}

std::optional<double> RasterDataset::no_data() const
{
    int has_no_data = 0;
    double value = m_state->dataset->GetRasterBand(1)->GetNoDataValue(&has_no_data);
    if (!has_no_data)
        return std::nullopt;
    return value;
}

void RasterDataset::read(int col, int row, int cols, int rows, float* out, std::size_t stride) const
{
    auto pixel_space = static_cast<GSpacing>(stride * sizeof(float));
    ScopedGdalErrors quiet;
    if (m_state->dataset->GetRasterBand(1)->RasterIO(GF_Read, col, row, cols, rows, out, cols, rows, GDT_Float32,
                                                     pixel_space, pixel_space * cols, nullptr) != CE_None)
        throw DataError(m_state->label + ": cannot read its cells (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
}

FloatGrid RasterDataset::read_float_grid() const
{
    FloatGrid grid;
    grid.frame = m_state->frame;
    grid.values.resize(grid.frame.cells());
    read(0, 0, grid.width(), grid.height(), grid.values.data());
    if (auto nd = no_data(); nd && !std::isnan(*nd)) {
        const float marker = static_cast<float>(*nd);
        for (auto& v : grid.values)
            if (v == marker)
                v = core::no_data;
    }
    return grid;
}

GDALDataset& RasterDataset::gdal() const
{
    return *m_state->dataset;
}

RasterDataset open_raster_file(const std::string& path)
{
    ensure_gdal();
    require_source_file(path);
    ScopedGdalErrors quiet;
    std::unique_ptr<GDALDataset> ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds)
        throw DataError(path + ": not a readable raster (" +
                        ScopedGdalErrors::last_message("no GDAL driver recognises it") + ")");
    return RasterDataset(std::move(ds), path);
}

}  // namespace lantern::core
