#pragma once
// One tile layer's features held in memory in EPSG:3857, behind an R-tree,
// each with its rank along a Hilbert curve over the layer for even thinning.

#include <cstdint>
#include <memory>
#include <vector>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/core/tiles/mvt.hpp>

namespace lantern::layers::tiles {

struct TileFeature {
    std::uint64_t id = 0;  // the stored feature's fid: stable across tiles
    core::TileGeometryType type = core::TileGeometryType::point;
    // Web Mercator metres. Points: one part holding every point; lines: one
    // part per line; polygons: rings (closed), polygon_starts[k] being the
    // index of polygon k's exterior.
    std::vector<std::vector<core::TilePoint>> parts;
    std::vector<std::uint32_t> polygon_starts;
    // Per part: a line's length or a ring's area, in metres or square metres
    // of Web Mercator, so a tile can leave out the small ones without
    // measuring them again at every zoom.
    std::vector<double> part_sizes;
    std::vector<core::Value> values;  // the layer's tile fields, in order
    std::uint64_t rank = 0;
};

class LayerFeatures {
public:
    // Reads every feature of the table the schema names, keeping the values
    // of the fields at field_indices (indices into schema.fields).
    LayerFeatures(const core::Storage& storage, const core::ClassSchema& schema,
                  const std::vector<std::size_t>& field_indices, const core::Crs& city_crs);

    // Indices of the features whose box meets the given one, ascending.
    std::vector<std::uint32_t> query(const core::Bounds& mercator) const;
    const TileFeature& feature(std::uint32_t index) const { return m_features[index]; }
    std::size_t size() const { return m_features.size(); }

private:
    using Box = boost::geometry::model::box<boost::geometry::model::d2::point_xy<double>>;
    using Entry = std::pair<Box, std::uint32_t>;
    std::vector<TileFeature> m_features;
    boost::geometry::index::rtree<Entry, boost::geometry::index::rstar<16>> m_index;
};

}  // namespace lantern::layers::tiles
