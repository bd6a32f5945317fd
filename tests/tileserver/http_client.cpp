#include "tileserver/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace lantern::test {

std::string HttpResponse::header(const std::string& lower_case_name) const
{
    auto found = headers.find(lower_case_name);
    return found == headers.end() ? std::string{} : found->second;
}

std::string request_text(const std::string& method, const std::string& target,
                         const Headers& headers)
{
    std::string text = method + " " + target + " HTTP/1.1\r\n";
    bool has_host = false;
    for (const auto& [name, value] : headers) {
        text += name + ": " + value + "\r\n";
        has_host = has_host || name == "Host";
    }
    if (!has_host)
        text += "Host: 127.0.0.1\r\n";
    return text + "\r\n";
}

Connection::Connection(unsigned short port, int receive_buffer, const std::string& address_text)
{
    m_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (m_fd < 0)
        throw std::runtime_error("socket failed");
    if (receive_buffer > 0)
        setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    if (inet_pton(AF_INET, address_text.c_str(), &address.sin_addr) != 1 ||
        connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(m_fd);
        throw std::runtime_error("cannot connect to " + address_text + ":" + std::to_string(port));
    }
}

Connection::~Connection()
{
    if (m_fd >= 0)
        close(m_fd);
}

bool Connection::send(std::string_view bytes)
{
    while (!bytes.empty()) {
        auto n = ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool Connection::fill(std::chrono::steady_clock::time_point deadline)
{
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    pollfd p{m_fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0)
        return false;
    char buffer[65536];
    auto n = recv(m_fd, buffer, sizeof buffer, 0);
    if (n <= 0)
        return false;
    m_pending.append(buffer, static_cast<std::size_t>(n));
    return true;
}

std::optional<HttpResponse> Connection::read_response(bool head, std::chrono::seconds wait)
{
    auto deadline = std::chrono::steady_clock::now() + wait;
    std::size_t end;
    while ((end = m_pending.find("\r\n\r\n")) == std::string::npos)
        if (!fill(deadline))
            return std::nullopt;
    std::string head_text = m_pending.substr(0, end);
    m_pending.erase(0, end + 4);

    HttpResponse response;
    auto line_end = head_text.find("\r\n");
    auto status_line = head_text.substr(0, line_end);
    if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12)
        throw std::runtime_error("not an HTTP response: " + status_line);
    response.status = std::stoi(status_line.substr(9, 3));
    std::size_t position = line_end == std::string::npos ? head_text.size() : line_end + 2;
    while (position < head_text.size()) {
        auto next = head_text.find("\r\n", position);
        auto line = head_text.substr(position, next == std::string::npos ? next : next - position);
        position = next == std::string::npos ? head_text.size() : next + 2;
        auto colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        auto name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        response.headers[name] = value;
    }
    if (head || response.status == 204 || response.status == 304 || response.status < 200)
        return response;
    auto length_text = response.header("content-length");
    if (length_text.empty())
        throw std::runtime_error("a response without Content-Length");
    auto length = std::stoull(length_text);
    while (m_pending.size() < length)
        if (!fill(deadline))
            return std::nullopt;
    response.body = m_pending.substr(0, length);
    m_pending.erase(0, length);
    return response;
}

std::string Connection::read_some(std::size_t n, std::chrono::seconds wait)
{
    if (m_pending.empty() && !fill(std::chrono::steady_clock::now() + wait))
        return {};
    auto part = m_pending.substr(0, n);
    m_pending.erase(0, part.size());
    return part;
}

bool Connection::wait_closed(std::chrono::milliseconds wait)
{
    auto deadline = std::chrono::steady_clock::now() + wait;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        pollfd p{m_fd, POLLIN, 0};
        if (poll(&p, 1, static_cast<int>(std::max<long long>(left, 0))) <= 0)
            return false;
        char buffer[65536];
        if (recv(m_fd, buffer, sizeof buffer, 0) <= 0)
            return true;
    }
}

void Connection::reset()
{
    linger option{1, 0};
    setsockopt(m_fd, SOL_SOCKET, SO_LINGER, &option, sizeof option);
    close(m_fd);
    m_fd = -1;
}

HttpResponse fetch(unsigned short port, const std::string& target, const Headers& headers,
                   const std::string& method)
{
    Connection connection(port);
    auto with_host = headers;
    if (std::none_of(headers.begin(), headers.end(), [](const auto& h) { return h.first == "Host"; }))
        with_host.insert(with_host.begin(), {"Host", "127.0.0.1:" + std::to_string(port)});
    if (!connection.send(request_text(method, target, with_host)))
        throw std::runtime_error("cannot send the request for " + target);
    auto response = connection.read_response(method == "HEAD");
    if (!response)
        throw std::runtime_error("no response for " + method + " " + target);
    return *response;
}

}  // namespace lantern::test
