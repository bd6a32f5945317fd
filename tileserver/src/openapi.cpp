#include <lantern/tileserver/openapi.hpp>

#include <lantern/layers/catalogue.hpp>

namespace lantern::tileserver {

namespace {

using nlohmann::json;

json query_parameter(const char* name, const char* description, json schema, bool required = false)
{
    return {{"name", name}, {"in", "query"}, {"description", description}, {"required", required}, {"schema", schema}};
}

json path_parameter(const char* name, const char* description)
{
    return {{"name", name}, {"in", "path"}, {"description", description}, {"required", true},
            {"schema", {{"type", "string"}}}};
}

// A GET operation answering JSON (or GeoJSON) with the given error statuses.
json get(const char* summary, const char* id, json parameters, const char* type, std::initializer_list<const char*> errors,
         json answer = {{"type", "object"}})
{
    json responses = {{"200", {{"description", "the answer"},
                               {"content", {{type, {{"schema", answer}}}}}}}};
    for (const char* status : errors)
        responses[status] = {{"$ref", "#/components/responses/Error"}};
    return {{"get", {{"summary", summary}, {"operationId", id}, {"parameters", parameters}, {"responses", responses}}}};
}

}  // namespace

namespace {

// A ward in the answers (docs/api.md): its fields, the unit it is part of
// now after a reorganisation (null where the ward itself is current), the
// ward as it was where it has a unit, and a label naming both.
json ward_answer()
{
    json text = {{"type", "string"}};
    json text_or_null = {{"type", "string"}, {"nullable", true}};
    json unit = {{"type", "object"},
                 {"nullable", true},
                 {"description", "the administrative unit the ward is part of now, after a reorganisation; null where "
                                 "the ward itself is current"},
                 {"required", {"code", "name", "kind"}},
                 {"properties", {{"code", text}, {"name", text_or_null}, {"kind", text_or_null}}}};
    json former = {{"type", "object"},
                   {"description", "the ward as land records and older plans name it; only where it has a unit"},
                   {"required", {"code", "name"}},
                   {"properties", {{"code", text}, {"name", text}}}};
    return {{"type", "object"},
            {"required", {"ward_code", "name", "unit", "label"}},
            {"properties",
             {{"ward_code", text},
              {"name", text},
              {"kind", text_or_null},
              {"unit", unit},
              {"former", former},
              {"label", {{"type", "string"},
                         {"description", "the unit and the former ward, \"Phường Hội An, formerly Phường Minh An\"; "
                                         "the ward's name where it has no unit"}}}}}};
}

// A building's fire access (docs/api.md, docs/fire.md): its fire_access
// row's route, hose and hydrant with the flags, and the sentence saying
// them in English and Vietnamese; "computed" false with a note where the
// city has no current fire_access result.
json fire_building()
{
    json number_or_null = {{"type", "number"}, {"nullable", true}};
    json text_or_null = {{"type", "string"}, {"nullable", true}};
    json flag = {{"type", "boolean"}};
    json sentence = {{"type", "object"},
                     {"required", {"en", "vi"}},
                     {"properties", {{"en", {{"type", "string"}}}, {"vi", {{"type", "string"}}}}}};
    return {{"type", "object"},
            {"required", {"computed"}},
            {"properties",
             {{"computed", flag},
              {"note", {{"type", "string"}}},
              {"result", {{"type", "string"}}},
              {"building_id", {{"type", "string"}}},
              {"distance_m", {{"type", "number"}, {"description", "from the point to the building, 0 inside it"}}},
              {"station_id", text_or_null},
              {"station_name", text_or_null},
              {"time_s", number_or_null},
              {"route_m", number_or_null},
              {"hose_m", number_or_null},
              {"hydrant_id", text_or_null},
              {"hydrant_m", number_or_null},
              {"beyond_target", flag},
              {"beyond_hose", flag},
              {"no_hydrant", flag},
              {"unreachable", flag},
              {"stage_m", {{"type", "number"}, {"description", "only for a run at a river stage"}}},
              {"lost_access", flag},
              {"extra_s", number_or_null},
              {"dry_time_s", number_or_null},
              {"dry_route_m", number_or_null},
              {"sentence", sentence}}}};
}

// The parcel's answer: its members are in docs/api.md; "ward" is the ward
// holding most of it, with its share; "fire" the fire access of the
// buildings whose centre lies on it.
json parcel_answer()
{
    json ward = ward_answer();
    ward["nullable"] = true;
    ward["properties"]["share"] = {{"type", "number"}};
    json fire = {{"type", "object"},
                 {"required", {"computed"}},
                 {"properties",
                  {{"computed", {{"type", "boolean"}}},
                   {"note", {{"type", "string"}}},
                   {"buildings", {{"type", "array"}, {"items", fire_building()}}}}}};
    return {{"type", "object"},
            {"required", {"parcel", "ward", "fire"}},
            {"properties", {{"ward", ward}, {"fire", fire}}}};
}

// The lookup's answer: its members are in docs/api.md; "nearest" holds, for
// every point class whose description has a lookup part (built in or added
// by the city), the nearest feature within its radius or null; "fire" the
// fire access of the building at the point, or null where none is near.
json lookup_answer()
{
    json fire = fire_building();
    fire["nullable"] = true;
    fire["description"] = "the building holding the point, else the nearest within 30 m; null where none is";
    json feature = {{"type", "object"},
                    {"nullable", true},
                    {"description", "the class's tile fields and its id"},
                    {"required", {"distance_m"}},
                    {"properties", {{"distance_m", {{"type", "number"}, {"description", "metres, to 0.1"}}}}}};
    return {{"type", "object"},
            {"required", {"lon", "lat", "ward", "fire", "nearest"}},
            {"properties",
             {{"lon", {{"type", "number"}}},
              {"lat", {{"type", "number"}}},
              {"ward", ward_answer()},
              {"fire", fire},
              {"nearest", {{"type", "object"},
                           {"description", "by class name: the nearest feature within the class's lookup radius, "
                                           "or null when none is that near"},
                           {"additionalProperties", feature}}}}}};
}

// PUT of a device's status: served by `lantern serve --writable` only.
json device_status()
{
    json body = {{"type", "object"},
                 {"required", {"status"}},
                 {"additionalProperties", false},
                 {"properties", {{"status", {{"type", "string"}, {"description", "one the class allows"}}}}}};
    json responses = {{"200", {{"description", "the change committed"},
                               {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}};
    for (const char* status : {"400", "401", "403", "404", "429", "503"})
        responses[status] = {{"$ref", "#/components/responses/Error"}};
    return {{"put",
             {{"summary", "Set a device's status (lantern serve --writable; a bearer token of scope devices)"},
              {"operationId", "setDeviceStatus"},
              {"security", json::array({{{"bearer", json::array()}}})},
              {"parameters", {path_parameter("class", "a device class: cameras, lamps, or one the city added"),
                              path_parameter("id", "the device's id")}},
              {"requestBody", {{"required", true}, {"content", {{"application/json", {{"schema", body}}}}}}},
              {"responses", responses}}}};
}

// POST of a proposed building to the permit pre-check (docs/api.md).
json permit_check()
{
    json codes = json::array();
    for (const auto& use : layers::land_uses())
        codes.push_back(use.code);
    json number = {{"type", "number"}};
    json body = {
        {"type", "object"},
        {"description", "a footprint or a parcel_id, not both"},
        {"required", {"floors", "height_m", "land_use"}},
        {"properties",
         {{"footprint", {{"type", "object"},
                         {"description", "the building's outline: a GeoJSON Polygon or MultiPolygon, or a Feature "
                                         "holding one, in WGS 84 longitude and latitude"}}},
          {"parcel_id", {{"type", "string"},
                         {"description", "rebuild on the parcel's buildings' footprint (an empty parcel: the "
                                         "largest footprint its zone's coverage allows)"}}},
          {"floors", {{"type", "integer"}, {"minimum", 0}, {"maximum", 1000}, {"description", "floors above ground"}}},
          {"height_m", {{"type", "number"}, {"minimum", 0}, {"maximum", 1000}, {"description", "height above ground, metres"}}},
          {"land_use", {{"type", "string"}, {"enum", codes}, {"description", "a land-use code (/catalog lists their names)"}}},
          {"floor_level_m", {{"type", "number"}, {"description", "the ground floor, metres above the datum (default: "
                                                                "the highest ground under the footprint)"}}},
          {"design_stage_m", {{"type", "number"}, {"description", "the river stage the floor must stand above "
                                                                 "(default: the 1964 record)"}}},
          {"repair", {{"type", "boolean"}, {"default", false},
                      {"description", "a repair of the buildings on the footprint, not a new building"}}}}}};
    json rule = {{"type", "object"},
                 {"required", {"rule", "limit", "proposed", "pass", "source"}},
                 {"properties",
                  {{"rule", {{"type", "string"}}},
                   {"limit", {{"nullable", true}, {"description", "a number, a text or a list of codes"}}},
                   {"proposed", {{"nullable", true}, {"description", "a number, a text, a list or an object"}}},
                   {"pass", {{"type", "boolean"}, {"nullable", true}, {"description", "null: the rule could not be checked"}}},
                   {"source", {{"type", "string"}}},
                   {"zone", {{"type", "string"}}},
                   {"heritage_zone", {{"type", "string"}}},
                   {"share", number},
                   {"note", {{"type", "string"}}}}}};
    json answer = {{"type", "object"},
                   {"required", {"verdict", "rules", "site"}},
                   {"properties",
                    {{"verdict", {{"type", "string"}, {"enum", {"pass", "fail"}}}},
                     {"rules", {{"type", "array"}, {"items", rule}}},
                     {"site", {{"type", "object"}}},
                     {"proposal", {{"type", "object"}}}}}};
    json responses = {{"200", {{"description", "the verdict and every rule, passed or failed"},
                               {"content", {{"application/json", {{"schema", answer}}}}}}}};
    for (const char* status : {"400", "413", "415"})
        responses[status] = {{"$ref", "#/components/responses/Error"}};
    return {{"post",
             {{"summary", "Pre-check a proposed building against the rules where it stands; nothing is stored"},
              {"operationId", "permitCheck"},
              {"requestBody", {{"required", true}, {"content", {{"application/json", {{"schema", body}}}}}}},
              {"responses", responses}}}};
}

}  // namespace

json openapi_document(const std::string& base_url)
{
    json degrees = {{"type", "number"}};
    json paths = {
        {"/api/lookup",
         get("Everything that applies at a point", "lookup",
             {query_parameter("lon", "longitude, WGS 84 degrees", {{"type", "number"}, {"minimum", -180}, {"maximum", 180}}, true),
              query_parameter("lat", "latitude, WGS 84 degrees", {{"type", "number"}, {"minimum", -90}, {"maximum", 90}}, true)},
             "application/json", {"400", "404"}, lookup_answer())},
        {"/api/parcels/{parcelId}",
         get("Everything that applies to a parcel", "parcel", {path_parameter("parcelId", "the parcel's id")},
             "application/json", {"404"}, parcel_answer())},
        {"/api/search",
         get("Parcels, addresses, streets, wards, heritage sites and the features of classes with a search part by name",
             "search",
             {query_parameter("q", "words to find, accents and case ignored, by prefix", {{"type", "string"}}, true),
              query_parameter("limit", "most results", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}, {"default", 10}})},
             "application/json", {"400"})},
        {"/api/devices/summary",
         get("Online and working shares of every device class, in all and per ward, and the streets dark and "
             "unwatched",
             "deviceSummary", json::array(), "application/json", {})},
        {"/api/devices/{class}/{id}/status", device_status()},
        {"/api/permit-check", permit_check()},
        {"/ogc", get("OGC API - Features landing page", "getLandingPage", json::array(), "application/json", {})},
        {"/ogc/conformance", get("Conformance classes", "getConformanceDeclaration", json::array(), "application/json", {})},
        {"/ogc/collections", get("The feature collections", "getCollections", json::array(), "application/json", {})},
        {"/ogc/collections/{collectionId}",
         get("One collection", "describeCollection", {path_parameter("collectionId", "a class or result name")},
             "application/json", {"404"})},
        {"/ogc/collections/{collectionId}/items",
         get("The collection's features, GeoJSON in CRS84", "getFeatures",
             {path_parameter("collectionId", "a class or result name"),
              query_parameter("limit", "features per page", {{"type", "integer"}, {"minimum", 1}, {"maximum", 10000}, {"default", 10}}),
              query_parameter("offset", "features to skip", {{"type", "integer"}, {"minimum", 0}, {"default", 0}}),
              query_parameter("bbox", "WEST,SOUTH,EAST,NORTH in WGS 84 degrees",
                              {{"type", "array"}, {"minItems", 4}, {"maxItems", 4}, {"items", degrees}})},
             "application/geo+json", {"400", "404"})},
        {"/ogc/collections/{collectionId}/items/{featureId}",
         get("One feature", "getFeature",
             {path_parameter("collectionId", "a class or result name"), path_parameter("featureId", "the feature's id")},
             "application/geo+json", {"404"})},
    };
    // OpenAPI asks for the bbox array as comma-separated values (form, not exploded).
    paths["/ogc/collections/{collectionId}/items"]["get"]["parameters"][3]["style"] = "form";
    paths["/ogc/collections/{collectionId}/items"]["get"]["parameters"][3]["explode"] = false;
    json error_schema = {{"type", "object"},
                         {"required", {"error"}},
                         {"properties", {{"error", {{"type", "string"}}}}}};
    json error_response = {{"description", "a bad request, or nothing there"},
                           {"content", {{"application/json", {{"schema", error_schema}}}}}};
    json document;
    document["openapi"] = "3.0.3";
    document["info"] = {{"title", "Lantern planning lookup and OGC API - Features"},
                        {"version", "1.0.0"},
                        {"description", "What applies at a place in the city, and the city's features as open data "
                                        "(docs/api.md)."}};
    document["servers"] = json::array({{{"url", base_url}}});
    document["paths"] = paths;
    document["components"]["responses"]["Error"] = error_response;
    document["components"]["securitySchemes"]["bearer"] = {{"type", "http"}, {"scheme", "bearer"}};
    return document;
}

}  // namespace lantern::tileserver
