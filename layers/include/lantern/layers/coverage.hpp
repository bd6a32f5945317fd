#pragma once
// What the city's cameras watch and its street lights light (docs/coverage.md):
// each device's footprint, occluded by buildings (camera views split into
// EN 62676-4 detail bands, lamps lit to the threshold of the nearest road's
// lighting class); the covered share of roads, heritage sites and zones and
// parcels, per ward; the gaps (unwatched or dark road stretches, blind spots
// in heritage zones). A run stores its results in one transaction. What-if
// runs (devices switched off or added) and placement (--suggest) report the
// change against the current coverage and store nothing.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

enum class CoverageNetwork { cameras, lighting };

// "cameras" or "lighting"; parse throws UsageError for anything else.
std::string to_string(CoverageNetwork network);
CoverageNetwork parse_coverage_network(const std::string& text);

// What --suggest maximises.
enum class PlacementObjective { roads, heritage };
PlacementObjective parse_placement_objective(const std::string& text);

struct CoverageOptions {
    CoverageNetwork network = CoverageNetwork::cameras;
    // What-if: device ids switched off, and a vector file of devices added
    // (the cameras or lamps schema's fields; missing ones take the defaults).
    std::vector<std::string> off;
    std::optional<std::string> add;
    // Cameras only: pick this many new sites among the candidates (a vector
    // file of camera points, or by default the street junctions).
    std::size_t suggest = 0;
    std::optional<std::string> candidates;
    PlacementObjective objective = PlacementObjective::roads;
    // Gaps worth listing: road stretches at least this long, blind spots in
    // heritage zones at least this large.
    double min_gap_m = 20;
    double min_blind_spot_m2 = 25;
    // A map of the footprints and gaps.
    std::optional<std::string> png;
    int png_width = 1600;
    std::optional<core::Bounds> png_bounds;  // in the city CRS; default: the devices
    // The map on a printed page (a4-landscape, ...) at `dpi` (0: 96, or 150
    // on a page).
    std::optional<std::string> layout;
    double dpi = 0;
    unsigned threads = 0;  // 0: one per core
    bool log = true;       // a line per step on stderr
};

// Runs the analysis on the current data (or the what-if or placement on top
// of it) and returns the JSON summary the CLI prints. Throws DataError when
// the city lacks the devices, UsageError for an unknown device id in `off`.
nlohmann::json run_coverage(core::Storage& storage, const CoverageOptions& options);

// One network's coverage kept in memory from one device status change to
// the next (docs/api.md, "Device status"): after a change only that
// device's footprint is swept again, only what it reaches is measured
// again, and the stored results are edited in place (the device's
// footprint rows, the gaps, blind spots and ward totals) rather than
// written anew. Used inside the caller's transaction.
class LiveCoverage {
public:
    explicit LiveCoverage(CoverageNetwork network);
    ~LiveCoverage();
    LiveCoverage(const LiveCoverage&) = delete;
    LiveCoverage& operator=(const LiveCoverage&) = delete;

    CoverageNetwork network() const { return m_network; }

    // Whether the city has current coverage results of the network; when it
    // has, reads what update() needs unless it holds it already for the
    // same inputs. Call before the status changes.
    bool prepare(const core::Storage& storage);
    // After device `id`'s status changed in the open transaction: brings
    // the network's results up to date with it, inputs' checksums
    // included. Only after prepare() returned true.
    void update(core::Storage& storage, const std::string& id);
    // Forgets what it holds (the transaction did not commit).
    void forget();

private:
    struct Model;
    CoverageNetwork m_network;
    std::unique_ptr<Model> m_model;
};

}  // namespace lantern::layers
