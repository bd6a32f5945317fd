// MVT 2.1 layers with protozero: geometry command streams, and keys and
// values each written once per layer.

#include <lantern/core/tiles/mvt.hpp>

#include <cmath>
#include <cstring>
#include <unordered_map>

#include <protozero/pbf_writer.hpp>

#include <lantern/core/tiles/tile_generalise.hpp>

#include "clip.hpp"
#include "polygon_repair.hpp"

namespace lantern::core {

namespace {

// Field numbers of vector_tile.proto.
namespace tile_field {
constexpr protozero::pbf_tag_type layers = 3;
}
namespace layer_field {
constexpr protozero::pbf_tag_type name = 1;
constexpr protozero::pbf_tag_type features = 2;
constexpr protozero::pbf_tag_type keys = 3;
constexpr protozero::pbf_tag_type values = 4;
constexpr protozero::pbf_tag_type extent = 5;
constexpr protozero::pbf_tag_type version = 15;
}  // namespace layer_field
namespace feature_field {
constexpr protozero::pbf_tag_type id = 1;
constexpr protozero::pbf_tag_type tags = 2;
constexpr protozero::pbf_tag_type type = 3;
constexpr protozero::pbf_tag_type geometry = 4;
}  // namespace feature_field
namespace value_field {
constexpr protozero::pbf_tag_type string_value = 1;
constexpr protozero::pbf_tag_type double_value = 3;
constexpr protozero::pbf_tag_type sint_value = 6;
}  // namespace value_field

enum GeomType : std::int32_t { point_type = 1, linestring_type = 2, polygon_type = 3 };

constexpr std::uint32_t move_to = 1;
constexpr std::uint32_t line_to = 2;
constexpr std::uint32_t close_path = 7;

std::uint32_t command(std::uint32_t id, std::size_t count)
{
    return (id & 0x7) | (static_cast<std::uint32_t>(count) << 3);
}

std::uint32_t zigzag(std::int64_t v)
{
    return static_cast<std::uint32_t>((v << 1) ^ (v >> 63));
}

using mvt::GridPoint;

// The command stream of one feature, with the cursor carried between parts.
class GeometryStream {
public:
    void move_to_points(const std::vector<GridPoint>& points, std::size_t count)
    {
        m_commands.push_back(command(move_to, count));
        for (std::size_t i = 0; i < count; ++i)
            step(points[i]);
    }
    void path(const std::vector<GridPoint>& points, bool closed)
    {
        m_commands.push_back(command(move_to, 1));
        step(points.front());
        m_commands.push_back(command(line_to, points.size() - 1));
        for (std::size_t i = 1; i < points.size(); ++i)
            step(points[i]);
        if (closed)
            m_commands.push_back(command(close_path, 1));
    }
    const std::vector<std::uint32_t>& commands() const { return m_commands; }
    bool empty() const { return m_commands.empty(); }

private:
    void step(const GridPoint& p)
    {
        m_commands.push_back(zigzag(p.x - m_cursor.x));
        m_commands.push_back(zigzag(p.y - m_cursor.y));
        m_cursor = p;
    }
    std::vector<std::uint32_t> m_commands;
    GridPoint m_cursor;
};

std::vector<GridPoint> snap_line(const std::vector<TilePoint>& line)
{
    std::vector<GridPoint> out;
    out.reserve(line.size());
    for (const TilePoint& p : line) {
        GridPoint q{std::llround(p.x), std::llround(p.y)};
        if (out.empty() || !(out.back() == q))
            out.push_back(q);
    }
    return out;
}

}  // namespace

struct MvtLayerEncoder::State {
    std::string name;
    MvtOptions options;
    mvt::ClipBox box;
    std::string features;  // encoded Feature messages, each as field 2 of Layer
    std::size_t feature_count = 0;
    std::unordered_map<std::string, std::uint32_t> key_index;
    std::vector<std::string> keys;
    // Values keyed by a type tag byte and their bytes, so 1 and 1.0 and "1" differ.
    std::unordered_map<std::string, std::uint32_t> value_index;
    std::vector<Value> values;

    std::uint32_t key(const std::string& k)
    {
        auto [it, added] = key_index.try_emplace(k, static_cast<std::uint32_t>(keys.size()));
        if (added)
            keys.push_back(k);
        return it->second;
    }

    std::uint32_t value(const Value& v)
    {
        std::string id;
        if (auto* i = std::get_if<std::int64_t>(&v)) {
            id = "i" + std::to_string(*i);
        } else if (auto* d = std::get_if<double>(&v)) {
            char bytes[sizeof(double)];
            std::memcpy(bytes, d, sizeof bytes);
            id = "d" + std::string(bytes, sizeof bytes);
        } else {
            id = "s" + std::get<std::string>(v);
        }
        auto [it, added] = value_index.try_emplace(id, static_cast<std::uint32_t>(values.size()));
        if (added)
            values.push_back(v);
        return it->second;
    }

    GeometryStream encode(const TileGeometry& geometry, GeomType& type) const
    {
        GeometryStream stream;
        switch (geometry.type) {
        case TileGeometryType::point: {
            type = point_type;
            std::vector<GridPoint> kept;
            for (const TilePoint& p : geometry.points)
                if (box.contains(p))
                    kept.push_back({std::llround(p.x), std::llround(p.y)});
            if (!kept.empty())
                stream.move_to_points(kept, kept.size());
            break;
        }
        case TileGeometryType::line:
            type = linestring_type;
            for (const auto& line : geometry.lines) {
                if (!mvt::all_finite(line))
                    continue;
                for (const auto& piece : mvt::clip_line(line, box)) {
                    auto snapped = snap_line(options.simplify_tolerance > 0
                                                 ? simplify_line(piece, options.simplify_tolerance)
                                                 : piece);
                    if (snapped.size() >= 2)
                        stream.path(snapped, false);
                }
            }
            break;
        case TileGeometryType::polygon:
            type = polygon_type;
            for (const auto& part :
                 mvt::clip_and_snap_polygons(geometry.polygons, box, options.simplify_tolerance))
                for (const auto& ring : part)
                    stream.path(ring, true);
            break;
        }
        return stream;
    }
};

MvtLayerEncoder::MvtLayerEncoder(std::string name, MvtOptions options)
    : m_state(std::make_unique<State>())
{
    m_state->name = std::move(name);
    m_state->options = options;
    double low = -static_cast<double>(options.buffer);
    double high = static_cast<double>(options.extent) + options.buffer;
    m_state->box = {low, low, high, high};
}

MvtLayerEncoder::~MvtLayerEncoder() = default;
MvtLayerEncoder::MvtLayerEncoder(MvtLayerEncoder&&) noexcept = default;
MvtLayerEncoder& MvtLayerEncoder::operator=(MvtLayerEncoder&&) noexcept = default;

bool MvtLayerEncoder::add(std::uint64_t id, const TileGeometry& geometry,
                          const MvtProperties& properties)
{
    GeomType type = point_type;
    GeometryStream stream = m_state->encode(geometry, type);
    if (stream.empty())
        return false;
    std::vector<std::uint32_t> tags;
    tags.reserve(properties.size() * 2);
    for (const auto& [key, value] : properties) {
        if (std::holds_alternative<std::monostate>(value))
            continue;
        tags.push_back(m_state->key(key));
        tags.push_back(m_state->value(value));
    }
    protozero::pbf_writer layer(m_state->features);
    protozero::pbf_writer feature(layer, layer_field::features);
    feature.add_uint64(feature_field::id, id);
    if (!tags.empty())
        feature.add_packed_uint32(feature_field::tags, tags.begin(), tags.end());
    feature.add_enum(feature_field::type, type);
    feature.add_packed_uint32(feature_field::geometry, stream.commands().begin(),
                              stream.commands().end());
    ++m_state->feature_count;
    return true;
}

const std::string& MvtLayerEncoder::name() const
{
    return m_state->name;
}

const MvtOptions& MvtLayerEncoder::options() const
{
    return m_state->options;
}

std::size_t MvtLayerEncoder::feature_count() const
{
    return m_state->feature_count;
}

std::size_t MvtLayerEncoder::byte_size() const
{
    std::size_t size = m_state->features.size() + m_state->name.size();
    for (const auto& k : m_state->keys)
        size += k.size() + 2;
    return size + m_state->values.size() * 8;
}

void MvtLayerEncoder::append_to(std::string& tile) const
{
    if (m_state->feature_count == 0)
        return;
    // The features are already encoded as fields of Layer: the layer is
    // its head, those bytes and its tail, framed as one message of Tile.
    std::string content;
    {
        protozero::pbf_writer head(content);
        head.add_uint32(layer_field::version, 2);
        head.add_string(layer_field::name, m_state->name);
    }
    content += m_state->features;
    {
        protozero::pbf_writer tail(content);
        for (const auto& k : m_state->keys)
            tail.add_string(layer_field::keys, k);
        for (const auto& v : m_state->values) {
            protozero::pbf_writer value(tail, layer_field::values);
            if (auto* i = std::get_if<std::int64_t>(&v))
                value.add_sint64(value_field::sint_value, *i);
            else if (auto* d = std::get_if<double>(&v))
                value.add_double(value_field::double_value, *d);
            else
                value.add_string(value_field::string_value, std::get<std::string>(v));
        }
        tail.add_uint32(layer_field::extent, m_state->options.extent);
    }
    protozero::pbf_writer tile_writer(tile);
    tile_writer.add_message(tile_field::layers, content);
}

}  // namespace lantern::core
