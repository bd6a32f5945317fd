// What every flood scenario starts from: the DEM, the open water burnt into
// its grid, and the wards.

#include "flood_internal.hpp"

#include <algorithm>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/parallel.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/layers/catalogue.hpp>

namespace lantern::layers::flood {

core::FloatGrid load_dem(const core::Storage& storage)
{
    for (const auto& r : storage.raster_records())
        if (r.name == "dem")
            return storage.open_raster(r.name).read_float_grid();
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
    index.locator = WardLocator::read(storage);
    index.cells = core::Grid<std::int32_t>(frame, 0);
    if (index.locator.size() == 0)
        return index;
    // Each cell's centre, as GDAL burns a polygon, but through the locator, so
    // that a centre on a shared boundary goes to the ward every analysis gives it.
    core::parallel_for_chunks(static_cast<std::size_t>(frame.height), [&](std::size_t first, std::size_t end) {
        for (auto row = static_cast<int>(first); row < static_cast<int>(end); ++row)
            for (int col = 0; col < frame.width; ++col)
                index.cells.at(col, row) = index.locator.ward_at({frame.centre_x(col), frame.centre_y(row)}) + 1;
    });
    return index;
}

}  // namespace lantern::layers::flood
