// OGC API - Features under /ogc on the sample city, read by GDAL's own OGC
// API client (the OAPIF driver, as `ogrinfo OAPIF:...` and QGIS use it) and
// page by page over HTTP.

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>

#include "tileserver/http_client.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

namespace {

// The id field's values of a class as stored.
std::multiset<std::string> stored_ids(const core::Storage& storage, const std::string& cls,
                                      const std::string& only_field = {}, const std::string& only_value = {})
{
    const auto& schema = layers::feature_class(cls);
    std::size_t id = 0, only = 0;
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        id = schema.fields[i].name == schema.id_field ? i : id;
        only = schema.fields[i].name == only_field ? i : only;
    }
    std::multiset<std::string> out;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        if (only_field.empty() || core::to_display(f.values[only]) == only_value)
            out.insert(std::get<std::string>(f.values[id]));
    });
    return out;
}

}  // namespace

TEST_CASE("GDAL's OGC API client lists the collections and reads every feature of a class")
{
    ServerProcess server(sample_city());
    auto storage = core::open_city(sample_city(), core::Access::read_only);
    core::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(("OAPIF:" + server.url() + "/ogc").c_str(),
                                              GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::set<std::string> names;
    for (auto* layer : ds->GetLayers())
        names.insert(layer->GetName());
    for (const auto& record : storage->class_records()) {
        INFO(record.name);
        CHECK(names.count(record.name) == 1);
    }
    for (const char* cls : {"wards", "heritage_sites", "zones"}) {
        INFO(cls);
        auto* layer = ds->GetLayerByName(cls);
        REQUIRE(layer);
        std::multiset<std::string> ids;
        const auto& id_field = layers::feature_class(cls).id_field;
        for (auto& feature : *layer) {
            ids.insert(feature->GetFieldAsString(id_field.c_str()));
            const auto* g = feature->GetGeometryRef();
            REQUIRE(g);
            OGREnvelope e;
            g->getEnvelope(&e);
            // WGS 84 longitude and latitude around Hoi An (the sea aside).
            CHECK(e.MinX > 107.5);
            CHECK(e.MaxX < 109.0);
            CHECK(e.MinY > 15.0);
            CHECK(e.MaxY < 16.5);
        }
        CHECK(ids == stored_ids(*storage, cls));
    }
}

TEST_CASE("OGC API items pages return every feature exactly once and filter by box and field")
{
    ServerProcess server(sample_city());
    auto storage = core::open_city(sample_city(), core::Access::read_only);
    auto expected = stored_ids(*storage, "parcels");
    std::multiset<std::string> seen;
    std::string next = "/ogc/collections/parcels/items?limit=997";
    std::size_t pages = 0;
    while (!next.empty()) {
        auto response = fetch(server.port(), next);
        REQUIRE(response.status == 200);
        CHECK(response.header("content-type") == "application/geo+json");
        auto page = json::parse(response.body);
        CHECK(page["numberMatched"] == expected.size());
        CHECK(page["numberReturned"] == page["features"].size());
        for (const auto& f : page["features"])
            seen.insert(f["id"].get<std::string>());
        next.clear();
        for (const auto& link : page["links"])
            if (link["rel"] == "next") {
                auto href = link["href"].get<std::string>();
                next = href.substr(href.find("/ogc/"));
            }
        ++pages;
        REQUIRE(pages < 1000);
    }
    CHECK(pages == (expected.size() + 996) / 997);
    CHECK(seen == expected);

    // A field filter, and a box (the Ancient Town) with and without it.
    auto relics = json::parse(fetch(server.port(), "/ogc/collections/parcels/items?land_use=DDT&limit=10000").body);
    std::multiset<std::string> relic_ids;
    for (const auto& f : relics["features"]) {
        CHECK(f["properties"]["land_use"] == "DDT");
        relic_ids.insert(f["id"].get<std::string>());
    }
    CHECK(relic_ids == stored_ids(*storage, "parcels", "land_use", "DDT"));
    auto boxed = json::parse(fetch(server.port(), "/ogc/collections/parcels/items?bbox=108.323,15.875,108.333,15.880&limit=10000").body);
    CHECK(boxed["numberMatched"].get<std::size_t>() > 0);
    CHECK(boxed["numberMatched"].get<std::size_t>() < expected.size());
    for (const auto& f : boxed["features"]) {
        bool inside = false;
        for (const auto& ring : f["geometry"]["coordinates"])
            for (const auto& p : ring.size() && ring[0][0].is_array() ? ring[0] : ring)
                inside = inside || (p[0] >= 108.323 && p[0] <= 108.333 && p[1] >= 15.875 && p[1] <= 15.880);
        CHECK(inside);
    }

    auto one = fetch(server.port(), "/ogc/collections/parcels/items/" + *expected.begin());
    CHECK(one.status == 200);
    CHECK(json::parse(one.body)["id"] == *expected.begin());
    CHECK(json::parse(fetch(server.port(), "/ogc/collections/parcels/items?limit=20000").body)["numberReturned"] == 10000);
    for (const char* bad : {"/ogc/collections/parcels/items?limit=0", "/ogc/collections/parcels/items?limit=x",
                            "/ogc/collections/parcels/items?offset=-1", "/ogc/collections/parcels/items?bbox=1,2,3",
                            "/ogc/collections/parcels/items?bbox=2,2,1,3", "/ogc/collections/parcels/items?colour=red",
                            "/ogc/collections/parcels/items?f=xml"}) {
        INFO(bad);
        auto r = fetch(server.port(), bad);
        CHECK(r.status == 400);
        CHECK(json::parse(r.body).contains("error"));
    }
    for (const char* missing : {"/ogc/collections/parks", "/ogc/collections/parks/items",
                                "/ogc/collections/parcels/items/P-0", "/ogc/nothing"}) {
        INFO(missing);
        CHECK(fetch(server.port(), missing).status == 404);
    }
}

TEST_CASE("the OGC landing page links its API definition and the OpenAPI document names every path")
{
    ServerProcess server(sample_city());
    auto landing = json::parse(fetch(server.port(), "/ogc").body);
    std::set<std::string> rels;
    for (const auto& link : landing["links"])
        rels.insert(link["rel"].get<std::string>());
    CHECK(rels == std::set<std::string>{"self", "service-desc", "conformance", "data"});
    auto conformance = json::parse(fetch(server.port(), "/ogc/conformance").body);
    CHECK(conformance["conformsTo"].size() == 3);
    auto openapi = json::parse(fetch(server.port(), "/api/openapi.json").body);
    CHECK(openapi["openapi"] == "3.0.3");
    CHECK(openapi["servers"][0]["url"] == server.url());
    for (const char* path : {"/api/lookup", "/api/parcels/{parcelId}", "/api/search", "/ogc", "/ogc/conformance",
                             "/ogc/collections", "/ogc/collections/{collectionId}",
                             "/ogc/collections/{collectionId}/items",
                             "/ogc/collections/{collectionId}/items/{featureId}"}) {
        INFO(path);
        CHECK(openapi["paths"].contains(path));
    }
}
