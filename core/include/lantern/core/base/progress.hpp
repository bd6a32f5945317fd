#pragma once
// A progress bar on stderr for long work, drawn only when stderr is a
// terminal so that logs and pipes stay clean.

#include <chrono>
#include <cstdint>
#include <string>

namespace lantern::core {

class ProgressBar {
public:
    // total may be 0 when unknown: then only the count is shown.
    ProgressBar(std::string label, std::int64_t total, bool enabled);
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    void update(std::int64_t done);
    void fraction(double done_share);  // 0..1, for GDAL callbacks
    void finish();

    // True when stderr is a terminal.
    static bool stderr_is_terminal();

    // A GDALProgressFunc that forwards to a ProgressBar passed as user data.
    static int gdal_callback(double complete, const char* message, void* bar);

private:
    void draw(std::int64_t done, double share);

    std::string m_label;
    std::int64_t m_total;
    bool m_enabled;
    bool m_finished = false;
    std::chrono::steady_clock::time_point m_start;
    std::chrono::steady_clock::time_point m_last_draw;
};

}  // namespace lantern::core
