#include "layer_features.hpp"

#include <algorithm>
#include <numeric>

#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/tiles/tile_generalise.hpp>

namespace lantern::layers::tiles {

namespace {

using core::TileGeometryType;
using core::TilePoint;

std::vector<TilePoint> read_curve(const OGRSimpleCurve& curve)
{
    std::vector<TilePoint> points(static_cast<std::size_t>(curve.getNumPoints()));
    for (int i = 0; i < curve.getNumPoints(); ++i)
        points[static_cast<std::size_t>(i)] = {curve.getX(i), curve.getY(i)};
    return points;
}

void add_polygon(const OGRPolygon& polygon, TileFeature& feature)
{
    if (polygon.IsEmpty())
        return;
    feature.polygon_starts.push_back(static_cast<std::uint32_t>(feature.parts.size()));
    feature.parts.push_back(read_curve(*polygon.getExteriorRing()));
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i)
        feature.parts.push_back(read_curve(*polygon.getInteriorRing(i)));
}

// Copies the geometry's coordinates into the feature; false for a kind the
// tiles do not carry.
bool read_geometry(const OGRGeometry& geometry, TileFeature& feature)
{
    switch (wkbFlatten(geometry.getGeometryType())) {
    case wkbPoint: {
        const auto& point = *geometry.toPoint();
        feature.type = TileGeometryType::point;
        feature.parts = {{{point.getX(), point.getY()}}};
        return true;
    }
    case wkbMultiPoint:
        feature.type = TileGeometryType::point;
        feature.parts.emplace_back();
        for (const auto* point : *geometry.toMultiPoint())
            feature.parts.front().push_back({point->getX(), point->getY()});
        return true;
    case wkbLineString:
        feature.type = TileGeometryType::line;
        feature.parts.push_back(read_curve(*geometry.toLineString()));
        return true;
    case wkbMultiLineString:
        feature.type = TileGeometryType::line;
        for (const auto* line : *geometry.toMultiLineString())
            feature.parts.push_back(read_curve(*line));
        return true;
    case wkbPolygon:
        feature.type = TileGeometryType::polygon;
        add_polygon(*geometry.toPolygon(), feature);
        return true;
    case wkbMultiPolygon:
        feature.type = TileGeometryType::polygon;
        for (const auto* polygon : *geometry.toMultiPolygon())
            add_polygon(*polygon, feature);
        return true;
    default: return false;
    }
}

core::Bounds bounds_of(const TileFeature& feature)
{
    core::Bounds b{1e300, 1e300, -1e300, -1e300};
    for (const auto& part : feature.parts)
        for (const TilePoint& p : part) {
            b.min_x = std::min(b.min_x, p.x);
            b.min_y = std::min(b.min_y, p.y);
            b.max_x = std::max(b.max_x, p.x);
            b.max_y = std::max(b.max_y, p.y);
        }
    return b;
}

}  // namespace

LayerFeatures::LayerFeatures(const core::Storage& storage, const core::ClassSchema& schema,
                             const std::vector<std::size_t>& field_indices,
                             const core::Crs& city_crs)
{
    core::Transform to_mercator(city_crs, core::Crs::from_user("EPSG:3857"));
    std::vector<core::Bounds> boxes;
    storage.scan(schema, [&](const core::StoredFeature& stored) {
        OGRGeometry* parsed = nullptr;
        if (stored.wkb.empty() ||
            OGRGeometryFactory::createFromWkb(stored.wkb.data(), nullptr, &parsed,
                                              stored.wkb.size()) != OGRERR_NONE)
            return;
        std::unique_ptr<OGRGeometry> geometry(parsed);
        if (!to_mercator.is_identity() && !to_mercator.apply(*geometry))
            throw core::DataError(storage.location() + ": " + schema.name + " feature " +
                                  std::to_string(stored.fid) +
                                  ": cannot transform the geometry to EPSG:3857");
        TileFeature feature;
        feature.id = static_cast<std::uint64_t>(stored.fid);
        if (!read_geometry(*geometry, feature) || feature.parts.empty())
            return;
        for (const auto& part : feature.parts)
            feature.part_sizes.push_back(feature.type == TileGeometryType::polygon
                                             ? core::ring_area(part)
                                             : core::line_length(part));
        for (std::size_t index : field_indices)
            feature.values.push_back(stored.values[index]);
        boxes.push_back(bounds_of(feature));
        m_features.push_back(std::move(feature));
    });

    // Rank along a Hilbert curve over the layer's extent.
    core::Bounds extent{1e300, 1e300, -1e300, -1e300};
    for (const auto& b : boxes)
        extent.expand(b);
    double width = std::max(extent.max_x - extent.min_x, 1.0);
    double height = std::max(extent.max_y - extent.min_y, 1.0);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> order;  // (curve index, feature)
    order.reserve(m_features.size());
    for (std::uint32_t i = 0; i < m_features.size(); ++i) {
        double cx = ((boxes[i].min_x + boxes[i].max_x) / 2 - extent.min_x) / width;
        double cy = ((boxes[i].min_y + boxes[i].max_y) / 2 - extent.min_y) / height;
        order.emplace_back(core::hilbert_index(cx, cy), i);
    }
    std::sort(order.begin(), order.end());
    for (std::size_t r = 0; r < order.size(); ++r)
        m_features[order[r].second].rank = r;

    std::vector<Entry> entries;
    entries.reserve(m_features.size());
    for (std::uint32_t i = 0; i < m_features.size(); ++i)
        entries.emplace_back(Box({boxes[i].min_x, boxes[i].min_y}, {boxes[i].max_x, boxes[i].max_y}),
                             i);
    m_index = decltype(m_index)(entries.begin(), entries.end());  // packed (STR) bulk load
}

std::vector<std::uint32_t> LayerFeatures::query(const core::Bounds& mercator) const
{
    std::vector<std::uint32_t> hits;
    Box box({mercator.min_x, mercator.min_y}, {mercator.max_x, mercator.max_y});
    for (auto it = m_index.qbegin(boost::geometry::index::intersects(box)); it != m_index.qend(); ++it)
        hits.push_back(it->second);
    std::sort(hits.begin(), hits.end());
    return hits;
}

}  // namespace lantern::layers::tiles
