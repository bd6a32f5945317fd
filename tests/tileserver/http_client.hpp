#pragma once
// A small HTTP/1.1 client on plain POSIX sockets, written for the tests
// independently of the server's Beast code: it sends exactly the bytes a
// test gives and reads responses with Content-Length bodies (all the server
// writes). Waits are bounded so that a broken server fails a test instead
// of hanging it; nothing is timed.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lantern::test {

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;

    // The header's value, or "" when absent.
    std::string header(const std::string& lower_case_name) const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

// "GET /path HTTP/1.1\r\nHost: 127.0.0.1\r\n...\r\n\r\n"
std::string request_text(const std::string& method, const std::string& target,
                         const Headers& headers = {});

class Connection {
public:
    // Connects to address:port (an IPv4 address). receive_buffer > 0 sets
    // SO_RCVBUF first (a client that reads slowly).
    explicit Connection(unsigned short port, int receive_buffer = 0,
                        const std::string& address = "127.0.0.1");
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // False when the peer closed or reset the connection.
    bool send(std::string_view bytes);
    // The next response; none when the connection ends first or nothing
    // comes within the wait. A HEAD response, a 204 and a 304 have no body.
    std::optional<HttpResponse> read_response(bool head = false,
                                              std::chrono::seconds wait = std::chrono::seconds(60));
    // Reads up to n bytes as they come; "" when the connection ended.
    std::string read_some(std::size_t n, std::chrono::seconds wait = std::chrono::seconds(60));
    // True when the peer closes (or resets) the connection within the wait;
    // whatever it sends first is dropped.
    bool wait_closed(std::chrono::milliseconds wait = std::chrono::seconds(60));
    // Closes with a reset (SO_LINGER 0), as a client that vanishes.
    void reset();
    int fd() const { return m_fd; }

private:
    bool fill(std::chrono::steady_clock::time_point deadline);

    int m_fd = -1;
    std::string m_pending;  // received, not yet consumed
};

// One request on a new connection.
HttpResponse fetch(unsigned short port, const std::string& target, const Headers& headers = {},
                   const std::string& method = "GET");

}  // namespace lantern::test
