// WKB to the SpatiaLite blob writer (core/src/storage/spatialite_blob.hpp),
// which walks the WKB itself to copy it into the blob the bulk insert
// stores. It may refuse any WKB (SpatiaLite's GeomFromWKB then takes it);
// what it accepts must come out byte for byte as GeomFromWKB writes it, and
// SpatiaLite must read that blob back to the same WKB.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include <sqlite3.h>

#include "../../core/src/storage/spatialite_blob.hpp"

namespace {

constexpr int srid = 32649;

struct Spatialite {
    sqlite3* db = nullptr;
    sqlite3_stmt* from_wkb = nullptr;
    sqlite3_stmt* as_binary = nullptr;

    Spatialite()
    {
        if (sqlite3_open(":memory:", &db) != SQLITE_OK || sqlite3_enable_load_extension(db, 1) != SQLITE_OK ||
            sqlite3_load_extension(db, "mod_spatialite", nullptr, nullptr) != SQLITE_OK ||
            sqlite3_prepare_v2(db, "SELECT GeomFromWKB(?, 32649)", -1, &from_wkb, nullptr) != SQLITE_OK ||
            sqlite3_prepare_v2(db, "SELECT AsBinary(?)", -1, &as_binary, nullptr) != SQLITE_OK)
            std::abort();
    }

    // The blob column of a one-row query on the given bytes; empty for NULL.
    static std::vector<unsigned char> run(sqlite3_stmt* stmt, std::span<const unsigned char> in)
    {
        sqlite3_reset(stmt);
        sqlite3_bind_blob(stmt, 1, in.data(), static_cast<int>(in.size()), SQLITE_STATIC);
        if (sqlite3_step(stmt) != SQLITE_ROW)
            std::abort();
        const auto* out = static_cast<const unsigned char*>(sqlite3_column_blob(stmt, 0));
        std::vector<unsigned char> bytes(out, out + sqlite3_column_bytes(stmt, 0));
        sqlite3_reset(stmt);
        return bytes;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static Spatialite spatialite;
    std::span<const unsigned char> wkb(data, size);
    std::vector<unsigned char> blob;
    if (!lantern::core::detail::spatialite_blob_from_wkb(wkb, srid, blob))
        return 0;
    if (Spatialite::run(spatialite.from_wkb, wkb) != blob)
        __builtin_trap();
    auto back = Spatialite::run(spatialite.as_binary, blob);
    if (!std::equal(back.begin(), back.end(), wkb.begin(), wkb.end()))
        __builtin_trap();
    return 0;
}
