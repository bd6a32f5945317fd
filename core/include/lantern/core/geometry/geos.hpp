#pragma once
// GEOS behind a small RAII wrapper: validity with its reason, and repair by
// GEOSMakeValid (the "linework" method, which keeps every input vertex).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <lantern/core/geometry/bounds.hpp>

namespace lantern::core {

struct GeometryVerdict {
    bool valid = true;
    bool empty = false;
    std::string reason;  // GEOS's reason when not valid, e.g. "Self-intersection[3 4]"
    Bounds bounds;       // meaningful when not empty
};

class Geos {
public:
    Geos();
    ~Geos();
    Geos(const Geos&) = delete;
    Geos& operator=(const Geos&) = delete;

    // Throws DataError when the WKB cannot be parsed.
    GeometryVerdict inspect(const std::vector<unsigned char>& wkb) const;

    // A valid version of the geometry that keeps only the parts of the given
    // dimension (0 points, 1 lines, 2 polygons) as a multi-geometry for 1 and
    // 2. Returns empty WKB when nothing of that dimension is left.
    std::vector<unsigned char> make_valid(const std::vector<unsigned char>& wkb,
                                          int dimension) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace lantern::core
