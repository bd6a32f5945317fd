#include <lantern/core/vector_export.hpp>

#include <filesystem>
#include <map>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/error.hpp>
#include <lantern/core/gdal.hpp>

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

// Creates the output and writes every feature of the class into it.
std::int64_t write_class(const Storage& storage, const ClassSchema& schema,
                         const ExportOptions& options, GDALDriver& driver,
                         const std::string& driver_name)
{
    Crs city_crs = Crs::from_user(storage.city().crs);
    Crs target = options.target_crs ? Crs::from_user(*options.target_crs) : city_crs;
    Transform to_target(city_crs, target);

    ScopedGdalErrors quiet;
    GDALDatasetUniquePtr out(driver.Create(options.path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
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
        throw UsageError(path + ": cannot tell the output format from the extension '" + ext +
                         "'; name a GDAL driver with --format");
    return it->second;
}

std::int64_t export_class(const Storage& storage, const ClassSchema& schema,
                          const ExportOptions& options)
{
    ensure_gdal();
    if (!storage.has_class(schema.name))
        throw UsageError(storage.location() + ": " + schema.name + " has not been imported");
    std::error_code ec;
    if (fs::exists(options.path, ec)) {
        if (!options.overwrite)
            throw FileError(options.path + ": already exists (pass --overwrite to replace it)");
        fs::remove(options.path, ec);
    }
    std::string driver_name = options.format.value_or(driver_for_path(options.path));
    auto* driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
    if (!driver || !driver->GetMetadataItem(GDAL_DCAP_VECTOR) ||
        !driver->GetMetadataItem(GDAL_DCAP_CREATE))
        throw UsageError("unknown or read-only vector format '" + driver_name + "'");

    // A failed export leaves no partial output behind (all of a multi-file
    // format's files, which the driver knows).
    try {
        return write_class(storage, schema, options, *driver, driver_name);
    } catch (...) {
        ScopedGdalErrors quiet;
        if (fs::exists(options.path, ec))
            driver->Delete(options.path.c_str());
        throw;
    }
}

}  // namespace lantern::core
