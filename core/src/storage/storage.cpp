#include <lantern/core/storage/storage.hpp>

#include <chrono>
#include <ctime>

#include <lantern/core/base/checksum.hpp>
#include <lantern/core/base/error.hpp>

#include "postgres_connection.hpp"
#include "storage_backends.hpp"

namespace lantern::core {

namespace {

void hash_value(ContentHash& hash, const Value& value)
{
    // A type tag before each value keeps "1" (text) apart from 1 (integer).
    if (auto* i = std::get_if<std::int64_t>(&value)) {
        hash.add(std::string_view("i"));
        hash.add(*i);
    } else if (auto* d = std::get_if<double>(&value)) {
        hash.add(std::string_view("r"));
        // -0.0 and 0.0 are one value (SQLite stores both as 0).
        hash.add(*d == 0.0 ? 0.0 : *d);
    } else if (auto* s = std::get_if<std::string>(&value)) {
        hash.add(std::string_view("t"));
        hash.add(static_cast<std::int64_t>(s->size()));
        hash.add(*s);
    } else {
        hash.add(std::string_view("n"));
    }
}

}  // namespace

struct ContentDigest::State {
    ContentHash hash;
    std::int64_t count = 0;
    std::optional<Bounds> extent;
};

ContentDigest::ContentDigest() : m_state(std::make_unique<State>()) {}

ContentDigest::ContentDigest(const ClassRecord& resume_from) : ContentDigest()
{
    m_state->hash = ContentHash::resume(resume_from.checksum);
    m_state->count = resume_from.feature_count;
    m_state->extent = resume_from.extent;
}

ContentDigest::~ContentDigest() = default;

void ContentDigest::add(std::int64_t fid, const std::vector<unsigned char>& wkb,
                        const std::vector<Value>& values, const std::optional<Bounds>& bounds)
{
    auto& hash = m_state->hash;
    hash.add(fid);
    hash.add(static_cast<std::int64_t>(wkb.size()));
    hash.add(std::string_view(reinterpret_cast<const char*>(wkb.data()), wkb.size()));
    for (const auto& v : values)
        hash_value(hash, v);
    ++m_state->count;
    if (bounds) {
        if (m_state->extent)
            m_state->extent->expand(*bounds);
        else
            m_state->extent = bounds;
    }
}

void ContentDigest::fill(ClassRecord& record) const
{
    record.feature_count = m_state->count;
    record.checksum = m_state->hash.hex();
    record.extent = m_state->extent;
}

std::unique_ptr<Storage> open_city(const std::string& location, Access access)
{
    if (detail::is_postgresql_url(location))
        return open_postgis_city(location, access);
    return open_spatialite_city(location, access);
}

std::unique_ptr<Storage> create_city(const std::string& location, const std::string& name, const Crs& crs,
                                     const std::optional<Bounds>& bounds)
{
    if (crs.is_geographic())
        throw UsageError("the city CRS must be projected, in metres (got " + crs.name() +
                         "; for Hoi An use EPSG:32649)");
    if (detail::is_postgresql_url(location))
        return create_postgis_city(location, name, crs, bounds);
    return create_spatialite_city(location, name, crs, bounds);
}

void remove_city(const std::string& location)
{
    if (detail::is_postgresql_url(location))
        remove_postgis_city(location);
    else
        remove_spatialite_city(location);
}

ClassRecord summarize(const Storage& storage, const ClassSchema& schema)
{
    ClassRecord record;
    record.name = schema.name;
    ContentDigest digest;
    storage.scan(schema, [&](const StoredFeature& f) { digest.add(f.fid, f.wkb, f.values, std::nullopt); });
    digest.fill(record);
    record.extent = storage.extent(schema.name);
    return record;
}

std::string utc_now()
{
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace lantern::core
