// The real data of data/hoian in the city CRS, and the water derived from it:
// the sea east of the GSHHG shoreline, the Thu Bon estuary as GSHHG draws it,
// the Hoai branch past the Ancient Town, the Co Co river to the north and the
// Bay Mau wetland. docs/sample-city.md gives the reasons for each shape.

#include "sample.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/crs/gdal.hpp>

namespace lantern::layers::sample {

namespace {

const core::Transform& wgs84_to_city()
{
    static const core::Transform transform(core::Crs::wgs84(), core::Crs::from_user(city_crs));
    return transform;
}

GDALDatasetUniquePtr open_vector(const std::string& path)
{
    core::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    if (!ds)
        throw core::FileError(path + ": cannot read the sample city's real data");
    return ds;
}

// A CSV file of the real data: its header's column names and its rows.
struct CsvRows {
    std::string path;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;

    // A field as a number; the file, line, column and text named when it is not one.
    double number(std::size_t row, std::size_t column) const
    {
        if (auto value = core::parse_number(rows[row][column]))
            return *value;
        throw core::DataError(path + ": line " + std::to_string(row + 2) + ", field " + header[column] +
                              ": '" + rows[row][column] + "' is not a number");
    }
};

std::vector<std::string> csv_cells(std::string line)
{
    if (!line.empty() && line.back() == '\r')  // a file with Windows line ends
        line.pop_back();
    std::vector<std::string> cells;
    std::stringstream s(line);
    std::string cell;
    while (std::getline(s, cell, ','))
        cells.push_back(cell);
    return cells;
}

CsvRows read_csv(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw core::FileError(path + ": cannot read the sample city's real data");
    CsvRows csv{path, {}, {}};
    std::string line;
    std::getline(in, line);
    csv.header = csv_cells(line);
    while (std::getline(in, line))
        csv.rows.push_back(csv_cells(line));
    return csv;
}

// The units the wards form after a reorganisation (wards_2025.csv:
// unit_code, name, kind, area, population, the former ward codes separated
// by spaces or semicolons, the date): each former ward learns its unit. A
// code that names no ward, or a ward in two units, is an error in the data.
void read_units(const std::string& path, std::vector<Ward>& wards)
{
    auto units = read_csv(path);
    for (std::size_t i = 0; i < units.rows.size(); ++i) {
        const auto& row = units.rows[i];
        if (row.size() < 6)
            continue;
        auto line = path + ": line " + std::to_string(i + 2) + ": ";
        std::string codes = row[5];
        std::replace(codes.begin(), codes.end(), ';', ' ');
        std::stringstream s(codes);
        for (std::string code; s >> code;) {
            auto ward = std::find_if(wards.begin(), wards.end(), [&](const Ward& w) { return w.code == code; });
            if (ward == wards.end())
                throw core::DataError(line + "former ward " + code + " is not in wards.csv");
            if (!ward->unit_code.empty())
                throw core::DataError(line + "former ward " + code + " is already part of " + ward->unit_code);
            ward->unit_code = row[0];
            ward->unit_name = row[1];
            ward->unit_kind = row[2];
        }
    }
}

std::vector<Point> to_city_points(const std::vector<std::pair<double, double>>& lonlat)
{
    std::vector<Point> out;
    for (auto [lon, lat] : lonlat)
        out.push_back(to_city(lon, lat));
    return out;
}

GeometryPtr river(const std::vector<std::pair<double, double>>& centre_lonlat, double width)
{
    auto centre = line(to_city_points(centre_lonlat));
    return GeometryPtr(centre->Buffer(width / 2, 8));
}

}  // namespace

GeometryPtr clip(const OGRGeometry& a, const OGRGeometry& b)
{
    return polygonal(GeometryPtr(a.Intersection(&b)));
}

GeometryPtr minus(const OGRGeometry& a, const OGRGeometry& b)
{
    return polygonal(GeometryPtr(a.Difference(&b)));
}

Point to_city(double lon, double lat)
{
    wgs84_to_city().apply(lon, lat);
    return {lon, lat};
}

GeometryPtr polygon(const std::vector<Point>& ring)
{
    OGRLinearRing r;
    for (auto p : ring)
        r.addPoint(p.x, p.y);
    r.closeRings();
    auto poly = std::make_unique<OGRPolygon>();
    poly->addRing(&r);
    return poly;
}

GeometryPtr line(const std::vector<Point>& points)
{
    auto l = std::make_unique<OGRLineString>();
    for (auto p : points)
        l->addPoint(p.x, p.y);
    return l;
}

GeometryPtr ellipse(Point centre, double a, double b, double rotation_rad, int segments)
{
    std::vector<Point> ring;
    for (int i = 0; i < segments; ++i) {
        double t = 2 * M_PI * i / segments;
        double x = a * std::cos(t), y = b * std::sin(t);
        ring.push_back({centre.x + x * std::cos(rotation_rad) - y * std::sin(rotation_rad),
                        centre.y + x * std::sin(rotation_rad) + y * std::cos(rotation_rad)});
    }
    return polygon(ring);
}

double area_of(const OGRGeometry& g)
{
    auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon)
        return g.toPolygon()->get_Area();
    if (type == wkbMultiPolygon)
        return g.toMultiPolygon()->get_Area();
    if (type == wkbGeometryCollection)
        return g.toGeometryCollection()->get_Area();
    return 0;
}

GeometryPtr polygonal(GeometryPtr g)
{
    auto out = std::make_unique<OGRMultiPolygon>();
    if (!g)
        return out;
    auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) {
        out->addGeometry(g.get());
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (const auto* part : *g->toGeometryCollection()) {
            auto t = wkbFlatten(part->getGeometryType());
            if (t == wkbPolygon)
                out->addGeometry(part);
            else if (t == wkbMultiPolygon)
                for (const auto* p : *part->toMultiPolygon())
                    out->addGeometry(p);
        }
    }
    return out;
}

double Noise::lattice(std::int64_t i, std::int64_t j) const
{
    std::uint64_t h = m_seed ^ (static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL) ^
                      (static_cast<std::uint64_t>(j) * 0xC2B2AE3D27D4EB4FULL);
    h = (h ^ (h >> 31)) * 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    return static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0;
}

double Noise::at(double x, double y, double scale) const
{
    double u = x / scale, v = y / scale;
    auto i = static_cast<std::int64_t>(std::floor(u)), j = static_cast<std::int64_t>(std::floor(v));
    double fu = u - static_cast<double>(i), fv = v - static_cast<double>(j);
    double su = fu * fu * (3 - 2 * fu), sv = fv * fv * (3 - 2 * fv);
    double a = lattice(i, j), b = lattice(i + 1, j), c = lattice(i, j + 1), d = lattice(i + 1, j + 1);
    return (a + (b - a) * su) * (1 - sv) + (c + (d - c) * su) * sv;
}

PreparedArea::PreparedArea(const OGRGeometry& area)
    : m_area(area.clone()), m_prepared(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(m_area.get())))
{
}

PreparedArea::~PreparedArea()
{
    OGRDestroyPreparedGeometry(m_prepared);
}

bool PreparedArea::contains(const OGRGeometry& g) const
{
    return OGRPreparedGeometryContains(m_prepared, OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)));
}

bool PreparedArea::intersects(const OGRGeometry& g) const
{
    return OGRPreparedGeometryIntersects(m_prepared,
                                         OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)));
}

bool PreparedArea::contains(Point p) const
{
    OGRPoint point(p.x, p.y);
    return contains(point);
}

Geography load_geography(const std::string& data_dir)
{
    Geography geo;

    // The city boundary: nine polygons, the mainland and the Cham Islands.
    {
        auto ds = open_vector(data_dir + "/city_boundary.geojson");
        auto* layer = ds->GetLayer(0);
        OGRFeatureUniquePtr f(layer->GetNextFeature());
        if (!f || !f->GetGeometryRef())
            throw core::DataError(data_dir + "/city_boundary.geojson: no boundary feature");
        geo.boundary.reset(f->GetGeometryRef()->clone());
        geo.boundary->assignSpatialReference(nullptr);
        wgs84_to_city().apply(*geo.boundary);
        geo.boundary = polygonal(std::move(geo.boundary));
        double largest = 0;
        for (const auto* part : *geo.boundary->toMultiPolygon())
            if (part->get_Area() > largest) {
                largest = part->get_Area();
                geo.mainland.reset(part->clone());
            }
        OGREnvelope env;
        geo.boundary->getEnvelope(&env);
        geo.extent = {env.MinX, env.MinY, env.MaxX, env.MaxY};
        geo.mainland_area = std::make_unique<PreparedArea>(*geo.mainland);
        geo.city_area = std::make_unique<PreparedArea>(*geo.boundary);
    }

    // GSHHG: the longest open level-1 line is the mainland shore; level-2 rings are
    // lakes, the largest of which is the Thu Bon estuary; small level-1 rings
    // inside it are river islands.
    GeometryPtr shore, estuary;
    std::vector<GeometryPtr> river_islands;
    {
        auto ds = open_vector(data_dir + "/coastline_gshhg.geojson");
        auto* layer = ds->GetLayer(0);
        double largest_lake = 0;
        for (auto& f : *layer) {
            auto* g = f->GetGeometryRef();
            if (!g || wkbFlatten(g->getGeometryType()) != wkbLineString)
                continue;
            GeometryPtr geom(g->clone());
            geom->assignSpatialReference(nullptr);
            wgs84_to_city().apply(*geom);
            auto* ls = geom->toLineString();
            bool closed = ls->get_IsClosed();
            std::string header = f->GetFieldAsString("gmt_header");
            bool lake = header.find("Level 2") != std::string::npos;
            if (!closed && (!shore || ls->getNumPoints() > shore->toLineString()->getNumPoints())) {
                shore = std::move(geom);  // the longest open line is the mainland's shore
                continue;
            }
            if (!closed)
                continue;
            std::vector<Point> ring;
            for (int i = 0; i < ls->getNumPoints(); ++i)
                ring.push_back({ls->getX(i), ls->getY(i)});
            auto area = polygon(ring);
            if (lake && area_of(*area) > largest_lake) {
                largest_lake = area_of(*area);
                estuary = std::move(area);
            } else if (!lake) {
                river_islands.push_back(std::move(area));
            }
        }
        if (!shore || !estuary)
            throw core::DataError(data_dir + "/coastline_gshhg.geojson: no shoreline or estuary");
    }

    // The sea: east of the shore line, out to 3 km past the city's extent,
    // less the islands.
    {
        const double margin = 3000;
        auto* ls = shore->toLineString();
        std::vector<Point> ring;
        for (int i = 0; i < ls->getNumPoints(); ++i)
            ring.push_back({ls->getX(i), ls->getY(i)});
        // The shore runs from south to north; close it round the east.
        Point south = ring.front(), north = ring.back();
        double east = geo.extent.max_x + 20000;
        ring.push_back({east, north.y});
        ring.push_back({east, south.y});
        auto sea = polygon(ring);
        auto box = polygon({{geo.extent.min_x - margin, geo.extent.min_y - margin},
                            {geo.extent.max_x + margin, geo.extent.min_y - margin},
                            {geo.extent.max_x + margin, geo.extent.max_y + margin},
                            {geo.extent.min_x - margin, geo.extent.max_y + margin}});
        sea = clip(*sea, *box);
        sea = minus(*sea, *geo.boundary);
        for (const auto& island : river_islands)
            sea = minus(*sea, *island);
        geo.sea.reset(sea->clone());
        geo.water.push_back({"Biển Đông", "sea", "GSHHG 2.3.7", std::move(sea)});
    }

    // Rivers and wetland, all clipped to the city boundary.
    {
        // Cam Nam is a river island in the estuary: keep it land, and keep the
        // Ancient Town's riverside (Bach Dang street) on land north of 15.8762 N.
        auto cam_nam = ellipse(to_city(108.3445, 15.8688), 1250, 330, 0.08);
        Point town_sw = to_city(108.318, 15.8762), town_ne = to_city(108.342, 15.885);
        auto town = polygon({town_sw, {town_ne.x, town_sw.y}, town_ne, {town_sw.x, town_ne.y}});
        auto thu_bon = clip(*estuary, *geo.boundary);
        thu_bon = minus(*thu_bon, *cam_nam);
        thu_bon = minus(*thu_bon, *town);
        for (const auto& island : river_islands)
            thu_bon = minus(*thu_bon, *island);
        // The channel between the Ancient Town and Cam Nam is the Hoai.
        Point hoai_sw = to_city(108.318, 15.8700), hoai_ne = to_city(108.356, 15.8762);
        auto hoai_box = polygon({hoai_sw, {hoai_ne.x, hoai_sw.y}, hoai_ne, {hoai_sw.x, hoai_ne.y}});
        auto hoai = clip(*thu_bon, *hoai_box);
        thu_bon = minus(*thu_bon, *hoai_box);
        geo.water.push_back({"Sông Thu Bồn", "river", "GSHHG 2.3.7", std::move(thu_bon)});
        geo.water.push_back({"Sông Hoài", "river", "GSHHG 2.3.7", std::move(hoai)});

        auto co_co = river({{108.3785, 15.8790}, {108.3700, 15.8915}, {108.3550, 15.8945},
                            {108.3450, 15.8970}, {108.3360, 15.9060}, {108.3280, 15.9140},
                            {108.3195, 15.9230}},
                           60);
        co_co = clip(*co_co, *geo.boundary);
        geo.water.push_back({"Sông Cổ Cò", "river", synthetic, std::move(co_co)});
        auto bay_mau = clip(*ellipse(to_city(108.3722, 15.8745), 520, 330, 0.3), *geo.mainland);
        for (auto& w : geo.water)
            if (w.kind == "river")
                bay_mau = minus(*bay_mau, *w.area);
        geo.water.push_back({"Rừng dừa Bảy Mẫu", "wetland", synthetic, std::move(bay_mau)});
    }

    GeometryPtr all(new OGRMultiPolygon());
    for (const auto& w : geo.water) {
        GeometryPtr merged(all->Union(w.area.get()));
        all = polygonal(std::move(merged));
    }
    geo.water_union = std::move(all);
    geo.land = minus(*geo.boundary, *geo.water_union);

    auto wards = read_csv(data_dir + "/wards.csv");
    for (std::size_t i = 0; i < wards.rows.size(); ++i) {
        const auto& row = wards.rows[i];
        if (row.size() < 6)
            continue;
        Ward w;
        w.code = row[0];
        w.name = row[1];
        w.kind = row[2];
        w.seed = to_city(wards.number(i, 3), wards.number(i, 4));
        w.target_area_m2 = wards.number(i, 5) * 1e6;
        geo.wards.push_back(std::move(w));
    }
    if (std::filesystem::exists(data_dir + "/wards_2025.csv"))
        read_units(data_dir + "/wards_2025.csv", geo.wards);
    auto landmarks = read_csv(data_dir + "/heritage_landmarks.csv");
    for (std::size_t i = 0; i < landmarks.rows.size(); ++i)
        if (landmarks.rows[i].size() >= 7)
            geo.landmarks.push_back({landmarks.rows[i][0], landmarks.rows[i][1],
                                     to_city(landmarks.number(i, 5), landmarks.number(i, 6))});
    geo.ancient_town = to_city(108.3290, 15.8772);
    return geo;
}

}  // namespace lantern::layers::sample
