#pragma once
// What the command line adds to core's errors: core names the file, feature,
// field and value that are wrong and what the error is about (core::Choice);
// this names the option or command that changes it.

#include <string>

#include <lantern/core/base/error.hpp>

namespace lantern::cli {

// The option or command to change what an error is about ("choose one with
// --layer"), or empty.
std::string remedy(core::Choice about);

// An error's message followed by its remedy, when it has one.
std::string message_with_remedy(const core::Error& error);

}  // namespace lantern::cli
