#include <lantern/core/testing/mvt_decode.hpp>

#include <protozero/exception.hpp>
#include <protozero/pbf_reader.hpp>
#include <protozero/varint.hpp>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

// Field numbers of vector_tile.proto (spec 2.1).
namespace tile_field {
constexpr protozero::pbf_tag_type layers = 3;
}
namespace layer_field {
constexpr protozero::pbf_tag_type name = 1, features = 2, keys = 3, values = 4, extent = 5,
                                  version = 15;
}
namespace feature_field {
constexpr protozero::pbf_tag_type id = 1, tags = 2, type = 3, geometry = 4;
}
namespace value_field {
constexpr protozero::pbf_tag_type string_value = 1, float_value = 2, double_value = 3,
                                  int_value = 4, uint_value = 5, sint_value = 6, bool_value = 7;
}

constexpr std::uint32_t move_to = 1, line_to = 2, close_path = 7;

using protozero::pbf_wire_type;

// Reports problems with the place they were found in.
class Reporter {
public:
    explicit Reporter(const MvtProblemHandler& handler) : m_handler(handler) {}

    void at_layer(std::string name)
    {
        m_layer = std::move(name);
        m_feature_index.reset();
        m_feature_id.reset();
    }
    void at_feature(std::size_t index, std::optional<std::uint64_t> id)
    {
        m_feature_index = index;
        m_feature_id = id;
    }

    void operator()(std::string what) const
    {
        MvtProblem problem{m_layer, m_feature_index, m_feature_id, std::move(what)};
        if (!m_handler)
            throw DataError("vector tile: " + to_string(problem));
        m_handler(std::move(problem));
    }

private:
    const MvtProblemHandler& m_handler;
    std::string m_layer;
    std::optional<std::size_t> m_feature_index;
    std::optional<std::uint64_t> m_feature_id;
};

const char* wire_type_name(pbf_wire_type type)
{
    switch (type) {
    case pbf_wire_type::varint: return "varint";
    case pbf_wire_type::fixed64: return "fixed64";
    case pbf_wire_type::length_delimited: return "length-delimited";
    case pbf_wire_type::fixed32: return "fixed32";
    default: return "unknown";
    }
}

// True when the current field has the wire type its number calls for;
// otherwise reports it and skips it.
bool expect_wire_type(protozero::pbf_reader& message, pbf_wire_type wanted, const char* field,
                      const Reporter& report)
{
    if (message.wire_type() == wanted)
        return true;
    report(std::string(field) + " is written as " + wire_type_name(message.wire_type()) +
           " instead of " + wire_type_name(wanted));
    message.skip();
    return false;
}

std::optional<MvtValue> decode_value(protozero::data_view bytes, std::size_t index,
                                     const Reporter& report)
{
    protozero::pbf_reader message{bytes};
    std::optional<MvtValue> value;
    int fields = 0;
    const std::string name = "value " + std::to_string(index);
    while (message.next()) {
        std::optional<MvtValue> read;
        switch (message.tag()) {
        case value_field::string_value:
            if (expect_wire_type(message, pbf_wire_type::length_delimited, "a string value", report))
                read = std::string(message.get_view());
            break;
        case value_field::float_value:
            if (expect_wire_type(message, pbf_wire_type::fixed32, "a float value", report))
                read = message.get_float();
            break;
        case value_field::double_value:
            if (expect_wire_type(message, pbf_wire_type::fixed64, "a double value", report))
                read = message.get_double();
            break;
        case value_field::int_value:
            if (expect_wire_type(message, pbf_wire_type::varint, "an int value", report))
                read = message.get_int64();
            break;
        case value_field::uint_value:
            if (expect_wire_type(message, pbf_wire_type::varint, "a uint value", report))
                read = message.get_uint64();
            break;
        case value_field::sint_value:
            if (expect_wire_type(message, pbf_wire_type::varint, "a sint value", report))
                read = message.get_sint64();
            break;
        case value_field::bool_value:
            // Read as the varint it is: protozero's get_bool reads the value's
            // first byte before checking that the message holds one.
            if (expect_wire_type(message, pbf_wire_type::varint, "a bool value", report))
                read = message.get_uint64() != 0;
            break;
        default:
            report(name + " has a field (" + std::to_string(message.tag()) +
                   ") that is no value type of the spec");
            message.skip();
            return std::nullopt;
        }
        if (read) {
            ++fields;
            value = std::move(read);
        }
    }
    if (fields == 0) {
        report(name + " holds no value");
        return std::nullopt;
    }
    if (fields > 1) {
        report(name + " holds " + std::to_string(fields) + " values instead of exactly one");
        return std::nullopt;
    }
    return value;
}

// Reads a feature's geometry commands (spec 4.3) into its points, lines or
// rings, reporting every departure from the command grammar of its type.
class GeometryReader {
public:
    GeometryReader(protozero::data_view bytes, MvtFeature& feature, const Reporter& report)
        : m_pos(bytes.data()), m_end(bytes.data() + bytes.size()), m_feature(feature),
          m_report(report)
    {
    }

    void read()
    {
        std::uint32_t command = 0;
        while (next(command)) {
            const std::uint32_t id = command & 0x7;
            const std::uint32_t count = command >> 3;
            ++m_commands;
            if (id == move_to)
                on_move_to(count);
            else if (id == line_to)
                on_line_to(count);
            else if (id == close_path)
                on_close_path(count);
            else {
                m_report("geometry command " + std::to_string(m_commands) + " has the unknown id " +
                         std::to_string(id));
                break;
            }
            if (m_truncated)
                break;
        }
        finish();
    }

private:
    bool next(std::uint32_t& value)
    {
        if (m_pos == m_end)
            return false;
        value = static_cast<std::uint32_t>(protozero::decode_varint(&m_pos, m_end));
        return true;
    }

    // The next point of a MoveTo or LineTo; false when the stream ends early.
    bool next_point(const char* command, std::uint32_t count, std::uint32_t done)
    {
        std::uint32_t dx = 0, dy = 0;
        if (!next(dx) || !next(dy)) {
            m_report(std::string(command) + " of count " + std::to_string(count) +
                     " ends after " + std::to_string(done) + " full point(s)");
            m_truncated = true;
            return false;
        }
        m_delta = {protozero::decode_zigzag32(dx), protozero::decode_zigzag32(dy)};
        m_cursor.x += m_delta.x;
        m_cursor.y += m_delta.y;
        return true;
    }

    void on_move_to(std::uint32_t count)
    {
        const auto type = m_feature.type;
        if (count == 0)
            m_report("MoveTo with count 0");
        if (type == MvtGeometryType::point) {
            if (m_commands > 1)
                m_report("a point geometry has more than one MoveTo command");
        } else if (count > 1) {
            m_report("MoveTo with count " + std::to_string(count) + " in a " +
                     (type == MvtGeometryType::line ? "line" : "polygon") + " (must be 1)");
        }
        end_path();
        for (std::uint32_t i = 0; i < count; ++i) {
            if (!next_point("MoveTo", count, i))
                return;
            if (type == MvtGeometryType::point)
                m_feature.points.push_back(m_cursor);
        }
        if (type != MvtGeometryType::point) {
            m_path = {m_cursor};
            m_open = true;
            m_line_to_commands = 0;
        }
    }

    void on_line_to(std::uint32_t count)
    {
        const auto type = m_feature.type;
        if (count == 0)
            m_report("LineTo with count 0");
        if (type == MvtGeometryType::point)
            m_report("LineTo in a point geometry");
        else if (!m_open)
            m_report(type == MvtGeometryType::polygon && m_closed_rings > 0
                         ? "LineTo after ClosePath without a MoveTo"
                         : "LineTo before any MoveTo");
        else {
            // The grammar is MoveTo(1) LineTo(n) [ClosePath] per line or ring.
            ++m_line_to_commands;
            const std::string path = type == MvtGeometryType::polygon
                                         ? "ring " + std::to_string(ring_number())
                                         : "line " + std::to_string(m_feature.lines.size());
            if (m_line_to_commands > 1)
                m_report(path + " has more than one LineTo command");
            else if (type == MvtGeometryType::polygon && count < 2)
                m_report(path + " has a LineTo of count " + std::to_string(count) +
                         " (must be greater than 1)");
        }
        for (std::uint32_t i = 0; i < count; ++i) {
            if (!next_point("LineTo", count, i))
                return;
            if (m_delta.x == 0 && m_delta.y == 0)
                m_report("zero-length segment: LineTo (0, 0) at (" + std::to_string(m_cursor.x) +
                         ", " + std::to_string(m_cursor.y) + ")");
            if (m_open && type != MvtGeometryType::point)
                m_path.push_back(m_cursor);
        }
    }

    void on_close_path(std::uint32_t count)
    {
        if (count != 1)
            m_report("ClosePath with count " + std::to_string(count) + " (must be 1)");
        if (m_feature.type != MvtGeometryType::polygon) {
            m_report(std::string("ClosePath in a ") +
                     (m_feature.type == MvtGeometryType::line ? "line" : "point") + " geometry");
            return;
        }
        if (!m_open) {
            m_report(m_closed_rings > 0 ? "ClosePath repeated after ring " +
                                              std::to_string(m_closed_rings - 1)
                                        : "ClosePath before any MoveTo");
            return;
        }
        if (m_path.size() > 1 && m_path.back() == m_path.front())
            m_report("ring " + std::to_string(ring_number()) +
                     " repeats its first point before ClosePath (a zero-length closing segment)");
        close_ring();
    }

    // Ends the path a MoveTo or the end of the geometry interrupts.
    void end_path()
    {
        if (!m_open)
            return;
        if (m_feature.type == MvtGeometryType::line) {
            if (m_path.size() < 2)
                m_report("line " + std::to_string(m_feature.lines.size()) +
                         " has a MoveTo without a LineTo");
            m_feature.lines.push_back(std::move(m_path));
        } else {
            m_report("ring " + std::to_string(ring_number()) + " is not closed by ClosePath");
            close_ring();
        }
        m_open = false;
        m_path.clear();
    }

    void close_ring()
    {
        m_path.push_back(m_path.front());
        m_rings.push_back(std::move(m_path));
        m_path.clear();
        m_open = false;
        ++m_closed_rings;
    }

    std::size_t ring_number() const { return m_rings.size(); }

    void finish()
    {
        end_path();
        const auto type = m_feature.type;
        if (m_commands == 0 && type != MvtGeometryType::unknown)
            m_report("empty geometry");
        if (type == MvtGeometryType::polygon)
            group_rings();
    }

    // A ring of positive area opens a polygon; the others are holes of the
    // polygon before them (spec 4.3.4.4). A first ring that is not positive
    // still opens one, which the checker reports.
    void group_rings()
    {
        for (auto& ring : m_rings) {
            if (mvt_ring_area(ring) > 0 || m_feature.polygons.empty())
                m_feature.polygons.emplace_back();
            m_feature.polygons.back().push_back(std::move(ring));
        }
    }

    const char* m_pos;
    const char* m_end;
    MvtFeature& m_feature;
    const Reporter& m_report;
    MvtPoint m_cursor;
    MvtPoint m_delta;
    MvtPath m_path;
    std::vector<MvtPath> m_rings;
    bool m_open = false;
    bool m_truncated = false;
    std::size_t m_commands = 0;
    std::size_t m_line_to_commands = 0;
    std::size_t m_closed_rings = 0;
};

void decode_tags(protozero::data_view bytes, const MvtLayer& layer, MvtFeature& feature,
                 const Reporter& report)
{
    std::vector<std::uint32_t> tags;
    const char* pos = bytes.data();
    const char* end = bytes.data() + bytes.size();
    while (pos != end)
        tags.push_back(static_cast<std::uint32_t>(protozero::decode_varint(&pos, end)));
    if (tags.size() % 2 != 0)
        report("odd number of tags (" + std::to_string(tags.size()) + ")");
    std::vector<bool> key_seen(layer.keys.size(), false);
    for (std::size_t i = 0; i + 1 < tags.size(); i += 2) {
        const std::uint32_t key = tags[i], value = tags[i + 1];
        if (key >= layer.keys.size()) {
            report("tag key index " + std::to_string(key) + " is out of range (" +
                   std::to_string(layer.keys.size()) + " keys)");
            continue;
        }
        if (value >= layer.values.size()) {
            report("tag value index " + std::to_string(value) + " of key \"" + layer.keys[key] +
                   "\" is out of range (" + std::to_string(layer.values.size()) + " values)");
            continue;
        }
        if (key_seen[key]) {
            report("key \"" + layer.keys[key] + "\" appears more than once");
            continue;
        }
        key_seen[key] = true;
        if (layer.values[value])
            feature.properties.emplace_back(layer.keys[key], *layer.values[value]);
        else
            report("key \"" + layer.keys[key] + "\" refers to value " + std::to_string(value) +
                   ", which is not a valid value");
    }
}

MvtFeature decode_feature(protozero::data_view bytes, std::size_t index, const MvtLayer& layer,
                          Reporter& report)
{
    MvtFeature feature;
    std::optional<protozero::data_view> tags, geometry;
    bool type_written = false;
    int geometries = 0;
    protozero::pbf_reader message{bytes};
    report.at_feature(index, std::nullopt);
    while (message.next()) {
        switch (message.tag()) {
        case feature_field::id:
            if (expect_wire_type(message, pbf_wire_type::varint, "the feature id", report)) {
                feature.id = message.get_uint64();
                report.at_feature(index, feature.id);
            }
            break;
        case feature_field::tags:
            if (expect_wire_type(message, pbf_wire_type::length_delimited, "the tags", report))
                tags = message.get_view();
            break;
        case feature_field::type:
            if (expect_wire_type(message, pbf_wire_type::varint, "the geometry type", report)) {
                const auto type = message.get_enum();
                type_written = true;
                if (type < 0 || type > 3)
                    report("unknown geometry type " + std::to_string(type));
                else
                    feature.type = static_cast<MvtGeometryType>(type);
            }
            break;
        case feature_field::geometry:
            if (expect_wire_type(message, pbf_wire_type::length_delimited, "the geometry", report)) {
                geometry = message.get_view();
                ++geometries;
            }
            break;
        default: message.skip();
        }
    }
    if (!type_written)
        report("no geometry type");
    if (!geometry)
        report("no geometry");
    if (geometries > 1)
        report(std::to_string(geometries) + " geometry fields (must be one)");
    if (tags)
        decode_tags(*tags, layer, feature, report);
    // Decoders may ignore features of unknown type (spec 4.3.4.1).
    if (geometry && feature.type != MvtGeometryType::unknown)
        GeometryReader(*geometry, feature, report).read();
    return feature;
}

MvtLayer decode_layer(protozero::data_view bytes, std::size_t index, Reporter& report)
{
    MvtLayer layer;
    std::vector<protozero::data_view> features, values;
    bool named = false;
    report.at_layer("#" + std::to_string(index));
    protozero::pbf_reader message{bytes};
    while (message.next()) {
        switch (message.tag()) {
        case layer_field::name:
            if (expect_wire_type(message, pbf_wire_type::length_delimited, "the layer name", report)) {
                layer.name = std::string(message.get_view());
                named = true;
                report.at_layer(layer.name);
            }
            break;
        case layer_field::features:
            if (expect_wire_type(message, pbf_wire_type::length_delimited, "a feature", report))
                features.push_back(message.get_view());
            break;
        case layer_field::keys:
            if (expect_wire_type(message, pbf_wire_type::length_delimited, "a key", report))
                layer.keys.emplace_back(message.get_view());
            break;
        case layer_field::values:
            if (expect_wire_type(message, pbf_wire_type::length_delimited, "a value", report))
                values.push_back(message.get_view());
            break;
        case layer_field::extent:
            if (expect_wire_type(message, pbf_wire_type::varint, "the extent", report))
                layer.extent = message.get_uint32();
            break;
        case layer_field::version:
            if (expect_wire_type(message, pbf_wire_type::varint, "the version", report))
                layer.version = message.get_uint32();
            break;
        default: message.skip();
        }
    }
    if (!named)
        report("layer without a name");
    // Fields may come in any order: features are read once the keys and
    // values they refer to are known.
    for (std::size_t i = 0; i < values.size(); ++i)
        layer.values.push_back(decode_value(values[i], i, report));
    for (std::size_t i = 0; i < features.size(); ++i)
        layer.features.push_back(decode_feature(features[i], i, layer, report));
    return layer;
}

}  // namespace

std::string to_string(const MvtProblem& problem)
{
    std::string text;
    if (!problem.layer.empty())
        text = "layer \"" + problem.layer + "\"";
    if (problem.feature_index) {
        text += text.empty() ? "" : ", ";
        text += problem.feature_id ? "feature " + std::to_string(*problem.feature_id) + " (#" +
                                         std::to_string(*problem.feature_index) + ")"
                                   : "feature #" + std::to_string(*problem.feature_index) +
                                         " (no id)";
    }
    return text.empty() ? problem.what : text + ": " + problem.what;
}

std::vector<MvtLayer> decode_mvt(std::string_view tile, const MvtProblemHandler& on_problem)
{
    std::vector<MvtLayer> layers;
    Reporter report(on_problem);
    try {
        protozero::pbf_reader message{tile.data(), tile.size()};
        while (message.next()) {
            if (message.tag() == tile_field::layers) {
                if (expect_wire_type(message, pbf_wire_type::length_delimited, "a layer", report))
                    layers.push_back(decode_layer(message.get_view(), layers.size(), report));
            } else {
                message.skip();
            }
        }
    } catch (const protozero::exception& e) {
        throw DataError(std::string("not a vector tile: ") + e.what());
    }
    return layers;
}

double mvt_ring_area(const MvtPath& ring)
{
    double twice = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        twice += static_cast<double>(ring[i].x) * static_cast<double>(ring[i + 1].y) -
                 static_cast<double>(ring[i + 1].x) * static_cast<double>(ring[i].y);
    return twice / 2;
}

}  // namespace lantern::core
