#pragma once
// One error hierarchy for the whole engine. Library code throws these; only
// cli/main.cpp turns them into messages and exit codes (docs/cli.md).
// Expected bad data (a feature that breaks its schema) is not thrown but
// collected in a Report; an Error ends the operation.

#include <stdexcept>
#include <string>

namespace lantern::core {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// The command line asks for something that does not exist or makes no sense:
// an unknown class, an unknown CRS, a malformed option value.
class UsageError : public Error {
public:
    using Error::Error;
};

// The input data breaks the rules: unreadable content, a feature that fails
// its schema under the reject policy, a source without a CRS.
class DataError : public Error {
public:
    using Error::Error;
};

// A file is missing or cannot be read or written.
class FileError : public Error {
public:
    using Error::Error;
};

// The city database cannot be used: not a city database, read-only, locked,
// corrupt, or a storage statement failed.
class StorageError : public Error {
public:
    using Error::Error;
};

}  // namespace lantern::core
