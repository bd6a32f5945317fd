// The planning lookup API (/api/lookup) of `lantern serve` on the flooded
// sample city (CTest fixture "sample_flood"), against answers found here
// independently: OGR's point-in-polygon on the stored features and GDAL
// reading the flood depth grid.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <lantern/core/crs/crs.hpp>
#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/lookup.hpp>

#include "tileserver/http_client.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

namespace {

struct Stored {
    std::unique_ptr<OGRGeometry> geometry;
    std::vector<core::Value> values;
};

std::vector<Stored> stored(const core::Storage& storage, const std::string& cls)
{
    std::vector<Stored> out;
    storage.scan(layers::feature_class(cls), [&](const core::StoredFeature& f) {
        OGRGeometry* g = nullptr;
        REQUIRE(OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &g, f.wkb.size()) == OGRERR_NONE);
        out.push_back({std::unique_ptr<OGRGeometry>(g), f.values});
    });
    return out;
}

std::string text_of(const Stored& f, const std::string& cls, const std::string& field)
{
    const auto& fields = layers::feature_class(cls).fields;
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name == field)
            return std::get<std::string>(f.values[i]);
    FAIL("no field " << field);
    return {};
}

// The value of `field` of the feature whose area holds the point, or "".
std::string holding(const std::vector<Stored>& features, const std::string& cls, const std::string& field,
                    const OGRPoint& p)
{
    for (const auto& f : features)
        if (f.geometry->Intersects(&p))
            return text_of(f, cls, field);
    return {};
}

std::string lookup_target(double lon, double lat)
{
    char target[128];
    std::snprintf(target, sizeof target, "/api/lookup?lon=%.9f&lat=%.9f", lon, lat);
    return target;
}

}  // namespace

TEST_CASE("the lookup API answers at parcels what the city database and the flood grid hold there")
{
    ServerProcess server(sample_city());
    auto storage = core::open_city(sample_city(), core::Access::read_only);
    auto parcels = stored(*storage, "parcels");
    auto zones = stored(*storage, "zones");
    auto wards = stored(*storage, "wards");
    auto heritage = stored(*storage, "heritage_zones");
    auto nodes = stored(*storage, "drainage_nodes");
    REQUIRE_FALSE(nodes.empty());
    REQUIRE(parcels.size() > 1000);

    auto record = storage->result_record("flood_depth_2.0m");
    REQUIRE(record);
    core::ensure_gdal();
    auto depth_raster = storage->open_raster(record->name);
    GDALDataset* depth = &depth_raster.gdal();
    REQUIRE(depth);
    double gt[6];
    depth->GetGeoTransform(gt);
    core::Transform to_wgs84(core::Crs::from_user(storage->city().crs), core::Crs::wgs84());

    std::size_t checked = 0, flooded = 0, in_heritage = 0, near_node = 0;
    for (std::size_t i = 0; i < parcels.size(); i += parcels.size() / 40) {
        OGRPoint centre;  // the parcels are rectangles: the centroid is inside
        REQUIRE(parcels[i].geometry->Centroid(&centre) == OGRERR_NONE);
        double lon = centre.getX(), lat = centre.getY();
        to_wgs84.apply(lon, lat);
        auto response = fetch(server.port(), lookup_target(lon, lat));
        INFO("parcel " << text_of(parcels[i], "parcels", "parcel_id") << " at " << lon << ", " << lat);
        REQUIRE(response.status == 200);
        CHECK(response.header("content-type") == "application/json");
        auto answer = json::parse(response.body);
        CHECK(answer["parcel"]["parcel_id"] == text_of(parcels[i], "parcels", "parcel_id"));
        CHECK(answer["parcel"]["land_use"] == text_of(parcels[i], "parcels", "land_use"));
        CHECK_FALSE(answer["parcel"]["land_use_name"]["vi"].get<std::string>().empty());
        CHECK(answer["ward"]["ward_code"] == holding(wards, "wards", "ward_code", centre));
        CHECK(answer["ward"]["unit"]["code"] == holding(wards, "wards", "unit_code", centre));
        CHECK(answer["zone"]["zone_id"] == holding(zones, "zones", "zone_id", centre));
        CHECK(answer["zone"]["land_uses"].is_array());
        auto protection = holding(heritage, "heritage_zones", "protection", centre);
        if (protection.empty()) {
            CHECK(answer["heritage_zone"].is_null());
        } else {
            ++in_heritage;
            CHECK(answer["heritage_zone"]["protection"] == protection);
        }

        // Alarm III: the grid's cell under the point, read by GDAL.
        float cell = 0;
        int col = static_cast<int>(std::floor((centre.getX() - gt[0]) / gt[1]));
        int row = static_cast<int>(std::floor((centre.getY() - gt[3]) / gt[5]));
        REQUIRE(depth->GetRasterBand(1)->RasterIO(GF_Read, col, row, 1, 1, &cell, 1, 1, GDT_Float32, 0, 0,
                                                  nullptr) == CE_None);
        bool wet = !std::isnan(cell) && cell != record->no_data.value_or(-9999) && cell > 0;
        json alarm_iii;
        for (const auto& stage : answer["flood"]["stages"])
            if (stage["result"] == "flood_depth_2.0m")
                alarm_iii = stage;
        REQUIRE(alarm_iii.is_object());
        CHECK(alarm_iii["label"] == "alarm III");
        CHECK(alarm_iii["flooded"] == wet);
        if (wet) {
            ++flooded;
            CHECK(alarm_iii["depth_m"].get<double>() == Approx(cell).margin(0.005));
            CHECK_FALSE(alarm_iii["risk"].is_null());
        }
        // This city has no coverage results: the answer says so.
        CHECK(answer["coverage"]["cameras"]["computed"] == false);
        CHECK(answer["coverage"]["lighting"]["computed"] == false);
        // The nearest drainage node within 1 km (its description's lookup
        // part): OGR's distance to every node.
        const Stored* nearest = nullptr;
        double nearest_m = INFINITY;
        for (const auto& node : nodes)
            if (double d = node.geometry->Distance(&centre); d < nearest_m) {
                nearest_m = d;
                nearest = &node;
            }
        const auto& node = answer["nearest"]["drainage_nodes"];
        if (nearest_m > 1000) {
            CHECK(node.is_null());
        } else {
            CHECK(node["node_id"] == text_of(*nearest, "drainage_nodes", "node_id"));
            CHECK(node["distance_m"].get<double>() == Approx(nearest_m).margin(0.051));
            ++near_node;
        }
        ++checked;
    }
    CHECK(checked >= 40);
    CHECK(near_node > 0);
    CHECK(flooded > 0);
    CHECK(in_heritage + flooded < checked);  // dry places outside the heritage zones were asked too
}

TEST_CASE("the lookup API lists the heritage sites within 100 m nearest first")
{
    ServerProcess server(sample_city());
    auto storage = core::open_city(sample_city(), core::Access::read_only);
    auto sites = stored(*storage, "heritage_sites");
    core::Transform to_city(core::Crs::wgs84(), core::Crs::from_user(storage->city().crs));
    // Beside Chùa Cầu, where several landmarks stand close together.
    const double lon = 108.3265, lat = 15.8774;
    double x = lon, y = lat;
    to_city.apply(x, y);
    OGRPoint here(x, y);
    std::size_t within = 0;
    for (const auto& s : sites)
        within += s.geometry->Distance(&here) <= 100 ? 1 : 0;
    REQUIRE(within >= 2);
    auto answer = json::parse(fetch(server.port(), lookup_target(lon, lat)).body);
    REQUIRE(answer["heritage_sites"].size() == within);
    double last = 0;
    for (const auto& s : answer["heritage_sites"]) {
        double d = s["distance_m"].get<double>();
        CHECK(d <= 100);
        CHECK(d >= last);
        last = d;
    }
}

TEST_CASE("the lookup API refuses bad coordinates with 400 and places outside the city with 404")
{
    ServerProcess server(sample_city());
    for (const char* query : {"", "?lon=108.33", "?lat=15.88", "?lon=abc&lat=15.88", "?lon=108.33&lat=",
                              "?lon=1e999&lat=15.88", "?lon=nan&lat=15.88", "?lon=inf&lat=15.88",
                              "?lon=200&lat=15.88", "?lon=108.33&lat=-91", "?lon=108.33x&lat=15.88",
                              "?lon=%20108.33&lat=15.88"}) {
        INFO(query);
        auto response = fetch(server.port(), std::string("/api/lookup") + query);
        CHECK(response.status == 400);
        CHECK(json::parse(response.body).contains("error"));
    }
    // The open sea east of the city, and the other side of the world.
    for (const char* query : {"?lon=108.45&lat=15.90", "?lon=0&lat=0"}) {
        INFO(query);
        auto response = fetch(server.port(), std::string("/api/lookup") + query);
        CHECK(response.status == 404);
        CHECK(json::parse(response.body).contains("error"));
    }
}

TEST_CASE("the parcel API lists the zones covering a parcel and its flooded share")
{
    ServerProcess server(sample_city());
    auto storage = core::open_city(sample_city(), core::Access::read_only);
    auto parcels = stored(*storage, "parcels");
    auto zones = stored(*storage, "zones");
    std::size_t checked = 0, flooded = 0;
    for (std::size_t i = 0; i < parcels.size(); i += parcels.size() / 20) {
        auto id = text_of(parcels[i], "parcels", "parcel_id");
        INFO(id);
        auto response = fetch(server.port(), "/api/parcels/" + id);
        REQUIRE(response.status == 200);
        auto answer = json::parse(response.body);
        CHECK(answer["parcel"]["parcel_id"] == id);
        // A sample parcel lies in one block: its zone covers all of it.
        OGRPoint centre;
        REQUIRE(parcels[i].geometry->Centroid(&centre) == OGRERR_NONE);
        REQUIRE(answer["zones"].size() == 1);
        CHECK(answer["zones"][0]["zone_id"] == holding(zones, "zones", "zone_id", centre));
        CHECK(answer["zones"][0]["share"] == 1.0);
        // Blocks follow the streets, not the ward boundaries: a parcel may
        // straddle two wards, and the answer names the one holding most of it.
        CHECK(answer["ward"]["share"].get<double>() >= 1.0 / 3);  // the largest of at most three
        CHECK(answer["ward"]["share"].get<double>() <= 1.0);
        for (const auto& stage : answer["flood"]["stages"]) {
            double share = stage["flooded_share"];
            CHECK(share >= 0);
            CHECK(share <= 1);
            CHECK((share > 0) == !stage["risk"].is_null());
            CHECK((share > 0) == (stage["max_depth_m"].get<double>() > 0));
            flooded += share > 0 ? 1 : 0;
        }
        // Depths rise with the stage.
        double last = 0;
        for (const auto& stage : answer["flood"]["stages"]) {
            CHECK(stage["max_depth_m"].get<double>() >= last);
            last = stage["max_depth_m"];
        }
        CHECK(answer["coverage"]["cameras"]["computed"] == false);
        ++checked;
    }
    CHECK(checked >= 20);
    CHECK(flooded > 0);
    for (const char* unknown : {"/api/parcels/P-0", "/api/parcels/%2e%2e", "/api/parcels/P-1%00"}) {
        INFO(unknown);
        auto response = fetch(server.port(), unknown);
        CHECK(response.status / 100 == 4);
        CHECK(response.status != 200);
        CHECK(json::parse(response.body).contains("error"));
    }
}

TEST_CASE("search finds wards streets and heritage sites without accents and by prefix")
{
    ServerProcess server(sample_city());
    auto first = [&](const std::string& query) {
        auto response = fetch(server.port(), "/api/search?q=" + query);
        REQUIRE(response.status == 200);
        auto answer = json::parse(response.body);
        REQUIRE_FALSE(answer["results"].empty());
        return answer["results"][0];
    };
    // The real names of data/hoian: wards.csv, wards_2025.csv and
    // heritage_landmarks.csv. A former ward by its name, labelled with the
    // unit it is part of now.
    CHECK(first("cam%20pho")["label"] == "Phường Hội An, formerly Phường Cẩm Phô");
    CHECK(first("cam%20pho")["kind"] == "ward");
    CHECK(first("chua+ca")["id"] == "HA-001");
    CHECK(first("CH%C3%99A%20C%E1%BA%A6U")["id"] == "HA-001");  // CHÙA CẦU
    auto minh_an = first("minh%20an");
    CHECK(minh_an["label"] == "Phường Hội An, formerly Phường Minh An");
    CHECK(minh_an["former"] == json{{"code", "20398"}, {"name", "Phường Minh An"}});
    CHECK(minh_an["unit"] == json{{"code", "hoi-an"}, {"name", "Phường Hội An"}, {"kind", "ward"}});
    // The units by their names, each at a place the lookup finds in it.
    for (auto [query, code, name] : {std::tuple{"hoi+an+tay", "hoi-an-tay", "Phường Hội An Tây"},
                                     std::tuple{"H%E1%BB%99i%20An%20%C4%90%C3%B4ng", "hoi-an-dong", "Phường Hội An Đông"},
                                     std::tuple{"hoi+an", "hoi-an", "Phường Hội An"}}) {
        auto unit = first(query);
        INFO(unit.dump());
        CHECK(unit["kind"] == "ward");
        CHECK(unit["id"] == code);
        CHECK(unit["label"] == name);
        auto there = get_json(server.port(), lookup_target(unit["lon"].get<double>(), unit["lat"].get<double>()));
        CHECK(there["ward"]["unit"]["code"] == code);
    }
    // A commune left as it was is found once, as the unit it is now.
    auto tan_hiep = fetch(server.port(), "/api/search?q=tan+hiep");
    REQUIRE(tan_hiep.status == 200);
    auto tan_hiep_hits = json::parse(tan_hiep.body)["results"];
    REQUIRE(tan_hiep_hits.size() == 1);
    CHECK(tan_hiep_hits[0]["label"] == "Xã Tân Hiệp");
    CHECK(tan_hiep_hits[0]["unit"]["code"] == "tan-hiep");
    auto hit = first("chua+ca");
    CHECK(hit["lon"].get<double>() == Approx(108.3261).margin(1e-6));
    CHECK(hit["lat"].get<double>() == Approx(15.8772).margin(1e-6));

    // A parcel id's prefix finds parcels whose ids start so, at most `limit`.
    auto response = fetch(server.port(), "/api/search?q=P-12&limit=5");
    REQUIRE(response.status == 200);
    auto results = json::parse(response.body)["results"];
    CHECK(results.size() == 5);
    for (const auto& r : results)
        CHECK(r["id"].get<std::string>().rfind("P-12", 0) == 0);

    for (const char* bad : {"/api/search", "/api/search?q=", "/api/search?q=%21%21", "/api/search?q=pho&limit=0",
                            "/api/search?q=pho&limit=51", "/api/search?q=pho&limit=x"}) {
        INFO(bad);
        auto r = fetch(server.port(), bad);
        CHECK(r.status == 400);
        CHECK(json::parse(r.body).contains("error"));
    }
}

namespace {

// The cells of the line of a data/hoian CSV file whose first cell is `key`.
std::vector<std::string> csv_line(const std::string& file, const std::string& key)
{
    std::ifstream csv(hoian_data(file));
    for (std::string line; std::getline(csv, line);) {
        std::vector<std::string> cells;
        std::stringstream s(line);
        for (std::string cell; std::getline(s, cell, ',');)
            cells.push_back(cell);
        if (!cells.empty() && cells[0] == key)
            return cells;
    }
    FAIL("no line " << key << " in " << file);
    return {};
}

}  // namespace

TEST_CASE("the lookup at Chùa Cầu names Phường Hội An and the former ward it stands in")
{
    ServerProcess server(sample_city());
    auto storage = core::open_city(sample_city(), core::Access::read_only);
    auto wards = stored(*storage, "wards");
    core::Transform to_city(core::Crs::wgs84(), core::Crs::from_user(storage->city().crs));
    const json hoi_an = {{"code", "hoi-an"}, {"name", "Phường Hội An"}, {"kind", "ward"}};
    auto formed_from = csv_line("wards_2025.csv", "hoi-an").at(5);  // the former ward codes

    // Chùa Cầu (heritage_landmarks.csv) stands on the line between Minh An
    // and Cẩm Phô, whose wards the sample draws synthetically: its former
    // ward is the one the stored wards hold it in, one of Phường Hội An's.
    auto bridge = csv_line("heritage_landmarks.csv", "HA-001");
    double lon = std::stod(bridge.at(5)), lat = std::stod(bridge.at(6));
    double x = lon, y = lat;
    to_city.apply(x, y);
    OGRPoint at(x, y);
    auto code = holding(wards, "wards", "ward_code", at);
    auto name = holding(wards, "wards", "name", at);
    REQUIRE_FALSE(code.empty());
    CHECK(formed_from.find(code) != std::string::npos);
    auto ward = get_json(server.port(), lookup_target(lon, lat))["ward"];
    INFO(ward.dump());
    CHECK(ward["unit"] == hoi_an);
    CHECK(ward["former"] == json{{"code", code}, {"name", name}});
    CHECK(ward["label"] == "Phường Hội An, formerly " + name);
    // Old clients read the ward's own fields, as before.
    CHECK(ward["ward_code"] == code);
    CHECK(ward["name"] == name);

    // At Minh An's own point (wards.csv; inside its ward, test_sample_city.cpp).
    auto minh_an = csv_line("wards.csv", "20398");
    auto there = get_json(server.port(), lookup_target(std::stod(minh_an.at(3)), std::stod(minh_an.at(4))))["ward"];
    INFO(there.dump());
    CHECK(there["unit"] == hoi_an);
    CHECK(there["former"] == json{{"code", "20398"}, {"name", "Phường Minh An"}});
    CHECK(there["label"] == "Phường Hội An, formerly Phường Minh An");
}

TEST_CASE("a result file missing beside the database makes that result unavailable and the rest answers")
{
    // A copy of the flooded sample city without the file of alarm III's depths.
    TempDir dir;
    auto city = copy_city(sample_city(), dir, ".flood_depth_2.0m.");
    std::string missing;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(sample_city()).parent_path()))
        if (entry.path().filename().string().find(".flood_depth_2.0m.") != std::string::npos)
            missing = entry.path().filename().string();
    REQUIRE_FALSE(missing.empty());

    ServerProcess server(city);
    auto answer = get_json(server.port(), "/api/lookup?lon=108.3265&lat=15.8774");
    REQUIRE(answer["unavailable"].size() == 1);
    CHECK(answer["unavailable"][0]["result"] == "flood_depth_2.0m");
    CHECK_THAT(answer["unavailable"][0]["problem"].get<std::string>(), Catch::Contains(missing));
    CHECK(answer["unavailable"][0]["recompute"] == "lantern flood " + city);
    // The other stage still answers.
    REQUIRE_FALSE(answer["flood"]["stages"].empty());
    for (const auto& stage : answer["flood"]["stages"])
        CHECK(stage["result"] != "flood_depth_2.0m");

    auto catalog = get_json(server.port(), "/catalog");
    REQUIRE(catalog["unavailable"].size() == 1);
    CHECK(catalog["unavailable"][0]["result"] == "flood_depth_2.0m");
    auto hits = get_json(server.port(), "/api/search?q=P-1&limit=1")["results"];
    REQUIRE(hits.size() == 1);
    REQUIRE(hits[0]["kind"] == "parcel");
    auto parcel = get_json(server.port(), "/api/parcels/" + hits[0]["id"].get<std::string>());
    CHECK(parcel["unavailable"][0]["result"] == "flood_depth_2.0m");

    // lantern validate names the file.
    auto validated = run_lantern({"validate", city});
    CHECK(validated.exit_code != 0);
    CHECK_THAT(validated.out + validated.err, Catch::Contains(missing));
}

TEST_CASE("a lookup read again after an analysis answers as one read afresh, sharing what did not change")
{
    TempDir dir;
    auto city = copy_city(sample_city(), dir);
    auto storage = core::open_city(city, core::Access::read_only);
    layers::CityLookup before(*storage);
    REQUIRE(run_lantern({"flood", city, "--stage", "2.7", "-q"}).exit_code == 0);
    layers::CityLookup again(*storage, &before);
    layers::CityLookup afresh(*storage);

    // A lattice over the wards' extent, and parcels found by their ids.
    core::Transform to_wgs84(core::Crs::from_user(storage->city().crs), core::Crs::wgs84());
    auto extent = storage->class_record("wards")->extent.value();
    std::size_t answered = 0, at_new_stage = 0;
    for (int i = 0; i < 30; ++i)
        for (int j = 0; j < 30; ++j) {
            double x = extent.min_x + (extent.max_x - extent.min_x) * (i + 0.5) / 30;
            double y = extent.min_y + (extent.max_y - extent.min_y) * (j + 0.5) / 30;
            to_wgs84.apply(x, y);
            auto a = again.at(x, y), b = afresh.at(x, y);
            REQUIRE(a.has_value() == b.has_value());
            if (!a)
                continue;
            CHECK(*a == *b);
            ++answered;
            at_new_stage += a->find("flood_depth_2.7m") != std::string::npos;
        }
    CHECK(answered > 40);  // the wards' extent holds the islands' sea too
    CHECK(at_new_stage == answered);  // every answer lists the new stage
    for (const auto& hit : afresh.search("P-1", 5)) {
        REQUIRE(hit.contains("id"));
        CHECK(again.parcel(hit["id"]) == afresh.parcel(hit["id"]));
    }
    CHECK(again.search("cam pho", 10) == afresh.search("cam pho", 10));
}
