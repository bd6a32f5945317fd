#pragma once
// One error hierarchy for the whole engine. Library code throws these; only
// cli/main.cpp turns them into messages and exit codes (docs/cli.md).
// Expected bad data (a feature that breaks its schema) is not thrown but
// collected in a Report; an Error ends the operation.

#include <stdexcept>
#include <string>

namespace lantern::core {

// What an error is about when it is a choice its caller made, so that the
// caller can say how to change it: the command line names its option or
// command (cli/remedies.cpp). Core's messages name only files, classes,
// features, fields and values, never an option.
enum class Choice {
    none,
    source_layer,       // the layer to read of a source with several
    source_crs,         // the CRS of a source that declares none
    field_mapping,      // which source field fills which class field
    existing_features,  // a class with features already: add to them or replace them
    output_format,      // the format of a file to write
    existing_output,    // a file to write that exists already
    map_size,           // the size of a map image
    missing_class,      // a class the city lacks that an analysis reads
    missing_city,       // a city database that does not exist
    existing_city,      // a city database to create that exists already
    damaged_city,       // a city database whose files disagree with its records
};

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message, Choice about = Choice::none)
        : std::runtime_error(message), m_about(about)
    {
    }
    Choice about() const { return m_about; }

private:
    Choice m_about;
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
