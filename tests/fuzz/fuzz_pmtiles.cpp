// A PMTiles archive from anywhere (core/testing/pmtiles_reader.hpp, which
// the tests read the tile writer's archives back with): a damaged archive is
// a core::Error, never a crash or a read out of bounds.

#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/testing/pmtiles_reader.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = "/tmp/lantern-fuzz-pmtiles-" + std::to_string(::getpid()) + ".pmtiles";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        lantern::core::PmtilesReader reader(path);
        reader.metadata();
        for (const auto& entry : reader.tile_entries())
            reader.tile(lantern::core::pmtiles_tile(entry.tile_id));
    } catch (const lantern::core::Error&) {
    } catch (const nlohmann::json::exception&) {
    }
    return 0;
}
