#include <lantern/core/io/grid_vector.hpp>

#include <algorithm>
#include <cmath>
#include <memory>

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::core {

namespace {

std::unique_ptr<OGRGeometry> parse_wkb(const Wkb& wkb)
{
    OGRGeometry* geometry = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &geometry, wkb.size()) != OGRERR_NONE ||
        !geometry)
        throw DataError("a geometry's WKB cannot be read");
    return std::unique_ptr<OGRGeometry>(geometry);
}

GDALDatasetUniquePtr memory_raster(const GridFrame& frame, GDALDataType type)
{
    ensure_gdal();
    auto* driver = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDatasetUniquePtr ds(driver->Create("", frame.width, frame.height, 1, type, nullptr));
    if (!ds)
        throw Error("cannot allocate a " + std::to_string(frame.width) + " x " +
                    std::to_string(frame.height) + " grid in memory");
    double gt[6];
    frame.geotransform(gt);
    ds->SetGeoTransform(gt);
    return ds;
}

// One ring's crossings with the horizontal line y, by the half-open rule
// that counts a vertex once.
void ring_crossings(const OGRLinearRing& ring, double y, std::vector<double>& xs)
{
    int n = ring.getNumPoints();
    for (int i = 0, j = n - 1; i < n; j = i++) {
        double yi = ring.getY(i), yj = ring.getY(j);
        if ((yi > y) != (yj > y)) {
            double xi = ring.getX(i), xj = ring.getX(j);
            xs.push_back(xi + (y - yi) / (yj - yi) * (xj - xi));
        }
    }
}

void sample_polygon(const OGRPolygon& polygon, double spacing, std::vector<GeometrySample>& out)
{
    OGREnvelope env;
    polygon.getEnvelope(&env);
    std::size_t before = out.size();
    double weight = spacing * spacing;
    // The lattice is anchored at multiples of the spacing, so neighbouring
    // features sample the same points.
    double first_y = (std::floor(env.MinY / spacing) + 0.5) * spacing;
    std::vector<double> xs;
    for (double y = first_y; y < env.MaxY; y += spacing) {
        xs.clear();
        if (const auto* exterior = polygon.getExteriorRing())
            ring_crossings(*exterior, y, xs);
        for (int r = 0; r < polygon.getNumInteriorRings(); ++r)
            ring_crossings(*polygon.getInteriorRing(r), y, xs);
        std::sort(xs.begin(), xs.end());
        for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
            double first_x = (std::ceil(xs[k] / spacing - 0.5) + 0.5) * spacing;
            for (double x = first_x; x < xs[k + 1]; x += spacing)
                out.push_back({x, y, weight});
        }
    }
    if (out.size() == before) {
        double area = polygon.get_Area();
        if (area <= 0)
            return;
        OGRPoint inside;
        if (polygon.PointOnSurface(&inside) == OGRERR_NONE)
            out.push_back({inside.getX(), inside.getY(), area});
    }
}

void sample_line(const OGRLineString& line, double spacing, std::vector<GeometrySample>& out)
{
    for (int i = 0; i + 1 < line.getNumPoints(); ++i) {
        double x0 = line.getX(i), y0 = line.getY(i), x1 = line.getX(i + 1), y1 = line.getY(i + 1);
        double length = std::hypot(x1 - x0, y1 - y0);
        if (length <= 0)
            continue;
        int pieces = std::max(1, static_cast<int>(std::ceil(length / spacing)));
        double piece = length / pieces;
        for (int k = 0; k < pieces; ++k) {
            double t = (k + 0.5) / pieces;
            out.push_back({x0 + t * (x1 - x0), y0 + t * (y1 - y0), piece});
        }
    }
}

void sample_any(const OGRGeometry& geometry, double spacing, std::vector<GeometrySample>& out)
{
    switch (wkbFlatten(geometry.getGeometryType())) {
    case wkbPoint: {
        const auto& p = *geometry.toPoint();
        if (!p.IsEmpty())
            out.push_back({p.getX(), p.getY(), 1.0});
        break;
    }
    case wkbLineString: sample_line(*geometry.toLineString(), spacing, out); break;
    case wkbPolygon: sample_polygon(*geometry.toPolygon(), spacing, out); break;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const auto* part : *geometry.toGeometryCollection())
            sample_any(*part, spacing, out);
        break;
    default: break;
    }
}

}  // namespace

Grid<std::int32_t> burn_geometries(const GridFrame& frame, const std::vector<Wkb>& geometries,
                                   const std::vector<std::int32_t>& values, bool all_touched,
                                   std::int32_t background)
{
    Grid<std::int32_t> out(frame, background);
    if (geometries.empty())
        return out;
    auto ds = memory_raster(frame, GDT_Int32);
    auto* band = ds->GetRasterBand(1);
    band->Fill(background);
    std::vector<std::unique_ptr<OGRGeometry>> owned;
    std::vector<OGRGeometryH> handles;
    std::vector<double> burn;
    for (std::size_t i = 0; i < geometries.size(); ++i) {
        owned.push_back(parse_wkb(geometries[i]));
        handles.push_back(OGRGeometry::ToHandle(owned.back().get()));
        burn.push_back(values.at(i));
    }
    char** options = nullptr;
    if (all_touched)
        options = CSLSetNameValue(options, "ALL_TOUCHED", "TRUE");
    int band_list = 1;
    ScopedGdalErrors quiet;
    CPLErr err = GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, &band_list,
                                         static_cast<int>(handles.size()), handles.data(), nullptr,
                                         nullptr, burn.data(), options, nullptr, nullptr);
    CSLDestroy(options);
    if (err != CE_None ||
        band->RasterIO(GF_Read, 0, 0, frame.width, frame.height, out.values.data(), frame.width,
                       frame.height, GDT_Int32, 0, 0, nullptr) != CE_None)
        throw Error("cannot burn geometries into a grid (" +
                    ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    return out;
}

void polygonize(const Grid<std::int32_t>& classes,
                const std::function<void(std::int32_t cls, const Wkb& polygon)>& visit)
{
    auto raster = memory_raster(classes.frame, GDT_Int32);
    auto* band = raster->GetRasterBand(1);
    if (band->RasterIO(GF_Write, 0, 0, classes.width(), classes.height(),
                       const_cast<std::int32_t*>(classes.values.data()), classes.width(),
                       classes.height(), GDT_Int32, 0, 0, nullptr) != CE_None)
        throw Error("cannot fill an in-memory grid for polygonizing");
    // Zero cells are masked out, so only classified regions become polygons.
    auto mask = memory_raster(classes.frame, GDT_Byte);
    std::vector<std::uint8_t> mask_cells(classes.cells());
    for (std::size_t i = 0; i < classes.cells(); ++i)
        mask_cells[i] = classes.values[i] != 0;
    if (mask->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, classes.width(), classes.height(),
                                         mask_cells.data(), classes.width(), classes.height(),
                                         GDT_Byte, 0, 0, nullptr) != CE_None)
        throw Error("cannot fill an in-memory mask for polygonizing");
    mask_cells = {};

    auto* vector_driver = GetGDALDriverManager()->GetDriverByName("Memory");
    GDALDatasetUniquePtr shapes(vector_driver->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = shapes->CreateLayer("regions", nullptr, wkbPolygon, nullptr);
    OGRFieldDefn field("class", OFTInteger);
    layer->CreateField(&field);
    char** options = CSLSetNameValue(nullptr, "8CONNECTED", "8");
    ScopedGdalErrors quiet;
    CPLErr err = GDALPolygonize(band, mask->GetRasterBand(1), layer, 0, options, nullptr, nullptr);
    CSLDestroy(options);
    if (err != CE_None)
        throw Error("cannot polygonize (" + ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    layer->ResetReading();
    Wkb wkb;
    for (auto& feature : *layer) {
        const OGRGeometry* geometry = feature->GetGeometryRef();
        if (!geometry)
            continue;
        wkb.resize(static_cast<std::size_t>(geometry->WkbSize()));
        geometry->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        visit(feature->GetFieldAsInteger(0), wkb);
    }
}

std::vector<GeometrySample> sample_geometry(const Wkb& wkb, double spacing)
{
    if (!(spacing > 0))
        throw UsageError("the sampling spacing must be positive");
    auto geometry = parse_wkb(wkb);
    std::vector<GeometrySample> out;
    sample_any(*geometry, spacing, out);
    return out;
}

double area_of(const Wkb& wkb)
{
    auto geometry = parse_wkb(wkb);
    switch (wkbFlatten(geometry->getGeometryType())) {
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbGeometryCollection: return OGR_G_Area(OGRGeometry::ToHandle(geometry.get()));
    default: return 0;
    }
}

}  // namespace lantern::core
