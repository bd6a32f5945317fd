#include <lantern/layers/tiles.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

#include <lantern/core/base/checksum.hpp>
#include <lantern/core/base/error.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/core/tiles/mvt.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/class_registry.hpp>

#include "layer_features.hpp"
#include "layer_renderer.hpp"
#include "tile_layers.hpp"

namespace lantern::layers {

namespace tiles {

// One layer as the catalogue knows it, with its features once loaded.
struct LayerSlot {
    TileLayerInfo info;
    core::ClassSchema schema;
    TileLayerConfig config;
    std::vector<std::size_t> field_indices;
    std::mutex load_mutex;
    std::shared_ptr<const LayerFeatures> features;
};

}  // namespace tiles

namespace {

using tiles::LayerFeatures;
using tiles::LayerSlot;
using tiles::TileLayerConfig;

// Composite layer lists a client may ask for are many; beyond this many the
// selections are made afresh on each request rather than kept.
constexpr std::size_t max_kept_selections = 1024;

// The layers at one moment; replaced as a whole when the database changes.
struct Catalogue {
    std::vector<std::shared_ptr<LayerSlot>> slots;
    std::map<std::string, std::shared_ptr<LayerSlot>> by_name;

    mutable std::mutex selections_mutex;
    mutable std::map<std::vector<std::string>, std::shared_ptr<const TileSelection>> selections;
};

std::optional<core::Bounds> lonlat_bounds(const std::optional<core::Bounds>& extent,
                                          const core::Transform& to_wgs84)
{
    if (!extent)
        return std::nullopt;
    return to_wgs84.apply(*extent);
}

std::shared_ptr<LayerSlot> make_slot(const core::ClassSchema& schema, const TileLayerConfig& config,
                                     std::string kind, const std::string& name,
                                     const std::string& version, const std::string& updated,
                                     std::int64_t count, const std::optional<core::Bounds>& bounds)
{
    auto slot = std::make_shared<LayerSlot>();
    slot->schema = schema;
    slot->config = config;
    for (std::size_t i = 0; i < schema.fields.size(); ++i) {
        const auto& field = schema.fields[i];
        bool wanted = config.fields.empty()
                          ? field.name != "source"
                          : std::find(config.fields.begin(), config.fields.end(), field.name) !=
                                config.fields.end();
        if (!wanted)
            continue;
        slot->field_indices.push_back(i);
        slot->info.fields.push_back({field.name, field.type, field.description});
    }
    slot->info.name = name;
    slot->info.kind = std::move(kind);
    slot->info.description = schema.description;
    slot->info.geometry = schema.geometry;
    slot->info.min_zoom = config.min_zoom;
    slot->info.max_zoom = config.max_zoom;
    slot->info.bounds = bounds;
    slot->info.version = version;
    slot->info.updated = updated;
    slot->info.feature_count = count;
    return slot;
}

}  // namespace

struct TileSet::State {
    TileLimits limits;
    std::unique_ptr<core::Storage> storage;
    std::unique_ptr<core::Crs> city_crs;
    std::string city_name;
    mutable std::mutex storage_mutex;  // SQLite connection and change counter
    std::int64_t seen_counter = -1;

    mutable std::mutex catalogue_mutex;
    std::shared_ptr<const Catalogue> catalogue;
    std::atomic<std::uint64_t> rendered{0};

    // Reads the layers from the records; slots whose version did not change
    // are carried over with their loaded features. Holds storage_mutex.
    std::shared_ptr<const Catalogue> read_catalogue(const Catalogue* previous) const
    {
        auto next = std::make_shared<Catalogue>();
        core::Transform to_wgs84(*city_crs, core::Crs::wgs84());
        auto add = [&](std::shared_ptr<LayerSlot> slot) {
            if (previous) {
                auto it = previous->by_name.find(slot->info.name);
                if (it != previous->by_name.end() && it->second->info.version == slot->info.version)
                    slot = it->second;
            }
            next->by_name[slot->info.name] = slot;
            next->slots.push_back(std::move(slot));
        };
        auto classes = city_classes(*storage);
        for (const auto& description : classes.all()) {
            const auto& schema = description.schema;
            auto record = storage->class_record(schema.name);
            if (!record || !storage->has_class(schema.name))
                continue;
            auto slot = make_slot(schema, description.tiles, "class", schema.name,
                                  record->checksum, record->imported_at, record->feature_count,
                                  lonlat_bounds(record->extent, to_wgs84));
            slot->info.style = description.style;
            slot->info.labels = description.labels;
            slot->info.draw_order = description.draw_order;
            slot->info.added = !description.built_in;
            slot->info.theme = schema.layer;
            add(std::move(slot));
        }
        for (const auto& record : storage->result_records()) {
            if (record.kind != core::ResultKind::features ||
                !core::stale_reasons(*storage, record).empty())
                continue;
            add(make_slot(record.schema, tiles::result_tile_config(record.name, record.schema.geometry),
                          "result", record.name, record.checksum, record.created_at,
                          record.feature_count,
                          lonlat_bounds(record.extent, to_wgs84)));
        }
        return next;
    }

    std::shared_ptr<const Catalogue> snapshot() const
    {
        std::lock_guard lock(catalogue_mutex);
        return catalogue;
    }

    static std::shared_ptr<const TileSelection> make_selection(const Catalogue& from,
                                                              const std::vector<std::string>& names)
    {
        auto selection = std::make_shared<TileSelection>();
        core::ContentHash hash;
        for (const auto& name : names) {
            auto it = from.by_name.find(name);
            if (it == from.by_name.end())
                throw core::UsageError("no tile layer named " + name);
            const auto& slot = it->second;
            selection->m_slots.push_back(slot);
            selection->m_layers.push_back(slot->info);
            hash.add(slot->info.name);
            hash.add(std::string_view("\0", 1));
            hash.add(slot->info.version);
            hash.add(std::string_view("\0", 1));
        }
        selection->m_version = hash.hex();
        return selection;
    }

    std::shared_ptr<const LayerFeatures> features(LayerSlot& slot) const
    {
        std::lock_guard load_lock(slot.load_mutex);
        if (!slot.features) {
            std::lock_guard storage_lock(storage_mutex);
            slot.features = std::make_shared<const LayerFeatures>(*storage, slot.schema,
                                                                  slot.field_indices, *city_crs);
        }
        return slot.features;
    }
};

TileSet::TileSet(const std::string& city_path, TileLimits limits)
    : m_state(std::make_unique<State>())
{
    m_state->limits = limits;
    m_state->storage = core::open_city(city_path, core::Access::read_only);
    auto city = m_state->storage->city();
    m_state->city_name = city.name;
    m_state->city_crs = std::make_unique<core::Crs>(core::Crs::from_user(city.crs));
    refresh();
}

TileSet::~TileSet() = default;

bool TileSet::refresh()
{
    std::lock_guard lock(m_state->storage_mutex);
    std::int64_t counter = m_state->storage->change_counter();
    if (counter == m_state->seen_counter)
        return false;
    m_state->seen_counter = counter;
    auto previous = m_state->snapshot();
    auto next = m_state->read_catalogue(previous.get());
    bool changed = !previous || previous->slots.size() != next->slots.size();
    for (std::size_t i = 0; !changed && i < next->slots.size(); ++i)
        changed = next->slots[i] != previous->slots[i];
    std::lock_guard catalogue_lock(m_state->catalogue_mutex);
    m_state->catalogue = std::move(next);
    return changed;
}

std::string TileSet::city_name() const
{
    return m_state->city_name;
}

std::vector<TileLayerInfo> TileSet::layers() const
{
    std::vector<TileLayerInfo> out;
    for (const auto& slot : m_state->snapshot()->slots)
        out.push_back(slot->info);
    return out;
}

std::optional<TileLayerInfo> TileSet::layer(const std::string& name) const
{
    auto catalogue = m_state->snapshot();
    auto it = catalogue->by_name.find(name);
    if (it == catalogue->by_name.end())
        return std::nullopt;
    return it->second->info;
}

bool TileSelection::drawn_at(int zoom) const
{
    return std::any_of(m_layers.begin(), m_layers.end(), [zoom](const TileLayerInfo& layer) {
        return zoom >= layer.min_zoom && zoom <= layer.max_zoom;
    });
}

std::shared_ptr<const TileSelection> TileSet::select(const std::vector<std::string>& layer_names) const
{
    auto catalogue = m_state->snapshot();
    {
        std::lock_guard lock(catalogue->selections_mutex);
        if (auto it = catalogue->selections.find(layer_names); it != catalogue->selections.end())
            return it->second;
    }
    auto selection = State::make_selection(*catalogue, layer_names);
    std::lock_guard lock(catalogue->selections_mutex);
    if (catalogue->selections.size() < max_kept_selections)
        catalogue->selections.emplace(layer_names, selection);
    return selection;
}

std::string TileSet::data_version(const std::vector<std::string>& layer_names) const
{
    return select(layer_names)->version();
}

std::string TileSet::render(const std::vector<std::string>& layer_names, const core::TileId& tile)
{
    return render(*select(layer_names), tile);
}

std::string TileSet::render(const TileSelection& selection, const core::TileId& tile)
{
    std::string bytes;
    if (!core::tile_exists(tile))
        return bytes;
    std::vector<std::pair<const LayerSlot*, std::shared_ptr<const LayerFeatures>>> shown;
    for (const auto& slot : selection.m_slots)
        if (tile.z >= slot->config.min_zoom && tile.z <= slot->config.max_zoom)
            shown.emplace_back(slot.get(), m_state->features(*slot));
    // A tile over the limits is thinned one more level at a time, evenly
    // along each layer's curve, rather than cut off wherever it overflows.
    for (int extra_level = 0;; ++extra_level) {
        bytes.clear();
        std::size_t feature_count = 0;
        for (const auto& [slot, features] : shown) {
            core::MvtLayerEncoder encoder(slot->info.name, tiles::tile_options(slot->config, tile));
            tiles::render_layer(*features, slot->config, slot->info.fields, tile, extra_level,
                                encoder);
            feature_count += encoder.feature_count();
            encoder.append_to(bytes);
        }
        bool fits = feature_count <= m_state->limits.max_features &&
                    bytes.size() <= m_state->limits.max_bytes;
        if (fits || extra_level >= 32)
            break;
    }
    ++m_state->rendered;
    return bytes;
}

std::uint64_t TileSet::rendered_count() const
{
    return m_state->rendered.load();
}

nlohmann::json vector_layers_json(const std::vector<TileLayerInfo>& layers)
{
    auto out = nlohmann::json::array();
    for (const auto& layer : layers) {
        auto fields = nlohmann::json::object();
        for (const auto& field : layer.fields)
            fields[field.name] = field.type == core::FieldType::text ? "String" : "Number";
        out.push_back({{"id", layer.name},
                       {"description", layer.description},
                       {"minzoom", layer.min_zoom},
                       {"maxzoom", layer.max_zoom},
                       {"fields", fields}});
    }
    return out;
}

core::Bounds combined_bounds(const std::vector<TileLayerInfo>& layers)
{
    std::optional<core::Bounds> all;
    for (const auto& layer : layers)
        if (layer.bounds) {
            if (all)
                all->expand(*layer.bounds);
            else
                all = layer.bounds;
        }
    return all.value_or(core::Bounds{-180, -85.0511, 180, 85.0511});
}

}  // namespace lantern::layers
