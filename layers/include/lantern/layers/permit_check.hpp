#pragma once
// The building-permit pre-check (docs/permits.md): a proposed building
// against every rule that applies where it stands. The planning zones it
// stands in (each zone for its part of the footprint): allowed land uses,
// height, floors, site coverage and floor-area ratio over its parcels;
// heritage zone I (no new construction, repairs within the original height)
// and II (its limits, its distance to heritage sites); the ground floor
// against a design flood from the stored flood results; the footprint valid,
// inside the city and on one parcel. Nothing is stored.

#include <memory>
#include <stdexcept>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <lantern/core/io/grid_vector.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

struct PermitProposal {
    // Where: a footprint (WKB in the city CRS), or a parcel, whose buildings
    // the proposal replaces on their footprint (on an empty parcel: the
    // largest footprint its zone's coverage allows, shaped like the parcel).
    std::optional<core::Wkb> footprint;
    std::optional<std::string> parcel_id;
    std::int64_t floors = 0;
    double height_m = 0;
    std::string land_use;  // a land-use code (catalogue.hpp)
    // Ground floor, metres above the national datum (default: the highest
    // ground under the footprint).
    std::optional<double> floor_level_m;
    // The river stage the floor must stand above (default: the 1964 record).
    std::optional<double> design_stage_m;
    // A repair of the buildings already on the footprint (heritage zone I
    // allows repairs within their original height, not new buildings).
    bool repair = false;
};

// The most a drawn footprint may be: so far across (east-west and
// north-south), of so many rings (its polygons and their holes) and
// corners. More than any building has; they bound a check's work, which
// grows with the parcels around the footprint times its rings (some 0.5 s
// at the most on the sample city's old town; minutes for a square
// kilometre, seconds for hundreds of rings).
inline constexpr double max_footprint_across_m = 400;
inline constexpr int max_footprint_rings = 16;
inline constexpr int max_footprint_corners = 1000;

// A proposal's error that no rule can answer: floors below 0, a height not
// above 0, an unknown land-use code, a parcel not in the city, a footprint
// that is not a polygon or is larger than the limits above. The message
// names the problem.
struct PermitInputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class PermitChecker {
public:
    // Reads the plan (zones, heritage zones, parcels, buildings, heritage
    // sites, wards) and the DEM and flood depths. Throws DataError when a
    // class cannot be read.
    explicit PermitChecker(const core::Storage& storage);
    ~PermitChecker();
    PermitChecker(const PermitChecker&) = delete;
    PermitChecker& operator=(const PermitChecker&) = delete;

    // What a checker reads from the city, as a key: the city's CRS, the
    // content checksums of the plan's classes and of the DEM, and the
    // current flood depth results. A checker read at the same key checks
    // alike (a server reads the checker again only when it changes).
    static std::string inputs_key(const core::Storage& storage);

    // {"verdict": "pass"|"fail", "rules": [{"rule", "limit", "proposed",
    // "pass", "source", ...}], "site": {...}}. A rule that cannot be checked
    // (the flood not computed for the design stage) has "pass": null and a
    // note, and does not fail the verdict. Thread-safe. Throws
    // PermitInputError.
    nlohmann::json check(const PermitProposal& proposal) const;

    // The check on a one-page sheet (A4 landscape, .pdf, .png or .svg): the
    // site map with the footprint, parcels, buildings, zones and heritage
    // zones, the verdict as its title and every rule listed. Returns the
    // check.
    nlohmann::json check_on_sheet(const core::Storage& storage, const PermitProposal& proposal,
                                  const std::string& path) const;

    // A proposal from the API's JSON body: "footprint" (a GeoJSON Polygon
    // or Feature in WGS 84) or "parcel_id", "floors", "height_m",
    // "land_use", optional "floor_level_m", "design_stage_m", "repair".
    // Throws PermitInputError naming the member.
    PermitProposal proposal_from_json(const nlohmann::json& body) const;

    // The footprint of a GeoJSON or any vector file GDAL reads (one polygon
    // feature), in the city CRS. Throws FileError/DataError.
    core::Wkb footprint_from_file(const std::string& path) const;

private:
    // The check, and the footprint checked (in the city CRS) when asked for.
    nlohmann::json evaluate(const PermitProposal& proposal, core::Wkb* footprint) const;

    struct Data;
    std::unique_ptr<Data> m_data;
};

}  // namespace lantern::layers
