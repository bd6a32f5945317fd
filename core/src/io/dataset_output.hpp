#pragma once
// A GDAL dataset written as an export's output: through a TemporaryOutput, so
// that a failed write leaves what was at the path as it was, and replacing
// every file of the dataset it overwrites (a Shapefile's .shx and .dbf too).

#include <functional>
#include <string>

namespace lantern::core::detail {

// Calls write(temporary path), then puts what it wrote at path, removing the
// files of the dataset there before that the new one did not replace. Throws
// FileError when path exists and overwrite is false, before writing anything.
void write_dataset(const std::string& path, bool overwrite, const std::function<void(const std::string&)>& write);

}  // namespace lantern::core::detail
