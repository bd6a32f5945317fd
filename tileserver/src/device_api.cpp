#include <lantern/tileserver/device_api.hpp>

#include <algorithm>
#include <iostream>

#include <nlohmann/json.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/device_status.hpp>
#include <lantern/tileserver/http_headers.hpp>
#include <lantern/tileserver/service.hpp>

namespace lantern::tileserver {

namespace {

Response json_ok(std::string body)
{
    Response response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.set(http::field::cache_control, "no-store");
    response.body() = std::move(body);
    return response;
}

Response unauthorized(std::string_view message, bool invalid_token)
{
    auto response = error_response(http::status::unauthorized, message);
    response.set(http::field::www_authenticate,
                 invalid_token ? R"(Bearer realm="lantern", error="invalid_token")" : R"(Bearer realm="lantern")");
    return response;
}

Response too_many(std::string_view message)
{
    auto response = error_response(http::status::too_many_requests, message);
    response.set(http::field::retry_after, "1");
    return response;
}

void log(const std::string& message)
{
    std::cerr << ("lantern serve: " + message + '\n') << std::flush;
}

}  // namespace

DeviceApi::DeviceApi(std::string city_path, DeviceApiOptions options)
    : m_city_path(std::move(city_path)), m_options(options),
      m_storage(core::open_city(m_city_path, core::Access::read_only))
{
    reload();
    if (!m_options.writable)
        return;
    m_writer = std::make_unique<layers::DeviceStatusWriter>(m_city_path);
    m_thread = std::thread([this] { run_writer(); });
}

DeviceApi::~DeviceApi()
{
    stop();
}

void DeviceApi::stop()
{
    {
        std::lock_guard lock(m_queue_mutex);
        if (m_stopping)
            return;
        m_stopping = true;
    }
    m_queue_ready.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    for (auto& job : m_queue)
        job.respond(error_response(http::status::service_unavailable, "the server is stopping"));
    m_queue.clear();
}

void DeviceApi::reload()
{
    m_tokens.store(std::make_shared<const layers::TokenRegister>(m_storage->access_tokens()));
    m_summary.store(std::make_shared<const std::string>(layers::device_summary(*m_storage).dump()));
}

Response DeviceApi::summary() const
{
    return json_ok(*m_summary.load());
}

bool DeviceApi::allow_write(const std::string& token)
{
    std::lock_guard lock(m_allowance_mutex);
    auto now = std::chrono::steady_clock::now();
    auto [it, added] = m_allowances.try_emplace(token, Allowance{m_options.write_burst, now});
    auto& allowance = it->second;
    std::chrono::duration<double> since = now - allowance.at;
    allowance.left = std::min(m_options.write_burst, allowance.left + since.count() * m_options.writes_per_second);
    allowance.at = now;
    if (allowance.left < 1)
        return false;
    allowance.left -= 1;
    return true;
}

void DeviceApi::put_status(const Request& request, const Route& route, const Respond& respond)
{
    auto bearer = bearer_token(text(request[http::field::authorization]));
    if (bearer.empty())
        return respond(unauthorized("an Authorization: Bearer TOKEN header is needed (lantern tokens add)", false));
    auto tokens = m_tokens.load();
    const auto* token = tokens->find(bearer);
    if (!token)
        return respond(unauthorized("the token is not valid, or was revoked", true));
    if (!layers::scope_allows(token->scope, route.device_class))
        return respond(error_response(http::status::forbidden, "token '" + token->name + "' has the scope '" +
                                                                   token->scope + "': it may not change " +
                                                                   route.device_class));
    nlohmann::json body = nlohmann::json::parse(request.body(), nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("status") || !body["status"].is_string() ||
        body.size() != 1)
        return respond(error_response(http::status::bad_request,
                                      R"(the body must be a JSON object with the status alone, e.g. {"status": "offline"})"));
    if (!allow_write(token->name))
        return respond(too_many("token '" + token->name + "' writes more than " +
                                std::to_string(static_cast<int>(m_options.writes_per_second)) +
                                " changes a second; try again in a second"));
    {
        std::lock_guard lock(m_queue_mutex);
        if (m_stopping)
            return respond(error_response(http::status::service_unavailable, "the server is stopping"));
        if (m_queue.size() >= m_options.max_queued_writes)
            return respond(too_many("too many changes are waiting to be written; try again in a second"));
        m_queue.push_back({route.device_class, route.device_id, body["status"].get<std::string>(), token->name,
                           respond});
    }
    m_queue_ready.notify_one();
}

void DeviceApi::run_writer()
{
    try {
        m_writer->prepare();
    } catch (const std::exception& e) {
        log(std::string("cannot read the coverage ahead of device changes: ") + e.what());
    }
    while (true) {
        Write job;
        {
            std::unique_lock lock(m_queue_mutex);
            m_queue_ready.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
            if (m_stopping)
                return;
            job = std::move(m_queue.front());
            m_queue.pop_front();
        }
        job.respond(write(job));
    }
}

Response DeviceApi::write(const Write& job)
{
    try {
        auto update = m_writer->set_status(job.device_class, job.device, job.status, job.token);
        const auto& c = update.change;
        return json_ok(nlohmann::json{{"class", c.class_name},
                                      {"device", c.device},
                                      {"old_status", c.old_status.empty() ? nlohmann::json() : nlohmann::json(c.old_status)},
                                      {"status", c.new_status},
                                      {"time", c.time},
                                      {"coverage_updated", update.coverage_updated}}
                           .dump());
    } catch (const layers::DeviceStatusError& e) {
        return error_response(e.kind() == layers::DeviceStatusError::Kind::not_found ? http::status::not_found
                                                                                      : http::status::bad_request,
                              e.what());
    } catch (const core::StorageError& e) {
        log(std::string("a device status change was not written: ") + e.what());
        auto response = error_response(http::status::service_unavailable,
                                       "the city database is busy or cannot be written; try again");
        response.set(http::field::retry_after, "1");
        return response;
    } catch (const std::exception& e) {
        log(std::string("a device status change failed: ") + e.what());
        return error_response(http::status::internal_server_error, "the change could not be written");
    }
}

}  // namespace lantern::tileserver
