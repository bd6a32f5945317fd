// The sample city's hydrants, fire station and street trees: classes a city
// adds from data/classes, written to OUT/sources (docs/sample-city.md, "Fire
// protection and trees"). Their files are read with GDAL, checked against
// the built-in classes in the city database and against their class
// description files, read here with nlohmann-json.

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <gdal_priv.h>
#include <ogr_api.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/support.hpp"

using namespace lantern;
namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::d2::point_xy<double>;
using BBox = bg::model::box<BPoint>;
using Geometry = std::unique_ptr<OGRGeometry>;
using Json = nlohmann::json;

namespace {

const std::string city_dir = LANTERN_SAMPLE_CITY_DIR;

// A feature of a source file: its geometry and its fields as GDAL read them.
struct SourceFeature {
    Geometry geometry;
    OGRFeatureUniquePtr fields;
};

std::vector<SourceFeature> read_source(const std::string& name)
{
    core::ensure_gdal();
    std::string path = city_dir + "/sources/" + name + ".geojson";
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::vector<SourceFeature> out;
    for (auto& f : *ds->GetLayer(0)) {
        REQUIRE(f->GetGeometryRef());
        out.push_back({Geometry(f->GetGeometryRef()->clone()), std::move(f)});
    }
    return out;
}

// A class of the city database with its features, indexed by bounding box.
struct StoredClass {
    std::vector<Geometry> geometries;
    std::vector<core::StoredFeature> features;
    bgi::rtree<std::pair<BBox, std::size_t>, bgi::rstar<16>> index;

    // The features whose boxes come within `r` metres of the point.
    std::vector<std::size_t> near(const OGRPoint& p, double r) const
    {
        std::vector<std::size_t> out;
        BBox box(BPoint(p.getX() - r, p.getY() - r), BPoint(p.getX() + r, p.getY() + r));
        for (auto it = index.qbegin(bgi::intersects(box)); it != index.qend(); ++it)
            out.push_back(it->second);
        return out;
    }

    bool covers(const OGRPoint& p) const
    {
        for (auto i : near(p, 0))
            if (geometries[i]->Intersects(&p))
                return true;
        return false;
    }
};

StoredClass stored(const core::Storage& storage, const std::string& cls)
{
    StoredClass out;
    storage.scan(layers::feature_class(cls), [&](const core::StoredFeature& f) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &g, f.wkb.size()) == OGRERR_NONE);
        OGREnvelope e;
        g->getEnvelope(&e);
        out.index.insert({BBox(BPoint(e.MinX, e.MinY), BPoint(e.MaxX, e.MaxY)), out.geometries.size()});
        out.geometries.emplace_back(g);
        out.features.push_back(f);
    });
    return out;
}

std::size_t field_index(const std::string& cls, const std::string& field)
{
    const auto& fields = layers::feature_class(cls).fields;
    auto it = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.name == field; });
    REQUIRE(it != fields.end());
    return static_cast<std::size_t>(it - fields.begin());
}

// What the built-in classes say about a point.
class CityMap {
public:
    CityMap()
        : m_storage(core::open_city(city_dir + "/hoian.sqlite", core::Access::read_only)),
          m_roads(stored(*m_storage, "roads")), m_buildings(stored(*m_storage, "buildings")),
          m_water(stored(*m_storage, "water")), m_heritage_zones(stored(*m_storage, "heritage_zones"))
    {
        core::ensure_gdal();
        GDALDatasetUniquePtr ds(
            GDALDataset::Open(test::hoian_data("city_boundary.geojson").c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        OGRFeatureUniquePtr f(ds->GetLayer(0)->GetNextFeature());
        m_boundary.reset(f->GetGeometryRef()->clone());
        m_boundary->assignSpatialReference(nullptr);
        core::Transform(core::Crs::wgs84(), core::Crs::from_user("EPSG:32649")).apply(*m_boundary);
    }

    bool in_city(const OGRPoint& p) const { return m_boundary->Contains(&p); }
    bool in_building(const OGRPoint& p) const { return m_buildings.covers(p); }
    bool in_water(const OGRPoint& p) const { return m_water.covers(p); }

    // Protection I or II, or "" outside the heritage zones.
    std::string heritage_zone(const OGRPoint& p) const
    {
        for (std::size_t i = 0; i < m_heritage_zones.geometries.size(); ++i)
            if (m_heritage_zones.geometries[i]->Contains(&p))
                return std::get<std::string>(
                    m_heritage_zones.features[i].values[field_index("heritage_zones", "protection")]);
        return "";
    }
    const OGRGeometry& heritage_zone_geometry(const std::string& protection) const
    {
        std::size_t i = 0;
        while (i < m_heritage_zones.geometries.size() &&
               std::get<std::string>(m_heritage_zones.features[i].values[field_index("heritage_zones",
                                                                                     "protection")]) != protection)
            ++i;
        REQUIRE(i < m_heritage_zones.geometries.size());
        return *m_heritage_zones.geometries[i];
    }

    // How far the point lies beyond the edge of the nearest street of the
    // class (any class when empty); a large number when none is near.
    double beyond_street_edge(const OGRPoint& p, const std::string& road_class = "") const
    {
        double best = 1e9;
        for (auto i : m_roads.near(p, 50)) {
            const auto& values = m_roads.features[i].values;
            if (!road_class.empty() && std::get<std::string>(values[field_index("roads", "class")]) != road_class)
                continue;
            double half_width = std::get<double>(values[field_index("roads", "width_m")]) / 2;
            best = std::min(best, m_roads.geometries[i]->Distance(&p) - half_width);
        }
        return best;
    }

    const StoredClass& roads() const { return m_roads; }

private:
    std::unique_ptr<core::Storage> m_storage;
    StoredClass m_roads, m_buildings, m_water, m_heritage_zones;
    Geometry m_boundary;
};

const OGRPoint& point_of(const SourceFeature& f)
{
    REQUIRE(wkbFlatten(f.geometry->getGeometryType()) == wkbPoint);
    return *f.geometry->toPoint();
}

Json class_file(const std::string& name)
{
    std::ifstream in(std::string(LANTERN_SOURCE_DIR) + "/data/classes/" + name + ".json");
    REQUIRE(in);
    return Json::parse(in);
}

// Every value of a feature against its class description file: types,
// required fields, ranges and allowed values; the id unique.
void check_against_class_file(const std::string& name)
{
    auto schema = class_file(name);
    std::map<std::string, Json> fields;
    for (const auto& field : schema["fields"])
        fields[field["name"].get<std::string>()] = field;
    auto features = read_source(name);
    REQUIRE(!features.empty());
    std::set<std::string> ids;
    for (const auto& f : features) {
        CHECK(wkbFlatten(f.geometry->getGeometryType()) == wkbPoint);
        const auto* defn = f.fields->GetDefnRef();
        for (int k = 0; k < defn->GetFieldCount(); ++k) {
            const auto* field_defn = defn->GetFieldDefn(k);
            std::string field = field_defn->GetNameRef();
            INFO(name << " feature " << f.fields->GetFieldAsString(schema["id_field"].get<std::string>().c_str())
                      << " field " << field << " value '" << f.fields->GetFieldAsString(k) << "'");
            REQUIRE(fields.count(field) == 1);
            const auto& spec = fields[field];
            bool set = f.fields->IsFieldSetAndNotNull(k);
            CHECK((set || !spec.value("required", false)));
            if (!set)
                continue;
            auto type = spec["type"].get<std::string>();
            auto gdal_type = field_defn->GetType();
            bool boolean = field_defn->GetSubType() == OFSTBoolean;
            if (type == "text")
                CHECK(gdal_type == OFTString);
            else if (type == "integer")
                CHECK(((gdal_type == OFTInteger || gdal_type == OFTInteger64) && !boolean));
            else if (type == "real")
                CHECK((gdal_type == OFTReal ||
                       ((gdal_type == OFTInteger || gdal_type == OFTInteger64) && !boolean)));
            else if (type == "boolean")
                CHECK((gdal_type == OFTInteger && (boolean || f.fields->GetFieldAsInteger(k) == 0 ||
                                                  f.fields->GetFieldAsInteger(k) == 1)));
            else
                FAIL("unknown type " << type);
            if (type == "integer" || type == "real") {
                double value = f.fields->GetFieldAsDouble(k);
                if (spec.contains("min"))
                    CHECK(value >= spec["min"].get<double>());
                if (spec.contains("max"))
                    CHECK(value <= spec["max"].get<double>());
            }
            if (spec.contains("allowed")) {
                auto allowed = spec["allowed"].get<std::vector<std::string>>();
                CHECK(std::count(allowed.begin(), allowed.end(), f.fields->GetFieldAsString(k)) == 1);
            }
        }
        for (const auto& [field, spec] : fields)
            if (spec.value("required", false))
                CHECK(f.fields->IsFieldSetAndNotNull(defn->GetFieldIndex(field.c_str())));
        CHECK(std::string(f.fields->GetFieldAsString("source")) == "synthetic");
        CHECK(ids.insert(f.fields->GetFieldAsString(schema["id_field"].get<std::string>().c_str())).second);
    }
}

}  // namespace

TEST_CASE("sample hydrants, fire stations and trees satisfy their class description files")
{
    for (const auto* name : {"hydrants", "fire_stations", "trees"}) {
        INFO(name);
        check_against_class_file(name);
    }
}

TEST_CASE("sample hydrants stand by the Ancient Town's streets, outside buildings and water")
{
    CityMap city;
    auto hydrants = read_source("hydrants");
    std::size_t faulty = 0;
    for (const auto& h : hydrants) {
        const auto& p = point_of(h);
        INFO(h.fields->GetFieldAsString("hydrant_id") << " at " << p.getX() << " " << p.getY());
        CHECK(city.in_city(p));
        CHECK(city.heritage_zone(p) != "");
        CHECK(city.beyond_street_edge(p) >= 0);
        CHECK(city.beyond_street_edge(p) <= 3);
        CHECK(!city.in_building(p));
        CHECK(!city.in_water(p));
        faulty += std::string(h.fields->GetFieldAsString("status")) == "faulty" ? 1 : 0;
    }
    // A few, not none and not most.
    CHECK(faulty > 0);
    CHECK(faulty * 5 < hydrants.size());
}

TEST_CASE("sample Ancient Town streets have a hydrant within 150 m but for a deliberate gap")
{
    CityMap city;
    std::vector<OGRPoint> hydrants;
    for (const auto& h : read_source("hydrants"))
        hydrants.push_back(point_of(h));
    REQUIRE(!hydrants.empty());
    auto nearest_hydrant = [&](const OGRPoint& p) {
        double best = 1e9;
        for (const auto& h : hydrants)
            best = std::min(best, p.Distance(&h));
        return best;
    };

    // Points every 5 m along the streets of the heritage zones, with their
    // distance to the nearest hydrant.
    const auto& zone_i = city.heritage_zone_geometry("I");
    Geometry old_town(zone_i.Union(&city.heritage_zone_geometry("II")));
    std::size_t covered = 0, total = 0;
    OGRPoint farthest;
    double farthest_distance = 0;
    for (const auto& road : city.roads().geometries) {
        if (!road->Intersects(old_town.get()))
            continue;
        const auto* line = road->toMultiLineString()->getGeometryRef(0);
        for (double at = 0; at < line->get_Length(); at += 5) {
            OGRPoint p;
            line->Value(at, &p);
            if (!old_town->Contains(&p))
                continue;
            double d = nearest_hydrant(p);
            ++total;
            covered += d <= 150 ? 1 : 0;
            if (d > farthest_distance && zone_i.Contains(&p)) {
                farthest_distance = d;
                farthest = p;
            }
        }
    }
    REQUIRE(total > 1000);
    INFO(covered << " of " << total << " street points within 150 m of a hydrant");
    CHECK(covered >= total * 9 / 10);

    // The gap: a street point of zone I with no hydrant within 150 m, so none
    // stands on the streets within that distance less 5 m; those connected to
    // the point run for more than 200 m.
    INFO("farthest from a hydrant: " << farthest_distance << " m at " << farthest.getX() << " "
                                     << farthest.getY());
    REQUIRE(farthest_distance > 150);
    Geometry reach(farthest.Buffer(farthest_distance - 5, 32));
    std::vector<Geometry> pieces;
    for (const auto& road : city.roads().geometries)
        if (road->Intersects(reach.get()))
            pieces.emplace_back(road->Intersection(reach.get()));
    std::vector<bool> joined(pieces.size(), false);
    std::vector<const OGRGeometry*> frontier = {&farthest};
    double stretch = 0;
    while (!frontier.empty()) {
        const auto* from = frontier.back();
        frontier.pop_back();
        for (std::size_t i = 0; i < pieces.size(); ++i)
            if (!joined[i] && pieces[i]->Distance(from) < 0.01) {
                joined[i] = true;
                // The length of its lines (0 for a point where a street only touches).
                stretch += OGR_G_Length(OGRGeometry::ToHandle(pieces[i].get()));
                frontier.push_back(pieces[i].get());
            }
    }
    CHECK(stretch > 200);
}

TEST_CASE("the sample fire station stands by a main road outside the Ancient Town")
{
    CityMap city;
    auto stations = read_source("fire_stations");
    REQUIRE(!stations.empty());
    for (const auto& s : stations) {
        const auto& p = point_of(s);
        INFO(s.fields->GetFieldAsString("station_id") << " at " << p.getX() << " " << p.getY());
        CHECK(city.in_city(p));
        CHECK(city.heritage_zone(p) == "");
        CHECK(city.beyond_street_edge(p, "primary") >= 0);
        CHECK(city.beyond_street_edge(p, "primary") <= 6);
        CHECK(!city.in_building(p));
        CHECK(!city.in_water(p));
        CHECK(std::string(s.fields->GetFieldAsString("name")).find("PCCC") != std::string::npos);
        CHECK(s.fields->GetFieldAsInteger("vehicles") > 0);
    }
}

TEST_CASE("sample trees stand by streets outside buildings and water, heritage trees in the Ancient Town")
{
    CityMap city;
    auto trees = read_source("trees");
    std::size_t heritage = 0;
    std::set<std::string> species;
    for (const auto& t : trees) {
        const auto& p = point_of(t);
        INFO(t.fields->GetFieldAsString("tree_id") << " at " << p.getX() << " " << p.getY());
        CHECK(city.in_city(p));
        CHECK(city.beyond_street_edge(p) >= 0);
        CHECK(city.beyond_street_edge(p) <= 3);
        CHECK(!city.in_building(p));
        CHECK(!city.in_water(p));
        species.insert(t.fields->GetFieldAsString("species"));
        if (t.fields->GetFieldAsInteger("heritage") == 1) {
            ++heritage;
            CHECK(city.heritage_zone(p) != "");
        }
    }
    CHECK(trees.size() > 1000);
    CHECK(species.count("Terminalia catappa") == 1);
    CHECK(species.size() >= 5);
    CHECK(heritage > 0);
    CHECK(heritage * 20 < trees.size());
}
