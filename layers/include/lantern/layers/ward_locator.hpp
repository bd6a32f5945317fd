#pragma once
// The one answer to "which ward is this in", for flood exposure, coverage
// totals, the lookup and anything later: the city's wards in fid order behind
// a core::PolygonLocator. A point on a boundary shared by several wards (an
// edge, a vertex) belongs to the ward that comes first in fid order; a point
// in no ward has none (docs/wards.md).

#include <cstdint>
#include <string>
#include <vector>

#include <lantern/core/geometry/polygon_locator.hpp>
#include <lantern/core/io/grid_vector.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

struct Ward {
    std::int64_t fid = 0;
    std::string code;
    std::string name;
    core::Wkb wkb;  // in the city CRS
};

class WardLocator {
public:
    WardLocator() = default;
    // Wards in the order their ties are settled in (fid order). Throws
    // DataError naming the ward when its geometry cannot be read.
    explicit WardLocator(std::vector<Ward> wards);

    // The city's wards class, in fid order; no wards when it has none.
    static WardLocator read(const core::Storage& storage);

    // The index of the ward holding the map point, or -1.
    int ward_at(core::PlanePoint p) const
    {
        auto found = m_locator.locate(p);
        return found ? static_cast<int>(*found) : -1;
    }

    const std::vector<Ward>& wards() const { return m_wards; }
    std::size_t size() const { return m_wards.size(); }

private:
    std::vector<Ward> m_wards;
    core::PolygonLocator m_locator;
};

}  // namespace lantern::layers
