#pragma once
// A file written under a temporary name beside its final path and renamed
// onto it only when complete (rename is atomic within a folder), so readers
// never see half a file and a failed run leaves the old file in place.

#include <string>

namespace lantern::core::detail {

class TemporaryOutput {
public:
    // Picks a name beside path that no other run uses. Throws FileError when
    // the folder does not exist or path is a folder.
    explicit TemporaryOutput(std::string path);
    // Removes the temporary file unless committed.
    ~TemporaryOutput();
    TemporaryOutput(const TemporaryOutput&) = delete;
    TemporaryOutput& operator=(const TemporaryOutput&) = delete;

    const std::string& path() const { return m_path; }
    const std::string& temporary_path() const { return m_temporary; }

    // Renames the temporary file onto the path. Throws FileError.
    void commit();

private:
    std::string m_path;
    std::string m_temporary;
    bool m_committed = false;
};

}  // namespace lantern::core::detail
