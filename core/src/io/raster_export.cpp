// Raster results out through GDAL's CreateCopy, which every writable raster
// driver offers, to a temporary: a failed copy leaves no partial output behind
// and the file it was to replace as it was.

#include <lantern/core/io/raster_export.hpp>

#include <cctype>
#include <filesystem>
#include <map>
#include <stdexcept>

#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>

#include "dataset_output.hpp"

namespace lantern::core {

namespace {

namespace fs = std::filesystem;

}  // namespace

std::string raster_driver_for_path(const std::string& path)
{
    static const std::map<std::string, std::string> drivers = {
        {".tif", "GTiff"}, {".tiff", "GTiff"}, {".asc", "AAIGrid"}, {".img", "HFA"},
        {".nc", "netCDF"}, {".xyz", "XYZ"},    {".sdat", "SAGA"},   {".rst", "RST"}};
    auto ext = fs::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = drivers.find(ext);
    if (it == drivers.end())
        throw UsageError(path + ": cannot tell the raster format from the extension '" + ext +
                             "' (.tif is GeoTIFF)",
                         Choice::output_format);
    return it->second;
}

void export_raster_result(const Storage& storage, const ResultRecord& record, const ExportOptions& options)
{
    if (record.kind != ResultKind::raster)
        throw std::logic_error("export_raster_result: " + record.name + " is not a raster result");
    if (options.target_crs)
        throw UsageError(record.name + " is a raster result; it is exported in the city CRS only "
                                       "(reproject the output with gdalwarp)");
    ensure_gdal();
    std::string driver_name = options.format.value_or(raster_driver_for_path(options.path));
    auto* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (!driver || !driver->GetMetadataItem(GDAL_DCAP_RASTER) ||
        (!driver->GetMetadataItem(GDAL_DCAP_CREATECOPY) && !driver->GetMetadataItem(GDAL_DCAP_CREATE)))
        throw UsageError("unknown or read-only raster format '" + driver_name + "'");
    auto in = storage.open_raster(record.name);

    detail::write_dataset(options.path, options.overwrite, [&](const std::string& target) {
        char** create_options = nullptr;
        if (driver_name == "GTiff") {
            create_options = CSLSetNameValue(create_options, "TILED", "YES");
            create_options = CSLSetNameValue(create_options, "COMPRESS", "DEFLATE");
        }
        ScopedGdalErrors quiet;
        GDALDatasetUniquePtr out(
            driver->CreateCopy(target.c_str(), &in.gdal(), FALSE, create_options, nullptr, nullptr));
        CSLDestroy(create_options);
        bool failed = !out;
        if (out) {
            out->FlushCache();
            out.reset();
            failed = CPLGetLastErrorType() == CE_Failure;
        }
        if (failed)
            throw FileError(options.path + ": cannot write result " + record.name + " as " + driver_name + " (" +
                            ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    });
}

}  // namespace lantern::core
