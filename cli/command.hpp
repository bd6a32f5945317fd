#pragma once
// One class per subcommand (command_<name>.cpp), all listed in commands.cpp.
// setup() declares the options on its CLI11 subcommand; run() does the work
// and returns the exit code. Errors are thrown; only main.cpp reports them.

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace lantern::cli {

struct GlobalOptions {
    bool json = false;   // machine-readable output on stdout
    bool quiet = false;  // no progress bars
};

class Command {
public:
    virtual ~Command() = default;
    virtual std::string name() const = 0;
    virtual std::string summary() const = 0;
    virtual void setup(CLI::App& app, GlobalOptions& global) = 0;
    virtual int run() = 0;
};

std::vector<std::unique_ptr<Command>> make_commands();

}  // namespace lantern::cli
