#pragma once
// A streaming 64-bit FNV-1a hash for content checksums. Not cryptographic: it
// tells whether data changed, not whether someone tampered with it.

#include <cstdint>
#include <string>
#include <string_view>

namespace lantern::core {

class ContentHash {
public:
    ContentHash() = default;
    // Continues a hash from its hex() value: hashing A then B in one go equals
    // hashing A, saving hex(), and resuming from it to hash B.
    static ContentHash resume(const std::string& hex);

    void add(std::string_view bytes);
    void add(std::int64_t value);
    void add(double value);
    std::uint64_t value() const { return m_state; }
    std::string hex() const;

private:
    std::uint64_t m_state = 0xcbf29ce484222325ULL;
};

// Checksum of a file's bytes, as 16 hex digits. Throws FileError.
std::string file_checksum(const std::string& path);

}  // namespace lantern::core
