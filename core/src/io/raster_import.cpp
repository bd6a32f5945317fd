#include <lantern/core/io/raster_import.hpp>

#include <filesystem>
#include <vector>

#include <gdal_priv.h>
#include <gdal_utils.h>

#include <lantern/core/base/checksum.hpp>
#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/base/progress.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/raster_io/grid_io.hpp>

namespace lantern::core {

namespace {

namespace fs = std::filesystem;

constexpr const char* nodata = "-9999";

GDALDatasetUniquePtr open_raster(const std::string& path)
{
    ensure_gdal();
    require_source_file(path);
    ScopedGdalErrors quiet;
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds)
        throw DataError(path + ": not a readable raster (" +
                        ScopedGdalErrors::last_message("no GDAL driver recognises it") + ")");
    if (ds->GetRasterCount() < 1)
        throw DataError(path + ": the raster has no bands");
    return ds;
}

void warp(GDALDataset& source, const std::string& target, const std::vector<std::string>& args,
          bool progress, const std::string& label)
{
    std::vector<char*> argv;
    for (const auto& a : args)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
    if (!options)
        throw DataError("invalid warp options for " + label);
    ProgressBar bar("warp " + label, 0, progress && ProgressBar::stderr_is_terminal());
    GDALWarpAppOptionsSetProgress(options, ProgressBar::gdal_callback, &bar);
    GDALDatasetH handles[] = {GDALDataset::ToHandle(&source)};
    int usage_error = 0;
    ScopedGdalErrors quiet;
    GDALDatasetH out = GDALWarp(target.c_str(), nullptr, 1, handles, options, &usage_error);
    GDALWarpAppOptionsFree(options);
    bar.finish();
    if (!out)
        throw DataError(label + ": cannot warp into the city CRS (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    GDALClose(out);
}

}  // namespace

RasterRecord import_raster(Storage& storage, const RasterImportOptions& options)
{
    auto source = open_raster(options.path);
    if (!options.source_crs && !source->GetSpatialRef())
        throw DataError(options.path + ": the raster has no CRS", Choice::source_crs);
    Crs city_crs = Crs::from_user(storage.city().crs);

    std::vector<std::string> args = {"-t_srs", city_crs.wkt(), "-r", "bilinear", "-ot", "Float32",
                                     "-of", "GTiff", "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE",
                                     "-co", "PREDICTOR=3", "-dstnodata", nodata};
    if (options.source_crs)
        args.insert(args.end(), {"-s_srs", Crs::from_user(*options.source_crs).wkt()});
    if (options.resolution) {
        if (*options.resolution <= 0)
            throw UsageError(options.path + ": resolution " + general_text(*options.resolution) +
                             " m: the cell size must be positive");
        auto r = fixed_text(*options.resolution, 6);  // as std::to_string, without the locale
        args.insert(args.end(), {"-tr", r, r, "-tap"});
    }

    RasterRecord record;
    record.name = options.name;
    record.source = fs::path(options.path).filename().string();
    Transaction transaction(storage);
    auto staged = storage.stage_raster(RasterRole::imported, options.name, [&](const std::string& target) {
        warp(*source, target, args, options.progress, options.path);
    });
    record.imported_at = utc_now();
    describe_staged(record, staged);
    storage.put_raster_record(record);
    transaction.commit();
    return record;
}

}  // namespace lantern::core
