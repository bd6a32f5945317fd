// A vector tile from anywhere to Lantern's MVT decoder and checker
// (core/testing/mvt_decode.hpp, mvt_check.hpp), which the tests and the
// tile benchmark read tiles of other tools with: decode_mvt gives layers or
// throws a DataError, and check_mvt reports what is wrong without throwing.

#include <cstdint>
#include <string_view>

#include <lantern/core/base/error.hpp>
#include <lantern/core/testing/mvt_check.hpp>
#include <lantern/core/testing/mvt_decode.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view tile(reinterpret_cast<const char*>(data), size);
    try {
        lantern::core::decode_mvt(tile);
    } catch (const lantern::core::DataError&) {
    }
    lantern::core::check_mvt(tile);
    return 0;
}
