#pragma once
// Rendered tiles in memory: a least-recently-used cache bounded in bytes,
// with single flight. Concurrent requests for a tile that is not cached join
// the one render the first of them started instead of rendering it again.
// Keys carry the data version, so after an import a tile is looked up under
// a new key and never served stale; old entries age out of the LRU.

#include <cstdint>
#include <exception>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace lantern::tileserver {

// A tile as the server keeps it: compressed once, with the validators of
// both of its representations.
struct CachedTile {
    std::string gzip;           // the MVT bytes gzip-compressed; empty for an empty tile
    std::size_t identity_size = 0;
    std::string gzip_etag;      // entity_tag(gzip)
    std::string identity_etag;  // entity_tag(MVT bytes)

    bool empty() const { return identity_size == 0; }
    // Compresses and tags bytes made once and served many times (a glyph range).
    static CachedTile from_bytes(const std::string& bytes);
    // Compresses and tags a rendered tile.
    static CachedTile from_mvt(const std::string& mvt) { return from_bytes(mvt); }
};

struct TileCacheStats {
    std::uint64_t hits = 0;    // served from memory
    std::uint64_t misses = 0;  // started a render
    std::uint64_t waits = 0;   // joined a render in flight
    std::uint64_t evictions = 0;
    std::uint64_t failures = 0;  // renders that threw
    std::size_t entries = 0;
    std::size_t bytes = 0;
    std::size_t max_bytes = 0;
};

class TileCache {
public:
    using Tile = std::shared_ptr<const CachedTile>;
    using Produce = std::function<CachedTile()>;
    // Called once with the tile, or with null and the exception the render threw.
    using Deliver = std::function<void(Tile, std::exception_ptr)>;
    // Runs a render off the caller's thread (the render pool).
    using Submit = std::function<void(std::function<void()>)>;

    // max_bytes 0 keeps nothing but still merges concurrent renders.
    TileCache(std::size_t max_bytes, Submit submit);
    TileCache(const TileCache&) = delete;
    TileCache& operator=(const TileCache&) = delete;

    // A hit delivers at once on the calling thread; otherwise deliver runs on
    // the render pool when the tile is made.
    void fetch(const std::string& key, Produce produce, Deliver deliver);

    TileCacheStats stats() const;

    // Forgets the requests waiting for renders (their renders will not be
    // delivered): for shutting down after the render pool has stopped.
    void drop_waiters();

private:
    struct Entry {
        std::string key;
        Tile tile;
        std::size_t cost = 0;
    };

    void finish(const std::string& key, Tile tile, std::exception_ptr error);
    void insert(const std::string& key, Tile tile);  // with m_mutex held

    std::size_t m_max_bytes;
    Submit m_submit;
    mutable std::mutex m_mutex;
    std::list<Entry> m_lru;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> m_index;
    std::unordered_map<std::string, std::vector<Deliver>> m_in_flight;
    TileCacheStats m_stats;
};

}  // namespace lantern::tileserver
