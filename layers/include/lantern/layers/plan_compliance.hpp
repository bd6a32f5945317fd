#pragma once
// The plan against what stands (docs/permits.md): the compliance audit finds
// every building over its zone's floors or height and every parcel over its
// zone's site coverage or floor-area ratio; the land fund finds vacant
// parcels (no building, in a zone that allows building, on land that is not
// farmland) and underused ones (built floor area under a share of what the
// zone allows), with the floor area the plan still allows. A building's or
// parcel's zone is the zone holding most of it. Each run stores its results
// in one transaction and may draw a map.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include <lantern/core/geometry/bounds.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

struct ComplianceMapOptions {
    std::optional<std::string> path;  // .png, .pdf or .svg; none: no map
    int width = 1600;
    std::optional<core::Bounds> bounds;  // in the city CRS; default: the city
    std::optional<std::string> layout;   // a paper (a4-landscape, ...)
    double dpi = 0;
};

struct AuditOptions {
    ComplianceMapOptions map;
    bool log = true;
};

// Stores building_violations, parcel_violations and audit_wards; returns the
// summary the CLI prints.
nlohmann::json run_audit(core::Storage& storage, const AuditOptions& options);

struct LandFundOptions {
    // Underused: built floor area under this share of what the zone allows.
    double underused_share = 0.25;
    ComplianceMapOptions map;
    bool log = true;
};

// Stores land_fund and land_fund_wards; returns the summary.
nlohmann::json run_land_fund(core::Storage& storage, const LandFundOptions& options);

}  // namespace lantern::layers
