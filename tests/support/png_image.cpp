#include "support/png_image.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>

#include <lantern/core/crs/gdal.hpp>

namespace lantern::test {

Rgb Image::at(int col, int row) const
{
    REQUIRE(col >= 0);
    REQUIRE(col < width);
    REQUIRE(row >= 0);
    REQUIRE(row < height);
    auto i = (static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col)) * 3;
    return {rgb[i], rgb[i + 1], rgb[i + 2]};
}

int Image::count_in_quarter(const Rgb& colour, bool right, bool bottom) const
{
    int n = 0;
    for (int row = bottom ? height / 2 : 0; row < (bottom ? height : height / 2); ++row)
        for (int col = right ? width / 2 : 0; col < (right ? width : width / 2); ++col)
            n += at(col, row) == colour;
    return n;
}

Image read_png(const std::string& path)
{
    core::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    CHECK(std::string(ds->GetDriver()->GetDescription()) == "PNG");
    Image image;
    image.width = ds->GetRasterXSize();
    image.height = ds->GetRasterYSize();
    image.bands = ds->GetRasterCount();
    REQUIRE(image.bands >= 3);
    image.rgb.resize(static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height) * 3);
    for (int band = 1; band <= 3; ++band)
        REQUIRE(ds->GetRasterBand(band)->RasterIO(GF_Read, 0, 0, image.width, image.height,
                                                  image.rgb.data() + (band - 1), image.width, image.height,
                                                  GDT_Byte, 3, static_cast<GSpacing>(image.width) * 3,
                                                  nullptr) == CE_None);
    return image;
}

}  // namespace lantern::test
