#pragma once
// A monotone priority queue on non-negative doubles (a radix heap, Ahuja,
// Mehlhorn, Orlin and Tarjan 1990), private to the network module.
//
// A non-negative finite double's IEEE-754 bit pattern, read as an unsigned
// integer, orders as the double does, so the heap works on those 64-bit keys
// and is exact. Bucket 0 holds the keys equal to the last key popped; bucket
// i > 0 the keys whose highest bit differing from it is bit i - 1. A pop that
// finds bucket 0 empty takes the least key of the first non-empty bucket as
// the new last key and spreads that bucket over the lower ones; since keys
// pushed are never below the last popped (as in Dijkstra's algorithm), each
// entry moves down at most 64 times.

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace lantern::core::detail {

template <typename Value>
class RadixHeap {
public:
    // `key` must be a non-negative number (infinity is allowed), not below
    // the last key popped.
    void push(double key, Value value)
    {
        std::uint64_t bits = key_bits(key);
        assert(key >= 0 && bits >= m_last);
        m_buckets[bucket(bits)].push_back({bits, std::move(value)});
        ++m_size;
    }

    bool empty() const { return m_size == 0; }
    std::size_t size() const { return m_size; }

    // The least key and a value pushed with it (among equal keys, one
    // chosen by the order of pushes alone). The heap must not be empty.
    std::pair<double, Value> pop()
    {
        assert(m_size > 0);
        if (m_buckets[0].empty())
            refill();
        auto [bits, value] = std::move(m_buckets[0].back());
        m_buckets[0].pop_back();
        --m_size;
        return {std::bit_cast<double>(bits), std::move(value)};
    }

private:
    using Entry = std::pair<std::uint64_t, Value>;

    static std::uint64_t key_bits(double key)
    {
        return std::bit_cast<std::uint64_t>(key + 0.0);  // -0.0 becomes 0.0
    }
    std::size_t bucket(std::uint64_t bits) const
    {
        return static_cast<std::size_t>(64 - std::countl_zero(bits ^ m_last));
    }

    // Bucket 0 empty: the first non-empty bucket's least key becomes the last
    // key, and its entries all fall to lower buckets.
    void refill()
    {
        std::size_t i = 1;
        while (m_buckets[i].empty())
            ++i;
        auto& from = m_buckets[i];
        std::uint64_t least = from.front().first;
        for (const auto& entry : from)
            least = std::min(least, entry.first);
        m_last = least;
        for (auto& entry : from)
            m_buckets[bucket(entry.first)].push_back(std::move(entry));
        from.clear();
    }

    std::array<std::vector<Entry>, 65> m_buckets;
    std::uint64_t m_last = 0;
    std::size_t m_size = 0;
};

}  // namespace lantern::core::detail
