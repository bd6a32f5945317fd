#pragma once
// Device status from the operations centre (docs/api.md, "Device status"):
// which classes are devices, setting one device's status with its audit and
// the coverage it changes in one transaction, and what the statuses add up
// to per class and ward.

#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/layers/coverage.hpp>

namespace lantern::layers {

// A class whose features are devices: it has an id field and a text field
// "status" with allowed values (cameras: online, offline, faulty; lamps:
// on, off, faulty, maintenance; hydrants: working, faulty).
struct DeviceClass {
    std::string name;
    std::vector<std::string> statuses;  // the allowed values, in schema order
};

// The city's device classes, in the registry's order.
std::vector<DeviceClass> device_classes(const ClassRegistry& classes);

// A device is online when its status is the first allowed value (online,
// on, working) or unset, and working unless its status is faulty or
// maintenance.
bool status_online(const DeviceClass& device_class, const std::string& status);
bool status_working(const std::string& status);

// Why a status change was refused; nothing was changed.
class DeviceStatusError : public core::Error {
public:
    enum class Kind {
        not_found,   // no such device class, or no such device
        bad_status,  // not one of the class's statuses
    };
    DeviceStatusError(Kind kind, const std::string& message) : core::Error(message), m_kind(kind) {}
    Kind kind() const { return m_kind; }

private:
    Kind m_kind;
};

struct StatusUpdate {
    core::StatusChange change;  // as the audit keeps it
    // Whether the device's coverage results were brought up to date (the
    // city has current coverage results of its network).
    bool coverage_updated = false;
};

// Sets devices' statuses in a city, one change per transaction: the
// status, its line in the audit and, for cameras and lamps, the coverage
// results of their network (LiveCoverage), or none of them. Not
// thread-safe: one writer, one thread.
class DeviceStatusWriter {
public:
    // Opens the city for writing (StorageError when it cannot).
    explicit DeviceStatusWriter(const std::string& city_path);
    ~DeviceStatusWriter();

    // Reads ahead what the coverage updates need, so that the first change
    // is as quick as the next.
    void prepare();

    // Throws DeviceStatusError for an unknown class or device or a status
    // the class does not allow.
    StatusUpdate set_status(const std::string& class_name, const std::string& device, const std::string& status,
                            const std::string& token_name);

private:
    std::unique_ptr<core::Storage> m_storage;
    LiveCoverage m_cameras{CoverageNetwork::cameras};
    LiveCoverage m_lighting{CoverageNetwork::lighting};
};

// What /api/devices/summary answers (docs/api.md): per device class, the
// counts by status and the online and working shares, in all and per ward;
// and the streets dark (a lighting gap) and unwatched (a camera gap) at
// once, from the current coverage results.
nlohmann::json device_summary(const core::Storage& storage);

}  // namespace lantern::layers
