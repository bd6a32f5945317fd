#include "raster_layers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <gdal_priv.h>
#include <gdal_utils.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::core::render_detail {

RgbImage::RgbImage(const ImageGrid& g, const Rgba& background) : grid(g), rgb(g.cells() * 3)
{
    for (std::size_t i = 0; i < g.cells(); ++i)
        std::copy_n(background.begin(), 3, rgb.begin() + static_cast<std::ptrdiff_t>(i * 3));
}

void RgbImage::set(std::size_t cell, const std::array<double, 3>& colour)
{
    for (std::size_t k = 0; k < 3; ++k)
        rgb[cell * 3 + k] = static_cast<unsigned char>(std::clamp(std::lround(colour[k]), 0L, 255L));
}

void RgbImage::blend(std::size_t cell, const Rgba& colour)
{
    int alpha = colour[3];
    for (std::size_t k = 0; k < 3; ++k) {
        int under = rgb[cell * 3 + k];
        rgb[cell * 3 + k] = static_cast<unsigned char>((under * (255 - alpha) + colour[k] * alpha + 127) / 255);
    }
}

namespace {

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
std::vector<float> resample_dem(const RasterDataset& dem, const ImageGrid& grid)
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

}  // namespace

// Height tint times a hillshade (light from the north-west, 45 degrees up,
// relief exaggerated so a coastal plain still shows its dunes). Heights at or
// below 0 are water; no-data (the corners a reprojected DEM leaves) stays background.
void draw_dem(RgbImage& image, const RasterDataset& dem, const Bounds& dem_extent, bool mute)
{
    const ImageGrid& g = image.grid;
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
                image.set(cell, mute ? muted(water) : water);
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
            image.set(cell, mute ? muted(colour) : colour);
        }
    }
}

// ---- raster overlays ----------------------------------------------------------

namespace {

struct OverlaySource {
    RasterDataset raster;
    double gt[6] = {};
};

}  // namespace

// What names an overlay in messages: the city's raster or the caller's file.
const std::string& overlay_name(const RasterOverlay& overlay)
{
    return overlay.raster.empty() ? overlay.path : overlay.raster;
}

namespace {

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

}  // namespace

Bounds overlay_extent(const Storage& storage, const RasterOverlay& overlay, const Crs& city_crs)
{
    return open_overlay(storage, overlay, city_crs).raster.frame().extent();
}

namespace {

// Band 1 of an overlay at the centre of every image pixel (nearest neighbour);
// NaN where it has no data or does not reach. Reads one source row per image
// row, so a fine raster under a coarse image costs no more memory than the image.
std::vector<double> sample_overlay(const Storage& storage, const RasterOverlay& overlay, const ImageGrid& grid,
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

}  // namespace

void draw_overlay(RgbImage& image, const Storage& storage, const RasterOverlay& overlay, const Crs& city_crs)
{
    auto values = sample_overlay(storage, overlay, image.grid, city_crs);
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
        image.blend(i, colour);
    }
}


}  // namespace lantern::core::render_detail
