#include <lantern/core/storage.hpp>

#include <chrono>
#include <ctime>

#include <lantern/core/checksum.hpp>

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
        hash.add(*d);
    } else if (auto* s = std::get_if<std::string>(&value)) {
        hash.add(std::string_view("t"));
        hash.add(static_cast<std::int64_t>(s->size()));
        hash.add(*s);
    } else {
        hash.add(std::string_view("n"));
    }
}

}  // namespace

std::string content_checksum(const Storage& storage, const ClassSchema& schema)
{
    ContentHash hash;
    storage.scan(schema, [&](const StoredFeature& f) {
        hash.add(f.fid);
        hash.add(static_cast<std::int64_t>(f.wkb.size()));
        hash.add(std::string_view(reinterpret_cast<const char*>(f.wkb.data()), f.wkb.size()));
        for (const auto& v : f.values)
            hash_value(hash, v);
    });
    return hash.hex();
}

ClassRecord summarize(const Storage& storage, const ClassSchema& schema)
{
    ClassRecord record;
    record.name = schema.name;
    record.feature_count = storage.count(schema.name);
    record.extent = storage.extent(schema.name);
    record.checksum = content_checksum(storage, schema);
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
