#pragma once
// GDAL set-up and error capture. GDAL reports errors through a global
// handler; ScopedGdalErrors keeps them quiet and hands back the last message
// so that our own errors can name the file and say what GDAL said.

#include <string>

namespace lantern::core {

// Registers GDAL's drivers once per process.
void ensure_gdal();

// Throws FileError when a source file is missing, DataError when it is empty:
// clearer than what GDAL says about either.
void require_source_file(const std::string& path);

class ScopedGdalErrors {
public:
    ScopedGdalErrors();
    ~ScopedGdalErrors();
    ScopedGdalErrors(const ScopedGdalErrors&) = delete;
    ScopedGdalErrors& operator=(const ScopedGdalErrors&) = delete;
    // GDAL's last error message, or the fallback when it said nothing.
    static std::string last_message(const std::string& fallback);
};

}  // namespace lantern::core
