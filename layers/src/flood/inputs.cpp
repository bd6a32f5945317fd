// What every flood scenario starts from: the DEM, the open water burnt into
// its grid, and the wards.

#include "flood_internal.hpp"

#include <algorithm>

#include <lantern/core/error.hpp>
#include <lantern/core/grid_io.hpp>
#include <lantern/layers/catalogue.hpp>

namespace lantern::layers::flood {

core::FloatGrid load_dem(const core::Storage& storage)
{
    for (const auto& r : storage.raster_records())
        if (r.name == "dem")
            return core::read_float_grid(storage.raster_file(r.path));
    throw core::DataError(storage.location() + ": the city has no DEM", core::Choice::missing_class);
}

const std::vector<std::string>& open_water_kinds()
{
    static const std::vector<std::string> kinds = {"river", "sea", "canal", "lagoon"};
    return kinds;
}

core::Grid<std::uint8_t> open_water(const core::Storage& storage, const core::GridFrame& frame)
{
    const auto& schema = feature_class("water");
    if (!storage.has_class("water") || storage.count("water") == 0)
        throw core::DataError(storage.location() +
                              ": the city has no water features; flooding needs the rivers and the sea");
    auto kind = field_index(schema, "kind");
    std::vector<core::Wkb> geometries;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        const auto& k = open_water_kinds();
        if (std::find(k.begin(), k.end(), text_value(f.values[kind])) != k.end())
            geometries.push_back(f.wkb);
    });
    if (geometries.empty())
        throw core::DataError(storage.location() +
                              ": no water feature is a river, sea, canal or lagoon; nothing to flood from");
    std::vector<std::int32_t> ones(geometries.size(), 1);
    auto burnt = core::burn_geometries(frame, geometries, ones, false);
    core::Grid<std::uint8_t> mask(frame, 0);
    for (std::size_t i = 0; i < mask.cells(); ++i)
        mask[i] = burnt[i] != 0;
    return mask;
}

WardIndex index_wards(const core::Storage& storage, const core::GridFrame& frame)
{
    WardIndex index;
    index.cells = core::Grid<std::int32_t>(frame, 0);
    if (!storage.has_class("wards"))
        return index;
    const auto& schema = feature_class("wards");
    auto code = field_index(schema, "ward_code");
    auto name = field_index(schema, "name");
    std::vector<std::int32_t> values;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        index.codes.push_back(text_value(f.values[code]));
        index.names.push_back(text_value(f.values[name]));
        index.geometries.push_back(f.wkb);
        values.push_back(static_cast<std::int32_t>(values.size()) + 1);
    });
    index.cells = core::burn_geometries(frame, index.geometries, values, false);
    return index;
}

int WardIndex::ward_at(double x, double y) const
{
    const auto& f = cells.frame;
    int col = f.col_of(x), row = f.row_of(y);
    if (!f.contains(col, row))
        return -1;
    return cells.at(col, row) - 1;
}

}  // namespace lantern::layers::flood
