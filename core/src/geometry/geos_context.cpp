#include <lantern/core/geometry/geos.hpp>

#include <geos_c.h>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

void record_error(const char* message, void* userdata)
{
    *static_cast<std::string*>(userdata) = message ? message : "";
}

}  // namespace

struct Geos::Impl {
    GEOSContextHandle_t ctx = GEOS_init_r();
    GEOSWKBReader* reader = nullptr;
    GEOSWKBWriter* writer = nullptr;
    std::string last_error;

    Impl()
    {
        GEOSContext_setErrorMessageHandler_r(ctx, record_error, &last_error);
        reader = GEOSWKBReader_create_r(ctx);
        writer = GEOSWKBWriter_create_r(ctx);
        GEOSWKBWriter_setByteOrder_r(ctx, writer, GEOS_WKB_NDR);
        GEOSWKBWriter_setOutputDimension_r(ctx, writer, 2);
    }
    ~Impl()
    {
        GEOSWKBWriter_destroy_r(ctx, writer);
        GEOSWKBReader_destroy_r(ctx, reader);
        GEOS_finish_r(ctx);
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    struct GeomDeleter {
        GEOSContextHandle_t ctx;
        void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(ctx, g); }
    };
    using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

    GeomPtr read(const std::vector<unsigned char>& wkb)
    {
        GEOSGeometry* g = GEOSWKBReader_read_r(ctx, reader, wkb.data(), wkb.size());
        if (!g)
            throw DataError("unreadable geometry (" + last_error + ")");
        return GeomPtr(g, GeomDeleter{ctx});
    }

    std::vector<unsigned char> write(const GEOSGeometry* g)
    {
        std::size_t size = 0;
        unsigned char* bytes = GEOSWKBWriter_write_r(ctx, writer, g, &size);
        if (!bytes)
            throw DataError("cannot encode geometry (" + last_error + ")");
        std::vector<unsigned char> out(bytes, bytes + size);
        GEOSFree_r(ctx, bytes);
        return out;
    }

    // Collects clones of the parts of g with the given dimension, descending
    // into collections.
    void collect(const GEOSGeometry* g, int dimension, std::vector<GEOSGeometry*>& parts)
    {
        int type = GEOSGeomTypeId_r(ctx, g);
        if (type == GEOS_GEOMETRYCOLLECTION || type == GEOS_MULTIPOLYGON ||
            type == GEOS_MULTILINESTRING || type == GEOS_MULTIPOINT) {
            for (int i = 0; i < GEOSGetNumGeometries_r(ctx, g); ++i)
                collect(GEOSGetGeometryN_r(ctx, g, i), dimension, parts);
            return;
        }
        if (GEOSisEmpty_r(ctx, g) != 0)
            return;
        bool wanted = (dimension == 2 && type == GEOS_POLYGON) ||
                      (dimension == 1 && (type == GEOS_LINESTRING || type == GEOS_LINEARRING)) ||
                      (dimension == 0 && type == GEOS_POINT);
        if (wanted)
            parts.push_back(GEOSGeom_clone_r(ctx, g));
    }
};

Geos::Geos() : m_impl(std::make_unique<Impl>()) {}
Geos::~Geos() = default;

GeometryVerdict Geos::inspect(const std::vector<unsigned char>& wkb) const
{
    auto g = m_impl->read(wkb);
    GeometryVerdict verdict;
    auto* ctx = m_impl->ctx;
    verdict.empty = GEOSisEmpty_r(ctx, g.get()) != 0;
    if (!verdict.empty) {
        GEOSGeom_getXMin_r(ctx, g.get(), &verdict.bounds.min_x);
        GEOSGeom_getYMin_r(ctx, g.get(), &verdict.bounds.min_y);
        GEOSGeom_getXMax_r(ctx, g.get(), &verdict.bounds.max_x);
        GEOSGeom_getYMax_r(ctx, g.get(), &verdict.bounds.max_y);
    }
    char valid = GEOSisValid_r(ctx, g.get());
    if (valid == 1)
        return verdict;
    verdict.valid = false;
    char* reason = GEOSisValidReason_r(ctx, g.get());
    verdict.reason = reason ? reason : m_impl->last_error;
    GEOSFree_r(ctx, reason);
    return verdict;
}

std::vector<unsigned char> Geos::make_valid(const std::vector<unsigned char>& wkb,
                                            int dimension) const
{
    auto* ctx = m_impl->ctx;
    auto g = m_impl->read(wkb);
    Impl::GeomPtr fixed(GEOSMakeValid_r(ctx, g.get()), Impl::GeomDeleter{ctx});
    if (!fixed)
        throw DataError("make-valid failed (" + m_impl->last_error + ")");
    std::vector<GEOSGeometry*> parts;
    m_impl->collect(fixed.get(), dimension, parts);
    if (parts.empty())
        return {};
    if (dimension == 0) {
        auto point = m_impl->write(parts.front());
        for (auto* part : parts)
            GEOSGeom_destroy_r(ctx, part);
        return point;
    }
    int type = dimension == 2 ? GEOS_MULTIPOLYGON : GEOS_MULTILINESTRING;
    Impl::GeomPtr multi(
        GEOSGeom_createCollection_r(ctx, type, parts.data(), static_cast<unsigned>(parts.size())),
        Impl::GeomDeleter{ctx});
    return m_impl->write(multi.get());
}

}  // namespace lantern::core
