#pragma once
// How many connections each client address has open, so that one client
// cannot take every file descriptor the server has: a connection over its
// address's cap is closed at accept. Loopback addresses have no cap.
// Shared by the accept loop and the sessions of every io thread.

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>

#include <boost/asio/ip/address.hpp>

namespace lantern::tileserver::detail {

class ClientSlots {
public:
    // One open connection of an address; gives its place back when destroyed.
    class Slot {
    public:
        Slot(ClientSlots* owner, boost::asio::ip::address address)
            : m_owner(owner), m_address(address) {}
        Slot(Slot&& other) noexcept : m_owner(other.m_owner), m_address(other.m_address)
        {
            other.m_owner = nullptr;
        }
        Slot& operator=(Slot&&) = delete;
        Slot(const Slot&) = delete;
        Slot& operator=(const Slot&) = delete;
        ~Slot();

    private:
        ClientSlots* m_owner;  // null: nothing to give back
        boost::asio::ip::address m_address;
    };

    // At most per_client connections open from one address; 0: no cap.
    explicit ClientSlots(std::size_t per_client) : m_per_client(per_client) {}

    // A slot for a new connection from the address; none when it has its
    // cap. Always one for a loopback address.
    std::optional<Slot> take(const boost::asio::ip::address& address);

private:
    void give_back(const boost::asio::ip::address& address);

    std::size_t m_per_client;
    std::mutex m_mutex;
    std::map<boost::asio::ip::address, std::size_t> m_open;  // only addresses with connections
};

}  // namespace lantern::tileserver::detail
