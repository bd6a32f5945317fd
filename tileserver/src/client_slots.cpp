#include "client_slots.hpp"

namespace lantern::tileserver::detail {

ClientSlots::Slot::~Slot()
{
    if (m_owner)
        m_owner->give_back(m_address);
}

namespace {

// A client on an IPv6 socket with an IPv4 address counts by that address.
boost::asio::ip::address client_address(const boost::asio::ip::address& address)
{
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
    return address;
}

}  // namespace

std::optional<ClientSlots::Slot> ClientSlots::take(const boost::asio::ip::address& connected)
{
    auto address = client_address(connected);
    // The host itself (a reverse proxy in front, health checks, local
    // tools) is not one client among many: it has no cap.
    if (m_per_client == 0 || address.is_loopback())
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
