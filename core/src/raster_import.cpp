#include <lantern/core/raster_import.hpp>

#include <unistd.h>

#include <filesystem>
#include <vector>

#include <gdal_priv.h>
#include <gdal_utils.h>

#include <lantern/core/checksum.hpp>
#include <lantern/core/error.hpp>
#include <lantern/core/gdal.hpp>
#include <lantern/core/grid_io.hpp>
#include <lantern/core/numbers.hpp>
#include <lantern/core/progress.hpp>

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

    fs::path db_path = fs::absolute(storage.location());
    std::string stem = db_path.stem().string() + "." + options.name;
    fs::path temporary = db_path.parent_path() / (stem + ".tmp-" + std::to_string(::getpid()) + ".tif");
    std::error_code ec;
    try {
        warp(*source, temporary.string(), args, options.progress, options.path);
    } catch (...) {
        fs::remove(temporary, ec);
        throw;
    }

    RasterRecord record;
    record.name = options.name;
    record.source = fs::path(options.path).filename().string();
    record.imported_at = utc_now();
    record.checksum = file_checksum(temporary.string());
    try {
        auto frame = read_grid_frame(temporary.string());
        record.width = frame.width;
        record.height = frame.height;
        record.pixel_width = frame.cell_x;
        record.pixel_height = frame.cell_y;
        record.extent = frame.extent();
    } catch (...) {
        fs::remove(temporary, ec);
        throw;
    }
    // The file name carries the checksum, so a new DEM never overwrites the
    // one the committed metadata points to.
    record.path = stem + "." + record.checksum + ".tif";
    fs::path final_path = db_path.parent_path() / record.path;
    std::string previous;
    for (const auto& r : storage.raster_records())
        if (r.name == options.name)
            previous = r.path;

    fs::rename(temporary, final_path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        throw FileError(final_path.string() + ": cannot write: " + ec.message());
    }
    try {
        Transaction transaction(storage);
        storage.put_raster_record(record);
        transaction.commit();
    } catch (...) {
        if (previous != record.path)
            fs::remove(final_path, ec);
        throw;
    }
    if (!previous.empty() && previous != record.path)
        fs::remove(db_path.parent_path() / previous, ec);
    return record;
}

}  // namespace lantern::core
