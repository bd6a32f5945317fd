#include "support/support.hpp"

#include "support/backend.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace lantern::test {

namespace fs = std::filesystem;

TempDir::TempDir()
{
    std::random_device rd;
    m_path = fs::temp_directory_path() / ("lantern-test-" + std::to_string(rd()));
    fs::create_directories(m_path);
}

TempDir::~TempDir()
{
    std::error_code ec;
    fs::remove_all(m_path, ec);
}

void write_file(const std::string& path, const std::string& content)
{
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

std::string read_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

namespace {

RunResult run(const std::vector<std::string>& args, const Environment& environment, const Fault& fault)
{
    TempDir capture;
    std::string out_path = capture.file("out"), err_path = capture.file("err");
    pid_t pid = fork();
    if (pid == 0) {
        int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(out, 1);
        dup2(err, 2);
        for (const auto& [name, value] : environment)
            setenv(name.c_str(), value.c_str(), 1);
        if (fault.file_bytes) {
            struct rlimit limit {static_cast<rlim_t>(*fault.file_bytes), static_cast<rlim_t>(*fault.file_bytes)};
            setrlimit(RLIMIT_FSIZE, &limit);
            signal(SIGXFSZ, SIG_IGN);
        }
        std::vector<char*> argv;
        std::string binary = LANTERN_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    int status = 0;
    if (fault.kill_after) {
        auto deadline = std::chrono::steady_clock::now() + *fault.kill_after;
        while (waitpid(pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    } else {
        waitpid(pid, &status, 0);
    }
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = read_file(out_path);
    r.err = read_file(err_path);
    return r;
}

}  // namespace

RunResult run_lantern(const std::vector<std::string>& args, const Environment& environment)
{
    return run(args, environment, {});
}

RunResult run_lantern(const std::vector<std::string>& args, const Fault& fault)
{
    return run(args, {}, fault);
}

std::string copy_city(const std::string& city, const TempDir& dir, const std::string& leave_out)
{
    if (backend() == Backend::postgis) {
        if (!leave_out.empty())
            throw std::runtime_error("copy_city: leaving rasters out of a copy needs the city as files; "
                                     "tag the test [spatialite]");
        // Named after the source's file name, or its schema when it is a URI.
        auto schema = city.find("schema=");
        auto name = schema == std::string::npos ? std::filesystem::path(city).filename().string()
                                                : city.substr(schema + 7, city.find('&', schema) - schema - 7);
        auto copy = city_location(dir, name);
        auto r = run_lantern({"copy", city, copy});
        if (r.exit_code != 0)
            throw std::runtime_error("cannot copy " + city + " to " + copy + ": " + r.err);
        return copy;
    }
    auto copy = dir.file(std::filesystem::path(city).filename().string());
    if (std::system(("sqlite3 '" + city + "' \"VACUUM INTO '" + copy + "'\"").c_str()) != 0)
        throw std::runtime_error("cannot copy " + city);
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(city).parent_path())) {
        auto name = entry.path().filename().string();
        if (entry.path().extension() == ".tif" && (leave_out.empty() || name.find(leave_out) == std::string::npos))
            std::filesystem::copy(entry.path(), dir.file(name));
    }
    return copy;
}

std::string hoian_data(const std::string& name)
{
    return std::string(LANTERN_SOURCE_DIR) + "/data/hoian/" + name;
}

}  // namespace lantern::test

#include <gdal_utils.h>
#include <gdal_priv.h>

#include <lantern/core/crs/gdal.hpp>

namespace lantern::test {

void translate(const std::string& source, const std::string& target,
               const std::vector<std::string>& options)
{
    lantern::core::ensure_gdal();
    GDALDatasetH src = GDALOpenEx(source.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    if (!src)
        throw std::runtime_error("cannot open " + source);
    std::vector<std::string> copy = options;
    std::vector<char*> argv;
    for (auto& o : copy)
        argv.push_back(o.data());
    argv.push_back(nullptr);
    auto* opts = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    int usage_error = 0;
    GDALDatasetH out = GDALVectorTranslate(target.c_str(), nullptr, 1, &src, opts, &usage_error);
    GDALVectorTranslateOptionsFree(opts);
    GDALClose(src);
    if (!out)
        throw std::runtime_error("cannot translate " + source + " to " + target);
    GDALClose(out);
}

std::string geojson_feature(const std::string& geometry, const std::string& properties)
{
    return R"({"type":"Feature","geometry":)" + geometry + R"(,"properties":)" + properties + "}";
}

void write_collection(const std::string& path, const std::vector<std::string>& features)
{
    std::string text = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < features.size(); ++i)
        text += (i ? "," : "") + features[i];
    write_file(path, text + "]}");
}

std::string feature_collection(const std::vector<std::string>& features)
{
    std::string text = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[)";
    for (std::size_t i = 0; i < features.size(); ++i)
        text += (i ? "," : "") + features[i];
    return text + "]}";
}

namespace {

std::string number(double v)
{
    std::ostringstream s;
    s.precision(12);
    s << v;
    return s.str();
}

}  // namespace

std::string point_feature(double lon, double lat, const std::string& properties)
{
    return R"({"type":"Feature","properties":)" + properties +
           R"(,"geometry":{"type":"Point","coordinates":[)" + number(lon) + "," + number(lat) +
           "]}}";
}

std::string square_feature(double lon, double lat, double size, const std::string& properties)
{
    auto pt = [](double x, double y) { return "[" + number(x) + "," + number(y) + "]"; };
    return R"({"type":"Feature","properties":)" + properties +
           R"(,"geometry":{"type":"Polygon","coordinates":[[)" + pt(lon, lat) + "," +
           pt(lon + size, lat) + "," + pt(lon + size, lat + size) + "," + pt(lon, lat + size) +
           "," + pt(lon, lat) + "]]}}";
}

std::string three_lamps_geojson()
{
    return feature_collection({
        point_feature(108.3261, 15.8772,
                      R"({"lamp_id":"L-1","lamp_type":"LED","power_w":60,"height_m":8,"lumens":7200,"status":"on"})"),
        point_feature(108.3277, 15.8766,
                      R"({"lamp_id":"L-2","lamp_type":"LED","power_w":60,"height_m":8,"lumens":7200,"status":"faulty"})"),
        point_feature(108.3306, 15.8773,
                      R"({"lamp_id":"L-3","lamp_type":"solar-LED","power_w":40,"height_m":6,"lumens":4400,"status":"on"})"),
    });
}

std::unique_ptr<core::Storage> new_city(const TempDir& dir, const std::string& name)
{
    auto crs = core::Crs::from_user("EPSG:32649");
    return core::create_city(city_location(dir, name), "Hoi An", crs,
                             core::Transform(core::Crs::wgs84(), crs)
                                 .apply(core::Bounds{108.28, 15.80, 108.71, 15.99}));
}

}  // namespace lantern::test
