#pragma once
// Running the independent tools the reference tests compare with (SAGA's
// saga_cmd, GRASS): finding them, running them in a temporary folder with
// their output kept for the failure message, and the grid comparisons the
// tests share.

#include <cstdint>
#include <string>

#include <lantern/core/raster/grid.hpp>

#include "support/support.hpp"

namespace lantern::test {

// True when an executable of that name is on PATH.
bool on_path(const std::string& program);

struct ShellResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr, the last few thousand characters
};

// Runs a command line with /bin/sh in the folder `dir`.
ShellResult run_shell(const TempDir& dir, const std::string& command);

// Runs a bash script (commands as typed at a GRASS prompt) in a throwaway
// GRASS location in EPSG:32649, in the folder `dir`; the script stops at the
// first failing command.
ShellResult run_grass(const TempDir& dir, const std::string& script);

// The number saga_cmd gives the tool called `name` in `library`, e.g.
// saga_tool_id("ta_preprocessor", "Fill Sinks (Wang & Liu)"); empty when the
// library has no such tool.
std::string saga_tool_id(const TempDir& dir, const std::string& library, const std::string& name);

// A number printed exactly as float (and double) hold it.
std::string exact_number(double value);

}  // namespace lantern::test
