#include <lantern/core/render/render.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/base/temporary_output.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/render/labels.hpp>

#include "map_furniture.hpp"
#include "map_text.hpp"
#include "print_page.hpp"
#include "raster_layers.hpp"

namespace lantern::core {

namespace {

namespace fs = std::filesystem;
using namespace render_detail;

constexpr int min_size = 16;
constexpr int max_size = 16384;

ImageGrid make_grid(const Bounds& b, int width)
{
    double w = b.max_x - b.min_x, h = b.max_y - b.min_y;
    // A lone point or a straight line still gets a map around it.
    double span = std::max({w, h, 100.0});
    w = std::max(w, span / 4);
    h = std::max(h, span / 4);
    double margin = 0.02 * std::max(w, h);
    w += 2 * margin;
    h += 2 * margin;
    ImageGrid grid;
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

// ---- the drawing: an image, a PDF page or an SVG document -------------------

enum class Format { png, pdf, svg };

Format format_of(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".png")
        return Format::png;
    if (ext == ".pdf")
        return Format::pdf;
    if (ext == ".svg")
        return Format::svg;
    throw UsageError(path + ": a map is written as .png, .pdf or .svg, not '" + ext + "'");
}

// A Cairo surface and its context, drawn in image pixels whatever the format.
class Drawing {
public:
    Drawing(Format format, const std::string& file, int width, int height, double dpi) : m_format(format)
    {
        double points = 72.0 / dpi;
        switch (format) {
        case Format::png:
            m_surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
            break;
        case Format::pdf:
            m_surface = cairo_pdf_surface_create(file.c_str(), width * points, height * points);
            break;
        case Format::svg:
            m_surface = cairo_svg_surface_create(file.c_str(), width * points, height * points);
            break;
        }
        if (cairo_surface_status(m_surface) != CAIRO_STATUS_SUCCESS)
            throw FileError(file + ": cannot start the map (" +
                            cairo_status_to_string(cairo_surface_status(m_surface)) + ")");
        m_cr = cairo_create(m_surface);
        if (format != Format::png)
            cairo_scale(m_cr, points, points);
    }

    ~Drawing()
    {
        cairo_destroy(m_cr);
        cairo_surface_destroy(m_surface);
    }

    Drawing(const Drawing&) = delete;
    Drawing& operator=(const Drawing&) = delete;

    cairo_t* cr() const { return m_cr; }

    // Writes the drawing to file (a PDF or an SVG is written as it goes and
    // finished here).
    void finish(const std::string& file, const std::string& target)
    {
        if (m_format == Format::png) {
            cairo_surface_flush(m_surface);
            if (cairo_surface_write_to_png(m_surface, file.c_str()) != CAIRO_STATUS_SUCCESS)
                throw FileError(target + ": cannot write the map");
            return;
        }
        cairo_surface_finish(m_surface);
        if (auto status = cairo_surface_status(m_surface); status != CAIRO_STATUS_SUCCESS)
            throw FileError(target + ": cannot write the map (" + cairo_status_to_string(status) + ")");
    }

private:
    Format m_format;
    cairo_surface_t* m_surface = nullptr;
    cairo_t* m_cr = nullptr;
};

// Paints the RGB image of the relief and overlays under everything.
void paint_image(cairo_t* cr, const RgbImage& image)
{
    const ImageGrid& g = image.grid;
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, g.width, g.height);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surface);
        throw Error("cannot make a " + std::to_string(g.width) + " x " + std::to_string(g.height) + " image");
    }
    unsigned char* data = cairo_image_surface_get_data(surface);
    int stride = cairo_image_surface_get_stride(surface);
    for (int row = 0; row < g.height; ++row) {
        auto* out = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(row) * stride);
        const unsigned char* in = image.rgb.data() + static_cast<std::size_t>(row) * static_cast<std::size_t>(g.width) * 3;
        for (int col = 0; col < g.width; ++col, in += 3)
            out[col] = (std::uint32_t{in[0]} << 16) | (std::uint32_t{in[1]} << 8) | in[2];
    }
    cairo_surface_mark_dirty(surface);
    cairo_set_source_surface(cr, surface, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_paint(cr);
    cairo_surface_destroy(surface);
}

// Puts the text elements at the end of an SVG document, over everything.
void add_svg_text(const std::string& file, const std::string& target, const std::string& elements)
{
    std::string svg;
    {
        std::ifstream in(file, std::ios::binary);
        svg.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto end = svg.rfind("</svg>");
    if (end == std::string::npos)
        throw FileError(target + ": the SVG has no end");
    svg.insert(end, elements);
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << svg;
    if (!out.flush())
        throw FileError(target + ": cannot write the map");
}

// ---- vector classes ---------------------------------------------------------

using PixelLine = std::vector<PlanePoint>;
using PixelPolygon = std::vector<PixelLine>;  // exterior, then holes

// One class's features in image pixels, sorted into what is filled, what
// is stroked and what is a dot.
struct Shapes {
    std::vector<PixelPolygon> fill;
    std::vector<PixelLine> stroke;
    std::vector<PlanePoint> points;
};

PlanePoint to_pixel(const ImageGrid& g, double x, double y)
{
    return {(x - g.x0) / g.pixel, (g.y0 - y) / g.pixel};
}

PixelLine pixel_line(const OGRSimpleCurve& curve, const ImageGrid& g)
{
    PixelLine line;
    line.reserve(static_cast<std::size_t>(curve.getNumPoints()));
    for (int i = 0; i < curve.getNumPoints(); ++i)
        line.push_back(to_pixel(g, curve.getX(i), curve.getY(i)));
    return line;
}

PixelPolygon pixel_polygon(const OGRPolygon& polygon, const ImageGrid& g)
{
    PixelPolygon rings;
    for (const auto* ring : polygon)
        rings.push_back(pixel_line(*ring, g));
    return rings;
}

void add_shape(const OGRGeometry& geometry, const ImageGrid& g, bool fill, bool stroke, Shapes& shapes)
{
    switch (wkbFlatten(geometry.getGeometryType())) {
    case wkbPoint:
        if (!geometry.IsEmpty())
            shapes.points.push_back(to_pixel(g, geometry.toPoint()->getX(), geometry.toPoint()->getY()));
        break;
    case wkbLineString:
        if (stroke)
            shapes.stroke.push_back(pixel_line(*geometry.toLineString(), g));
        break;
    case wkbPolygon:
        if (fill)
            shapes.fill.push_back(pixel_polygon(*geometry.toPolygon(), g));
        if (stroke)
            for (const auto* ring : *geometry.toPolygon())
                shapes.stroke.push_back(pixel_line(*ring, g));
        break;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
        for (const auto* part : *geometry.toGeometryCollection())
            add_shape(*part, g, fill, stroke, shapes);
        break;
    default:
        break;
    }
}

std::unique_ptr<OGRGeometry> read_geometry(const Storage& storage, const ClassSchema& schema,
                                           const StoredFeature& stored)
{
    OGRGeometry* raw = nullptr;
    if (OGRGeometryFactory::createFromWkb(stored.wkb.data(), nullptr, &raw, stored.wkb.size()) != OGRERR_NONE)
        throw StorageError(storage.location() + ": " + schema.name + " feature " + std::to_string(stored.fid) +
                           ": unreadable geometry");
    return std::unique_ptr<OGRGeometry>(raw);
}

bool on_map(const OGRGeometry& geometry, const Bounds& extent)
{
    OGREnvelope e;
    geometry.getEnvelope(&e);
    return e.MaxX >= extent.min_x && e.MinX <= extent.max_x && e.MaxY >= extent.min_y && e.MinY <= extent.max_y;
}

// The index of a text field, for a style's only_field or a label's field.
std::size_t text_field(const ClassSchema& schema, const std::string& field, const char* what)
{
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        if (schema.fields[i].name == field)
            return i;
    throw UsageError(std::string(what) + " for " + schema.name + ": no field '" + field + "'");
}

// Calls visit with each feature on the map that the style's only_field
// filter lets through, as a geometry.
template <typename Visit>
void scan_on_map(const Storage& storage, const ClassSchema& schema, const std::string& only_field,
                 const std::string& only_value, const Bounds& extent, Visit visit)
{
    std::optional<std::size_t> only;
    if (!only_field.empty())
        only = text_field(schema, only_field, "style");
    storage.scan(schema, [&](const StoredFeature& stored) {
        if (only) {
            const auto* value = std::get_if<std::string>(&stored.values[*only]);
            if (!value || *value != only_value)
                return;
        }
        auto geometry = read_geometry(storage, schema, stored);
        if (geometry && !geometry->IsEmpty() && on_map(*geometry, extent))
            visit(stored, *geometry);
    });
}

// The dot diameter in pixels: the style's, made smaller (down to 1) until
// nearly every point has a cell of twice that size to itself, so that dots
// keep a gap between them: thousands of lamps along the streets of a whole
// city show as fine dots, not as a carpet over the streets. A few crowded dots
// (a dozen landmarks in an old town) keep their size.
double dot_size(const std::vector<PlanePoint>& points, double wanted)
{
    for (double d = std::max(1.0, std::round(wanted)); d > 1; d -= 1) {
        double cell = 2 * d;
        std::set<std::pair<long, long>> cells;
        for (const auto& p : points)
            cells.emplace(std::lround(std::floor(p.x / cell)), std::lround(std::floor(p.y / cell)));
        std::size_t crowded = points.size() - cells.size();
        if (crowded <= 25 || 10 * crowded <= points.size())
            return std::min(d, wanted);
    }
    return 1;
}

void add_path(cairo_t* cr, const PixelLine& line, bool closed)
{
    if (line.empty())
        return;
    cairo_move_to(cr, line.front().x, line.front().y);
    for (std::size_t i = 1; i < line.size(); ++i)
        cairo_line_to(cr, line[i].x, line[i].y);
    if (closed)
        cairo_close_path(cr);
}

// What a style draws in a translucent colour is drawn opaque into a group,
// then laid over the map at the colour's opacity: where a class's shapes
// overlap (a street's segments at a junction) the colour does not darken.
class Layer {
public:
    Layer(cairo_t* cr, const Rgba& colour) : m_cr(cr), m_alpha(colour[3])
    {
        if (m_alpha < 255)
            cairo_push_group(cr);
        set_colour(cr, {colour[0], colour[1], colour[2], 255});
    }
    ~Layer()
    {
        if (m_alpha < 255) {
            cairo_pop_group_to_source(m_cr);
            cairo_paint_with_alpha(m_cr, m_alpha / 255.0);
        }
    }
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;

private:
    cairo_t* m_cr;
    int m_alpha;
};

void draw_class(cairo_t* cr, const ImageGrid& grid, const Storage& storage, const ClassSchema& schema,
                const LayerStyle& style)
{
    Shapes shapes;
    bool fill = style.fill[3] > 0, stroke = style.stroke[3] > 0;
    scan_on_map(storage, schema, style.only_field, style.only_value, grid.extent(),
                [&](const StoredFeature&, const OGRGeometry& g) { add_shape(g, grid, fill, stroke, shapes); });
    if (!shapes.fill.empty()) {
        Layer layer(cr, style.fill);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        for (const auto& polygon : shapes.fill) {
            for (const auto& ring : polygon)
                add_path(cr, ring, true);
            cairo_fill(cr);
        }
    }
    if (!shapes.stroke.empty()) {
        Layer layer(cr, style.stroke);
        cairo_set_line_width(cr, std::max(style.stroke_px, style.stroke_m / grid.pixel));
        cairo_set_line_cap(cr, style.dash_px.empty() ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_set_dash(cr, style.dash_px.data(), static_cast<int>(style.dash_px.size()), 0);
        // Stroked a thousand lines at a time: one path per line costs a
        // call each, one path for a whole city's streets a large stroker.
        std::size_t in_path = 0;
        for (const auto& line : shapes.stroke) {
            add_path(cr, line, false);
            if (++in_path == 1000) {
                cairo_stroke(cr);
                in_path = 0;
            }
        }
        cairo_stroke(cr);
        cairo_set_dash(cr, nullptr, 0, 0);
    }
    if (!shapes.points.empty()) {
        double d = dot_size(shapes.points, style.point_px);
        // An outline needs room inside it; small dots are fill only (or
        // stroke colour only when the style has no fill).
        bool outline = stroke && (d >= 5 || !fill);
        const Rgba& body = fill ? style.fill : style.stroke;
        {
            Layer layer(cr, body);
            for (const auto& p : shapes.points) {
                if (d < 2)  // one pixel, the cell the point falls in
                    cairo_rectangle(cr, std::floor(p.x), std::floor(p.y), 1, 1);
                else {
                    cairo_new_sub_path(cr);
                    cairo_arc(cr, p.x, p.y, d / 2, 0, 2 * std::acos(-1.0));
                }
            }
            cairo_fill(cr);
        }
        if (outline && fill && d >= 2) {
            Layer layer(cr, style.stroke);
            cairo_set_line_width(cr, std::min(style.stroke_px, d / 4));
            for (const auto& p : shapes.points) {
                cairo_new_sub_path(cr);
                cairo_arc(cr, p.x, p.y, d / 2 - std::min(style.stroke_px, d / 4) / 2, 0, 2 * std::acos(-1.0));
            }
            cairo_stroke(cr);
        }
    }
}

// ---- labels -----------------------------------------------------------------

TextLook label_look(const LabelStyle& style, double scale)
{
    TextLook look;
    look.size_px = style.size_px * scale;
    look.colour = style.colour;
    look.halo = style.halo;
    look.halo_px = 1.5 * scale;
    look.bold = style.bold;
    look.italic = style.italic;
    return look;
}

// The label requests of one class: a street's segments are one line to
// place its name on, at the best priority of its segments; each area or point
// feature is its own request.
void gather_labels(const Storage& storage, const ClassSchema& schema, const LabelStyle& style,
                   std::size_t style_index, const ImageGrid& grid, double scale, MapText& text,
                   std::vector<LabelRequest>& requests, std::vector<std::size_t>& request_style)
{
    std::size_t field = text_field(schema, style.field, "label");
    std::optional<std::size_t> priority_field;
    if (!style.priority_field.empty())
        priority_field = text_field(schema, style.priority_field, "label");
    TextLook look = label_look(style, scale);
    std::map<std::string, std::size_t> line_request;  // by name
    auto new_request = [&](const std::string& name, int priority) {
        LabelRequest r;
        r.text = name;
        r.priority = priority;
        TextSize size = text.measure(name, look);
        r.width = size.width;
        r.height = size.height;
        r.spacing = style.spacing_px * scale;
        r.point_offset = 5 * scale;
        requests.push_back(std::move(r));
        request_style.push_back(style_index);
        return requests.size() - 1;
    };
    auto add_area = [&](std::size_t at, const OGRPolygon& polygon) {
        PixelPolygon rings = pixel_polygon(polygon, grid);
        if (rings.empty())
            return;
        PlanePolygon area;
        area.exterior = std::move(rings.front());
        area.holes.assign(std::make_move_iterator(rings.begin() + 1), std::make_move_iterator(rings.end()));
        requests[at].areas.push_back(std::move(area));
    };
    std::function<void(const OGRGeometry&, const std::string&, int, std::optional<std::size_t>&)> add =
        [&](const OGRGeometry& g, const std::string& name, int priority, std::optional<std::size_t>& at) {
            switch (wkbFlatten(g.getGeometryType())) {
            case wkbPoint:
                if (!at)
                    at = new_request(name, priority);
                requests[*at].points.push_back(to_pixel(grid, g.toPoint()->getX(), g.toPoint()->getY()));
                break;
            case wkbLineString: {
                auto [it, added] = line_request.try_emplace(name, 0);
                if (added)
                    it->second = new_request(name, priority);
                auto& r = requests[it->second];
                r.priority = std::min(r.priority, priority);
                r.lines.push_back(pixel_line(*g.toLineString(), grid));
                break;
            }
            case wkbPolygon:
                if (!at)
                    at = new_request(name, priority);
                add_area(*at, *g.toPolygon());
                break;
            case wkbMultiPoint:
            case wkbMultiLineString:
            case wkbMultiPolygon:
            case wkbGeometryCollection:
                for (const auto* part : *g.toGeometryCollection())
                    add(*part, name, priority, at);
                break;
            default:
                break;
            }
        };
    scan_on_map(storage, schema, style.only_field, style.only_value, grid.extent(),
                [&](const StoredFeature& stored, const OGRGeometry& g) {
                    const auto* name = std::get_if<std::string>(&stored.values[field]);
                    if (!name || name->empty())
                        return;
                    int priority = style.priority;
                    if (priority_field)
                        if (const auto* v = std::get_if<std::string>(&stored.values[*priority_field]))
                            if (auto it = style.priority_by_value.find(*v); it != style.priority_by_value.end())
                                priority = it->second;
                    std::optional<std::size_t> at;  // the feature's own request, once made
                    add(g, *name, priority, at);
                });
}

const ClassSchema* find_schema(const std::vector<ClassSchema>& schemas, const std::string& name)
{
    auto it = std::find_if(schemas.begin(), schemas.end(),
                           [&](const ClassSchema& s) { return s.name == name; });
    return it == schemas.end() ? nullptr : &*it;
}

void check_folder(const std::string& path)
{
    std::error_code ec;
    auto folder = fs::path(path).parent_path();
    if (!folder.empty() && !fs::is_directory(folder, ec))
        throw FileError(path + ": no such folder");
}

void check_dpi(double dpi)
{
    if (!(dpi >= 10 && dpi <= 2400))
        throw UsageError("the resolution must be 10 to 2400 dpi, not " + general_text(dpi));
}

void check_options(const RenderOptions& options)
{
    if (options.path.empty())
        throw UsageError("no output file given");
    format_of(options.path);
    if (options.width < min_size || options.width > max_size)
        throw UsageError("the width must be " + std::to_string(min_size) + " to " +
                         std::to_string(max_size) + " pixels, not " + std::to_string(options.width));
    check_folder(options.path);
}

// What a map page's options may not be, whatever the file.
void check_map_options(const RenderOptions& options)
{
    if (!(options.text_scale >= 0 && options.text_scale <= 8))
        throw UsageError("the text scale must be 0 (from the width) to 8, not " +
                         general_text(options.text_scale));
    check_dpi(options.dpi);
    for (const auto& overlay : options.overlays) {
        if (overlay.path.empty() && overlay.raster.empty())
            throw UsageError("an overlay without a raster or a file");
        if (overlay.opacity < 0 || overlay.opacity > 255)
            throw UsageError(overlay_name(overlay) + ": the overlay opacity must be 0 to 255, not " +
                             std::to_string(overlay.opacity));
        for (const auto& band : overlay.bands)
            if (!(band.from < band.to))
                throw UsageError(overlay_name(overlay) + ": the colour band [" + general_text(band.from, 17) +
                                 ", " + general_text(band.to, 17) + ") holds no value");
    }
}

// What there is to draw, and where.
struct MapPlan {
    std::vector<std::pair<const ClassSchema*, const LayerStyle*>> passes;
    std::vector<std::string> classes;  // in drawing order
    std::optional<RasterRecord> dem;
    std::optional<Crs> city_crs;  // when there are overlays or a scale bar
    Bounds extent;
};

MapPlan plan_map(const Storage& storage, const std::vector<ClassSchema>& schemas,
                 const std::vector<LayerStyle>& styles, const RenderOptions& options)
{
    std::set<std::string> wanted(options.classes.begin(), options.classes.end());
    for (const auto& name : wanted) {
        if (!options.dem_raster.empty() && name == options.dem_raster)
            continue;
        bool styled = std::any_of(styles.begin(), styles.end(),
                                  [&](const LayerStyle& s) { return s.class_name == name; });
        if (!styled || !find_schema(schemas, name))
            throw UsageError("no style for class '" + name + "'");
    }
    MapPlan plan;
    std::optional<Bounds> extent;
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
        plan.passes.emplace_back(schema, &style);
        if (std::find(plan.classes.begin(), plan.classes.end(), style.class_name) == plan.classes.end()) {
            plan.classes.push_back(style.class_name);
            if (extent)
                extent->expand(*record->extent);
            else
                extent = record->extent;
        }
    }
    if (!options.dem_raster.empty() && (wanted.empty() || wanted.count(options.dem_raster)))
        for (const auto& r : storage.raster_records())
            if (r.name == options.dem_raster)
                plan.dem = r;
    if (!extent && plan.dem)
        extent = plan.dem->extent;
    // Every overlay is opened before anything is drawn, so a missing or
    // misplaced one fails early.
    if (!options.overlays.empty() || options.scale_bar)
        plan.city_crs = Crs::from_user(storage.city().crs);
    std::optional<Bounds> overlays_extent;
    for (const auto& overlay : options.overlays) {
        auto e = overlay_extent(storage, overlay, *plan.city_crs);
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
    plan.extent = *extent;
    return plan;
}

// A grid of width x height pixels that holds the extent, with a margin of 2 %.
ImageGrid fit_grid(const Bounds& b, int width, int height)
{
    double w = std::max(b.max_x - b.min_x, 1.0) * 1.04, h = std::max(b.max_y - b.min_y, 1.0) * 1.04;
    ImageGrid grid;
    grid.width = width;
    grid.height = height;
    grid.pixel = std::max(w / width, h / height);
    double cx = (b.min_x + b.max_x) / 2, cy = (b.min_y + b.max_y) / 2;
    grid.x0 = cx - grid.pixel * width / 2;
    grid.y0 = cy + grid.pixel * height / 2;
    return grid;
}

// Where the map goes on the page and what of the furniture it carries.
struct MapPlace {
    PlanePoint at;      // the top-left corner of the map on the page
    double scale = 1;   // text and furniture
    bool legend = true; // the legend in its corner of the map (not on a print layout)
};

PlanePoint moved(PlanePoint p, PlanePoint by)
{
    return {p.x + by.x, p.y + by.y};
}

Bounds moved(const Bounds& b, PlanePoint by)
{
    return {b.min_x + by.x, b.min_y + by.y, b.max_x + by.x, b.max_y + by.y};
}

// Draws the map of the plan on the grid at its place, clipped to it:
// relief and overlays, classes, furniture, then the labels clear of it all.
void draw_map(cairo_t* cr, MapText& text, const Storage& storage, const std::vector<ClassSchema>& schemas,
              const MapPlan& plan, const RenderOptions& options, const ImageGrid& grid, const MapPlace& place,
              RenderResult& result)
{
    cairo_save(cr);
    cairo_translate(cr, place.at.x, place.at.y);
    cairo_rectangle(cr, 0, 0, grid.width, grid.height);
    cairo_clip(cr);
    if (plan.dem || !options.overlays.empty()) {
        RgbImage image(grid, options.background);
        if (plan.dem) {
            draw_dem(image, storage.open_raster(plan.dem->name), plan.dem->extent,
                     options.muted_relief.value_or(!options.overlays.empty()));
            result.dem = true;
        }
        for (const auto& overlay : options.overlays)
            draw_overlay(image, storage, overlay, *plan.city_crs);
        paint_image(cr, image);
    } else {
        set_colour(cr, options.background);
        cairo_paint(cr);
    }
    for (const auto& [schema, style] : plan.passes)
        draw_class(cr, grid, storage, *schema, *style);

    // The furniture: the legend in its corner, the scale bar and the north
    // arrow on the other side.
    Page page{static_cast<double>(grid.width), static_cast<double>(grid.height), place.scale};
    bool legend_left = options.legend_corner == Corner::top_left || options.legend_corner == Corner::bottom_left;
    std::vector<Bounds> furniture;
    if (options.legend && place.legend)
        furniture.push_back(draw_legend(cr, text, page, *options.legend, options.legend_corner));
    if (options.scale_bar && !plan.city_crs->is_geographic()) {
        Bounds box;
        result.scale_bar_metres = draw_scale_bar(cr, text, page, grid.pixel * plan.city_crs->srs().GetLinearUnits(),
                                                 legend_left ? Corner::bottom_right : Corner::bottom_left, box);
        if (result.scale_bar_metres > 0)
            furniture.push_back(box);
    }
    if (options.north_arrow)
        furniture.push_back(draw_north_arrow(cr, text, page, legend_left ? Corner::top_right : Corner::top_left));

    // The names, clear of each other and of the furniture.
    std::vector<LabelRequest> requests;
    std::vector<std::size_t> request_style;
    for (std::size_t i = 0; i < options.labels.size(); ++i) {
        const auto& style = options.labels[i];
        if (std::find(plan.classes.begin(), plan.classes.end(), style.class_name) == plan.classes.end())
            continue;
        const ClassSchema* schema = find_schema(schemas, style.class_name);
        gather_labels(storage, *schema, style, i, grid, page.scale, text, requests, request_style);
    }
    LabelPage label_page{page.width, page.height, 2 * page.scale, 2 * page.scale, furniture};
    for (const auto& placed : place_labels(requests, label_page)) {
        const auto& request = requests[placed.request];
        const auto& style = options.labels[request_style[placed.request]];
        text.draw_turned(request.text, label_look(style, page.scale), placed.centre.x, placed.centre.y,
                         placed.angle);
        RenderedLabel label{request.text, style.class_name, style.priority, moved(placed.centre, place.at),
                            placed.angle, placed.corners};
        for (auto& c : label.corners)
            c = moved(c, place.at);
        result.labels.push_back(std::move(label));
    }
    cairo_restore(cr);
    for (const auto& box : furniture)
        result.furniture.push_back(moved(box, place.at));
    result.classes = plan.classes;
    result.extent = grid.extent();
}

// The locator: the city's water and wards, small, with the map's extent
// outlined on them.
void draw_locator(cairo_t* cr, MapText& text, const Storage& storage, const std::vector<ClassSchema>& schemas,
                  const std::vector<LayerStyle>& styles, const Rect& frame, const Bounds& shown)
{
    RenderOptions options;
    options.dem_raster.clear();
    for (const char* name : {"water", "wards"})
        if (storage.has_class(name) && find_schema(schemas, name))
            options.classes.push_back(name);
    if (options.classes.empty() || frame.w < 8 || frame.h < 8)
        return;
    MapPlan plan;
    try {
        plan = plan_map(storage, schemas, styles, options);
    } catch (const DataError&) {
        return;  // no city to locate the map in
    }
    ImageGrid grid = fit_grid(plan.extent, static_cast<int>(frame.w), static_cast<int>(frame.h));
    RenderResult ignored;
    draw_map(cr, text, storage, schemas, plan, options, grid, {{frame.x, frame.y}, 1, false}, ignored);
    // The map's extent, at least a few pixels wide so that a small town shows.
    PlanePoint a = to_pixel(grid, shown.min_x, shown.max_y), b = to_pixel(grid, shown.max_x, shown.min_y);
    double w = std::max(b.x - a.x, 4.0), h = std::max(b.y - a.y, 4.0);
    cairo_save(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    cairo_clip(cr);
    draw_rectangle(cr, frame.x + a.x, frame.y + a.y, w, h, {}, {200, 30, 30, 255}, 2);
    cairo_restore(cr);
    draw_rectangle(cr, frame.x, frame.y, frame.w, frame.h, {}, {110, 110, 110, 255}, 1);
}

// A map on a printed page: header, map in its frame, legend, notes and locator.
RenderResult draw_print_page(cairo_t* cr, MapText& text, const Storage& storage, const std::vector<ClassSchema>& schemas,
                             const std::vector<LayerStyle>& styles, const MapPlan& plan, const RenderOptions& options)
{
    const PrintLayout& layout = *options.layout;
    PagePlan page = plan_page(layout, options.dpi, options.text_scale);
    set_colour(cr, {255, 255, 255, 255});
    cairo_paint(cr);
    draw_header(cr, text, page, layout);
    ImageGrid grid = fit_grid(plan.extent, static_cast<int>(page.map.w), static_cast<int>(page.map.h));
    RenderResult result;
    draw_map(cr, text, storage, schemas, plan, options, grid, {{page.map.x, page.map.y}, page.scale, false}, result);
    draw_rectangle(cr, page.map.x, page.map.y, grid.width, grid.height, {}, {60, 60, 60, 255},
                   std::max(1.0, 0.25 * page.mm));
    if (options.legend)
        result.furniture.push_back(
            draw_legend_at(cr, text, page.scale, *options.legend, page.legend.x, page.legend.y));
    std::vector<std::string> notes = layout.notes;
    notes.push_back("Coordinate reference system: " + Crs::from_user(storage.city().crs).name());
    draw_notes(cr, text, page, notes);
    if (layout.locator)
        draw_locator(cr, text, storage, schemas, styles, page.locator, grid.extent());
    result.width = static_cast<int>(page.width);
    result.height = static_cast<int>(page.height);
    return result;
}

}  // namespace

PrintLayout paper_layout(const std::string& name)
{
    PrintLayout layout;
    if (name == "a4-portrait" || name == "a4-landscape")
        layout.width_mm = 210, layout.height_mm = 297;
    else if (name == "a3-portrait" || name == "a3-landscape")
        layout.width_mm = 297, layout.height_mm = 420;
    else
        throw UsageError("'" + name + "' is not a layout: a4-portrait, a4-landscape, a3-portrait or a3-landscape",
                         Choice::map_size);
    if (name.find("landscape") != std::string::npos)
        std::swap(layout.width_mm, layout.height_mm);
    return layout;
}

namespace {

// Draws one page of width x height pixels with draw(cr, text) and writes it
// to path, replacing it only once the drawing is whole.
template <typename Draw>
RenderResult write_map(Format format, const std::string& path, int width, int height, double dpi, Draw draw)
{
    TemporaryOutput output(path);
    Drawing drawing(format, output.temporary_path(), width, height, dpi);
    MapText text(drawing.cr(), format == Format::svg);
    RenderResult result = draw(drawing.cr(), text);
    drawing.finish(output.temporary_path(), path);
    if (format == Format::svg)
        add_svg_text(output.temporary_path(), path, text.svg_text());
    output.commit();
    return result;
}

}  // namespace

RenderResult render_overview(const Storage& storage, const std::vector<ClassSchema>& schemas,
                             const std::vector<LayerStyle>& styles, const RenderOptions& options)
{
    ensure_gdal();
    check_options(options);
    check_map_options(options);
    Format format = format_of(options.path);
    if (options.layout) {
        PagePlan page = plan_page(*options.layout, options.dpi, options.text_scale);
        if (page.width > max_size || page.height > max_size)
            throw UsageError("the page would be " + general_text(page.width) + " x " + general_text(page.height) +
                                 " pixels, more than " + std::to_string(max_size),
                             Choice::map_size);
        MapPlan plan = plan_map(storage, schemas, styles, options);  // fails before a file is begun
        return write_map(format, options.path, static_cast<int>(page.width), static_cast<int>(page.height),
                         options.dpi, [&](cairo_t* cr, MapText& text) {
                             return draw_print_page(cr, text, storage, schemas, styles, plan, options);
                         });
    }

    MapPlan plan = plan_map(storage, schemas, styles, options);
    ImageGrid grid = make_grid(plan.extent, options.width);
    double scale = options.text_scale > 0 ? options.text_scale : std::max(1.0, grid.width / 1200.0);
    return write_map(format, options.path, grid.width, grid.height, options.dpi, [&](cairo_t* cr, MapText& text) {
        RenderResult result;
        draw_map(cr, text, storage, schemas, plan, options, grid, {{0, 0}, scale, true}, result);
        result.width = grid.width;
        result.height = grid.height;
        return result;
    });
}

// ---- an atlas ---------------------------------------------------------------

struct MapBook::Impl {
    std::string path;
    PrintLayout paper;
    double dpi;
    PagePlan page;
    TemporaryOutput output;
    Drawing drawing;
    MapText text;
    int pages = 0;

    Impl(const std::string& path_, const PrintLayout& paper_, double dpi_)
        : path(path_), paper(paper_), dpi(dpi_), page(plan_page(paper_, dpi_, 0)), output(path_),
          drawing(Format::pdf, output.temporary_path(), static_cast<int>(page.width), static_cast<int>(page.height),
                  dpi_),
          text(drawing.cr())
    {
    }
};

MapBook::MapBook(const std::string& path, const PrintLayout& paper, double dpi)
{
    ensure_gdal();
    if (format_of(path) != Format::pdf)
        throw UsageError(path + ": an atlas is written as .pdf");
    check_dpi(dpi);
    check_folder(path);
    m_impl = std::make_unique<Impl>(path, paper, dpi);
}

MapBook::~MapBook() = default;

RenderResult MapBook::add_map(const Storage& storage, const std::vector<ClassSchema>& schemas,
                              const std::vector<LayerStyle>& styles, RenderOptions options)
{
    PrintLayout layout = options.layout.value_or(PrintLayout{});
    layout.width_mm = m_impl->paper.width_mm;
    layout.height_mm = m_impl->paper.height_mm;
    options.layout = layout;
    options.dpi = m_impl->dpi;
    check_map_options(options);
    MapPlan plan = plan_map(storage, schemas, styles, options);
    auto result = draw_print_page(m_impl->drawing.cr(), m_impl->text, storage, schemas, styles, plan, options);
    cairo_show_page(m_impl->drawing.cr());
    ++m_impl->pages;
    return result;
}

void MapBook::add_table(const TablePage& table)
{
    cairo_t* cr = m_impl->drawing.cr();
    set_colour(cr, {255, 255, 255, 255});
    cairo_paint(cr);
    m_impl->pages += draw_table_pages(cr, m_impl->text, m_impl->page, table);
}

int MapBook::pages() const
{
    return m_impl->pages;
}

void MapBook::finish()
{
    m_impl->drawing.finish(m_impl->output.temporary_path(), m_impl->path);
    m_impl->output.commit();
}

}  // namespace lantern::core
