#include <lantern/core/base/temporary_output.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

namespace fs = std::filesystem;

// Flushes a file or folder to disk. A folder is flushed so that the renames
// in it survive a crash too; a file system that cannot flush folders says
// EINVAL, which is no reason to fail the write.
void sync_to_disk(const std::string& path, bool folder)
{
    int fd = ::open(path.c_str(), (folder ? O_DIRECTORY : 0) | O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw FileError(path + ": cannot open to flush it to disk: " + std::strerror(errno));
    int failed = ::fsync(fd) != 0 && !(folder && errno == EINVAL) ? errno : 0;
    ::close(fd);
    if (failed)
        throw FileError(path + ": cannot flush it to disk: " + std::strerror(failed));
}

}  // namespace

TemporaryOutput::TemporaryOutput(std::string path) : m_path(std::move(path))
{
    fs::path target(m_path);
    std::error_code ec;
    if (fs::is_directory(target, ec))
        throw FileError(m_path + ": is a folder, not a file");
    fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(folder, ec))
        throw FileError(m_path + ": the folder " + folder.string() + " does not exist");
    // Hidden, named after the target and this process for whoever finds one
    // a killed run left behind; mkdtemp makes the name unique.
    std::string pattern =
        (folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-XXXXXX")).string();
    if (!::mkdtemp(pattern.data()))
        throw FileError(m_path + ": cannot make a temporary folder in " + folder.string() + ": " +
                        std::strerror(errno));
    m_folder = pattern;
    m_temporary = (fs::path(m_folder) / target.filename()).string();
}

TemporaryOutput::~TemporaryOutput()
{
    if (!m_committed) {
        std::error_code ec;
        fs::remove_all(m_folder, ec);
    }
}

void TemporaryOutput::place(const std::string& from, const std::string& to) const
{
    sync_to_disk(from, false);
    if (std::rename(from.c_str(), to.c_str()) != 0)
        throw FileError(to + ": cannot replace it with the new file: " + std::strerror(errno));
}

void TemporaryOutput::finish()
{
    m_committed = true;
    std::error_code ec;
    fs::remove_all(m_folder, ec);
    fs::path folder = fs::path(m_path).parent_path();
    sync_to_disk(folder.empty() ? "." : folder.string(), true);
}

std::vector<std::string> TemporaryOutput::commit()
{
    std::error_code ec;
    if (!fs::exists(m_temporary, ec))
        throw FileError(m_path + ": nothing was written to " + m_temporary);
    fs::path folder = fs::path(m_path).parent_path();
    std::vector<std::string> placed;
    for (const auto& entry : fs::directory_iterator(m_folder, ec)) {
        if (entry.path() == fs::path(m_temporary))
            continue;
        auto to = (folder / entry.path().filename()).string();
        place(entry.path().string(), to);
        placed.push_back(to);
    }
    place(m_temporary, m_path);
    placed.push_back(m_path);
    finish();
    return placed;
}

void TemporaryOutput::commit_as(const std::string& path)
{
    if (fs::path(path).parent_path() != fs::path(m_path).parent_path())
        throw std::logic_error("TemporaryOutput::commit_as: " + path + " is not in the folder of " + m_path);
    place(m_temporary, path);
    m_path = path;
    finish();
}

}  // namespace lantern::core
