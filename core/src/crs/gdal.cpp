#include <lantern/core/crs/gdal.hpp>

#include <filesystem>
#include <mutex>

#include <cpl_error.h>
#include <gdal_priv.h>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

void ensure_gdal()
{
    static std::once_flag once;
    std::call_once(once, [] { GDALAllRegister(); });
}

ScopedGdalErrors::ScopedGdalErrors()
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
}

ScopedGdalErrors::~ScopedGdalErrors()
{
    CPLPopErrorHandler();
}

std::string ScopedGdalErrors::last_message(const std::string& fallback)
{
    std::string message = CPLGetLastErrorMsg();
    // GDAL's messages can span lines; ours are one line each.
    for (auto& c : message)
        if (c == '\n' || c == '\r')
            c = ' ';
    return message.empty() ? fallback : message;
}

void require_source_file(const std::string& path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw FileError(path + ": no such file");
    if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == 0)
        throw DataError(path + ": the file is empty");
}

}  // namespace lantern::core
