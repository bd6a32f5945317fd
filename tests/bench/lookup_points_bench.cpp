// Lookup benchmark driver: the planning lookup alone, with no HTTP, for
// tests/bench/lookup_bench.sh. Reads the city once, then asks
// CityLookup::at at every point of a list ("lon lat" lines), ROUNDS times
// over, on one thread; prints RESULT with the points, the answers' bytes,
// the read time and the microseconds per lookup.
//
//   lantern_lookup_points_bench CITY POINTS.txt [ROUNDS]
#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/lookup.hpp>

namespace {

std::vector<std::pair<double, double>> read_points(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error(path + ": cannot read");
    std::vector<std::pair<double, double>> points;
    for (double lon = 0, lat = 0; in >> lon >> lat;)
        points.emplace_back(lon, lat);
    if (points.empty())
        throw std::runtime_error(path + ": no \"lon lat\" lines");
    return points;
}

}  // namespace

int main(int argc, char** argv)
try {
    if (argc < 3) {
        std::cerr << "usage: lantern_lookup_points_bench CITY POINTS.txt [ROUNDS]\n";
        return 2;
    }
    auto points = read_points(argv[2]);
    int rounds = argc > 3 ? std::stoi(argv[3]) : 20;
    using Clock = std::chrono::steady_clock;
    auto started = Clock::now();
    auto storage = lantern::core::open_city(argv[1], lantern::core::Access::read_only);
    lantern::layers::CityLookup lookup(*storage);
    std::chrono::duration<double> read = Clock::now() - started;

    std::size_t bytes = 0, answered = 0;
    started = Clock::now();
    for (int round = 0; round < rounds; ++round)
        for (auto [lon, lat] : points)
            if (auto answer = lookup.at(lon, lat)) {
                bytes += answer->size();
                ++answered;
            }
    std::chrono::duration<double> asked = Clock::now() - started;
    std::printf("RESULT points=%zu answered=%zu rounds=%d bytes_per_answer=%.0f read_seconds=%.2f us_per_lookup=%.2f\n",
                points.size(), answered / static_cast<std::size_t>(rounds), rounds,
                static_cast<double>(bytes) / static_cast<double>(answered), read.count(),
                asked.count() * 1e6 / static_cast<double>(points.size() * static_cast<std::size_t>(rounds)));
    return 0;
} catch (const std::exception& e) {
    std::cerr << "lantern_lookup_points_bench: " << e.what() << '\n';
    return 1;
}
