#include "dataset_output.hpp"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/temporary_output.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::core::detail {

namespace {

namespace fs = std::filesystem;

std::string normal(const std::string& path)
{
    return fs::absolute(path).lexically_normal().string();
}

// The files of the dataset at path as GDAL lists them, or the path alone.
std::vector<std::string> dataset_files(const std::string& path)
{
    std::vector<std::string> files = {normal(path)};
    ensure_gdal();
    ScopedGdalErrors quiet;
    GDALDatasetUniquePtr old(
        GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!old)
        return files;
    char** list = old->GetFileList();
    for (char** f = list; f && *f; ++f)
        files.push_back(normal(*f));
    CSLDestroy(list);
    return files;
}

}  // namespace

void write_dataset(const std::string& path, bool overwrite, const std::function<void(const std::string&)>& write)
{
    std::error_code ec;
    std::vector<std::string> old_files;
    if (fs::exists(path, ec)) {
        if (!overwrite)
            throw FileError(path + ": already exists", Choice::existing_output);
        old_files = dataset_files(path);
    }
    TemporaryOutput output(path);
    write(output.temporary_path());
    std::vector<std::string> placed;
    for (const auto& file : output.commit())
        placed.push_back(normal(file));
    for (const auto& file : old_files)
        if (std::find(placed.begin(), placed.end(), file) == placed.end())
            fs::remove(file, ec);
}

}  // namespace lantern::core::detail
