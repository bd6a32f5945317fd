#include <lantern/core/io/vector_source.hpp>

#include <filesystem>

#include <cpl_error.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::core {

namespace fs = std::filesystem;

namespace {

std::string lower_extension(const std::string& path)
{
    auto ext = fs::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

// A CSV carries its geometry in a WKT column or in lon/lat columns; these are
// the names a city's spreadsheets use. Explicit --oo options take precedence.
std::vector<std::string> default_open_options(const std::string& path)
{
    if (lower_extension(path) != ".csv")
        return {};
    return {"GEOM_POSSIBLE_NAMES=wkt,WKT,geometry,geom,the_geom",
            "X_POSSIBLE_NAMES=lon,longitude,lng,x,approx_lon,easting",
            "Y_POSSIBLE_NAMES=lat,latitude,y,approx_lat,northing",
            "KEEP_GEOM_COLUMNS=NO"};
}

}  // namespace

VectorSource::VectorSource(const SourceOptions& options)
{
    ensure_gdal();
    require_source_file(options.path);

    auto open_options = options.open_options.empty() ? default_open_options(options.path)
                                                     : options.open_options;
    std::vector<const char*> oo;
    for (const auto& o : open_options)
        oo.push_back(o.c_str());
    oo.push_back(nullptr);

    ScopedGdalErrors quiet;
    m_dataset.reset(GDALDataset::Open(options.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                      nullptr, oo.data(), nullptr));
    if (!m_dataset)
        throw DataError(options.path + ": not a readable vector source (" +
                        ScopedGdalErrors::last_message("no GDAL driver recognises it") + ")");
    int layer_count = m_dataset->GetLayerCount();
    if (layer_count == 0)
        throw DataError(options.path + ": the source has no layers");

    std::string names;
    for (int i = 0; i < layer_count; ++i)
        names += std::string(i ? ", " : "") + m_dataset->GetLayer(i)->GetName();
    if (!options.layer.empty()) {
        m_layer = m_dataset->GetLayerByName(options.layer.c_str());
        if (!m_layer)
            throw UsageError(options.path + ": no layer '" + options.layer + "' (it has: " + names +
                             ")");
        m_label = fs::path(options.path).filename().string() + ":" + options.layer;
    } else {
        if (layer_count > 1)
            throw UsageError(options.path + ": has " + std::to_string(layer_count) + " layers (" +
                                 names + ") and none was named",
                             Choice::source_layer);
        m_layer = m_dataset->GetLayer(0);
        m_label = fs::path(options.path).filename().string();
    }
}

std::optional<Crs> VectorSource::crs() const
{
    return crs_from_srs(m_layer->GetSpatialRef());
}

std::int64_t VectorSource::feature_count() const
{
    return m_layer->GetFeatureCount(FALSE);
}

std::vector<std::string> VectorSource::field_names() const
{
    std::vector<std::string> names;
    auto* defn = m_layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    return names;
}

}  // namespace lantern::core
