// Vector tile benchmark driver: Lantern's side of tests/bench/tiles_bench.sh,
// and the checker run over every tool's tiles (core/testing/mvt_check.hpp).
//
//   lantern_tiles_bench layers CITY
//       one line per feature class with features: name, geometry, min zoom,
//       max zoom, full zoom (thinned below it; 0 never), fields and their OGR
//       types (comma separated), tab separated; the peers are configured
//       from it
//   lantern_tiles_bench tiles CITY MIN_ZOOM MAX_ZOOM OUT.tsv
//       every tile "z x y" of those zooms over the classes' bounds
//   lantern_tiles_bench render CITY TILES.tsv THREADS [NON_EMPTY.tsv]
//       loads every class (one small tile each), then renders every tile with
//       all classes as one composite on THREADS threads; prints RESULT with
//       load_seconds, render_seconds, tiles_per_second, bytes, peak memory;
//       writes the tiles that have features to NON_EMPTY.tsv (for serving)
//   lantern_tiles_bench check-lantern CITY TILES.tsv THREADS
//   lantern_tiles_bench check-hex < LINES        (z x y hex, as psql prints)
//   lantern_tiles_bench check-dir DIR            (DIR/z/x/y.pbf, plain or gzip)
//       check every tile; print RESULT with tiles, non-empty tiles,
//       features, polygons, invalid polygons, problems, and the most
//       frequent kinds of problem on PROBLEM lines
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/gzip.hpp>
#include <lantern/core/testing/mvt_check.hpp>
#include <lantern/core/tiles/tile_math.hpp>
#include <lantern/layers/tiles.hpp>

#include "tiles/tile_layers.hpp"

using namespace lantern;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double peak_memory_mb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    return 0;
}

std::vector<layers::TileLayerInfo> class_layers(const layers::TileSet& tiles)
{
    std::vector<layers::TileLayerInfo> out;
    for (auto& layer : tiles.layers())
        if (layer.kind == "class" && layer.feature_count > 0)
            out.push_back(std::move(layer));
    return out;
}

std::vector<std::string> names_of(const std::vector<layers::TileLayerInfo>& infos)
{
    std::vector<std::string> names;
    for (const auto& info : infos)
        names.push_back(info.name);
    return names;
}

std::vector<core::TileId> read_tiles(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw core::FileError("cannot read " + path);
    std::vector<core::TileId> tiles;
    core::TileId tile;
    while (in >> tile.z >> tile.x >> tile.y)
        tiles.push_back(tile);
    return tiles;
}

std::string tile_name(const core::TileId& tile)
{
    return std::to_string(tile.z) + "/" + std::to_string(tile.x) + "/" + std::to_string(tile.y);
}

int print_layers(const std::string& city)
{
    layers::TileSet tiles(city);
    for (const auto& info : class_layers(tiles)) {
        auto config = layers::tiles::class_tile_config(info.name);
        std::string fields;
        std::string types;
        for (const auto& field : info.fields) {
            fields += (fields.empty() ? "" : ",") + field.name;
            types += types.empty() ? "" : ",";
            types += field.type == core::FieldType::integer ? "Integer64"
                     : field.type == core::FieldType::real  ? "Real"
                                                            : "String";
        }
        std::string geometry = info.geometry == core::GeometryKind::polygon ? "polygon"
                               : info.geometry == core::GeometryKind::line  ? "line"
                                                                             : "point";
        std::cout << info.name << '\t' << geometry << '\t' << info.min_zoom << '\t'
                  << info.max_zoom << '\t' << (config ? config->full_zoom : 0) << '\t' << fields
                  << '\t' << types << '\n';
    }
    return 0;
}

int print_tiles(const std::string& city, int min_zoom, int max_zoom, const std::string& out_path)
{
    layers::TileSet tiles(city);
    core::Bounds lonlat = layers::combined_bounds(class_layers(tiles));
    core::Bounds mercator;
    core::lonlat_to_mercator(lonlat.min_x, lonlat.min_y, mercator.min_x, mercator.min_y);
    core::lonlat_to_mercator(lonlat.max_x, lonlat.max_y, mercator.max_x, mercator.max_y);
    std::ofstream out(out_path);
    std::size_t count = 0;
    for (int z = min_zoom; z <= max_zoom; ++z)
        for (const auto& tile : core::tiles_covering(mercator, z)) {
            out << tile.z << ' ' << tile.x << ' ' << tile.y << '\n';
            ++count;
        }
    if (!out.flush())
        throw core::FileError("cannot write " + out_path);
    std::cout << "RESULT tiles=" << count << '\n';
    return 0;
}

// Runs work(index) for every index below count on the given threads.
template <typename Work>
void parallel_for(std::size_t count, unsigned threads, Work work)
{
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> pool;
    std::exception_ptr failure;
    std::mutex failure_mutex;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            try {
                for (std::size_t i = next++; i < count; i = next++)
                    work(i);
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                failure = std::current_exception();
                next = count;
            }
        });
    for (auto& thread : pool)
        thread.join();
    if (failure)
        std::rethrow_exception(failure);
}

int render(const std::string& city, const std::string& tile_list, unsigned threads,
           const std::string& non_empty_path)
{
    auto tiles = read_tiles(tile_list);
    auto start = std::chrono::steady_clock::now();
    layers::TileSet set(city);
    auto infos = class_layers(set);
    auto names = names_of(infos);
    // Loading a layer's features into memory happens on its first tile; one
    // tile of the layer alone at its max zoom loads it, so that the load is
    // timed apart from rendering.
    for (const auto& info : infos) {
        if (!info.bounds)
            continue;
        core::Bounds box = *info.bounds;
        double x = 0;
        double y = 0;
        core::lonlat_to_mercator(box.min_x, box.min_y, x, y);
        auto first = core::tiles_covering({x, y, x, y}, info.max_zoom);
        if (!first.empty())
            set.render({info.name}, first.front());
    }
    double load_seconds = seconds_since(start);

    std::atomic<std::uint64_t> bytes{0};
    std::atomic<std::uint64_t> non_empty{0};
    std::vector<char> has_features(tiles.size(), 0);
    start = std::chrono::steady_clock::now();
    parallel_for(tiles.size(), threads, [&](std::size_t i) {
        auto tile = set.render(names, tiles[i]);
        bytes += tile.size();
        if (!tile.empty()) {
            ++non_empty;
            has_features[i] = 1;
        }
    });
    double render_seconds = seconds_since(start);
    if (!non_empty_path.empty()) {
        std::ofstream out(non_empty_path);
        for (std::size_t i = 0; i < tiles.size(); ++i)
            if (has_features[i])
                out << tiles[i].z << ' ' << tiles[i].x << ' ' << tiles[i].y << '\n';
        if (!out.flush())
            throw core::FileError("cannot write " + non_empty_path);
    }
    std::printf("RESULT tiles=%zu non_empty=%llu bytes=%llu load_seconds=%.3f render_seconds=%.3f "
                "tiles_per_second=%.1f threads=%u peak_mb=%.0f\n",
                tiles.size(), static_cast<unsigned long long>(non_empty.load()),
                static_cast<unsigned long long>(bytes.load()), load_seconds, render_seconds,
                static_cast<double>(tiles.size()) / render_seconds, threads, peak_memory_mb());
    return 0;
}

// Checker totals over many tiles; problems grouped by their wording with
// numbers taken out, so that "ring 3 of polygon 0" and "ring 1 of polygon 2"
// count as one kind.
class CheckTotals {
public:
    void add(const core::TileId& tile, const std::string& bytes)
    {
        core::MvtCheckResult result;
        if (!bytes.empty())
            result = core::check_mvt(core::is_gzip(bytes) ? core::gzip_decompress(bytes) : bytes);
        std::lock_guard lock(m_mutex);
        ++m_tiles;
        if (bytes.empty())
            return;
        ++m_non_empty;
        m_bytes += bytes.size();
        m_features += result.features;
        m_polygons += result.polygons;
        m_invalid += result.invalid_polygons;
        m_problems += result.problems.size();
        if (!result.problems.empty())
            ++m_problem_tiles;
        for (const auto& problem : result.problems) {
            auto& kind = m_kinds[kind_of(problem.what)];
            if (kind.count++ == 0)
                kind.example = tile_name(tile) + " " + core::to_string(problem);
        }
    }

    void print() const
    {
        std::printf("RESULT tiles=%zu non_empty=%zu bytes=%zu features=%zu polygons=%zu "
                    "invalid_polygons=%zu invalid_share=%.6f problems=%zu problem_tiles=%zu\n",
                    m_tiles, m_non_empty, m_bytes, m_features, m_polygons, m_invalid,
                    m_polygons ? static_cast<double>(m_invalid) / static_cast<double>(m_polygons)
                               : 0.0,
                    m_problems, m_problem_tiles);
        std::vector<std::pair<std::size_t, std::string>> kinds;
        for (const auto& [what, kind] : m_kinds)
            kinds.emplace_back(kind.count, what);
        std::sort(kinds.rbegin(), kinds.rend());
        for (std::size_t i = 0; i < kinds.size() && i < 8; ++i)
            std::printf("PROBLEM count=%zu kind=\"%s\" example: %s\n", kinds[i].first,
                        kinds[i].second.c_str(), m_kinds.at(kinds[i].second).example.c_str());
    }

private:
    static std::string kind_of(const std::string& what)
    {
        std::string kind;
        bool in_brackets = false;
        for (char c : what) {
            if (c == '[')
                in_brackets = true;
            if (!in_brackets && (c < '0' || c > '9'))
                kind += c;
            if (c == ']')
                in_brackets = false;
        }
        return kind;
    }

    struct Kind {
        std::size_t count = 0;
        std::string example;
    };
    std::mutex m_mutex;
    std::size_t m_tiles = 0, m_non_empty = 0, m_bytes = 0, m_features = 0, m_polygons = 0,
                m_invalid = 0, m_problems = 0, m_problem_tiles = 0;
    std::map<std::string, Kind> m_kinds;
};

int check_lantern(const std::string& city, const std::string& tile_list, unsigned threads)
{
    auto tiles = read_tiles(tile_list);
    layers::TileSet set(city);
    auto names = names_of(class_layers(set));
    CheckTotals totals;
    parallel_for(tiles.size(), threads,
                 [&](std::size_t i) { totals.add(tiles[i], set.render(names, tiles[i])); });
    totals.print();
    return 0;
}

std::string from_hex(const std::string& hex)
{
    auto nibble = [](char c) {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        throw core::DataError(std::string("not a hex digit: ") + c);
    };
    std::string bytes(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i)
        bytes[i] = static_cast<char>(nibble(hex[2 * i]) * 16 + nibble(hex[2 * i + 1]));
    return bytes;
}

int check_hex()
{
    CheckTotals totals;
    std::string line;
    while (std::getline(std::cin, line)) {
        std::istringstream fields(line);
        core::TileId tile;
        std::string hex;
        if (!(fields >> tile.z >> tile.x >> tile.y))
            continue;
        fields >> hex;
        if (hex.rfind("\\x", 0) == 0)
            hex.erase(0, 2);
        totals.add(tile, from_hex(hex));
    }
    totals.print();
    return 0;
}

int check_dir(const std::string& dir)
{
    namespace fs = std::filesystem;
    std::vector<std::pair<core::TileId, fs::path>> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".pbf")
            continue;
        auto relative = fs::relative(entry.path(), dir);
        std::vector<std::string> parts(relative.begin(), relative.end());
        if (parts.size() != 3)
            continue;
        core::TileId tile;
        tile.z = std::stoi(parts[0]);
        tile.x = static_cast<std::uint32_t>(std::stoul(parts[1]));
        tile.y = static_cast<std::uint32_t>(std::stoul(entry.path().stem().string()));
        files.emplace_back(tile, entry.path());
    }
    CheckTotals totals;
    parallel_for(files.size(), 2, [&](std::size_t i) {
        std::ifstream in(files[i].second, std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        totals.add(files[i].first, bytes);
    });
    totals.print();
    return 0;
}

int usage()
{
    std::cerr << "usage: lantern_tiles_bench layers CITY | tiles CITY MIN_ZOOM MAX_ZOOM OUT |"
                 " render CITY TILES THREADS [NON_EMPTY] | check-lantern CITY TILES THREADS |"
                 " check-hex < LINES | check-dir DIR\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (args.size() == 2 && args[0] == "layers")
            return print_layers(args[1]);
        if (args.size() == 5 && args[0] == "tiles")
            return print_tiles(args[1], std::stoi(args[2]), std::stoi(args[3]), args[4]);
        if ((args.size() == 4 || args.size() == 5) && args[0] == "render")
            return render(args[1], args[2], static_cast<unsigned>(std::stoul(args[3])),
                          args.size() == 5 ? args[4] : std::string());
        if (args.size() == 4 && args[0] == "check-lantern")
            return check_lantern(args[1], args[2], static_cast<unsigned>(std::stoul(args[3])));
        if (args.size() == 1 && args[0] == "check-hex")
            return check_hex();
        if (args.size() == 2 && args[0] == "check-dir")
            return check_dir(args[1]);
        return usage();
    } catch (const std::exception& error) {
        std::cerr << "lantern_tiles_bench: " << error.what() << '\n';
        return 1;
    }
}
