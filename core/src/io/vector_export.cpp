#include <lantern/core/io/vector_export.hpp>

#include <filesystem>
#include <map>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/crs/gdal.hpp>

#include "dataset_output.hpp"

namespace lantern::core {

namespace {

namespace fs = std::filesystem;

OGRwkbGeometryType layer_geometry_type(GeometryKind kind)
{
    switch (kind) {
    case GeometryKind::point: return wkbPoint;
    case GeometryKind::line: return wkbMultiLineString;
    case GeometryKind::polygon: return wkbMultiPolygon;
    case GeometryKind::point_or_polygon: return wkbUnknown;
    }
    return wkbUnknown;
}

OGRFieldType ogr_field_type(FieldType type)
{
    switch (type) {
    case FieldType::integer: return OFTInteger64;
    case FieldType::boolean: return OFTInteger;
    case FieldType::real: return OFTReal;
    case FieldType::text: return OFTString;
    }
    return OFTString;
}

void set_field(OGRFeature& feature, int index, const Value& value)
{
    if (auto* i = std::get_if<std::int64_t>(&value))
        feature.SetField(index, static_cast<GIntBig>(*i));
    else if (auto* d = std::get_if<double>(&value))
        feature.SetField(index, *d);
    else if (auto* s = std::get_if<std::string>(&value))
        feature.SetField(index, s->c_str());
    else
        feature.SetFieldNull(index);
}

// Some drivers (GeoJSON) do not report a write that failed (a full disk):
// the output is read back, and must hold every feature written.
void require_complete(const std::string& file, const std::string& path, const std::string& layer_name,
                      std::int64_t written)
{
    GDALDatasetUniquePtr back(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    OGRLayer* layer = back ? back->GetLayerByName(layer_name.c_str()) : nullptr;
    if (!layer && back && back->GetLayerCount() == 1)
        layer = back->GetLayer(0);
    std::int64_t found = layer ? layer->GetFeatureCount(TRUE) : -1;
    std::string back_then = found < 0 ? "the output cannot be read back" : std::to_string(found) + " read back";
    if (found != written)
        throw FileError(path + ": cannot write: " + std::to_string(written) + " features written, " + back_then +
                        " (disk full?)");
}

// Creates the output at target (the temporary the export is written to) and
// writes every feature of the class into it; messages name options.path.
std::int64_t write_class(const Storage& storage, const ClassSchema& schema, const ExportOptions& options,
                         const std::string& target_path, GDALDriver& driver, const std::string& driver_name)
{
    Crs city_crs = Crs::from_user(storage.city().crs);
    Crs target = options.target_crs ? Crs::from_user(*options.target_crs) : city_crs;
    Transform to_target(city_crs, target);

    ScopedGdalErrors quiet;
    GDALDatasetUniquePtr out(driver.Create(target_path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!out)
        throw FileError(options.path + ": cannot create (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    char** layer_options = nullptr;
    if (driver_name == "CSV")
        layer_options = CSLSetNameValue(layer_options, "GEOMETRY", "AS_WKT");
    auto* srs = const_cast<OGRSpatialReference*>(&target.srs());
    OGRLayer* layer = out->CreateLayer(schema.name.c_str(), srs,
                                       layer_geometry_type(schema.geometry), layer_options);
    CSLDestroy(layer_options);
    if (!layer)
        throw FileError(options.path + ": cannot create layer " + schema.name + " (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    for (const auto& f : schema.fields) {
        OGRFieldDefn defn(f.name.c_str(), ogr_field_type(f.type));
        if (f.type == FieldType::boolean)
            defn.SetSubType(OFSTBoolean);  // GeoJSON true/false, GeoPackage BOOLEAN
        if (layer->CreateField(&defn) != OGRERR_NONE)
            throw FileError(options.path + ": cannot create field " + f.name);
    }
    bool transactions = out->StartTransaction() == OGRERR_NONE;
    std::int64_t written = 0;
    auto* defn = layer->GetLayerDefn();
    storage.scan(schema, [&](const StoredFeature& stored) {
        OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(defn));
        OGRGeometry* geometry = nullptr;
        if (OGRGeometryFactory::createFromWkb(stored.wkb.data(), nullptr, &geometry,
                                              stored.wkb.size()) != OGRERR_NONE)
            throw StorageError(storage.location() + ": " + schema.name + " feature " +
                               std::to_string(stored.fid) + ": unreadable geometry");
        if (!to_target.apply(*geometry)) {
            delete geometry;
            throw DataError(schema.name + " feature " + std::to_string(stored.fid) +
                            ": cannot transform into " + target.name());
        }
        feature->SetGeometryDirectly(geometry);
        for (std::size_t i = 0; i < schema.fields.size(); ++i)
            set_field(*feature, static_cast<int>(i), stored.values[i]);
        if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
            throw FileError(options.path + ": cannot write feature " + std::to_string(stored.fid) +
                            " (" + ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
        ++written;
    });
    if (transactions && out->CommitTransaction() != OGRERR_NONE)
        throw FileError(options.path + ": cannot commit (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    // Closing writes what the driver still holds (a GeoJSON's last bytes).
    CPLErrorReset();
    out.reset();
    if (CPLGetLastErrorType() == CE_Failure)
        throw FileError(options.path + ": cannot write (" +
                        ScopedGdalErrors::last_message("GDAL gave no reason") + ")");
    require_complete(target_path, options.path, schema.name, written);
    return written;
}

}  // namespace

std::string driver_for_path(const std::string& path)
{
    static const std::map<std::string, std::string> drivers = {
        {".geojson", "GeoJSON"}, {".json", "GeoJSON"},      {".geojsonl", "GeoJSONSeq"},
        {".gpkg", "GPKG"},       {".shp", "ESRI Shapefile"}, {".csv", "CSV"},
        {".kml", "KML"},         {".fgb", "FlatGeobuf"},     {".gml", "GML"},
        {".sqlite", "SQLite"},   {".dxf", "DXF"},            {".dgn", "DGN"},
        {".tab", "MapInfo File"}};
    auto ext = fs::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto it = drivers.find(ext);
    if (it == drivers.end())
        throw UsageError(path + ": cannot tell the output format from the extension '" + ext + "'",
                         Choice::output_format);
    return it->second;
}

std::int64_t export_class(const Storage& storage, const ClassSchema& schema,
                          const ExportOptions& options)
{
    ensure_gdal();
    if (!storage.has_class(schema.name))
        throw UsageError(storage.location() + ": " + schema.name + " has not been imported");
    std::string driver_name = options.format.value_or(driver_for_path(options.path));
    auto* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (!driver || !driver->GetMetadataItem(GDAL_DCAP_VECTOR) ||
        !driver->GetMetadataItem(GDAL_DCAP_CREATE))
        throw UsageError("unknown or read-only vector format '" + driver_name + "'");

    // Written under a temporary name: a failed export leaves no partial
    // output behind and what was at the path as it was.
    std::int64_t written = 0;
    detail::write_dataset(options.path, options.overwrite, [&](const std::string& target) {
        written = write_class(storage, schema, options, target, *driver, driver_name);
    });
    return written;
}

}  // namespace lantern::core
