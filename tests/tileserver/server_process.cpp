#include "tileserver/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace lantern::test {

namespace {

// A guard against a test hanging forever, not a measured time.
constexpr int start_wait_ms = 120 * 1000;

}  // namespace

ServerProcess::ServerProcess(const std::string& city, const std::vector<std::string>& args,
                             long open_file_limit)
{
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0)
        throw std::runtime_error("pipe failed");
    std::string err_path = m_dir.file("stderr");
    std::vector<std::string> argv_text = {LANTERN_BINARY, "serve", city};
    if (std::find(args.begin(), args.end(), "--port") == args.end())
        argv_text.insert(argv_text.end(), {"--port", "0"});
    argv_text.insert(argv_text.end(), args.begin(), args.end());

    m_pid = fork();
    if (m_pid == 0) {
        dup2(pipe_fds[1], 1);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(err, 2);
        close(err);
        if (open_file_limit > 0) {
            rlimit limit{static_cast<rlim_t>(open_file_limit), static_cast<rlim_t>(open_file_limit)};
            setrlimit(RLIMIT_NOFILE, &limit);
        }
        std::vector<char*> argv;
        for (auto& a : argv_text)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    m_stdout = pipe_fds[0];

    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(start_wait_ms);
    while (line.find('\n') == std::string::npos) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                        deadline - std::chrono::steady_clock::now())
                        .count();
        pollfd p{m_stdout, POLLIN, 0};
        if (left <= 0 || poll(&p, 1, static_cast<int>(left)) <= 0)
            throw std::runtime_error("lantern serve printed no start line: " + errors());
        char buffer[512];
        auto n = read(m_stdout, buffer, sizeof buffer);
        if (n <= 0)
            throw std::runtime_error("lantern serve ended before it started: " + errors());
        line.append(buffer, static_cast<std::size_t>(n));
    }
    m_start_line = line.substr(0, line.find('\n'));
    std::smatch match;
    if (!std::regex_search(m_start_line, match, std::regex(R"((https?://127\.0\.0\.1:(\d+))/)")))
        throw std::runtime_error("no URL in the start line: " + m_start_line);
    m_url = match[1];
    m_port = static_cast<unsigned short>(std::stoi(match[2]));
}

ServerProcess::~ServerProcess()
{
    if (m_pid > 0)
        stop(SIGTERM);
    if (m_stdout >= 0)
        close(m_stdout);
}

int ServerProcess::stop(int signal_number)
{
    if (m_pid <= 0)
        return -1;
    kill(m_pid, signal_number);
    int status = 0;
    waitpid(m_pid, &status, 0);
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ServerProcess::errors() const
{
    return read_file(m_dir.file("stderr"));
}

long ServerProcess::resident_bytes() const
{
    std::ifstream status("/proc/" + std::to_string(m_pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stol(line.substr(6)) * 1024;  // "VmRSS:   12345 kB"
    throw std::runtime_error("no VmRSS for process " + std::to_string(m_pid));
}

long raise_open_file_limit(long wanted)
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    if (limit.rlim_cur < static_cast<rlim_t>(wanted)) {
        limit.rlim_cur = std::min(limit.rlim_max, static_cast<rlim_t>(wanted));
        setrlimit(RLIMIT_NOFILE, &limit);
    }
    getrlimit(RLIMIT_NOFILE, &limit);
    return static_cast<long>(limit.rlim_cur);
}

}  // namespace lantern::test
