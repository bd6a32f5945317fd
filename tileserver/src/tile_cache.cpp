#include <lantern/tileserver/tile_cache.hpp>

#include <lantern/core/base/gzip.hpp>
#include <lantern/tileserver/http_headers.hpp>

namespace lantern::tileserver {

namespace {

// What an entry costs beyond its bytes: list node, index node, strings.
constexpr std::size_t entry_overhead = 256;

std::size_t entry_cost(const std::string& key, const CachedTile& tile)
{
    return entry_overhead + 2 * key.size() + tile.gzip.size() + tile.gzip_etag.size() +
           tile.identity_etag.size();
}

}  // namespace

CachedTile CachedTile::from_bytes(const std::string& bytes)
{
    CachedTile tile;
    tile.identity_size = bytes.size();
    if (bytes.empty())
        return tile;
    tile.gzip = core::gzip_compress(bytes);
    tile.gzip_etag = entity_tag(tile.gzip);
    tile.identity_etag = entity_tag(bytes);
    return tile;
}

TileCache::TileCache(std::size_t max_bytes, Submit submit)
    : m_max_bytes(max_bytes), m_submit(std::move(submit))
{
    m_stats.max_bytes = max_bytes;
}

void TileCache::fetch(const std::string& key, Produce produce, Deliver deliver)
{
    std::unique_lock lock(m_mutex);
    if (auto found = m_index.find(key); found != m_index.end()) {
        m_lru.splice(m_lru.begin(), m_lru, found->second);
        Tile tile = found->second->tile;
        ++m_stats.hits;
        lock.unlock();
        deliver(std::move(tile), nullptr);
        return;
    }
    if (auto flight = m_in_flight.find(key); flight != m_in_flight.end()) {
        flight->second.push_back(std::move(deliver));
        ++m_stats.waits;
        return;
    }
    m_in_flight[key].push_back(std::move(deliver));
    ++m_stats.misses;
    lock.unlock();

    m_submit([this, key, produce = std::move(produce)] {
        Tile tile;
        std::exception_ptr error;
        try {
            tile = std::make_shared<const CachedTile>(produce());
        } catch (...) {
            error = std::current_exception();
        }
        finish(key, std::move(tile), error);
    });
}

void TileCache::finish(const std::string& key, Tile tile, std::exception_ptr error)
{
    std::vector<Deliver> waiting;
    {
        std::lock_guard lock(m_mutex);
        if (auto flight = m_in_flight.find(key); flight != m_in_flight.end()) {
            waiting = std::move(flight->second);
            m_in_flight.erase(flight);
        }
        if (tile)
            insert(key, tile);
        else
            ++m_stats.failures;
    }
    for (auto& deliver : waiting)
        deliver(tile, error);
}

void TileCache::insert(const std::string& key, Tile tile)
{
    auto cost = entry_cost(key, *tile);
    if (cost > m_max_bytes || m_index.count(key))
        return;
    m_lru.push_front(Entry{key, std::move(tile), cost});
    m_index[key] = m_lru.begin();
    m_stats.bytes += cost;
    while (m_stats.bytes > m_max_bytes) {
        auto& last = m_lru.back();
        m_stats.bytes -= last.cost;
        m_index.erase(last.key);
        m_lru.pop_back();
        ++m_stats.evictions;
    }
    m_stats.entries = m_lru.size();
}

TileCacheStats TileCache::stats() const
{
    std::lock_guard lock(m_mutex);
    auto stats = m_stats;
    stats.entries = m_lru.size();
    return stats;
}

void TileCache::drop_waiters()
{
    std::unordered_map<std::string, std::vector<Deliver>> dropped;
    {
        std::lock_guard lock(m_mutex);
        dropped.swap(m_in_flight);
    }
}

}  // namespace lantern::tileserver
