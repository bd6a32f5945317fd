#pragma once
// One class per subcommand (command_<name>.cpp), all listed in commands.cpp.
// setup() declares the options on its CLI11 subcommand; run() does the work
// and returns the exit code. Errors are thrown; only main.cpp reports them.

#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/plan_compliance.hpp>

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

// --threads N for a command that works in parallel: the threads its work uses,
// the calling one included (default: one per core). Given, it sets the
// process's default thread count (core/base/parallel.hpp) as the command line is
// parsed, before any work starts, and stores N in `threads` for the command.
CLI::Option* add_threads_option(CLI::App& app, unsigned& threads, const std::string& description);

// --layout PAPER and --dpi N, for the commands that draw maps.
void add_page_options(CLI::App& app, std::string& layout, double& dpi);

// --map FILE, --width, --bounds, --layout and --dpi of the audit and the
// land fund, resolved against the city once it is open.
struct ComplianceMapArguments {
    std::string path, layout, bounds;
    int width = 1600;
    double dpi = 0;
    layers::ComplianceMapOptions resolve(const core::Storage& storage) const;
};
void add_compliance_map_options(CLI::App& app, ComplianceMapArguments& arguments);

}  // namespace lantern::cli
