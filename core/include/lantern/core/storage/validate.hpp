#pragma once
// Re-checks a whole city database: every feature against its class's rules,
// duplicate ids, features outside the city bounds, and that counts and
// checksums still match what the imports recorded.

#include <vector>

#include <lantern/core/base/report.hpp>
#include <lantern/core/schema/schema.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

Report validate_city(const Storage& storage, const std::vector<ClassSchema>& schemas,
                     bool progress);

}  // namespace lantern::core
