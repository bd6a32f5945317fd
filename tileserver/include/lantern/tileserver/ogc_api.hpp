#pragma once
// OGC API - Features, Part 1: Core (OGC 17-069r4) under /ogc, for QGIS,
// GDAL and other open-data clients (docs/api.md):
//
//   /ogc                                   landing page
//   /ogc/conformance                       the conformance classes
//   /ogc/collections                       every feature class and current feature result
//   /ogc/collections/{id}                  one of them
//   /ogc/collections/{id}/items            GeoJSON in CRS84: limit, offset, bbox, field=value
//   /ogc/collections/{id}/items/{featureId}
//
// A collection's features are read on first use into memory (in WGS 84,
// with their boxes and values) and read again after the city changes.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/tiles.hpp>
#include <lantern/tileserver/http.hpp>
#include <lantern/tileserver/request_target.hpp>

namespace lantern::tileserver {

class OgcApi {
public:
    OgcApi(std::string city_path, layers::TileSet& tiles);
    ~OgcApi();

    // Answers a path below /ogc (segments after "ogc"); base_url is
    // "http://host:port". Throws only on storage failures.
    Response handle(const std::vector<std::string>& path, const RequestTarget& target, const std::string& base_url);

    // After the city changed (the city watcher calls it, one call at a
    // time): reads again, beside those served, the collections read so far
    // whose content changed, and swaps them in.
    void reload();

    struct Collection;

private:
    Response landing(const std::string& base) const;
    Response conformance() const;
    Response collections(const std::string& base);
    Response collection(const std::string& id, const std::string& base);
    Response items(const std::string& id, const RequestTarget& target, const std::string& base);
    Response item(const std::string& id, const std::string& feature_id, const std::string& base);
    // The collection's features as last read; nullptr for an unknown id.
    std::shared_ptr<const Collection> features_of(const std::string& id);
    std::shared_ptr<const Collection> load(const core::Storage& storage, const std::string& id) const;

    std::string m_city_path;
    layers::TileSet& m_tiles;
    std::mutex m_mutex;  // over m_loaded
    std::map<std::string, std::shared_ptr<const Collection>> m_loaded;
    std::mutex m_request_storage_mutex;
    std::unique_ptr<core::Storage> m_request_storage;  // first reads of a collection
    std::unique_ptr<core::Storage> m_reload_storage;   // reload()'s, on the city watcher's thread
};

}  // namespace lantern::tileserver
