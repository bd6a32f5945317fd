#include <lantern/core/render/render.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <set>

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/base/temporary_output.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>

#include "bitmap_font.hpp"

namespace lantern::core {

namespace {

namespace fs = std::filesystem;

constexpr int min_size = 16;
constexpr int max_size = 16384;

// The image grid: north up, square pixels, (x0, y0) the top-left corner.
struct Grid {
    int width = 0;
    int height = 0;
    double x0 = 0, y0 = 0, pixel = 1;

    std::size_t cells() const { return static_cast<std::size_t>(width) * static_cast<std::size_t>(height); }
    Bounds extent() const { return {x0, y0 - pixel * height, x0 + pixel * width, y0}; }
};

Grid make_grid(const Bounds& b, int width)
{
    double w = b.max_x - b.min_x, h = b.max_y - b.min_y;
    // A lone point or a straight line still gets a map around it.
    double span = std::max({w, h, 100.0});
    w = std::max(w, span / 4);
    h = std::max(h, span / 4);
    double margin = 0.02 * std::max(w, h);
    w += 2 * margin;
    h += 2 * margin;
    Grid grid;
    grid.width = width;
    grid.pixel = w / width;
    grid.height = std::max(1, static_cast<int>(std::lround(h / grid.pixel)));
    if (grid.height > max_size)
        throw UsageError("the map would be " + std::to_string(width) + " x " +
                             std::to_string(grid.height) + " pixels, more than " +
                             std::to_string(max_size) + " high",
                         Choice::map_size);
    double cx = (b.min_x + b.max_x) / 2, cy = (b.min_y + b.max_y) / 2;
    grid.x0 = cx - grid.pixel * grid.width / 2;
    grid.y0 = cy + grid.pixel * grid.height / 2;
    return grid;
}

// An RGB image in memory, row by row.
struct Canvas {
    Grid grid;
    std::vector<unsigned char> rgb;

    Canvas(const Grid& g, const Rgba& background) : grid(g), rgb(g.cells() * 3)
    {
        for (std::size_t i = 0; i < g.cells(); ++i)
            std::copy_n(background.begin(), 3, rgb.begin() + static_cast<std::ptrdiff_t>(i * 3));
    }

    void set(std::size_t cell, const std::array<double, 3>& colour)
    {
        for (std::size_t k = 0; k < 3; ++k)
            rgb[cell * 3 + k] = static_cast<unsigned char>(std::clamp(std::lround(colour[k]), 0L, 255L));
    }

    // Colour blended over one cell by its opacity.
    void blend(std::size_t cell, const Rgba& colour)
    {
        int alpha = colour[3];
        for (std::size_t k = 0; k < 3; ++k) {
            int under = rgb[cell * 3 + k];
            rgb[cell * 3 + k] =
                static_cast<unsigned char>((under * (255 - alpha) + colour[k] * alpha + 127) / 255);
        }
    }

    // Paints colour where mask is set, blended by its opacity.
    void paint(const std::vector<unsigned char>& mask, const Rgba& colour)
    {
        for (std::size_t i = 0; i < mask.size(); ++i)
            if (mask[i])
                blend(i, colour);
    }

    // ---- pixel drawing for the map furniture, clipped to the image ----

    void blend_pixel(int col, int row, const Rgba& colour)
    {
        if (col >= 0 && row >= 0 && col < grid.width && row < grid.height)
            blend(static_cast<std::size_t>(row) * static_cast<std::size_t>(grid.width) +
                      static_cast<std::size_t>(col),
                  colour);
    }

    void fill_rect(int x, int y, int w, int h, const Rgba& colour)
    {
        for (int row = std::max(y, 0); row < std::min(y + h, grid.height); ++row)
            for (int col = std::max(x, 0); col < std::min(x + w, grid.width); ++col)
                blend_pixel(col, row, colour);
    }

    // A frame of the given thickness just inside the rectangle.
    void frame_rect(int x, int y, int w, int h, int thickness, const Rgba& colour)
    {
        thickness = std::min({thickness, w / 2, h / 2});
        if (thickness <= 0) {
            fill_rect(x, y, w, h, colour);
            return;
        }
        fill_rect(x, y, w, thickness, colour);
        fill_rect(x, y + h - thickness, w, thickness, colour);
        fill_rect(x, y + thickness, thickness, h - 2 * thickness, colour);
        fill_rect(x + w - thickness, y + thickness, thickness, h - 2 * thickness, colour);
    }

    // UTF-8 text with the top-left corner of its first letter at (x, y).
    void text(std::string_view utf8, int x, int y, int scale, const Rgba& colour)
    {
        for (auto [dx, dy] : font::text_pixels(utf8, scale))
            blend_pixel(x + dx, y + dy, colour);
    }
};

// ---- the DEM as shaded relief ----------------------------------------------

// Exact, and with a '.' whatever the locale: GDAL reads its options so.
std::string number(double v)
{
    return general_text(v, 17);
}

// Height tint: green lowlands through brown hills to pale mountains.
std::array<double, 3> height_colour(double z)
{
    struct Stop {
        double z;
        std::array<double, 3> rgb;
    };
    static const Stop stops[] = {
        {0, {206, 226, 186}},    {5, {180, 210, 156}},    {20, {206, 203, 152}},
        {100, {192, 164, 120}},  {500, {160, 126, 96}},   {1500, {236, 232, 226}},
    };
    if (z <= stops[0].z)
        return stops[0].rgb;
    for (std::size_t i = 1; i < std::size(stops); ++i) {
        if (z <= stops[i].z) {
            double t = (z - stops[i - 1].z) / (stops[i].z - stops[i - 1].z);
            std::array<double, 3> c{};
            for (std::size_t k = 0; k < 3; ++k)
                c[k] = stops[i - 1].rgb[k] + t * (stops[i].rgb[k] - stops[i - 1].rgb[k]);
            return c;
        }
    }
    return std::rbegin(stops)->rgb;
}

// The DEM resampled (bilinear) onto the image grid; no-data is -9999.
std::vector<float> resample_dem(const RasterDataset& dem, const Grid& grid)
{
    const std::string& file = dem.label();
    ScopedGdalErrors quiet;
    Bounds e = grid.extent();
    std::vector<std::string> args = {"-of", "MEM", "-ot", "Float32", "-r", "bilinear",
                                     "-dstnodata", "-9999", "-te", number(e.min_x),
                                     number(e.min_y), number(e.max_x), number(e.max_y), "-ts",
                                     std::to_string(grid.width), std::to_string(grid.height)};
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALWarpAppOptions* options = GDALWarpAppOptionsNew(argv.data(), nullptr);
    if (!options)
        throw DataError(file + ": invalid warp options");
    GDALDatasetH handles[] = {GDALDataset::ToHandle(&dem.gdal())};
    int usage_error = 0;
    GDALDatasetUniquePtr warped(
        GDALDataset::FromHandle(GDALWarp("", nullptr, 1, handles, options, &usage_error)));
    GDALWarpAppOptionsFree(options);
    if (!warped)
        throw DataError(file + ": cannot resample the DEM (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    std::vector<float> z(grid.cells());
    if (warped->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, grid.width, grid.height, z.data(),
                                           grid.width, grid.height, GDT_Float32, 0, 0,
                                           nullptr) != CE_None)
        throw DataError(file + ": cannot read the DEM (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    return z;
}

// A relief colour made greyer and lighter, for a map whose overlay colours
// must stand out: most of the tint goes, the hillshade stays.
std::array<double, 3> muted(std::array<double, 3> colour)
{
    double grey = 0.30 * colour[0] + 0.59 * colour[1] + 0.11 * colour[2];
    for (auto& v : colour) {
        v = grey + 0.25 * (v - grey);
        v = 255 - 0.55 * (255 - v);
    }
    return colour;
}

// Height tint times a hillshade (light from the north-west, 45 degrees up,
// relief exaggerated so a coastal plain still shows its dunes). Heights at or
// below 0 are water; no-data (the corners a reprojected DEM leaves) stays background.
void draw_dem(Canvas& canvas, const RasterDataset& dem, const Bounds& dem_extent, bool mute)
{
    const Grid& g = canvas.grid;
    auto z = resample_dem(dem, g);
    const std::array<double, 3> water = {176, 204, 224};
    constexpr double exaggeration = 3;
    const double pi = std::acos(-1.0);
    const double azimuth = 315 * pi / 180, altitude = 45 * pi / 180;
    const double lx = std::cos(altitude) * std::sin(azimuth), ly = std::cos(altitude) * std::cos(azimuth),
                 lz = std::sin(altitude);

    // Only cells inside the DEM's extent; outside it stays background.
    auto clamp_to = [](double v, int hi) {
        return static_cast<int>(std::clamp(v, 0.0, static_cast<double>(hi)));
    };
    int c0 = clamp_to(std::floor((dem_extent.min_x - g.x0) / g.pixel), g.width);
    int c1 = clamp_to(std::ceil((dem_extent.max_x - g.x0) / g.pixel), g.width);
    int r0 = clamp_to(std::floor((g.y0 - dem_extent.max_y) / g.pixel), g.height);
    int r1 = clamp_to(std::ceil((g.y0 - dem_extent.min_y) / g.pixel), g.height);

    auto at = [&](int row, int col) -> double {
        row = std::clamp(row, 0, g.height - 1);
        col = std::clamp(col, 0, g.width - 1);
        float v = z[static_cast<std::size_t>(row) * static_cast<std::size_t>(g.width) +
                    static_cast<std::size_t>(col)];
        return v > 0 ? static_cast<double>(v) : 0.0;
    };
    for (int row = r0; row < r1; ++row) {
        for (int col = c0; col < c1; ++col) {
            std::size_t cell = static_cast<std::size_t>(row) * static_cast<std::size_t>(g.width) +
                               static_cast<std::size_t>(col);
            if (z[cell] == -9999.0f)
                continue;
            if (!(z[cell] > 0)) {
                canvas.set(cell, mute ? muted(water) : water);
                continue;
            }
            // Horn's gradient; rows run south.
            double a = at(row - 1, col - 1), b = at(row - 1, col), c = at(row - 1, col + 1);
            double d = at(row, col - 1), f = at(row, col + 1);
            double gg = at(row + 1, col - 1), h = at(row + 1, col), i = at(row + 1, col + 1);
            double dz_east = ((c + 2 * f + i) - (a + 2 * d + gg)) / (8 * g.pixel) * exaggeration;
            double dz_north = ((a + 2 * b + c) - (gg + 2 * h + i)) / (8 * g.pixel) * exaggeration;
            double norm = std::sqrt(dz_east * dz_east + dz_north * dz_north + 1);
            double shade = std::max(0.0, (-dz_east * lx - dz_north * ly + lz) / norm);
            double factor = std::clamp(shade / lz, 0.55, 1.15);
            auto colour = height_colour(z[cell]);
            for (auto& v : colour)
                v *= factor;
            canvas.set(cell, mute ? muted(colour) : colour);
        }
    }
}

// ---- raster overlays ----------------------------------------------------------

struct OverlaySource {
    RasterDataset raster;
    double gt[6] = {};
};

// What names an overlay in messages: the city's raster or the caller's file.
const std::string& overlay_name(const RasterOverlay& overlay)
{
    return overlay.raster.empty() ? overlay.path : overlay.raster;
}

// Opens an overlay and checks that it lies north up in the city CRS.
OverlaySource open_overlay(const Storage& storage, const RasterOverlay& overlay, const Crs& city_crs)
{
    OverlaySource source{overlay.raster.empty() ? open_raster_file(overlay.path)
                                                 : storage.open_raster(overlay.raster)};
    source.raster.frame().geotransform(source.gt);
    const std::string& file = source.raster.label();
    if (auto crs = crs_from_srs(source.raster.gdal().GetSpatialRef()); crs && !crs->same_as(city_crs))
        throw DataError(file + ": the overlay is in " + crs->name() + ", not in the city CRS (" +
                        city_crs.name() + "); warp it first");
    return source;
}

Bounds overlay_extent(const Storage& storage, const RasterOverlay& overlay, const Crs& city_crs)
{
    return open_overlay(storage, overlay, city_crs).raster.frame().extent();
}

// Band 1 of an overlay at the centre of every image pixel (nearest neighbour);
// NaN where it has no data or does not reach. Reads one source row per image
// row, so a fine raster under a coarse image costs no more memory than the image.
std::vector<double> sample_overlay(const Storage& storage, const RasterOverlay& overlay, const Grid& grid,
                                   const Crs& city_crs)
{
    auto source = open_overlay(storage, overlay, city_crs);
    const std::string& file = source.raster.label();
    const double* gt = source.gt;
    GDALRasterBand* band = source.raster.gdal().GetRasterBand(1);
    int width = source.raster.frame().width, height = source.raster.frame().height;
    int has_no_data = 0;
    double no_data = band->GetNoDataValue(&has_no_data);

    // The source column under each image column, -1 where there is none.
    std::vector<int> source_col(static_cast<std::size_t>(grid.width), -1);
    int first = width, last = -1;
    for (int col = 0; col < grid.width; ++col) {
        double c = std::floor((grid.x0 + (col + 0.5) * grid.pixel - gt[0]) / gt[1]);
        if (c >= 0 && c < width) {
            int k = static_cast<int>(c);
            source_col[static_cast<std::size_t>(col)] = k;
            first = std::min(first, k);
            last = std::max(last, k);
        }
    }
    std::vector<double> values(grid.cells(), std::numeric_limits<double>::quiet_NaN());
    if (last < first)
        return values;
    int span = last - first + 1;
    std::vector<double> line(static_cast<std::size_t>(span));
    int line_row = -1;
    ScopedGdalErrors quiet;
    for (int row = 0; row < grid.height; ++row) {
        double r = std::floor((gt[3] - (grid.y0 - (row + 0.5) * grid.pixel)) / -gt[5]);
        if (r < 0 || r >= height)
            continue;
        if (static_cast<int>(r) != line_row) {
            line_row = static_cast<int>(r);
            if (band->RasterIO(GF_Read, first, line_row, span, 1, line.data(), span, 1, GDT_Float64,
                               0, 0, nullptr) != CE_None)
                throw DataError(file + ": cannot read the overlay (" +
                                ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
        }
        for (int col = 0; col < grid.width; ++col) {
            int k = source_col[static_cast<std::size_t>(col)];
            if (k < 0)
                continue;
            double v = line[static_cast<std::size_t>(k - first)];
            if (std::isnan(v) || (has_no_data && v == no_data))
                continue;
            values[static_cast<std::size_t>(row) * static_cast<std::size_t>(grid.width) +
                   static_cast<std::size_t>(col)] = v;
        }
    }
    return values;
}

void draw_overlay(Canvas& canvas, const Storage& storage, const RasterOverlay& overlay, const Crs& city_crs)
{
    auto values = sample_overlay(storage, overlay, canvas.grid, city_crs);
    for (std::size_t i = 0; i < values.size(); ++i) {
        double v = values[i];
        if (std::isnan(v))
            continue;
        auto band = std::find_if(overlay.bands.begin(), overlay.bands.end(),
                                 [&](const ColourBand& b) { return v >= b.from && v < b.to; });
        if (band == overlay.bands.end())
            continue;
        Rgba colour = band->colour;
        colour[3] = static_cast<unsigned char>((colour[3] * overlay.opacity + 127) / 255);
        canvas.blend(i, colour);
    }
}

// ---- vector classes ---------------------------------------------------------

// Geometries in an in-memory OGR layer, for GDAL's rasterizer.
class ShapeLayer {
public:
    ShapeLayer()
    {
        auto* driver = GetGDALDriverManager()->GetDriverByName("Memory");
        if (!driver)
            throw Error("GDAL has no Memory driver");
        m_dataset.reset(driver->Create("", 0, 0, 0, GDT_Unknown, nullptr));
        if (m_dataset)
            m_layer = m_dataset->CreateLayer("shapes", nullptr, wkbUnknown, nullptr);
        if (!m_layer)
            throw Error("cannot create an in-memory layer");
    }

    void add(std::unique_ptr<OGRGeometry> geometry)
    {
        if (!geometry || geometry->IsEmpty())
            return;
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(m_layer->GetLayerDefn()));
        feature->SetGeometryDirectly(geometry.release());
        if (m_layer->CreateFeature(feature.get()) != OGRERR_NONE)
            throw Error("cannot add a shape to an in-memory layer");
        ++m_count;
    }

    bool empty() const { return m_count == 0; }
    OGRLayer* layer() const { return m_layer; }

private:
    GDALDatasetUniquePtr m_dataset;
    OGRLayer* m_layer = nullptr;
    std::size_t m_count = 0;
};

// Map coordinates to pixel coordinates and back, for the rasterizer.
int map_to_pixels(void* arg, int pixels_to_map, int count, double* x, double* y, double*, int* ok)
{
    const auto* grid = static_cast<const Grid*>(arg);
    for (int i = 0; i < count; ++i) {
        if (pixels_to_map) {
            x[i] = grid->x0 + x[i] * grid->pixel;
            y[i] = grid->y0 - y[i] * grid->pixel;
        } else {
            x[i] = (x[i] - grid->x0) / grid->pixel;
            y[i] = (grid->y0 - y[i]) / grid->pixel;
        }
        if (ok)
            ok[i] = TRUE;
    }
    return TRUE;
}

// 1 in every cell the layer's shapes cover, 0 elsewhere.
std::vector<unsigned char> rasterize(const ShapeLayer& shapes, const Grid& grid, bool all_touched)
{
    std::vector<unsigned char> mask(grid.cells(), 0);
    Grid transform_arg = grid;
    double gt[6] = {grid.x0, grid.pixel, 0, grid.y0, 0, -grid.pixel};
    OGRLayerH layers[] = {OGRLayer::ToHandle(shapes.layer())};
    char** options = nullptr;
    if (all_touched)
        options = CSLSetNameValue(options, "ALL_TOUCHED", "TRUE");
    ScopedGdalErrors quiet;
    CPLErr err = GDALRasterizeLayersBuf(mask.data(), grid.width, grid.height, GDT_Byte, 0, 0, 1,
                                        layers, nullptr, gt, map_to_pixels, &transform_arg, 1.0,
                                        options, nullptr, nullptr);
    CSLDestroy(options);
    if (err != CE_None)
        throw Error("cannot rasterize (" + ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    return mask;
}

// Widens 1-pixel lines in a mask to a line width of about width pixels.
std::vector<unsigned char> widen(const std::vector<unsigned char>& mask, const Grid& grid, double width)
{
    int n = std::max(1, static_cast<int>(std::lround(width)));
    if (n == 1)
        return mask;
    int lo = -(n - 1) / 2, hi = lo + n - 1;
    double centre = (lo + hi) / 2.0, radius2 = n * n / 4.0;
    std::vector<std::pair<int, int>> kernel;
    for (int dy = lo; dy <= hi; ++dy)
        for (int dx = lo; dx <= hi; ++dx)
            if ((dx - centre) * (dx - centre) + (dy - centre) * (dy - centre) <= radius2)
                kernel.emplace_back(dx, dy);
    std::vector<unsigned char> wide(mask.size(), 0);
    for (int row = 0; row < grid.height; ++row) {
        for (int col = 0; col < grid.width; ++col) {
            if (!mask[static_cast<std::size_t>(row) * static_cast<std::size_t>(grid.width) +
                      static_cast<std::size_t>(col)])
                continue;
            for (auto [dx, dy] : kernel) {
                int r = row + dy, c = col + dx;
                if (r >= 0 && r < grid.height && c >= 0 && c < grid.width)
                    wide[static_cast<std::size_t>(r) * static_cast<std::size_t>(grid.width) +
                         static_cast<std::size_t>(c)] = 1;
            }
        }
    }
    return wide;
}

// A dot of the given radius around a point, as a 16-sided polygon.
std::unique_ptr<OGRGeometry> dot(const OGRPoint& point, double radius)
{
    const double pi = std::acos(-1.0);
    auto ring = std::make_unique<OGRLinearRing>();
    for (int i = 0; i <= 16; ++i) {
        double angle = 2 * pi * (i % 16) / 16;
        ring->addPoint(point.getX() + radius * std::cos(angle), point.getY() + radius * std::sin(angle));
    }
    auto polygon = std::make_unique<OGRPolygon>();
    polygon->addRingDirectly(ring.release());
    return polygon;
}

struct Shapes {
    ShapeLayer fill;
    ShapeLayer stroke;
    std::vector<OGRPoint> points;  // drawn as dots once their size is known
};

// Sorts one stored geometry into what is filled, what is stroked and what is a dot.
void add_shape(const OGRGeometry& geometry, const LayerStyle& style, Shapes& shapes)
{
    bool fill = style.fill[3] > 0, stroke = style.stroke[3] > 0;
    switch (wkbFlatten(geometry.getGeometryType())) {
    case wkbPoint:
        if (!geometry.IsEmpty())
            shapes.points.push_back(*geometry.toPoint());
        break;
    case wkbLineString:
    case wkbMultiLineString:
        if (stroke)
            shapes.stroke.add(std::unique_ptr<OGRGeometry>(geometry.clone()));
        break;
    case wkbPolygon:
    case wkbMultiPolygon:
        if (fill)
            shapes.fill.add(std::unique_ptr<OGRGeometry>(geometry.clone()));
        if (stroke)
            shapes.stroke.add(std::unique_ptr<OGRGeometry>(geometry.Boundary()));
        break;
    case wkbMultiPoint:
    case wkbGeometryCollection:
        for (const auto* part : *geometry.toGeometryCollection())
            add_shape(*part, style, shapes);
        break;
    default:
        break;
    }
}

// The dot diameter in pixels: the style's, made smaller (down to 1) until
// nearly every point has a cell of twice that size to itself, so that dots
// keep a gap between them: thousands of lamps along the streets of a whole
// city show as fine dots, not as a carpet over the streets. A few crowded dots
// (a dozen landmarks in an old town) keep their size.
double dot_size(const std::vector<OGRPoint>& points, const Grid& grid, double wanted)
{
    for (double d = std::max(1.0, std::round(wanted)); d > 1; d -= 1) {
        double cell = 2 * d * grid.pixel;
        std::set<std::pair<long, long>> cells;
        for (const auto& p : points)
            cells.emplace(std::lround(std::floor((p.getX() - grid.x0) / cell)),
                          std::lround(std::floor((grid.y0 - p.getY()) / cell)));
        std::size_t crowded = points.size() - cells.size();
        if (crowded <= 25 || 10 * crowded <= points.size())
            return std::min(d, wanted);
    }
    return 1;
}

void draw_class(Canvas& canvas, const Storage& storage, const ClassSchema& schema,
                const LayerStyle& style)
{
    Shapes shapes;
    std::optional<std::size_t> only;
    if (!style.only_field.empty()) {
        for (std::size_t i = 0; i < schema.fields.size(); ++i)
            if (schema.fields[i].name == style.only_field)
                only = i;
        if (!only)
            throw UsageError("style for " + schema.name + ": no field '" + style.only_field + "'");
    }
    storage.scan(schema, [&](const StoredFeature& stored) {
        if (only) {
            const auto* value = std::get_if<std::string>(&stored.values[*only]);
            if (!value || *value != style.only_value)
                return;
        }
        OGRGeometry* raw = nullptr;
        if (OGRGeometryFactory::createFromWkb(stored.wkb.data(), nullptr, &raw, stored.wkb.size()) !=
            OGRERR_NONE)
            throw StorageError(storage.location() + ": " + schema.name + " feature " +
                               std::to_string(stored.fid) + ": unreadable geometry");
        std::unique_ptr<OGRGeometry> geometry(raw);
        add_shape(*geometry, style, shapes);
    });
    if (!shapes.points.empty()) {
        double d = dot_size(shapes.points, canvas.grid, style.point_px);
        // An outline needs room inside it; small dots are fill only (or stroke
        // colour only when the style has no fill).
        bool outline = style.stroke[3] > 0 && (d >= 5 || style.fill[3] == 0);
        for (const auto& p : shapes.points) {
            if (d < 2) {  // one pixel: the rasterizer burns a point into the cell it falls in
                if (style.fill[3] > 0)
                    shapes.fill.add(std::unique_ptr<OGRGeometry>(p.clone()));
                else
                    shapes.stroke.add(std::unique_ptr<OGRGeometry>(p.clone()));
                continue;
            }
            auto d_shape = dot(p, d / 2 * canvas.grid.pixel);
            if (outline)
                shapes.stroke.add(std::unique_ptr<OGRGeometry>(d_shape->Boundary()));
            if (style.fill[3] > 0)
                shapes.fill.add(std::move(d_shape));
        }
    }
    if (!shapes.fill.empty())
        canvas.paint(rasterize(shapes.fill, canvas.grid, true), style.fill);
    if (!shapes.stroke.empty())
        canvas.paint(widen(rasterize(shapes.stroke, canvas.grid, false), canvas.grid,
                           std::max(style.stroke_px, style.stroke_m / canvas.grid.pixel)),
                     style.stroke);
}

// ---- legend, scale bar, north arrow ------------------------------------------

constexpr Rgba ink = {33, 33, 33, 255};
constexpr Rgba paper = {255, 255, 255, 230};
constexpr Rgba white = {255, 255, 255, 255};
constexpr Rgba frame_colour = {110, 110, 110, 255};

// The top-left corner of a w x h box in a corner of the image, margin pixels in.
std::pair<int, int> place(const Grid& grid, Corner corner, int w, int h, int margin)
{
    bool left = corner == Corner::top_left || corner == Corner::bottom_left;
    bool top = corner == Corner::top_left || corner == Corner::top_right;
    return {left ? margin : grid.width - margin - w, top ? margin : grid.height - margin - h};
}

void draw_box(Canvas& canvas, int x, int y, int w, int h)
{
    canvas.fill_rect(x, y, w, h, paper);
    canvas.frame_rect(x, y, w, h, 1, frame_colour);
}

// Title (bold: struck twice, a pixel apart), lines, then swatches with labels.
void draw_legend(Canvas& canvas, const Legend& legend, Corner corner, int s)
{
    struct Text {
        std::string_view text;
        int x, y;
        bool bold;
    };
    struct Swatch {
        const LegendEntry* entry;
        int y;
    };
    const int pad = 6 * s, swatch_w = 18 * s, swatch_h = 9 * s, line = 12 * s;
    std::vector<Text> texts;
    std::vector<Swatch> swatches;
    int y = pad, right = 0, bottom = 0;
    auto add_text = [&](std::string_view text, int x, bool bold) {
        texts.push_back({text, x, y, bold});
        right = std::max(right, x + font::text_width(text, s) + (bold ? 1 : 0));
        bottom = std::max(bottom, y + font::glyph_height * s);
    };
    if (!legend.title.empty()) {
        add_text(legend.title, pad, true);
        y += line + 3 * s;
    }
    for (const auto& text : legend.lines) {
        add_text(text, pad, false);
        y += line;
    }
    if (!legend.entries.empty() && y > pad)
        y += 3 * s;
    for (const auto& entry : legend.entries) {
        // The swatch is centred on the label's capitals.
        swatches.push_back({&entry, y - s});
        right = std::max(right, pad + swatch_w);
        bottom = std::max(bottom, y - s + swatch_h);
        add_text(entry.label, pad + swatch_w + 6 * s, false);
        y += line + s;
    }
    if (texts.empty() && swatches.empty())
        return;
    int w = right + pad, h = bottom + pad;
    auto [x0, y0] = place(canvas.grid, corner, w, h, 8 * s);
    draw_box(canvas, x0, y0, w, h);
    for (const auto& swatch : swatches) {
        canvas.fill_rect(x0 + pad, y0 + swatch.y, swatch_w, swatch_h, swatch.entry->fill);
        if (swatch.entry->stroke[3] > 0)
            canvas.frame_rect(x0 + pad, y0 + swatch.y, swatch_w, swatch_h, s, swatch.entry->stroke);
    }
    for (const auto& text : texts) {
        canvas.text(text.text, x0 + text.x, y0 + text.y, s, ink);
        if (text.bold)
            canvas.text(text.text, x0 + text.x + 1, y0 + text.y, s, ink);
    }
}

// The longest of 1, 2 or 5 times a power of ten that is at most `most`.
double round_length(double most)
{
    double power = std::pow(10.0, std::floor(std::log10(most)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * power <= most)
            return m * power;
    return power;
}

std::string length_label(double metres)
{
    return metres >= 1000 ? general_text(metres / 1000) + " km" : general_text(metres) + " m";
}

// A bar of four segments, dark and white, a round length of about a fifth of
// the map's width, labelled 0 and its length. Returns the length in metres.
double draw_scale_bar(Canvas& canvas, double metres_per_pixel, Corner corner, int s)
{
    const Grid& g = canvas.grid;
    double metres = round_length(0.2 * g.width * metres_per_pixel);
    int length = static_cast<int>(std::lround(metres / metres_per_pixel));
    if (length < 8)
        return 0;
    std::string label = length_label(metres);
    const int pad = 5 * s, bar_h = 4 * s;
    int zero_w = font::text_width("0", s), label_w = font::text_width(label, s);
    // The labels are centred on the bar's ends.
    int bar_x = pad + zero_w / 2, bar_y = pad + font::cap_height * s + 3 * s;
    int w = bar_x + length + (label_w - label_w / 2) + pad, h = bar_y + bar_h + pad;
    auto [x0, y0] = place(g, corner, w, h, 8 * s);
    draw_box(canvas, x0, y0, w, h);
    canvas.text("0", x0 + bar_x - zero_w / 2, y0 + pad, s, ink);
    canvas.text(label, x0 + bar_x + length - label_w / 2, y0 + pad, s, ink);
    for (int i = 0; i < 4; ++i) {
        int a = length * i / 4, b = length * (i + 1) / 4;
        canvas.fill_rect(x0 + bar_x + a, y0 + bar_y, b - a, bar_h, i % 2 ? white : ink);
    }
    canvas.frame_rect(x0 + bar_x, y0 + bar_y, length, bar_h, std::max(1, s / 2), ink);
    return metres;
}

// An N over an arrowhead pointing up (grid north: the map is drawn north up in
// the city CRS), its left half dark, its right half white with a dark edge.
void draw_north_arrow(Canvas& canvas, Corner corner, int s)
{
    const int pad = 5 * s, half = 5 * s, arrow_h = 16 * s;
    int w = 2 * half + 1 + 2 * pad;
    int arrow_y = pad + font::cap_height * s + 3 * s, h = arrow_y + arrow_h + pad;
    auto [x0, y0] = place(canvas.grid, corner, w, h, 8 * s);
    draw_box(canvas, x0, y0, w, h);
    int cx = x0 + pad + half;
    canvas.text("N", cx - font::glyph_width * s / 2, y0 + pad, s, ink);
    // The head widens from the tip; its base is notched up to 72 % of its height.
    auto inside = [&](int dx, int dy) {
        if (dy < 0 || dy >= arrow_h || std::abs(dx) > half)
            return false;
        double a = std::abs(dx);
        return a <= half * (dy + 0.5) / arrow_h + 0.5 && dy + 0.5 <= arrow_h * (0.72 + 0.28 * a / half);
    };
    for (int dy = 0; dy < arrow_h; ++dy) {
        for (int dx = -half; dx <= half; ++dx) {
            if (!inside(dx, dy))
                continue;
            bool edge = !inside(dx - 1, dy) || !inside(dx + 1, dy) || !inside(dx, dy - 1) ||
                        !inside(dx, dy + 1);
            canvas.blend_pixel(cx + dx, y0 + arrow_y + dy, dx <= 0 || edge ? ink : white);
        }
    }
}

// ---- output -----------------------------------------------------------------

void write_png(const Canvas& canvas, const std::string& path)
{
    const Grid& g = canvas.grid;
    auto* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    auto* png = GetGDALDriverManager()->GetDriverByName("PNG");
    if (!mem || !png)
        throw Error("GDAL has no MEM or PNG driver");
    ScopedGdalErrors quiet;
    GDALDatasetUniquePtr image(mem->Create("", g.width, g.height, 4, GDT_Byte, nullptr));
    if (!image)
        throw Error("cannot create a " + std::to_string(g.width) + " x " + std::to_string(g.height) +
                    " image (" + ScopedGdalErrors::last_message("out of memory?") + ")");
    // The bands read straight from the interleaved RGB buffer.
    auto* rgb = const_cast<unsigned char*>(canvas.rgb.data());
    for (int band = 1; band <= 3; ++band) {
        if (image->GetRasterBand(band)->RasterIO(GF_Write, 0, 0, g.width, g.height, rgb + (band - 1),
                                                 g.width, g.height, GDT_Byte, 3,
                                                 static_cast<GSpacing>(g.width) * 3,
                                                 nullptr) != CE_None)
            throw Error("cannot fill the image");
    }
    image->GetRasterBand(4)->SetColorInterpretation(GCI_AlphaBand);
    image->GetRasterBand(4)->Fill(255);

    // Written beside the target and renamed, so a failed render leaves no half-written PNG.
    TemporaryOutput output(path);
    GDALDatasetUniquePtr out(png->CreateCopy(output.temporary_path().c_str(), image.get(), FALSE, nullptr,
                                             nullptr, nullptr));
    if (!out)
        throw FileError(path + ": cannot write (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    out.reset();
    // GDAL's sidecar of what a PNG cannot hold (the alpha band's role) is not part of the map.
    std::error_code ec;
    fs::remove(output.temporary_path() + ".aux.xml", ec);
    output.commit();
}

const ClassSchema* find_schema(const std::vector<ClassSchema>& schemas, const std::string& name)
{
    auto it = std::find_if(schemas.begin(), schemas.end(),
                           [&](const ClassSchema& s) { return s.name == name; });
    return it == schemas.end() ? nullptr : &*it;
}

}  // namespace

RenderResult render_overview(const Storage& storage, const std::vector<ClassSchema>& schemas,
                             const std::vector<LayerStyle>& styles, const RenderOptions& options)
{
    ensure_gdal();
    if (options.path.empty())
        throw UsageError("no output file given");
    if (options.width < min_size || options.width > max_size)
        throw UsageError("the width must be " + std::to_string(min_size) + " to " +
                         std::to_string(max_size) + " pixels, not " + std::to_string(options.width));
    if (options.text_scale < 0 || options.text_scale > 8)
        throw UsageError("the text scale must be 0 (from the width) to 8, not " +
                         std::to_string(options.text_scale));
    for (const auto& overlay : options.overlays) {
        if (overlay.path.empty() && overlay.raster.empty())
            throw UsageError("an overlay without a raster or a file");
        if (overlay.opacity < 0 || overlay.opacity > 255)
            throw UsageError(overlay_name(overlay) + ": the overlay opacity must be 0 to 255, not " +
                             std::to_string(overlay.opacity));
        for (const auto& band : overlay.bands)
            if (!(band.from < band.to))
                throw UsageError(overlay_name(overlay) + ": the colour band [" + number(band.from) + ", " +
                                 number(band.to) + ") holds no value");
    }
    std::error_code ec;
    auto folder = fs::path(options.path).parent_path();
    if (!folder.empty() && !fs::is_directory(folder, ec))
        throw FileError(options.path + ": no such folder");

    std::set<std::string> wanted(options.classes.begin(), options.classes.end());
    for (const auto& name : wanted) {
        if (!options.dem_raster.empty() && name == options.dem_raster)
            continue;
        bool styled = std::any_of(styles.begin(), styles.end(),
                                  [&](const LayerStyle& s) { return s.class_name == name; });
        if (!styled || !find_schema(schemas, name))
            throw UsageError("no style for class '" + name + "'");
    }

    // What there is to draw, and where.
    RenderResult result;
    std::optional<Bounds> extent;
    std::vector<std::pair<const ClassSchema*, const LayerStyle*>> passes;
    for (const auto& style : styles) {
        if (!wanted.empty() && !wanted.count(style.class_name))
            continue;
        const ClassSchema* schema = find_schema(schemas, style.class_name);
        if (!schema)
            throw UsageError("no schema for styled class '" + style.class_name + "'");
        if (!storage.has_class(style.class_name))
            continue;
        auto record = storage.class_record(style.class_name);
        if (!record || !record->extent || record->feature_count == 0)
            continue;
        passes.emplace_back(schema, &style);
        if (std::find(result.classes.begin(), result.classes.end(), style.class_name) ==
            result.classes.end()) {
            result.classes.push_back(style.class_name);
            if (extent)
                extent->expand(*record->extent);
            else
                extent = record->extent;
        }
    }
    std::optional<RasterRecord> dem;
    if (!options.dem_raster.empty() && (wanted.empty() || wanted.count(options.dem_raster)))
        for (const auto& r : storage.raster_records())
            if (r.name == options.dem_raster)
                dem = r;
    if (!extent && dem)
        extent = dem->extent;
    // Every overlay is opened before anything is drawn, so a missing or
    // misplaced one fails early.
    std::optional<Crs> city_crs;
    if (!options.overlays.empty() || options.scale_bar)
        city_crs = Crs::from_user(storage.city().crs);
    std::optional<Bounds> overlays_extent;
    for (const auto& overlay : options.overlays) {
        auto e = overlay_extent(storage, overlay, *city_crs);
        if (overlays_extent)
            overlays_extent->expand(e);
        else
            overlays_extent = e;
    }
    if (!extent)
        extent = overlays_extent;
    if (extent && options.bounds)
        extent = options.bounds;
    if (!extent)
        throw DataError(storage.location() + ": nothing to draw (" +
                        (wanted.empty() ? "no feature class has features and there is no DEM"
                                        : "the city holds none of the classes asked for") +
                        ")");

    Canvas canvas(make_grid(*extent, options.width), options.background);
    if (dem) {
        draw_dem(canvas, storage.open_raster(dem->name), dem->extent,
                 options.muted_relief.value_or(!options.overlays.empty()));
        result.dem = true;
    }
    for (const auto& overlay : options.overlays)
        draw_overlay(canvas, storage, overlay, *city_crs);
    for (const auto& [schema, style] : passes)
        draw_class(canvas, storage, *schema, *style);

    // The furniture: the legend in its corner, the scale bar and the north
    // arrow on the other side.
    int s = options.text_scale > 0 ? options.text_scale
            : options.width < 1000 ? 1
            : options.width < 2600 ? 2
                                   : 3;
    bool legend_left = options.legend_corner == Corner::top_left ||
                       options.legend_corner == Corner::bottom_left;
    if (options.legend)
        draw_legend(canvas, *options.legend, options.legend_corner, s);
    if (options.scale_bar && !city_crs->is_geographic())
        result.scale_bar_metres =
            draw_scale_bar(canvas, canvas.grid.pixel * city_crs->srs().GetLinearUnits(),
                           legend_left ? Corner::bottom_right : Corner::bottom_left, s);
    if (options.north_arrow)
        draw_north_arrow(canvas, legend_left ? Corner::top_right : Corner::top_left, s);
    write_png(canvas, options.path);

    result.width = canvas.grid.width;
    result.height = canvas.grid.height;
    result.extent = canvas.grid.extent();
    return result;
}

}  // namespace lantern::core
