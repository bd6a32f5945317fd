#include <lantern/core/raster_io/grid_io.hpp>

#include <algorithm>

#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/temporary_output.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>

namespace lantern::core {

namespace {

// Created at the output's temporary path; messages name the output's path.
GDALDatasetUniquePtr create_geotiff(const TemporaryOutput& output, const GridFrame& frame, GDALDataType type,
                                    std::optional<double> no_data_value)
{
    const std::string& path = output.path();
    ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    const char* options[] = {"TILED=YES", "COMPRESS=DEFLATE", "BIGTIFF=IF_SAFER", nullptr};
    GDALDatasetUniquePtr ds(driver->Create(output.temporary_path().c_str(), frame.width, frame.height, 1, type,
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
    TemporaryOutput output(path);
    auto ds = create_geotiff(output, grid.frame, type, no_data_value);
    write_rows(*ds, path, 0, grid.height(), grid.width(), const_cast<T*>(grid.values.data()), type);
    close_written(std::move(ds), path);
    output.commit();
}

}  // namespace

GridFrame read_grid_frame(const std::string& path)
{
    return open_raster_file(path).frame();
}

FloatGrid read_float_grid(const std::string& path)
{
    return open_raster_file(path).read_float_grid();
}

void write_geotiff(const std::string& path, const Grid<float>& grid)
{
    // Readers differ in how they treat NaN; -9999 is understood by all. The
    // grid is written in strips so that a large grid is not copied whole.
    ScopedGdalErrors quiet;
    TemporaryOutput output(path);
    auto ds = create_geotiff(output, grid.frame, GDT_Float32, file_no_data);
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
    output.commit();
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
