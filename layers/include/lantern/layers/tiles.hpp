#pragma once
// The city as vector tiles: every feature class and every current feature
// result is a tile layer, with its zoom range and the fields that go into
// tiles (docs/tiles.md lists the defaults). A TileSet keeps each layer's
// features in memory in EPSG:3857 behind a spatial index, loaded on first use
// and reloaded when the database says the layer changed, and renders Mapbox
// Vector Tiles (core/tiles/mvt.hpp) from them. The tile server and the archive
// writer both read tiles through it.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <lantern/core/schema/schema.hpp>
#include <lantern/core/tiles/tile_math.hpp>
#include <lantern/layers/class_description.hpp>

namespace lantern::layers {

struct TileField {
    std::string name;
    core::FieldType type = core::FieldType::text;
    std::string description;
};

struct TileLayerInfo {
    std::string name;  // the class or result name, also the layer name in tiles
    std::string kind;  // "class" or "result"
    std::string description;
    core::GeometryKind geometry = core::GeometryKind::polygon;
    int min_zoom = 0;
    int max_zoom = 16;  // clients overzoom beyond it
    std::vector<TileField> fields;  // what goes into tiles, in schema order
    // WGS 84 longitude/latitude; none for an empty layer.
    std::optional<core::Bounds> bounds;
    // Changes whenever the layer's content changes (its content checksum).
    std::string version;
    // When the class was imported or the result computed: ISO 8601, UTC.
    std::string updated;
    std::int64_t feature_count = 0;
    // A class's map style, label rules, draw order and theme (its layer:
    // "heritage", "drainage") from its description (none for a result), and
    // whether the city added the class (lantern classes add).
    std::vector<StyleRule> style;
    std::vector<LabelRule> labels;
    int draw_order = 0;
    std::string theme;
    bool added = false;
};

namespace tiles {
struct LayerSlot;
}

// Some layers resolved against one state of the catalogue: their
// descriptions, their combined data version and what rendering needs. A tile
// rendered from a selection always belongs to the selection's version, even
// when an import changes the layers meanwhile.
class TileSelection {
public:
    const std::vector<TileLayerInfo>& layers() const { return m_layers; }
    // A short hex digest of the layers' names and versions, for cache keys,
    // ETags and the ?v= of tile URLs.
    const std::string& version() const { return m_version; }
    // Whether some layer is drawn at this zoom.
    bool drawn_at(int zoom) const;

private:
    friend class TileSet;
    std::vector<TileLayerInfo> m_layers;
    std::string m_version;
    std::vector<std::shared_ptr<tiles::LayerSlot>> m_slots;
};

// Tiles larger than this are thinned further, evenly, until they fit.
struct TileLimits {
    std::size_t max_features = 50000;
    std::size_t max_bytes = 500 * 1024;
};

class TileSet {
public:
    // Opens the city database read-only. Throws StorageError when the path is
    // missing or is not a city database.
    explicit TileSet(const std::string& city_path, TileLimits limits = {});
    ~TileSet();
    TileSet(const TileSet&) = delete;
    TileSet& operator=(const TileSet&) = delete;

    // Looks for changes made since the last call by any process (an import,
    // a new analysis result): cheap when there are none. Returns true when a
    // layer was added, removed or changed; its features are then reloaded on
    // next use. Thread-safe.
    bool refresh();

    std::string city_name() const;
    // Every layer: classes in documentation order, then current feature
    // results by name. Results whose inputs changed (stale) are left out.
    std::vector<TileLayerInfo> layers() const;
    std::optional<TileLayerInfo> layer(const std::string& name) const;

    // The named layers as they are now, in the order given. Throws
    // UsageError naming the first unknown layer. Selections are kept per
    // catalogue state, so asking again for the same names is cheap.
    std::shared_ptr<const TileSelection> select(const std::vector<std::string>& layer_names) const;

    // select(layer_names)->version().
    std::string data_version(const std::vector<std::string>& layer_names) const;

    // The tile's Mapbox Vector Tile bytes (uncompressed) with one layer per
    // selected layer that has features there, in the selection's order; an
    // empty string when none has. Layers outside their zoom range add
    // nothing. Thread-safe: tiles render in parallel.
    std::string render(const TileSelection& selection, const core::TileId& tile);
    // render(*select(layer_names), tile).
    std::string render(const std::vector<std::string>& layer_names, const core::TileId& tile);

    // How many tiles render() made, for metrics and tests.
    std::uint64_t rendered_count() const;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

// TileJSON's "vector_layers": id, description, minzoom, maxzoom and fields
// (name -> "Number" or "String") for each layer.
nlohmann::json vector_layers_json(const std::vector<TileLayerInfo>& layers);

// Union of the layers' WGS 84 bounds; the whole web map square when none has any.
core::Bounds combined_bounds(const std::vector<TileLayerInfo>& layers);

}  // namespace lantern::layers
