#pragma once
// What applies at a place in the city, for the planning lookup API
// (docs/api.md): the ward, parcel, planning zone and heritage zone holding a
// point, the flood depth at each stored river stage and the arrival time of
// each stored hydrograph, whether cameras and street lights cover it, the
// fire access of the building there (fire_access: route, hose, hydrant and
// a sentence saying them), and what each point class's lookup part asks
// for (the heritage sites within 100 m, the nearest drainage node;
// class_description.hpp). A result that
// has not been computed (or whose inputs changed since) is reported as not
// computed, never guessed. A class not imported yet has no features here.
//
// A CityLookup reads what it needs once into memory, the areas behind
// polygon locators and the point classes behind R-trees, and then answers
// from any number of threads at once.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

class CityLookup {
public:
    // Reads the classes and the current results it answers from. What has
    // not changed since `previous` was read (the classes, when an analysis
    // has only added results) is shared with it rather than read again. A
    // result whose file cannot be read is left out and listed as
    // unavailable, with the command that computes it again.
    explicit CityLookup(const core::Storage& storage, const CityLookup* previous = nullptr);
    ~CityLookup();
    CityLookup(const CityLookup&) = delete;
    CityLookup& operator=(const CityLookup&) = delete;

    // Everything that applies at a WGS 84 point, as the JSON text of
    // docs/api.md; none when the point lies in no ward (outside the city).
    // Thread-safe.
    std::optional<std::string> at(double lon, double lat) const;

    // The same for a whole parcel: the planning and heritage zones covering
    // at least 10 % of it with their shares, its flooded share and greatest
    // depth at each stage, its covered shares, the fire access of the
    // buildings centred on it; none for an unknown parcel id.
    std::optional<nlohmann::json> parcel(const std::string& parcel_id) const;

    // Parcel ids, addresses, streets, wards and heritage sites whose words
    // start with the query's words, ignoring case and accents ("cam pho"
    // finds "Cẩm Phô"), best first, at most `limit`.
    nlohmann::json search(std::string_view query, std::size_t limit) const;

private:
    struct Data;
    std::unique_ptr<Data> m_data;
};

}  // namespace lantern::layers
