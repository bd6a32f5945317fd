#include <lantern/tileserver/city_watcher.hpp>

#include <exception>
#include <iostream>

#include <lantern/core/storage/storage.hpp>

namespace lantern::tileserver {

CityWatcher::CityWatcher(std::string city_path, std::chrono::milliseconds interval, std::vector<Reload> reloads)
    : m_city_path(std::move(city_path)), m_interval(interval), m_reloads(std::move(reloads)),
      m_storage(core::open_city(m_city_path, core::Access::read_only)), m_seen(m_storage->change_counter())
{
}

void CityWatcher::start()
{
    m_thread = std::jthread([this](std::stop_token stop) { run(stop); });
}

CityWatcher::~CityWatcher()
{
    stop();
}

void CityWatcher::stop()
{
    if (!m_thread.joinable())
        return;
    m_thread.request_stop();
    m_wake.notify_all();
    m_thread.join();
}

std::uint64_t CityWatcher::changes_taken() const
{
    std::lock_guard lock(m_mutex);
    return m_changes_taken;
}

bool CityWatcher::reload_all()
{
    try {
        for (const auto& reload : m_reloads)
            reload();
        return true;
    } catch (const std::exception& e) {
        std::cerr << "lantern serve: " << m_storage->location() << ": could not read the city again, still serving it as it was ("
                  << e.what() << ")\n";
        return false;
    }
}

void CityWatcher::run(std::stop_token stop)
{
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, stop, m_interval, [] { return false; });
        }
        if (stop.stop_requested())
            return;
        try {
            auto counter = m_storage->change_counter();
            if (counter == m_seen || !reload_all())
                continue;
            m_seen = counter;
            std::lock_guard lock(m_mutex);
            ++m_changes_taken;
        } catch (const std::exception& e) {
            std::cerr << "lantern serve: " << m_storage->location() << ": " << e.what() << "\n";
        }
    }
}

}  // namespace lantern::tileserver
