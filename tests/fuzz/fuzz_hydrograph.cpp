// A hydrograph CSV from a user (docs/flood.md): read_hydrograph must give
// readings in time order or throw a core::Error naming the file, never crash.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>

#include <unistd.h>

#include <lantern/core/base/error.hpp>

#include "../../layers/src/flood/flood_internal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::string path = "/tmp/lantern-fuzz-hydrograph-" + std::to_string(::getpid()) + ".csv";
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    try {
        auto h = lantern::layers::flood::read_hydrograph(path);
        if (h.hours.size() != h.levels.size())
            __builtin_trap();
        for (std::size_t i = 1; i < h.hours.size(); ++i)
            if (!(h.hours[i] > h.hours[i - 1]))
                __builtin_trap();
    } catch (const lantern::core::Error&) {
    }
    return 0;
}
