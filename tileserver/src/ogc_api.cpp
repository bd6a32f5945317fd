#include <lantern/tileserver/ogc_api.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <set>
#include <unordered_map>

#include <cpl_string.h>
#include <nlohmann/json.hpp>
#include <ogr_api.h>
#include <ogr_geometry.h>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/utf8.hpp>
#include <lantern/core/crs/crs.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>
#include <lantern/tileserver/lookup_api.hpp>
#include <lantern/tileserver/service.hpp>

namespace lantern::tileserver {

using nlohmann::json;

struct OgcApi::Collection {
    struct Item {
        std::string id;
        core::Bounds box;  // WGS 84
        std::vector<core::Value> values;
        std::string geometry;  // GeoJSON, CRS84
    };
    layers::TileLayerInfo info;
    core::ClassSchema schema;
    std::vector<Item> items;
    std::unordered_map<std::string, std::size_t> by_id;
};

namespace {

constexpr const char* crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
constexpr std::size_t default_limit = 10;
constexpr std::size_t max_limit = 10000;

Response json_answer(const std::string& body, const char* type = "application/json")
{
    Response response;
    response.result(http::status::ok);
    response.set(http::field::content_type, type);
    response.set(http::field::cache_control, "no-cache");
    response.body() = body;
    return response;
}

json link(const std::string& href, const char* rel, const char* type, const std::string& title = {})
{
    json l = {{"href", href}, {"rel", rel}, {"type", type}};
    if (!title.empty())
        l["title"] = title;
    return l;
}

std::string url_encode(std::string_view text)
{
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// The request's query with offset set to a value, for self and next links.
std::string query_with_offset(const RequestTarget& target, std::size_t offset)
{
    std::string out;
    for (const auto& [key, value] : target.query)
        if (key != "offset")
            out += (out.empty() ? "?" : "&") + url_encode(key) + "=" + url_encode(value);
    if (offset > 0)
        out += (out.empty() ? "?" : "&") + std::string("offset=") + std::to_string(offset);
    return out;
}

std::optional<std::size_t> parse_count(const std::string& text)
{
    std::size_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size())
        return std::nullopt;
    if (ec == std::errc::result_out_of_range)
        return SIZE_MAX;
    return value;
}

std::optional<core::Bounds> parse_bbox(const std::string& text)
{
    std::vector<double> numbers;
    for (std::size_t start = 0; start <= text.size();) {
        auto comma = std::min(text.find(',', start), text.size());
        auto number = parse_degrees(std::string_view(text).substr(start, comma - start));
        if (!number)
            return std::nullopt;
        numbers.push_back(*number);
        start = comma + 1;
    }
    if (numbers.size() != 4 || numbers[0] > numbers[2] || numbers[1] > numbers[3])
        return std::nullopt;
    return core::Bounds{numbers[0], numbers[1], numbers[2], numbers[3]};
}

bool overlaps(const core::Bounds& a, const core::Bounds& b)
{
    return a.min_x <= b.max_x && b.min_x <= a.max_x && a.min_y <= b.max_y && b.min_y <= a.max_y;
}

std::string feature_json(const OgcApi::Collection& c, const OgcApi::Collection::Item& item)
{
    json properties = json::object();
    for (std::size_t f = 0; f < c.schema.fields.size() && f < item.values.size(); ++f)
        properties[c.schema.fields[f].name] = core::value_json(item.values[f]);
    return R"({"type":"Feature","id":)" + json(item.id).dump() + R"(,"geometry":)" + item.geometry +
           R"(,"properties":)" + properties.dump() + "}";
}

std::string now_utc()
{
    auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace

OgcApi::OgcApi(std::string city_path, layers::TileSet& tiles) : m_city_path(std::move(city_path)), m_tiles(tiles) {}

OgcApi::~OgcApi() = default;

std::shared_ptr<const OgcApi::Collection> OgcApi::load(const core::Storage& storage, const std::string& id) const
{
    auto info = m_tiles.layer(id);
    if (!info)
        return nullptr;
    auto c = std::make_shared<Collection>();
    c->info = *info;
    if (info->kind == "class") {
        c->schema = layers::city_classes(storage).get(id).schema;
    } else {
        auto record = storage.result_record(id);
        if (!record)
            return nullptr;
        c->schema = record->schema;
    }
    std::size_t id_field = c->schema.fields.size();
    for (std::size_t f = 0; f < c->schema.fields.size(); ++f)
        if (c->schema.fields[f].name == c->schema.id_field)
            id_field = f;
    core::Transform to_wgs84(core::Crs::from_user(storage.city().crs), core::Crs::wgs84());
    char** options = CSLSetNameValue(nullptr, "COORDINATE_PRECISION", "7");
    storage.scan(c->schema, [&](const core::StoredFeature& f) {
        OGRGeometry* raw = nullptr;
        if (OGRGeometryFactory::createFromWkb(f.wkb.data(), nullptr, &raw, f.wkb.size()) != OGRERR_NONE)
            throw core::StorageError(id + " feature " + std::to_string(f.fid) + ": unreadable geometry");
        std::unique_ptr<OGRGeometry> g(raw);
        if (!to_wgs84.apply(*g))
            throw core::StorageError(id + " feature " + std::to_string(f.fid) + ": cannot be put in WGS 84");
        OGREnvelope e;
        g->getEnvelope(&e);
        char* geometry = OGR_G_ExportToJsonEx(OGRGeometry::ToHandle(g.get()), options);
        Collection::Item item;
        const auto* key = id_field < f.values.size() ? std::get_if<std::string>(&f.values[id_field]) : nullptr;
        item.id = key ? *key : std::to_string(f.fid);
        item.box = {e.MinX, e.MinY, e.MaxX, e.MaxY};
        item.values = f.values;
        item.geometry = geometry ? geometry : "null";
        CPLFree(geometry);
        c->by_id.emplace(item.id, c->items.size());
        c->items.push_back(std::move(item));
    });
    CSLDestroy(options);
    return c;
}

std::shared_ptr<const OgcApi::Collection> OgcApi::features_of(const std::string& id)
{
    {
        std::lock_guard lock(m_mutex);
        if (auto found = m_loaded.find(id); found != m_loaded.end())
            return found->second;
    }
    // A collection asked for the first time is read now, one at a time on
    // the requests' connection; those read before are served meanwhile.
    std::lock_guard reading(m_request_storage_mutex);
    {
        std::lock_guard lock(m_mutex);
        if (auto found = m_loaded.find(id); found != m_loaded.end())
            return found->second;
    }
    if (!m_request_storage)
        m_request_storage = core::open_city(m_city_path, core::Access::read_only);
    auto c = load(*m_request_storage, id);
    if (c) {
        std::lock_guard lock(m_mutex);
        m_loaded[id] = c;
    }
    return c;
}

void OgcApi::reload()
{
    std::map<std::string, std::shared_ptr<const Collection>> before;
    {
        std::lock_guard lock(m_mutex);
        before = m_loaded;
    }
    if (!m_reload_storage)
        m_reload_storage = core::open_city(m_city_path, core::Access::read_only);
    // A collection whose content did not change (an analysis commits only
    // results) is kept as it is; the others are read again.
    std::map<std::string, std::shared_ptr<const Collection>> fresh;
    for (const auto& [name, collection] : before) {
        auto now = m_tiles.layer(name);
        if (!now)
            continue;
        if (now->version == collection->info.version && now->updated == collection->info.updated)
            fresh[name] = collection;
        else if (auto c = load(*m_reload_storage, name))
            fresh[name] = std::move(c);
    }
    std::lock_guard lock(m_mutex);
    m_loaded = std::move(fresh);
}

Response OgcApi::handle(const std::vector<std::string>& path, const RequestTarget& target, const std::string& base)
{
    if (path.empty() || (path.size() == 1 && path[0].empty()))
        return landing(base);
    if (path.size() == 1 && path[0] == "conformance")
        return conformance();
    if (path.size() == 1 && path[0] == "collections")
        return collections(base);
    if (path.size() == 2 && path[0] == "collections")
        return collection(path[1], base);
    if (path.size() == 3 && path[0] == "collections" && path[2] == "items")
        return items(path[1], target, base);
    if (path.size() == 4 && path[0] == "collections" && path[2] == "items")
        return item(path[1], path[3], base);
    return error_response(http::status::not_found, "no such path: see /ogc for the OGC API - Features");
}

Response OgcApi::landing(const std::string& base) const
{
    json page = {
        {"title", m_tiles.city_name() + ": OGC API - Features"},
        {"description", "Every feature class and current analysis result of the city, as GeoJSON in WGS 84."},
        {"links",
         {link(base + "/ogc", "self", "application/json", "this document"),
          link(base + "/api/openapi.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0",
               "the API definition"),
          link(base + "/ogc/conformance", "conformance", "application/json", "conformance classes"),
          link(base + "/ogc/collections", "data", "application/json", "the collections")}}};
    return json_answer(page.dump());
}

Response OgcApi::conformance() const
{
    json classes = {{"conformsTo",
                     {"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                      "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                      "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"}}};
    return json_answer(classes.dump());
}

namespace {

json collection_json(const layers::TileLayerInfo& layer, const std::string& base)
{
    std::string self = base + "/ogc/collections/" + layer.name;
    json c = {{"id", layer.name},
              {"title", layer.name},
              {"description", layer.description},
              {"itemType", "feature"},
              {"crs", {crs84}},
              {"links",
               {link(self, "self", "application/json"),
                link(self + "/items", "items", "application/geo+json", "the features")}}};
    if (layer.bounds)
        c["extent"] = {{"spatial",
                        {{"bbox", {{layer.bounds->min_x, layer.bounds->min_y, layer.bounds->max_x, layer.bounds->max_y}}},
                         {"crs", crs84}}}};
    return c;
}

}  // namespace

Response OgcApi::collections(const std::string& base)
{
    json list = json::array();
    for (const auto& layer : m_tiles.layers())
        list.push_back(collection_json(layer, base));
    json page = {{"links", {link(base + "/ogc/collections", "self", "application/json")}}, {"collections", list}};
    return json_answer(page.dump());
}

Response OgcApi::collection(const std::string& id, const std::string& base)
{
    auto layer = m_tiles.layer(id);
    if (!layer)
        return error_response(http::status::not_found, "no collection " + core::printable(id) + " (see /ogc/collections)");
    return json_answer(collection_json(*layer, base).dump());
}

Response OgcApi::items(const std::string& id, const RequestTarget& target, const std::string& base)
{
    auto c = features_of(id);
    if (!c)
        return error_response(http::status::not_found, "no collection " + core::printable(id) + " (see /ogc/collections)");
    std::size_t limit = default_limit, offset = 0;
    std::optional<core::Bounds> box;
    std::vector<std::pair<std::size_t, std::string>> filters;  // field, value
    for (const auto& [key, value] : target.query) {
        if (key == "limit") {
            auto n = parse_count(value);
            if (!n || *n == 0)
                return error_response(http::status::bad_request, "limit must be a whole number from 1");
            limit = std::min(*n, max_limit);
        } else if (key == "offset") {
            auto n = parse_count(value);
            if (!n)
                return error_response(http::status::bad_request, "offset must be a whole number from 0");
            offset = *n;
        } else if (key == "bbox") {
            box = parse_bbox(value);
            if (!box)
                return error_response(http::status::bad_request,
                                      "bbox must be four numbers WEST,SOUTH,EAST,NORTH in WGS 84 degrees");
        } else if (key == "f") {
            if (value != "json" && value != "geojson")
                return error_response(http::status::bad_request, "f must be json or geojson");
        } else {
            std::size_t field = c->schema.fields.size();
            for (std::size_t k = 0; k < c->schema.fields.size(); ++k)
                if (c->schema.fields[k].name == key)
                    field = k;
            if (field == c->schema.fields.size())
                return error_response(http::status::bad_request,
                                      "unknown parameter " + core::printable(key) +
                                          ": limit, offset, bbox, f or a field of the collection");
            filters.emplace_back(field, value);
        }
    }
    std::size_t matched = 0;
    std::string features;
    std::size_t returned = 0;
    for (const auto& item : c->items) {
        if (box && !overlaps(*box, item.box))
            continue;
        bool keep = true;
        for (const auto& [field, value] : filters)
            keep = keep && field < item.values.size() && core::to_display(item.values[field]) == value;
        if (!keep)
            continue;
        if (matched++ < offset || returned >= limit)
            continue;
        features += (returned++ ? "," : "") + feature_json(*c, item);
    }
    std::string self = base + "/ogc/collections/" + id + "/items";
    json links = {link(self + query_with_offset(target, offset), "self", "application/geo+json"),
                  link(base + "/ogc/collections/" + id, "collection", "application/json")};
    if (offset + returned < matched)
        links.push_back(link(self + query_with_offset(target, offset + returned), "next", "application/geo+json",
                             "the next page"));
    std::string body = R"({"type":"FeatureCollection","numberMatched":)" + std::to_string(matched) +
                       R"(,"numberReturned":)" + std::to_string(returned) + R"(,"timeStamp":")" + now_utc() +
                       R"(","links":)" + links.dump() + R"(,"features":[)" + features + "]}";
    return json_answer(body, "application/geo+json");
}

Response OgcApi::item(const std::string& id, const std::string& feature_id, const std::string& base)
{
    auto c = features_of(id);
    if (!c)
        return error_response(http::status::not_found, "no collection " + core::printable(id) + " (see /ogc/collections)");
    auto found = c->by_id.find(feature_id);
    if (found == c->by_id.end())
        return error_response(http::status::not_found,
                              "no feature " + core::printable(feature_id) + " in " + core::printable(id));
    std::string self = base + "/ogc/collections/" + id + "/items/" + url_encode(feature_id);
    json links = {link(self, "self", "application/geo+json"),
                  link(base + "/ogc/collections/" + id, "collection", "application/json")};
    std::string body = feature_json(*c, c->items[found->second]);
    body.insert(body.size() - 1, R"(,"links":)" + links.dump());
    return json_answer(body, "application/geo+json");
}

}  // namespace lantern::tileserver
