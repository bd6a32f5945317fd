#include "support/node_script.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "support/support.hpp"

namespace lantern::test {

namespace {

const char* install_hint =
    "run `bash .ci/install-references` (it installs Debian's nodejs and npm when there is no node, then "
    "`npm ci --prefix tests/js`)";

std::string quoted(const std::string& text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::string js_dir()
{
    return std::string(LANTERN_SOURCE_DIR) + "/tests/js";
}

nlohmann::json run_node_script(const std::string& script, const std::vector<std::string>& args,
                               const std::vector<std::string>& packages)
{
    if (std::system("command -v node > /dev/null 2>&1") != 0)
        FAIL("node is not on PATH: " << script << " reads what Lantern wrote with npm packages; " << install_hint);
    for (const auto& package : packages)
        if (!std::filesystem::exists(js_dir() + "/node_modules/" + package + "/package.json"))
            FAIL("the npm package " << package << " is not installed in tests/js/node_modules; " << install_hint);
    TempDir capture;
    std::string command = "node " + quoted(js_dir() + "/" + script);
    for (const auto& arg : args)
        command += " " + quoted(arg);
    command += " > " + quoted(capture.file("out.json")) + " 2> " + quoted(capture.file("err.txt"));
    const int status = std::system(command.c_str());
    if (status != 0)
        FAIL("node " << script << " failed (status " << status << "): " << read_file(capture.file("err.txt")));
    return nlohmann::json::parse(read_file(capture.file("out.json")));
}

}  // namespace lantern::test
