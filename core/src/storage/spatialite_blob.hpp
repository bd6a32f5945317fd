#pragma once
// SpatiaLite's geometry blob written from WKB in C++, byte for byte what
// SpatiaLite's GeomFromWKB makes, without a round trip through its SQL
// function (which parses the WKB into its own geometry and writes it out
// again, for every row of a bulk insert).

#include <cstddef>
#include <span>
#include <vector>

namespace lantern::core::detail {

// The blob of little-endian 2D WKB of a point, line string, polygon or one
// of their multi kinds, with the given SRID and, as SpatiaLite measures it,
// the bounds of the coordinates (of polygons, their exteriors) as its MBR.
// False for any other WKB (big-endian, 3D, a collection, empty, cut short,
// a coordinate that is NaN or infinite), which the caller leaves to
// SpatiaLite; out is then unspecified.
bool spatialite_blob_from_wkb(std::span<const unsigned char> wkb, int srid, std::vector<unsigned char>& out);

}  // namespace lantern::core::detail
