#include <lantern/core/testing/mvt_check.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <geos_c.h>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

void keep_message(const char* message, void* userdata)
{
    *static_cast<std::string*>(userdata) = message ? message : "";
}

// Polygon validity by GEOS on the decoded rings.
class PolygonValidity {
public:
    PolygonValidity()
    {
        GEOSContext_setErrorMessageHandler_r(m_ctx, keep_message, &m_last_error);
        GEOSContext_setNoticeMessageHandler_r(m_ctx, keep_message, &m_last_notice);
    }
    ~PolygonValidity() { GEOS_finish_r(m_ctx); }
    PolygonValidity(const PolygonValidity&) = delete;
    PolygonValidity& operator=(const PolygonValidity&) = delete;

    // GEOS's reason when the polygon is not valid, empty when it is.
    std::string polygon_problem(const std::vector<MvtPath>& rings)
    {
        Geometry polygon = make_polygon(rings);
        return problem_of(polygon.get());
    }

    std::string multipolygon_problem(const std::vector<std::vector<MvtPath>>& polygons)
    {
        std::vector<GEOSGeometry*> parts;
        for (const auto& rings : polygons)
            parts.push_back(make_polygon(rings).release());
        Geometry multi(GEOSGeom_createCollection_r(m_ctx, GEOS_MULTIPOLYGON, parts.data(),
                                                   static_cast<unsigned>(parts.size())),
                       Deleter{m_ctx});
        return problem_of(multi.get());
    }

private:
    struct Deleter {
        GEOSContextHandle_t ctx;
        void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
    };
    using Geometry = std::unique_ptr<GEOSGeometry, Deleter>;

    GEOSGeometry* make_ring(const MvtPath& ring)
    {
        std::vector<double> xy;
        xy.reserve(ring.size() * 2);
        for (const auto& p : ring) {
            xy.push_back(static_cast<double>(p.x));
            xy.push_back(static_cast<double>(p.y));
        }
        GEOSCoordSequence* sequence =
            GEOSCoordSeq_copyFromBuffer_r(m_ctx, xy.data(), static_cast<unsigned>(ring.size()), 0, 0);
        if (!sequence)
            throw DataError("GEOS cannot hold a ring (" + m_last_error + ")");
        GEOSGeometry* linear_ring = GEOSGeom_createLinearRing_r(m_ctx, sequence);
        if (!linear_ring)
            throw DataError("GEOS cannot make a ring (" + m_last_error + ")");
        return linear_ring;
    }

    // The caller has made sure every ring has at least four points.
    Geometry make_polygon(const std::vector<MvtPath>& rings)
    {
        GEOSGeometry* shell = make_ring(rings.front());
        std::vector<GEOSGeometry*> holes;
        for (std::size_t i = 1; i < rings.size(); ++i)
            holes.push_back(make_ring(rings[i]));
        return Geometry(GEOSGeom_createPolygon_r(m_ctx, shell, holes.data(),
                                                 static_cast<unsigned>(holes.size())),
                        Deleter{m_ctx});
    }

    std::string problem_of(const GEOSGeometry* geometry)
    {
        if (!geometry)
            return "GEOS cannot build it (" + m_last_error + ")";
        char* reason = nullptr;
        GEOSGeometry* location = nullptr;
        const char valid = GEOSisValidDetail_r(m_ctx, geometry, 0, &reason, &location);
        std::string text = valid == 1 ? "" : reason ? reason : "GEOS failed: " + m_last_error;
        if (reason)
            GEOSFree_r(m_ctx, reason);
        if (location)
            GEOSGeom_destroy_r(m_ctx, location);
        return text;
    }

    GEOSContextHandle_t m_ctx = GEOS_init_r();
    std::string m_last_error;
    std::string m_last_notice;
};

std::size_t distinct_points(const MvtPath& ring)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> points;
    points.reserve(ring.size());
    for (const auto& p : ring)
        points.emplace_back(p.x, p.y);
    std::sort(points.begin(), points.end());
    return static_cast<std::size_t>(std::unique(points.begin(), points.end()) - points.begin());
}

class TileChecker {
public:
    explicit TileChecker(MvtCheckResult& result) : m_result(result) {}

    void check(const std::vector<MvtLayer>& layers)
    {
        std::map<std::string, int> names;
        for (const auto& layer : layers) {
            ++m_result.layers;
            if (++names[layer.name] == 2)
                layer_problem(layer, "the tile has more than one layer of this name");
            check_layer(layer);
        }
    }

private:
    void layer_problem(const MvtLayer& layer, std::string what)
    {
        m_result.problems.push_back({layer.name, std::nullopt, std::nullopt, std::move(what)});
    }

    void feature_problem(const MvtLayer& layer, std::size_t index, const MvtFeature& feature,
                         std::string what)
    {
        m_result.problems.push_back({layer.name, index, feature.id, std::move(what)});
    }

    void check_layer(const MvtLayer& layer)
    {
        if (!layer.version)
            layer_problem(layer, "no version (must be 2)");
        else if (*layer.version != 2)
            layer_problem(layer, "version " + std::to_string(*layer.version) + " (must be 2)");
        if (!layer.extent)
            layer_problem(layer, "no extent");
        else if (*layer.extent == 0)
            layer_problem(layer, "extent 0");

        std::set<std::string> keys;
        for (const auto& key : layer.keys)
            if (!keys.insert(key).second)
                layer_problem(layer, "key \"" + key + "\" is written more than once in the keys");
        std::map<MvtValue, std::size_t> values;
        for (std::size_t i = 0; i < layer.values.size(); ++i) {
            if (!layer.values[i])
                continue;
            const auto [first, inserted] = values.emplace(*layer.values[i], i);
            if (!inserted)
                layer_problem(layer, "values " + std::to_string(first->second) + " and " +
                                         std::to_string(i) + " are the same value");
        }

        std::set<std::uint64_t> ids;
        for (std::size_t i = 0; i < layer.features.size(); ++i) {
            const auto& feature = layer.features[i];
            ++m_result.features;
            if (feature.id && !ids.insert(*feature.id).second)
                feature_problem(layer, i, feature, "another feature of the layer has this id");
            if (feature.type == MvtGeometryType::polygon)
                check_polygons(layer, i, feature);
        }
    }

    void check_polygons(const MvtLayer& layer, std::size_t index, const MvtFeature& feature)
    {
        bool all_valid = true;
        for (std::size_t p = 0; p < feature.polygons.size(); ++p) {
            const auto& rings = feature.polygons[p];
            const std::string polygon = "polygon " + std::to_string(p);
            ++m_result.polygons;
            bool buildable = true;
            for (std::size_t r = 0; r < rings.size(); ++r) {
                ++m_result.rings;
                const auto& ring = rings[r];
                const std::string where = "ring " + std::to_string(r) + " of " + polygon;
                if (ring.size() < 4) {
                    feature_problem(layer, index, feature,
                                    where + " has " + std::to_string(ring.size()) +
                                        " points (at least 3 distinct and the closing one)");
                    buildable = false;
                    continue;
                }
                if (const auto distinct = distinct_points(ring); distinct < 3)
                    feature_problem(layer, index, feature,
                                    where + " has only " + std::to_string(distinct) +
                                        " distinct points");
                const double area = mvt_ring_area(ring);
                if (area == 0)
                    feature_problem(layer, index, feature, where + " has zero area");
                else if (r == 0 && area < 0)
                    feature_problem(layer, index, feature,
                                    polygon + ": its exterior ring has negative area "
                                              "(counter-clockwise as drawn; exteriors must be "
                                              "clockwise in tile coordinates)");
            }
            std::string invalid = buildable ? m_validity.polygon_problem(rings)
                                            : "rings too short to build";
            if (!invalid.empty()) {
                ++m_result.invalid_polygons;
                all_valid = false;
                if (buildable)
                    feature_problem(layer, index, feature, polygon + " is not valid: " + invalid);
            }
        }
        if (all_valid && feature.polygons.size() > 1) {
            const std::string invalid = m_validity.multipolygon_problem(feature.polygons);
            if (!invalid.empty())
                feature_problem(layer, index, feature,
                                "the multipolygon of valid polygons is not valid: " + invalid);
        }
    }

    MvtCheckResult& m_result;
    PolygonValidity m_validity;
};

}  // namespace

MvtCheckResult check_mvt(std::string_view tile)
{
    MvtCheckResult result;
    try {
        const auto layers = decode_mvt(tile, [&](MvtProblem problem) {
            result.problems.push_back(std::move(problem));
        });
        TileChecker(result).check(layers);
    } catch (const Error& e) {
        result.problems.push_back({{}, std::nullopt, std::nullopt, e.what()});
    }
    return result;
}

}  // namespace lantern::core
