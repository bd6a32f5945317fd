#pragma once
// The OpenAPI 3.0 document of the lookup API and of OGC API - Features
// (served at /api/openapi.json, linked from /ogc as its service-desc).

#include <string>

#include <nlohmann/json.hpp>

namespace lantern::tileserver {

// base_url: "http://host:port", the server the document names.
nlohmann::json openapi_document(const std::string& base_url);

}  // namespace lantern::tileserver
