#include <lantern/core/render.hpp>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <lantern/core/error.hpp>
#include <lantern/core/gdal.hpp>

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
                         std::to_string(grid.height) + " pixels; ask for a smaller --width");
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

    // Paints colour where mask is set, blended by its opacity.
    void paint(const std::vector<unsigned char>& mask, const Rgba& colour)
    {
        int alpha = colour[3];
        for (std::size_t i = 0; i < mask.size(); ++i) {
            if (!mask[i])
                continue;
            for (std::size_t k = 0; k < 3; ++k) {
                int under = rgb[i * 3 + k];
                rgb[i * 3 + k] = static_cast<unsigned char>(
                    (under * (255 - alpha) + colour[k] * alpha + 127) / 255);
            }
        }
    }
};

// ---- the DEM as shaded relief ----------------------------------------------

std::string number(double v)
{
    std::ostringstream s;
    s.precision(17);
    s << v;
    return s.str();
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
std::vector<float> resample_dem(const std::string& file, const Grid& grid)
{
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw FileError(file + ": no such file (the DEM registered with the city)");
    ScopedGdalErrors quiet;
    GDALDatasetUniquePtr source(GDALDataset::Open(file.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    if (!source)
        throw FileError(file + ": cannot read the DEM (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
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
    GDALDatasetH handles[] = {GDALDataset::ToHandle(source.get())};
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

// Height tint times a hillshade (light from the north-west, 45 degrees up,
// relief exaggerated so a coastal plain still shows its dunes). Heights at or
// below 0 are water; no-data (the corners a reprojected DEM leaves) stays background.
void draw_dem(Canvas& canvas, const std::string& file, const Bounds& dem_extent)
{
    const Grid& g = canvas.grid;
    auto z = resample_dem(file, g);
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
                canvas.set(cell, water);
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
            canvas.set(cell, colour);
        }
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
    storage.scan(schema, [&](const StoredFeature& stored) {
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
        canvas.paint(widen(rasterize(shapes.stroke, canvas.grid, false), canvas.grid, style.stroke_px),
                     style.stroke);
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
    std::string temporary = path + ".tmp-" + std::to_string(::getpid());
    std::error_code ec;
    GDALDatasetUniquePtr out(png->CreateCopy(temporary.c_str(), image.get(), FALSE, nullptr,
                                             nullptr, nullptr));
    if (!out) {
        fs::remove(temporary, ec);
        throw FileError(path + ": cannot write (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    }
    out.reset();
    fs::remove(temporary + ".aux.xml", ec);
    fs::rename(temporary, path, ec);
    if (ec) {
        fs::remove(temporary, ec);
        throw FileError(path + ": cannot write: " + ec.message());
    }
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
    if (extent && options.bounds)
        extent = options.bounds;
    if (!extent)
        throw DataError(storage.location() + ": nothing to draw (" +
                        (wanted.empty() ? "no feature class has features and there is no DEM"
                                        : "the city holds none of the classes asked for") +
                        ")");

    Canvas canvas(make_grid(*extent, options.width), options.background);
    if (dem) {
        draw_dem(canvas, storage.raster_file(dem->path), dem->extent);
        result.dem = true;
    }
    for (const auto& [schema, style] : passes)
        draw_class(canvas, storage, *schema, *style);
    write_png(canvas, options.path);

    result.width = canvas.grid.width;
    result.height = canvas.grid.height;
    result.extent = canvas.grid.extent();
    return result;
}

}  // namespace lantern::core
