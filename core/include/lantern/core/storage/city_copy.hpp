#pragma once
// Copies a whole city between databases, either way between SpatiaLite and
// PostGIS: classes and feature results with their fids, rasters byte for
// byte, records with their provenance (so staleness carries over), added
// class descriptions, access tokens and the status audit. The copy is made
// in one transaction in a new city, then checked: every class's and result's
// checksum as read back from the copy equals the source's.

#include <cstdint>
#include <string>
#include <vector>

#include <lantern/core/schema/schema.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

struct CityCopySummary {
    std::string destination;  // as Storage::location names it
    int classes = 0;
    int results = 0;
    int rasters = 0;
    std::int64_t features = 0;  // in classes and feature results
};

// class_schemas: the schemas of the source's classes (built-in and added);
// classes the source has no table for are skipped. Refuses (FileError) a
// destination that exists; a copy that fails leaves no destination.
CityCopySummary copy_city(const Storage& source, const std::string& destination,
                          const std::vector<ClassSchema>& class_schemas, bool progress);

}  // namespace lantern::core
