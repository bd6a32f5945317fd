#pragma once
// The independent clients of tests/js (npm packages, installed by
// .ci/install-references) run through node, for tests that compare what
// Lantern writes with what they read.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lantern::test {

// tests/js in the source tree, where the npm packages are installed.
std::string js_dir();

// Runs `node tests/js/SCRIPT ARGS...` and parses what it prints as JSON.
// Fails the test, saying how to install them, when node or one of
// `packages` (names under tests/js/node_modules) is missing, and with the
// script's errors when it fails.
nlohmann::json run_node_script(const std::string& script, const std::vector<std::string>& args,
                               const std::vector<std::string>& packages);

}  // namespace lantern::test
