#pragma once
// `lantern serve` as a user starts it: a child process on a free port
// (--port 0) whose URL is read from the line it prints on start.

#include <sys/types.h>

#include <string>
#include <vector>

#include "support/support.hpp"

namespace lantern::test {

class ServerProcess {
public:
    // Starts `lantern serve CITY --port 0 ARGS...` (ARGS may name a port of
    // their own) and waits for its start line. open_file_limit > 0 lowers the child's RLIMIT_NOFILE (soft and hard).
    explicit ServerProcess(const std::string& city, const std::vector<std::string>& args = {},
                           long open_file_limit = 0);
    // Stops it with SIGTERM if it still runs.
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    unsigned short port() const { return m_port; }
    // "http://127.0.0.1:PORT" ("https://" with --tls-cert)
    const std::string& url() const { return m_url; }
    const std::string& start_line() const { return m_start_line; }
    // Sends the signal and waits for the exit; returns the exit code
    // (128 + signal when killed by one).
    int stop(int signal_number);
    // What it wrote to stderr so far.
    std::string errors() const;
    // Its resident memory now (VmRSS), in bytes.
    long resident_bytes() const;

private:
    TempDir m_dir;
    pid_t m_pid = -1;
    int m_stdout = -1;
    unsigned short m_port = 0;
    std::string m_url;
    std::string m_start_line;
};

// Raises this process's open file limit (soft, up to the hard limit) so
// that it holds at least `wanted` descriptors; returns the new soft limit.
long raise_open_file_limit(long wanted);

}  // namespace lantern::test
