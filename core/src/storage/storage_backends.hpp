#pragma once
// The backends behind open_city, create_city and remove_city (storage.hpp),
// which pick one by the location. Internal to core's storage module.

#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

std::unique_ptr<Storage> open_spatialite_city(const std::string& path, Access access);
std::unique_ptr<Storage> create_spatialite_city(const std::string& path, const std::string& name, const Crs& crs,
                                                const std::optional<Bounds>& bounds);
void remove_spatialite_city(const std::string& path);

// A postgresql:// URI with a schema parameter (postgis_storage.cpp).
std::unique_ptr<Storage> open_postgis_city(const std::string& location, Access access);
std::unique_ptr<Storage> create_postgis_city(const std::string& location, const std::string& name, const Crs& crs,
                                             const std::optional<Bounds>& bounds);
void remove_postgis_city(const std::string& location);

}  // namespace lantern::core
