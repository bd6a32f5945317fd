#include <lantern/core/base/progress.hpp>

#include <unistd.h>

#include <cstdio>

namespace lantern::core {

ProgressBar::ProgressBar(std::string label, std::int64_t total, bool enabled)
    : m_label(std::move(label)), m_total(total), m_enabled(enabled),
      m_start(std::chrono::steady_clock::now())
{
}

ProgressBar::~ProgressBar()
{
    finish();
}

bool ProgressBar::stderr_is_terminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}

void ProgressBar::update(std::int64_t done)
{
    if (!m_enabled)
        return;
    double share = m_total > 0 ? static_cast<double>(done) / static_cast<double>(m_total) : 0.0;
    draw(done, share);
}

void ProgressBar::fraction(double done_share)
{
    if (!m_enabled)
        return;
    draw(-1, done_share);
}

void ProgressBar::draw(std::int64_t done, double share)
{
    // Redrawing more than ten times a second costs time and shows nothing new.
    auto now = std::chrono::steady_clock::now();
    if (now - m_last_draw < std::chrono::milliseconds(100))
        return;
    m_last_draw = now;
    constexpr int width = 30;
    int filled = static_cast<int>(share * width);
    if (filled > width)
        filled = width;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '.');
    double seconds = std::chrono::duration<double>(now - m_start).count();
    if (done >= 0)
        std::fprintf(stderr, "\r%s [%s] %3d%% %lld  %.1fs", m_label.c_str(), bar.c_str(),
                     static_cast<int>(share * 100), static_cast<long long>(done), seconds);
    else
        std::fprintf(stderr, "\r%s [%s] %3d%%  %.1fs", m_label.c_str(), bar.c_str(),
                     static_cast<int>(share * 100), seconds);
    std::fflush(stderr);
}

void ProgressBar::finish()
{
    if (!m_enabled || m_finished)
        return;
    m_finished = true;
    m_last_draw = {};
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
}

int ProgressBar::gdal_callback(double complete, const char*, void* bar)
{
    static_cast<ProgressBar*>(bar)->fraction(complete);
    return 1;
}

}  // namespace lantern::core
