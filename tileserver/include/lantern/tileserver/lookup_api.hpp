#pragma once
// The planning lookup API (docs/api.md): /api/lookup?lon=..&lat=.. answers
// with everything that applies at a point, /api/parcels/ID the same for a
// parcel, /api/search?q=.. finds places by name (layers/lookup.hpp). It
// reads the city before the server listens and again, beside the lookup it
// serves, when the city watcher (city_watcher.hpp) sees a commit; requests
// never wait for a read.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/lookup.hpp>
#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/request_target.hpp>

namespace lantern::tileserver {

class LookupApi {
public:
    // How a lookup is made from the city; `previous` (none the first time)
    // is the one served until then, whose parts that did not change may be
    // taken over.
    using Build = std::function<std::shared_ptr<const layers::CityLookup>(const core::Storage&,
                                                                          const layers::CityLookup* previous)>;
    static std::shared_ptr<const layers::CityLookup> build_city_lookup(const core::Storage& storage,
                                                                       const layers::CityLookup* previous);

    // Reads the city at once.
    explicit LookupApi(std::string city_path, Build build = build_city_lookup);

    // Reads the city again and swaps the new lookup in once it is ready;
    // requests meanwhile are answered from the one before. Not called by
    // two threads at once (the city watcher calls it).
    void reload();

    // 200 with the lookup's JSON; 400 for missing or bad coordinates; 404
    // for a point outside the city. Throws only on storage failures.
    Response lookup(const RequestTarget& target);
    // 200 with the parcel's JSON; 404 for an unknown parcel id.
    Response parcel(const std::string& parcel_id);
    // 200 with {"query", "results"}; 400 without a query (q) or for a
    // limit outside 1 to 50 (default 10).
    Response search(const RequestTarget& target);

private:
    std::shared_ptr<const layers::CityLookup> current() const { return m_lookup.load(); }

    std::string m_city_path;
    Build m_build;
    std::unique_ptr<core::Storage> m_storage;  // the reads' own connection
    std::atomic<std::shared_ptr<const layers::CityLookup>> m_lookup;
};

// A strict decimal number of degrees ("108.3261", "-15.5"): none for an
// empty string, trailing characters, NaN or infinity.
std::optional<double> parse_degrees(std::string_view text);

}  // namespace lantern::tileserver
