#pragma once
// A map of a city database as PNG, PDF or SVG (by the file's extension),
// drawn with Cairo and its text shaped by Pango: the DEM as shaded relief
// under the feature classes, each drawn with a style the caller passes in
// (core knows no class by name), and their names placed as labels that never
// overlap. Everything is drawn in the city CRS, north up. A thematic map (a
// flood map) adds rasters coloured by value ranges between the relief and
// the classes, and a legend, a scale bar and a north arrow on top.

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <lantern/core/geometry/plane.hpp>
#include <lantern/core/schema/schema.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::core {

// Red, green, blue, opacity (0 = not drawn, 255 = opaque; in between is
// blended over what is already drawn).
using Rgba = std::array<unsigned char, 4>;

// How one class is drawn. Polygons are filled and outlined, lines stroked,
// points drawn as dots (filled, outlined). The same class may appear more than
// once in a style table, e.g. a wide grey road casing under a narrower white line.
struct LayerStyle {
    LayerStyle() = default;
    LayerStyle(std::string class_name_, Rgba fill_, Rgba stroke_, double stroke_px_ = 1, double point_px_ = 6,
               std::string only_field_ = {}, std::string only_value_ = {})
        : class_name(std::move(class_name_)), fill(fill_), stroke(stroke_), stroke_px(stroke_px_),
          point_px(point_px_), only_field(std::move(only_field_)), only_value(std::move(only_value_))
    {
    }

    std::string class_name;
    Rgba fill{};            // polygon and dot fill
    Rgba stroke{};          // lines, polygon outlines, dot outlines
    double stroke_px = 1;   // line width in pixels
    // A line's width on the ground, metres: drawn at whichever is wider at
    // the map's scale, this or stroke_px. 0: none.
    double stroke_m = 0;
    double point_px = 6;    // dot diameter in pixels
    // Dashes of lines and outlines: lengths in pixels, drawn and left in
    // turn; empty = a solid line.
    std::vector<double> dash_px;
    // Draws only the features whose text field `only_field` holds
    // `only_value`, e.g. zones of one type; empty = every feature.
    std::string only_field;
    std::string only_value;
};

// How one class's features are named on the map: the text of a field,
// placed along lines (a street), beside points (a heritage site) or inside
// areas (a ward), with a halo that keeps it readable over anything.
struct LabelStyle {
    std::string class_name;
    std::string field;  // the text field that holds the name; empty text: no label
    int priority = 5;   // lower is placed first and wins the room
    // Priorities by the value of a text field (a street's class: main streets
    // first); a value not listed takes `priority`. A name takes the best
    // priority of its features.
    std::string priority_field;
    std::map<std::string, int> priority_by_value;
    double size_px = 11;  // at text scale 1
    Rgba colour = {40, 40, 40, 255};
    Rgba halo = {255, 255, 255, 220};  // opacity 0: none
    bool bold = false;
    bool italic = false;
    // A line's name is repeated about this far apart (pixels at text scale
    // 1); 0: once per line.
    double spacing_px = 0;
    // As LayerStyle: only the features whose text field only_field holds only_value.
    std::string only_field;
    std::string only_value;
};

// A value range [from, to) of an overlay raster and the colour it is drawn in.
struct ColourBand {
    double from = 0;
    double to = 0;
    Rgba colour{};
};

// A single-band raster drawn over the relief, e.g. flood depths: one the city
// holds (a result, by name) or a file of the caller's. It must be in the city
// CRS, north up, of any size and cell size; it is resampled to the image grid
// by nearest neighbour (each pixel takes the cell under its centre). No-data
// cells and values outside every band are not drawn; the first band holding a
// value gives its colour, blended by the colour's opacity times `opacity` / 255.
struct RasterOverlay {
    std::string path;  // a raster file of the caller's, when raster is empty
    std::vector<ColourBand> bands;
    int opacity = 255;  // 0-255
    std::string raster;  // the name of a raster the city holds (Storage::open_raster)
};

// One legend row: a swatch filled and outlined like the map symbol, and a label.
// A boundary, say, has no fill and a stroke.
struct LegendEntry {
    std::string label;
    Rgba fill{};
    Rgba stroke{};
};

// A box of text and swatches on a white, nearly opaque ground with a thin
// frame. Text is UTF-8, drawn as it is written (Hội An, not Hoi An).
struct Legend {
    std::string title;               // drawn bold; empty = none
    std::vector<std::string> lines;  // e.g. the stage and the time of the run
    std::vector<LegendEntry> entries;
};

enum class Corner { top_left, top_right, bottom_left, bottom_right };

// A printed page (docs/maps.md): the map in a frame under a title and a
// subtitle, beside (landscape) or above (portrait) a panel with the legend,
// the notes and a small locator map of the whole city; the scale bar and the
// north arrow in the map's corners. Its size in pixels is its size at the
// render's dpi.
struct PrintLayout {
    double width_mm = 297;
    double height_mm = 210;
    std::string title;
    std::string subtitle;
    // Run date, data sources...: each a line (wrapped to the panel); the
    // city's CRS is added.
    std::vector<std::string> notes;
    bool locator = true;
};

// The named papers: a4-portrait, a4-landscape, a3-portrait, a3-landscape.
// Throws UsageError naming them for any other name.
PrintLayout paper_layout(const std::string& name);

struct RenderOptions {
    // The file to write, replaced when it exists: .png, .pdf or .svg.
    std::string path;
    int width = 1600;  // pixels; the height follows from the extent
    // Classes to draw, in style order whatever the order here; empty = every
    // styled class the database holds. May name the DEM raster.
    std::vector<std::string> classes;
    // The registered raster drawn as shaded relief under everything, when the
    // city has it (and classes is empty or names it); empty = none.
    std::string dem_raster = "dem";
    // The area to draw, in the city CRS; default: the extent of what is drawn.
    std::optional<Bounds> bounds;
    Rgba background = {246, 244, 238, 255};
    // Rasters drawn over the relief and under the classes, first = bottom.
    std::vector<RasterOverlay> overlays;
    // Draw the relief greyer and lighter, so that overlay colours stand out;
    // default: when there are overlays.
    std::optional<bool> muted_relief;
    // A printed page around the map; width is then the page's at dpi.
    std::optional<PrintLayout> layout;
    // Names placed on the map, by priority; none for a class not drawn.
    std::vector<LabelStyle> labels;
    std::optional<Legend> legend;
    Corner legend_corner = Corner::bottom_right;
    // A scale bar (bottom) and a north arrow (top), in the corners on the other
    // side from the legend. The scale bar needs a projected city CRS.
    bool scale_bar = false;
    bool north_arrow = false;
    // Text and furniture size: 1 = 11-pixel text; 0 = from the width (the
    // width over 1200 pixels, at least 1), or on a print layout from the
    // dpi (11 pixels at 96 dpi: 8 points).
    double text_scale = 0;
    // A PDF's or an SVG's page is the image's size at this resolution
    // (pixels per inch): 1600 pixels at 96 dpi is a page 16.7 inches wide;
    // a print layout's page is its paper at this resolution.
    double dpi = 96;
};

// A label as placed: its text box turned by angle about centre, in image pixels
// (x east, y down).
struct RenderedLabel {
    std::string text;
    std::string class_name;
    int priority = 0;
    PlanePoint centre;
    double angle = 0;  // radians, clockwise
    std::array<PlanePoint, 4> corners;
};

struct RenderResult {
    int width = 0;
    int height = 0;
    Bounds extent;                     // of the image, in the city CRS
    std::vector<std::string> classes;  // the classes drawn, in drawing order
    bool dem = false;                  // whether the DEM was drawn
    double scale_bar_metres = 0;       // the length the scale bar shows; 0 = none drawn
    std::vector<RenderedLabel> labels;  // in the order they were placed
    // The legend's, scale bar's and north arrow's boxes, image pixels (y down).
    std::vector<Bounds> furniture;
};

// Draws the classes in the order of styles (first = bottom) over the DEM and
// the overlays, then the legend, scale bar and north arrow, then the labels
// (clear of each other and of the furniture, inside the image), and writes
// options.path. Classes the database does not hold, or holds no features of,
// are skipped. The map extent is the union of the drawn classes' extents (else
// the DEM's, else the overlays') plus a margin of 2 % of its longer side.
// Throws UsageError for a requested class without a style or schema, a width,
// text scale, dpi, opacity or colour band out of range, a file that is not
// .png, .pdf or .svg, a label style naming no text field; DataError when there is
// nothing to draw or an overlay is not a north-up raster in the city CRS;
// FileError when an overlay's file is missing or the map cannot be written.
RenderResult render_overview(const Storage& storage, const std::vector<ClassSchema>& schemas,
                             const std::vector<LayerStyle>& styles, const RenderOptions& options);

// A page of rows and columns in an atlas, e.g. flood totals by ward: the
// title, a header row, the rows (continued on further pages when they do
// not fit) and notes under them. Rows may be grouped: a group's total in
// bold, the rows it adds up indented under it (by their index in rows).
struct TablePage {
    std::string title;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> notes;
    std::vector<std::size_t> bold_rows{};
    std::vector<std::size_t> indented_rows{};
};

// A PDF of several pages of one paper: maps on print layouts and tables.
// Nothing is written until finish(); the file is replaced then.
class MapBook {
public:
    // Throws UsageError unless path ends in .pdf.
    MapBook(const std::string& path, const PrintLayout& paper, double dpi);
    ~MapBook();
    MapBook(const MapBook&) = delete;
    MapBook& operator=(const MapBook&) = delete;

    // A map page: options.layout gives its title and notes (the book's
    // paper and dpi apply); options.path is not used.
    RenderResult add_map(const Storage& storage, const std::vector<ClassSchema>& schemas,
                         const std::vector<LayerStyle>& styles, RenderOptions options);
    void add_table(const TablePage& table);
    int pages() const;
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace lantern::core
