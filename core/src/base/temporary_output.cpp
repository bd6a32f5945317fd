#include <lantern/core/base/temporary_output.hpp>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include <lantern/core/base/error.hpp>

namespace lantern::core::detail {

namespace {

std::atomic<unsigned> g_counter{0};

}  // namespace

TemporaryOutput::TemporaryOutput(std::string path) : m_path(std::move(path))
{
    namespace fs = std::filesystem;
    fs::path target(m_path);
    std::error_code ec;
    if (fs::is_directory(target, ec))
        throw FileError(m_path + ": is a folder, not a file");
    fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    if (!fs::is_directory(folder, ec))
        throw FileError(m_path + ": the folder " + folder.string() + " does not exist");
    // Hidden, and named by process and counter so parallel runs never meet.
    m_temporary = (folder / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) +
                             "-" + std::to_string(g_counter++)))
                      .string();
}

TemporaryOutput::~TemporaryOutput()
{
    if (!m_committed)
        ::unlink(m_temporary.c_str());
}

void TemporaryOutput::commit()
{
    if (std::rename(m_temporary.c_str(), m_path.c_str()) != 0)
        throw FileError(m_path + ": cannot replace it with the new file: " + std::strerror(errno));
    m_committed = true;
}

}  // namespace lantern::core::detail
