// Stored WKB to the feature rules (core/storage/feature_check.hpp), which
// the city's writers and lantern validate read every geometry through. The
// first byte picks the class's geometry kind, the rest is the WKB.
//  - normalize_polygon_wkb walks polygon WKB itself instead of parsing it:
//    whatever it takes, GDAL reads too, normalize() then writes the same
//    bytes, and the bounds are GDAL's envelope.
//  - check_geometry never throws (unreadable WKB is a problem), and the
//    bounds of what it passes are GDAL's envelope, as the tiles, the lookup
//    and the export read stored geometry.
// Repair is left out: GEOS 3.11's make-valid can run for minutes on NaN or
// absurdly large coordinates, which would only fuzz GEOS.

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <vector>

#include <ogr_geometry.h>

#include <lantern/core/storage/feature_check.hpp>

namespace {

using lantern::core::Bounds;
using lantern::core::FeatureRules;
using lantern::core::GeometryKind;

// Equal as stored: NaN equals NaN of the same bits.
bool same(double a, double b)
{
    return std::memcmp(&a, &b, sizeof a) == 0;
}

bool same_bounds(const Bounds& bounds, const OGRGeometry& geometry)
{
    OGREnvelope envelope;
    geometry.getEnvelope(&envelope);
    return same(bounds.min_x, envelope.MinX) && same(bounds.min_y, envelope.MinY) &&
           same(bounds.max_x, envelope.MaxX) && same(bounds.max_y, envelope.MaxY);
}

std::unique_ptr<OGRGeometry> read_with_gdal(const std::vector<unsigned char>& wkb)
{
    OGRGeometry* parsed = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &parsed, wkb.size()) != OGRERR_NONE)
        return nullptr;
    return std::unique_ptr<OGRGeometry>(parsed);
}

bool is_plain_wkb(const OGRGeometry& geometry, const std::vector<unsigned char>& wkb)
{
    std::vector<unsigned char> written(static_cast<std::size_t>(geometry.WkbSize()));
    geometry.exportToWkb(wkbNDR, written.data(), wkbVariantIso);
    return written == wkb;
}

const FeatureRules& rules_for(std::uint8_t selector)
{
    static const auto make = [](GeometryKind kind) {
        lantern::core::ClassSchema schema;
        schema.name = "shapes";
        schema.geometry = kind;
        return std::make_unique<FeatureRules>(schema, std::nullopt);
    };
    static const std::unique_ptr<FeatureRules> rules[] = {
        make(GeometryKind::polygon), make(GeometryKind::point), make(GeometryKind::line),
        make(GeometryKind::point_or_polygon)};
    return *rules[selector % 4];
}

void check_plain_polygon(const FeatureRules& rules, const std::vector<unsigned char>& in)
{
    std::vector<unsigned char> walked;
    auto bounds = rules.normalize_polygon_wkb(in, walked);
    if (!bounds)
        return;
    auto geometry = read_with_gdal(in);
    if (!geometry || !same_bounds(*bounds, *geometry))
        __builtin_trap();
    std::vector<unsigned char> normalized;
    if (rules.normalize(*geometry, normalized) || normalized != walked)
        __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const FeatureRules& rules = rules_for(data[0]);
    std::vector<unsigned char> wkb(data + 1, data + size);
    check_plain_polygon(rules, wkb);

    std::optional<Bounds> bounds;
    if (!rules.check_geometry(wkb, &bounds).empty())
        return 0;
    // Passed: the readers of stored geometry (tiles, lookup, export) read it
    // with GDAL and must see the same box. Stored WKB is SpatiaLite's
    // AsBinary, plain little-endian WKB; GEOS and GDAL each read flag bits
    // (EWKB's SRID, Z, M) of their own, so only WKB that GDAL writes back
    // byte for byte is compared.
    if (!bounds)
        __builtin_trap();
    auto geometry = read_with_gdal(wkb);
    if (!geometry || !is_plain_wkb(*geometry, wkb))
        return 0;
    if (!same_bounds(*bounds, *geometry))
        __builtin_trap();
    return 0;
}
