#pragma once
// The city database backend a test run uses, and where its cities live.
//
// The suites run once on SpatiaLite (cities are files in a TempDir) and,
// registered again by tests/CMakeLists.txt, once on PostGIS: there
// LANTERN_TEST_BACKEND=postgis and LANTERN_TEST_POSTGRES holds the base URI of
// the throwaway cluster (postgresql:///lantern?host=SOCKETDIR&user=lantern),
// and each city is a schema of it. Tests that need the city to be a file
// (sqlite3 on it, rasters beside it, file permissions, faults on files) are
// tagged [spatialite] and left out of the PostGIS run.

#include <string>

#include "support/support.hpp"

namespace lantern::test {

enum class Backend { spatialite, postgis };

// LANTERN_TEST_BACKEND: unset or "spatialite", or "postgis"; any other value throws.
Backend backend();

// The cluster's base URI (LANTERN_TEST_POSTGRES, no schema); throws when unset.
std::string postgres_uri();

// The city in `schema` of the cluster.
std::string postgis_city(const std::string& schema);

// Where a test keeps a city called `name` (a file name such as "city.sqlite"):
// dir.file(name) on SpatiaLite; on PostGIS a schema named after the name's
// stem and the folder, so that the same dir and name give the same city and
// different folders different ones.
std::string city_location(const TempDir& dir, const std::string& name);

// A valid PostgreSQL schema name (lower-case letters, digits and underscores,
// starting with a letter, at most 63 bytes) from any text.
std::string schema_name(const std::string& text);

}  // namespace lantern::test
