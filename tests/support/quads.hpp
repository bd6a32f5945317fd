#pragma once
// Whether two label boxes (convex quadrilaterals, as the renderer reports a
// turned label) overlap: no separating axis among their edges. Touching
// edges do not count.

#include <algorithm>
#include <array>
#include <utility>

#include <lantern/core/geometry/plane.hpp>

namespace lantern::test {

using Quad = std::array<core::PlanePoint, 4>;

inline bool quads_overlap(const Quad& a, const Quad& b)
{
    for (const auto* quad : {&a, &b}) {
        for (std::size_t i = 0; i < 4; ++i) {
            auto p = (*quad)[i], q = (*quad)[(i + 1) % 4];
            double nx = q.y - p.y, ny = p.x - q.x;
            auto range = [&](const Quad& poly) {
                double lo = 1e300, hi = -1e300;
                for (const auto& v : poly) {
                    lo = std::min(lo, v.x * nx + v.y * ny);
                    hi = std::max(hi, v.x * nx + v.y * ny);
                }
                return std::pair{lo, hi};
            };
            auto [alo, ahi] = range(a);
            auto [blo, bhi] = range(b);
            if (ahi <= blo || bhi <= alo)
                return false;
        }
    }
    return true;
}

}  // namespace lantern::test
