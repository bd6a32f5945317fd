#pragma once
// The map's rasters as one RGB image: the background, the DEM as shaded
// relief, and overlays coloured by value ranges, each resampled to the image grid.

#include <cstddef>
#include <string>
#include <vector>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/raster_io/raster_dataset.hpp>
#include <lantern/core/render/render.hpp>

namespace lantern::core::render_detail {

// The image grid: north up, square pixels, (x0, y0) the top-left corner.
struct ImageGrid {
    int width = 0;
    int height = 0;
    double x0 = 0, y0 = 0, pixel = 1;

    std::size_t cells() const { return static_cast<std::size_t>(width) * static_cast<std::size_t>(height); }
    Bounds extent() const { return {x0, y0 - pixel * height, x0 + pixel * width, y0}; }
};

// An RGB image in memory, row by row.
struct RgbImage {
    ImageGrid grid;
    std::vector<unsigned char> rgb;

    RgbImage(const ImageGrid& g, const Rgba& background);
    void set(std::size_t cell, const std::array<double, 3>& colour);
    // Colour blended over one cell by its opacity.
    void blend(std::size_t cell, const Rgba& colour);
};

// Height tint times a hillshade. Heights at or below 0 are water; no-data
// stays background. Muted: greyer and lighter, so that overlays stand out.
void draw_dem(RgbImage& image, const RasterDataset& dem, const Bounds& dem_extent, bool muted);

// What names an overlay in messages: the city's raster or the caller's file.
const std::string& overlay_name(const RasterOverlay& overlay);
// Opens the overlay to read its extent; throws DataError when it is not north
// up in the city CRS.
Bounds overlay_extent(const Storage& storage, const RasterOverlay& overlay, const Crs& city_crs);
// The overlay's colour bands blended over the image.
void draw_overlay(RgbImage& image, const Storage& storage, const RasterOverlay& overlay, const Crs& city_crs);

}  // namespace lantern::core::render_detail
