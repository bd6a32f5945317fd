#include <lantern/tileserver/lookup_api.hpp>

#include <charconv>
#include <cmath>

#include <lantern/core/base/utf8.hpp>
#include <lantern/tileserver/service.hpp>

namespace lantern::tileserver {

std::optional<double> parse_degrees(std::string_view text)
{
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

namespace {

Response answer_with(std::string json_text)
{
    Response response;
    response.result(http::status::ok);
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-cache");
    response.body() = std::move(json_text);
    return response;
}

}  // namespace

std::shared_ptr<const layers::CityLookup> LookupApi::build_city_lookup(const core::Storage& storage,
                                                                     const layers::CityLookup* previous)
{
    return std::make_shared<const layers::CityLookup>(storage, previous);
}

LookupApi::LookupApi(std::string city_path, Build build)
    : m_city_path(std::move(city_path)), m_build(std::move(build)),
      m_storage(core::open_city(m_city_path, core::Access::read_only))
{
    m_lookup.store(m_build(*m_storage, nullptr));
}

void LookupApi::reload()
{
    // The one served stays alive (and served) until the new one replaces it.
    auto served = current();
    m_lookup.store(m_build(*m_storage, served.get()));
}

Response LookupApi::lookup(const RequestTarget& target)
{
    auto lon_text = target.query_value("lon"), lat_text = target.query_value("lat");
    if (!lon_text || !lat_text)
        return error_response(http::status::bad_request,
                              "lon and lat are required, in WGS 84 degrees: /api/lookup?lon=108.3261&lat=15.8772");
    auto lon = parse_degrees(*lon_text), lat = parse_degrees(*lat_text);
    if (!lon || !lat || std::abs(*lon) > 180 || std::abs(*lat) > 90)
        return error_response(http::status::bad_request,
                              "lon must be a number of degrees from -180 to 180 and lat one from -90 to 90");
    auto answer = current()->at(*lon, *lat);
    if (!answer)
        return error_response(http::status::not_found, "the point lies outside the city's wards");
    return answer_with(std::move(*answer));
}

Response LookupApi::parcel(const std::string& parcel_id)
{
    auto answer = current()->parcel(parcel_id);
    if (!answer)
        return error_response(http::status::not_found, "no parcel " + core::printable(parcel_id));
    return answer_with(answer->dump());
}

Response LookupApi::search(const RequestTarget& target)
{
    auto query = target.query_value("q");
    if (!query || core::search_words(*query).empty())
        return error_response(http::status::bad_request,
                              "q is required: letters or digits to search for, e.g. /api/search?q=cam+pho");
    std::size_t limit = 10;
    if (auto text = target.query_value("limit")) {
        auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), limit);
        if (text->empty() || ec != std::errc() || end != text->data() + text->size() || limit < 1 || limit > 50)
            return error_response(http::status::bad_request, "limit must be a whole number from 1 to 50");
    }
    return answer_with(nlohmann::json{{"query", *query}, {"results", current()->search(*query, limit)}}.dump());
}

}  // namespace lantern::tileserver
