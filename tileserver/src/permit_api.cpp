#include <lantern/tileserver/permit_api.hpp>

#include <iostream>

#include <nlohmann/json.hpp>

#include <lantern/core/base/utf8.hpp>
#include <lantern/tileserver/http_headers.hpp>
#include <lantern/tileserver/service.hpp>

namespace lantern::tileserver {

namespace {

using nlohmann::json;

// Deeper than any proposal (a Feature's MultiPolygon is seven levels down);
// a deeper body is refused before it is parsed, so that nothing walks it
// recursively.
constexpr int max_depth = 32;

// Whether the JSON text nests arrays and objects deeper than max_depth
// (brackets inside strings do not count).
bool nests_too_deep(std::string_view text)
{
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth)
                return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}

Response bad_request(std::string_view message)
{
    // The messages quote the body's text, which the parser has checked is UTF-8.
    return error_response(http::status::bad_request,
                          core::is_valid_utf8(message) ? std::string(message) : core::printable(message, 400));
}

// The rule of the check with this name, or null.
const json* rule_named(const json& check, std::string_view name)
{
    for (const auto& rule : check["rules"])
        if (rule["rule"] == name)
            return &rule;
    return nullptr;
}

}  // namespace

Response permit_check_response(const layers::PermitChecker& checker, std::string_view body)
{
    if (nests_too_deep(body))
        return bad_request("the body is not a proposal: it nests deeper than " + std::to_string(max_depth) + " levels");
    json proposal_json;
    try {
        proposal_json = json::parse(body);
    } catch (const json::parse_error& e) {
        return bad_request("the body is not JSON (at byte " + std::to_string(e.byte) + ")");
    } catch (const json::out_of_range&) {
        return bad_request("the body holds a number too large to be read (beyond 1.8e308)");
    }
    json check;
    try {
        check = checker.check(checker.proposal_from_json(proposal_json));
    } catch (const layers::PermitInputError& e) {
        return bad_request(e.what());
    }
    // A footprint no rule can be checked on, or one off the city's map, is
    // the request's problem, not a verdict.
    if (const auto* valid = rule_named(check, "footprint_valid"); valid && (*valid)["pass"] == false)
        return bad_request("the footprint is not valid: " + (*valid)["proposed"].get<std::string>());
    if (const auto* inside = rule_named(check, "inside_city"); inside && (*inside)["pass"] == false)
        return bad_request("the footprint is not inside the city: " + (*inside)["proposed"].get<std::string>() +
                           " (in no ward)");
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-store");
    response.body() = check.dump();
    return response;
}

PermitApi::PermitApi(std::string city_path, Submit submit)
    : m_city_path(std::move(city_path)), m_submit(std::move(submit)),
      m_storage(core::open_city(m_city_path, core::Access::read_only))
{
    auto key = layers::PermitChecker::inputs_key(*m_storage);
    m_served.store(std::make_shared<const Served>(
        Served{std::move(key), std::make_shared<const layers::PermitChecker>(*m_storage)}));
}

void PermitApi::reload()
{
    // A device's status, a coverage result: nothing the checker reads.
    auto key = layers::PermitChecker::inputs_key(*m_storage);
    if (key == m_served.load()->key)
        return;
    auto checker = std::make_shared<const layers::PermitChecker>(*m_storage);
    m_served.store(std::make_shared<const Served>(Served{std::move(key), std::move(checker)}));
}

void PermitApi::check(const Request& request, const Respond& respond)
{
    auto content_type = text(request[http::field::content_type]);
    if (!is_json_media_type(content_type))
        return respond(error_response(http::status::unsupported_media_type,
                                      "the body must be JSON, sent as Content-Type: application/json"));
    // The checker read now, kept alive by the check even if a reload replaces it.
    auto checker = m_served.load()->checker;
    auto what = std::string(request.method_string()) + ' ' + std::string(request.target());
    auto run = [checker, body = request.body(), respond, what] {
        try {
            respond(permit_check_response(*checker, body));
        } catch (const std::exception& e) {
            std::cerr << ("lantern serve: " + what + " failed: " + e.what() + '\n') << std::flush;
            respond(error_response(http::status::internal_server_error, "the proposal could not be checked"));
        }
    };
    if (m_submit)
        m_submit(std::move(run));
    else
        run();
}

}  // namespace lantern::tileserver
