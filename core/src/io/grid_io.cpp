#include <lantern/core/io/grid_io.hpp>

#include <algorithm>

#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::core {

namespace {

GDALDatasetUniquePtr open_grid(const std::string& path)
{
    ensure_gdal();
    require_source_file(path);
    ScopedGdalErrors quiet;
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds || ds->GetRasterCount() < 1)
        throw DataError(path + ": not a readable raster (" +
                        ScopedGdalErrors::last_message("no GDAL driver recognises it") + ")");
    return ds;
}

GridFrame frame_of(GDALDataset& ds, const std::string& path)
{
    double gt[6] = {};
    if (ds.GetGeoTransform(gt) != CE_None)
        throw DataError(path + ": the raster has no georeferencing");
    if (gt[2] != 0 || gt[4] != 0 || gt[1] <= 0 || gt[5] >= 0)
        throw DataError(path + ": the raster is rotated or not north up; warp it first");
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

GDALDatasetUniquePtr create_geotiff(const std::string& path, const GridFrame& frame, GDALDataType type,
                                    std::optional<double> no_data_value)
{
    ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    const char* options[] = {"TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER", nullptr};
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), frame.width, frame.height, 1, type,
                                           const_cast<char**>(options)));
    if (!ds)
        throw FileError(path + ": cannot write (" + ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    double gt[6];
    frame.geotransform(gt);
    ds->SetGeoTransform(gt);
    if (!frame.crs_wkt.empty())
        ds->SetProjection(frame.crs_wkt.c_str());
    if (no_data_value)
        ds->GetRasterBand(1)->SetNoDataValue(*no_data_value);
    return ds;
}

void close_written(GDALDatasetUniquePtr ds, const std::string& path)
{
    ds->FlushCache();
    ds.reset();
    if (CPLGetLastErrorType() == CE_Failure)
        throw FileError(path + ": cannot write (" + ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
}

void write_rows(GDALDataset& ds, const std::string& path, int first_row, int rows, int width,
                void* data, GDALDataType type)
{
    if (ds.GetRasterBand(1)->RasterIO(GF_Write, 0, first_row, width, rows, data, width, rows, type, 0,
                                      0, nullptr) != CE_None)
        throw FileError(path + ": cannot write (" + ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
}

template <typename T>
void write_any(const std::string& path, const Grid<T>& grid, GDALDataType type,
               std::optional<double> no_data_value)
{
    ScopedGdalErrors quiet;
    auto ds = create_geotiff(path, grid.frame, type, no_data_value);
    write_rows(*ds, path, 0, grid.height(), grid.width(), const_cast<T*>(grid.values.data()), type);
    close_written(std::move(ds), path);
}

}  // namespace

GridFrame read_grid_frame(const std::string& path)
{
    auto ds = open_grid(path);
    return frame_of(*ds, path);
}

FloatGrid read_float_grid(const std::string& path)
{
    auto ds = open_grid(path);
    FloatGrid grid;
    grid.frame = frame_of(*ds, path);
    grid.values.resize(grid.frame.cells());
    auto* band = ds->GetRasterBand(1);
    ScopedGdalErrors quiet;
    if (band->RasterIO(GF_Read, 0, 0, grid.width(), grid.height(), grid.values.data(), grid.width(),
                       grid.height(), GDT_Float32, 0, 0, nullptr) != CE_None)
        throw DataError(path + ": cannot read its cells (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    int has_no_data = 0;
    double nd = band->GetNoDataValue(&has_no_data);
    if (has_no_data && !std::isnan(nd)) {
        const float marker = static_cast<float>(nd);
        for (auto& v : grid.values)
            if (v == marker)
                v = no_data;
    }
    return grid;
}

void write_geotiff(const std::string& path, const Grid<float>& grid)
{
    // Readers differ in how they treat NaN; -9999 is understood by all. The
    // grid is written in strips so that a large grid is not copied whole.
    ScopedGdalErrors quiet;
    auto ds = create_geotiff(path, grid.frame, GDT_Float32, file_no_data);
    constexpr int strip_rows = 256;
    std::vector<float> strip;
    for (int row = 0; row < grid.height(); row += strip_rows) {
        int rows = std::min(strip_rows, grid.height() - row);
        auto first = grid.values.begin() + static_cast<std::ptrdiff_t>(grid.frame.index(0, row));
        strip.assign(first, first + static_cast<std::ptrdiff_t>(rows) * grid.width());
        for (auto& v : strip)
            if (is_no_data(v))
                v = static_cast<float>(file_no_data);
        write_rows(*ds, path, row, rows, grid.width(), strip.data(), GDT_Float32);
    }
    close_written(std::move(ds), path);
}

void write_geotiff(const std::string& path, const Grid<std::uint8_t>& grid, std::optional<double> no_data_value)
{
    write_any(path, grid, GDT_Byte, no_data_value);
}

void write_geotiff(const std::string& path, const Grid<std::int32_t>& grid, std::optional<double> no_data_value)
{
    write_any(path, grid, GDT_Int32, no_data_value);
}

void write_geotiff(const std::string& path, const Grid<std::uint32_t>& grid, std::optional<double> no_data_value)
{
    write_any(path, grid, GDT_UInt32, no_data_value);
}

}  // namespace lantern::core
