#pragma once
// The planning lookup API (docs/api.md): /api/lookup?lon=..&lat=.. answers
// with everything that applies at a point, /api/parcels/ID the same for a
// parcel, /api/search?q=.. finds places by name (layers/lookup.hpp). It keeps one
// CityLookup and reads the city again when another process has committed to
// it since (an import, a new analysis result), looking at most once per
// interval; requests meanwhile are answered from the city as it was read.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/lookup.hpp>
#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/request_target.hpp>
#include <lantern/tileserver/throttle.hpp>

namespace lantern::tileserver {

class LookupApi {
public:
    LookupApi(std::string city_path, std::chrono::steady_clock::duration change_check_interval);

    // 200 with the lookup's JSON; 400 for missing or bad coordinates; 404
    // for a point outside the city. Throws only on storage failures.
    Response lookup(const RequestTarget& target);
    // 200 with the parcel's JSON; 404 for an unknown parcel id.
    Response parcel(const std::string& parcel_id);
    // 200 with {"query", "results"}; 400 without a query (q) or for a
    // limit outside 1 to 50 (default 10).
    Response search(const RequestTarget& target);

private:
    // The lookup for the city as it is now, read again after a change.
    std::shared_ptr<const layers::CityLookup> current();

    std::string m_city_path;
    Throttle m_change_check;
    std::mutex m_mutex;  // over reading the city: the storage and m_read_at
    std::unique_ptr<core::Storage> m_storage;
    std::optional<std::int64_t> m_read_at;  // the storage's change counter when read
    std::atomic<std::shared_ptr<const layers::CityLookup>> m_lookup;
};

// A strict decimal number of degrees ("108.3261", "-15.5"): none for an
// empty string, trailing characters, NaN or infinity.
std::optional<double> parse_degrees(std::string_view text);

}  // namespace lantern::tileserver
