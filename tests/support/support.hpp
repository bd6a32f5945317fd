#pragma once
// Helpers for tests: temporary folders, fixture files, running the lantern
// binary as a user would.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <lantern/core/storage/storage.hpp>

namespace lantern::test {

// A fresh folder under the system temp dir, removed with its contents.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }
    std::string file(const std::string& name) const { return (m_path / name).string(); }

private:
    std::filesystem::path m_path;
};

void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Environment variables as (name, value).
using Environment = std::vector<std::pair<std::string, std::string>>;

// Runs the lantern binary with the given arguments (no shell involved), with
// the variables of `environment` set on top of the test's own.
RunResult run_lantern(const std::vector<std::string>& args, const Environment& environment = {});

// A run cut short as a full disk or a crash would cut it: files limited to
// `file_bytes` (RLIMIT_FSIZE, which binds root too, with SIGXFSZ ignored, so
// a write past it fails with EFBIG), and the process killed with SIGKILL
// once `kill_after` has passed (its exit code then 128 + 9).
struct Fault {
    std::optional<std::uint64_t> file_bytes;
    std::optional<std::chrono::milliseconds> kill_after;
};
RunResult run_lantern(const std::vector<std::string>& args, const Fault& fault);

// A copy of a city database (made with SQLite's VACUUM INTO, so that a
// database in use copies whole) and the rasters beside it, in `dir`, but
// the rasters whose file name holds `leave_out`; the copy's path. On the
// PostGIS backend (support/backend.hpp) a copy by `lantern copy` into a
// schema of its own, city_location(dir, the source's name); `leave_out`
// must then be empty.
std::string copy_city(const std::string& city, const TempDir& dir, const std::string& leave_out = "");

// The project's bundled data folder (data/hoian).
std::string hoian_data(const std::string& name);

}  // namespace lantern::test

namespace lantern::test {

// Converts a vector file with GDAL (the library behind ogr2ogr), e.g.
// translate(src, dst, {"-f", "CSV", "-lco", "GEOMETRY=AS_WKT"}).
void translate(const std::string& source, const std::string& target,
               const std::vector<std::string>& options);

// One GeoJSON feature from a geometry's JSON text and a properties object's.
std::string geojson_feature(const std::string& geometry, const std::string& properties);
// Writes a FeatureCollection without a CRS (in whatever coordinates the
// importer is told with --s-srs) from features' JSON texts.
void write_collection(const std::string& path, const std::vector<std::string>& features);

// A GeoJSON FeatureCollection in WGS 84 from features' JSON texts.
std::string feature_collection(const std::vector<std::string>& features);
// One point feature with the given properties JSON object text.
std::string point_feature(double lon, double lat, const std::string& properties);
// One polygon feature: a square of side `size` degrees with its south-west corner at lon, lat.
std::string square_feature(double lon, double lat, double size, const std::string& properties);

// Three lamps by the Ancient Town, the fixture most import tests share.
std::string three_lamps_geojson();

// Bounds of Hoi An in WGS 84 as given to lantern init --bounds.
inline const char* hoian_bounds = "108.28,15.80,108.71,15.99";

// A new city database "Hoi An" in UTM 49N with those bounds, at
// city_location(dir, name) (support/backend.hpp): a file in dir or a schema.
std::unique_ptr<core::Storage> new_city(const TempDir& dir, const std::string& name = "city.sqlite");

}  // namespace lantern::test
