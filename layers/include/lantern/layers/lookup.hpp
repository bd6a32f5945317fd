#pragma once
// What applies at a place in the city, for the planning lookup API
// (docs/api.md): the ward, parcel, planning zone and heritage zone holding a
// point, the heritage sites near it, the flood depth at each stored river
// stage and the arrival time of each stored hydrograph, whether cameras and
// street lights cover it, and the nearest drainage node. A result that has
// not been computed (or whose inputs changed since) is reported as not
// computed, never guessed. A class not imported yet has no features here.
//
// A CityLookup reads what it needs once into memory, the areas and the
// heritage sites' reach behind grids of their bounds (core/geometry/box_grid.hpp),
// the drainage nodes behind an R-tree, and then answers from any number of
// threads at once.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

class CityLookup {
public:
    // Reads the classes and the current results it answers from.
    explicit CityLookup(const core::Storage& storage);
    ~CityLookup();
    CityLookup(const CityLookup&) = delete;
    CityLookup& operator=(const CityLookup&) = delete;

    // Everything that applies at a WGS 84 point, as the JSON text of
    // docs/api.md; none when the point lies in no ward (outside the city).
    // Thread-safe.
    std::optional<std::string> at(double lon, double lat) const;

    // The same for a whole parcel: the planning and heritage zones covering
    // at least 10 % of it with their shares, its flooded share and greatest
    // depth at each stage, its covered shares; none for an unknown parcel id.
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
