#include "client_slots.hpp"

namespace lantern::tileserver::detail {

ClientSlots::Slot::~Slot()
{
    if (m_owner)
        m_owner->give_back(m_address);
}

std::optional<ClientSlots::Slot> ClientSlots::take(const boost::asio::ip::address& address)
{
    if (m_per_client == 0)
        return Slot(nullptr, address);
    std::lock_guard lock(m_mutex);
    auto& open = m_open[address];
    if (open >= m_per_client)
        return std::nullopt;
    ++open;
    return Slot(this, address);
}

void ClientSlots::give_back(const boost::asio::ip::address& address)
{
    std::lock_guard lock(m_mutex);
    auto found = m_open.find(address);
    if (found != m_open.end() && --found->second == 0)
        m_open.erase(found);
}

}  // namespace lantern::tileserver::detail
