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

// A ward as the city's wards class holds it. After a reorganisation (wards
// merged into new units) a ward is kept as it was, with the unit it is part
// of now: land records and older plans name the former ward, people and
// offices the unit (docs/wards.md).
struct Ward {
    std::int64_t fid = 0;
    std::string code;
    std::string name;
    core::Wkb wkb;  // in the city CRS
    // The administrative unit the ward is part of now (the class's
    // unit_code and unit_name); empty where the ward itself is current.
    std::string unit_code{};
    std::string unit_name{};

    // Whether the ward is a former one, part of a unit now.
    bool has_unit() const { return !unit_code.empty(); }
    // The unit's code and name where the ward has one, else the ward's own.
    const std::string& current_code() const { return has_unit() ? unit_code : code; }
    const std::string& current_name() const { return has_unit() && !unit_name.empty() ? unit_name : name; }
    // "Phường Hội An, formerly Phường Minh An"; the name alone for a ward
    // without a unit, or whose unit has kept its name.
    std::string label() const;
};

// The fields with which a table of totals by ward names the unit each ward
// is part of now (unit_code, unit_name), and a ward's values of them: null
// where the ward itself is current. Rows stay one per ward, the breakdown.
std::vector<core::FieldDef> ward_unit_fields();
std::vector<core::Value> ward_unit_values(const Ward& ward);

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
