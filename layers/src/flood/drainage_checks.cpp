#include <lantern/layers/drainage_checks.hpp>

#include <cmath>
#include <optional>
#include <sstream>

#include <ogr_geometry.h>

#include <lantern/core/raster/grid.hpp>
#include <lantern/layers/catalogue.hpp>

#include "flood_internal.hpp"

namespace lantern::layers {

namespace {

using flood::field_index;
using flood::real_value;
using flood::text_value;

std::unique_ptr<OGRGeometry> parse(const core::StoredFeature& f)
{
    OGRGeometry* raw = nullptr;
    OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &raw, f.wkb.size());
    return std::unique_ptr<OGRGeometry>(raw);
}

std::string metres(double v)
{
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out.precision(2);
    out << std::fixed << v;
    return out.str();
}

// The DEM's ground under a point, if the city has a DEM with a value there.
class Ground {
public:
    explicit Ground(const core::Storage& storage)
    {
        for (const auto& r : storage.raster_records())
            if (r.name == "dem")
                m_dem = flood::load_dem(storage);
    }

    std::optional<double> at(double x, double y) const
    {
        if (!m_dem)
            return std::nullopt;
        int col = m_dem->frame.col_of(x), row = m_dem->frame.row_of(y);
        if (!m_dem->frame.contains(col, row) || core::is_no_data(m_dem->at(col, row)))
            return std::nullopt;
        return m_dem->at(col, row);
    }

private:
    std::optional<core::FloatGrid> m_dem;
};

}  // namespace

void check_drainage(const core::Storage& storage, core::Report& report)
{
    const auto& pipes = feature_class("drainage_pipes");
    const auto& nodes = feature_class("drainage_nodes");
    if (!storage.has_class(nodes.name) && !storage.has_class(pipes.name))
        return;
    Ground ground(storage);
    const auto& file = storage.location();
    auto above_ground = [&](const core::ClassSchema& schema, const core::StoredFeature& f, const std::string& id,
                            const std::string& field, double invert, double x, double y) {
        auto level = ground.at(x, y);
        if (level && invert > *level)
            report.add({core::Severity::error, file, schema.name, f.fid, id, field, metres(invert),
                        "above the DEM's ground there (" + metres(*level) + " m): water cannot run in it"});
    };

    flood::SnapIndex ends(drainage_snap_m);  // the pipes' ends
    if (storage.has_class(pipes.name)) {
        auto id = field_index(pipes, "pipe_id"), up = field_index(pipes, "up_invert_m"),
             down = field_index(pipes, "down_invert_m");
        storage.scan(pipes, [&](const core::StoredFeature& f) {
            auto g = parse(f);
            const auto* lines = g ? g->toMultiLineString() : nullptr;
            if (!lines || lines->getNumGeometries() == 0)
                return;
            const auto* first = lines->getGeometryRef(0);
            const auto* last = lines->getGeometryRef(lines->getNumGeometries() - 1);
            int n = last->getNumPoints() - 1;
            ends.add(first->getX(0), first->getY(0), 0);
            ends.add(last->getX(n), last->getY(n), 0);
            auto label = "pipe_id=" + text_value(f.values[id]);
            auto up_invert = real_value(f.values[up]), down_invert = real_value(f.values[down]);
            if (up_invert)
                above_ground(pipes, f, label, "up_invert_m", *up_invert, first->getX(0), first->getY(0));
            if (down_invert)
                above_ground(pipes, f, label, "down_invert_m", *down_invert, last->getX(n), last->getY(n));
            if (up_invert && down_invert && *up_invert < *down_invert)
                report.add({core::Severity::error, file, pipes.name, f.fid, label, "down_invert_m",
                            metres(*down_invert),
                            "above up_invert_m " + metres(*up_invert) +
                                ": the pipe runs uphill against its drawn direction (draw it from upstream "
                                "to downstream, or correct the inverts)"});
        });
    }
    if (storage.has_class(nodes.name)) {
        auto id = field_index(nodes, "node_id"), invert = field_index(nodes, "invert_m");
        storage.scan(nodes, [&](const core::StoredFeature& f) {
            auto g = parse(f);
            if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint || g->IsEmpty())
                return;
            double x = g->toPoint()->getX(), y = g->toPoint()->getY();
            auto label = "node_id=" + text_value(f.values[id]);
            if (auto v = real_value(f.values[invert]))
                above_ground(nodes, f, label, "invert_m", *v, x, y);
            if (!ends.nearest(x, y))
                report.add({core::Severity::warning, file, nodes.name, f.fid, label, "geometry", "",
                            "no pipe end within " + metres(drainage_snap_m) + " m: the node drains nothing"});
        });
    }
}

}  // namespace lantern::layers
