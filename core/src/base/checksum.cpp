#include <lantern/core/base/checksum.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <vector>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>

namespace lantern::core {

void ContentHash::add(std::string_view bytes)
{
    constexpr std::uint64_t prime = 0x100000001b3ULL;
    std::uint64_t h = m_state;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= prime;
    }
    m_state = h;
}

void ContentHash::add(std::int64_t value)
{
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    add(std::string_view(bytes, sizeof bytes));
}

void ContentHash::add(double value)
{
    char bytes[sizeof value];
    std::memcpy(bytes, &value, sizeof value);
    add(std::string_view(bytes, sizeof bytes));
}

ContentHash ContentHash::resume(const std::string& hex)
{
    auto state = parse_integer<std::uint64_t>(hex, 16);
    if (!state)
        throw DataError("checksum '" + hex + "': not a content checksum (16 hexadecimal digits)");
    ContentHash hash;
    hash.m_state = *state;
    return hash;
}

std::string ContentHash::hex() const
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(m_state));
    return buf;
}

std::string file_checksum(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(path + ": cannot read");
    ContentHash hash;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        hash.add(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    return hash.hex();
}

}  // namespace lantern::core
