#pragma once
// The one way Lantern writes a file: under a temporary name beside its final
// path, renamed onto it only when complete (rename is atomic within a
// folder), so readers never see half a file and a failed or interrupted run
// leaves the old file as it was.
//
// The temporary is a file of the target's own name inside a hidden folder
// made for this output alone (mkdtemp: unique across processes and threads)
// in the target's folder. Writers that add files beside their output (a
// Shapefile's .shx and .dbf, a GeoTIFF's .aux.xml) add them in that folder,
// and commit() moves them all.

#include <string>
#include <vector>

namespace lantern::core {

class TemporaryOutput {
public:
    // Makes the hidden folder beside path. Throws FileError when path is a
    // folder, its folder does not exist or nothing can be made in it.
    explicit TemporaryOutput(std::string path);
    // Removes the temporary folder and all in it unless committed.
    ~TemporaryOutput();
    TemporaryOutput(const TemporaryOutput&) = delete;
    TemporaryOutput& operator=(const TemporaryOutput&) = delete;

    const std::string& path() const { return m_path; }
    // Where to write: the target's file name inside the hidden folder.
    const std::string& temporary_path() const { return m_temporary; }

    // Flushes every file written in the temporary folder to disk and moves it
    // beside the path under the same name (the file at temporary_path() onto
    // path(), the writer's other files beside it, those first), then flushes
    // the folder. Returns the paths of the files placed. Throws FileError.
    std::vector<std::string> commit();
    // Moves the file at temporary_path() onto another path in the same folder
    // (a name known only once written, such as one carrying a checksum);
    // other files the writer made are dropped. Throws FileError.
    void commit_as(const std::string& path);

private:
    void place(const std::string& from, const std::string& to) const;
    void finish();

    std::string m_path;
    std::string m_folder;     // the hidden temporary folder
    std::string m_temporary;  // m_folder / the target's file name
    bool m_committed = false;
};

}  // namespace lantern::core
