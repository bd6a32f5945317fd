#include "reference/reference_tools.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace lantern::test {

namespace fs = std::filesystem;

bool on_path(const std::string& program)
{
    const char* path = std::getenv("PATH");
    if (!path)
        return false;
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty())
            continue;
        const fs::path candidate = fs::path(dir) / program;
        if (fs::is_regular_file(candidate) && access(candidate.c_str(), X_OK) == 0)
            return true;
    }
    return false;
}

ShellResult run_shell(const TempDir& dir, const std::string& command)
{
    const std::string log = dir.file("tool-output.log");
    const std::string line = "cd '" + dir.path().string() + "' && ( " + command + " ) > '" + log + "' 2>&1";
    const int status = std::system(line.c_str());
    ShellResult result;
    result.exit_code = status == -1 ? -1 : (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    result.output = read_file(log);
    constexpr std::size_t keep = 4000;
    if (result.output.size() > keep)
        result.output = "..." + result.output.substr(result.output.size() - keep);
    return result;
}

ShellResult run_grass(const TempDir& dir, const std::string& script)
{
    write_file(dir.file("grass-script.sh"), "set -euo pipefail\n" + script);
    return run_shell(dir, "grass --tmp-location EPSG:32649 --exec bash grass-script.sh");
}

std::string saga_tool_id(const TempDir& dir, const std::string& library, const std::string& name)
{
    // saga_cmd lists a library's tools as " [id]\tname" lines (and exits
    // with an error because no tool was chosen).
    const ShellResult listing = run_shell(dir, "saga_cmd " + library);
    std::stringstream lines(listing.output);
    std::string line;
    while (std::getline(lines, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
            line.pop_back();
        const auto open = line.find('['), close = line.find("]\t");
        if (open == std::string::npos || close == std::string::npos || close < open)
            continue;
        if (line.substr(close + 2) == name)
            return line.substr(open + 1, close - open - 1);
    }
    return {};
}

std::string exact_number(double value)
{
    char text[64];
    std::snprintf(text, sizeof text, "%.17g", value);
    return text;
}

}  // namespace lantern::test
