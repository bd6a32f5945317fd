// Polygons to the MVT encoder (core/tiles/mvt.hpp), whose clipping,
// snapping to the grid and repair (core/src/tiles/mvt/polygon_repair.hpp)
// must write valid MVT 2.1 polygons whatever rings come in. The bytes are a
// header (extent, buffer, simplification, how coordinates are read), then a
// few polygons of a few rings of up to 255 points each.
//
// The tile is read back by a decoder written here from the specification
// (github.com/mapbox/vector-tile-spec, 2.1, 4.3), independent of Lantern's:
// one layer of version 2 with the extent asked for, one feature of type
// POLYGON, and a command stream of rings, each MoveTo(1), LineTo(n >= 2),
// ClosePath(1), that ends where the geometry ends; no LineTo by (0, 0), no
// ring that returns to its first point before ClosePath, three distinct
// points at least, every point inside the buffered tile; by the surveyor's
// formula in tile coordinates (y down) no ring has zero area and the first
// is positive (an exterior). Then Lantern's checker (core/testing/
// mvt_check.hpp) must find nothing, GEOS validity of every polygon and of
// the multipolygon included.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <protozero/pbf_reader.hpp>

#include <lantern/core/testing/mvt_check.hpp>
#include <lantern/core/tiles/mvt.hpp>

namespace {

using lantern::core::TilePoint;

class Bytes {
public:
    Bytes(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    // The next value of type T, or zero once the bytes run out.
    template <typename T>
    T take()
    {
        T value{};
        std::size_t n = std::min(sizeof value, m_size - m_at);
        std::memcpy(&value, m_data + m_at, n);
        m_at += n;
        return value;
    }
    bool empty() const { return m_at == m_size; }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_at = 0;
};

// A coordinate as the header's mode reads it: whole tile units, units with
// a fraction, far outside the tile, or any double below 2^40 (a tile of
// zoom 24 lies 2^36 units from the far side of the world) or not finite.
double coordinate(Bytes& in, int mode)
{
    switch (mode) {
    case 0: return in.take<std::int16_t>();
    case 1: return in.take<std::int16_t>() + in.take<std::uint8_t>() / 256.0;
    case 2: return in.take<std::int32_t>() * 64.0;
    default: {
        double c = in.take<double>();
        return std::isfinite(c) ? std::fmod(c, 0x1p40) : c;
    }
    }
}

void require(bool condition)
{
    if (!condition)
        __builtin_trap();
}

// Command integers (spec 4.3.1): id in the low 3 bits, count above.
constexpr std::uint32_t move_to_one = 1 | 1 << 3;
constexpr std::uint32_t line_to = 2;
constexpr std::uint32_t close_path_one = 7 | 1 << 3;

std::int64_t unzigzag(std::uint32_t v)
{
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

struct Point {
    std::int64_t x, y;
    bool operator==(const Point&) const = default;
};

// Twice the ring's area by the surveyor's formula (spec 4.3.4.4).
std::int64_t twice_area(const std::vector<Point>& ring)
{
    std::int64_t sum = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        const Point& a = ring[i];
        const Point& b = ring[(i + 1) % ring.size()];
        sum += a.x * b.y - b.x * a.y;
    }
    return sum;
}

void check_geometry(const std::vector<std::uint32_t>& commands, std::int64_t low, std::int64_t high)
{
    require(!commands.empty());
    Point cursor{0, 0};
    std::size_t at = 0;
    auto next_point = [&] {
        require(commands.size() - at >= 2);
        cursor.x += unzigzag(commands[at]);
        cursor.y += unzigzag(commands[at + 1]);
        at += 2;
        require(cursor.x >= low && cursor.x <= high && cursor.y >= low && cursor.y <= high);
        return cursor;
    };
    bool first = true;
    while (at < commands.size()) {
        require(commands[at++] == move_to_one);
        std::vector<Point> ring{next_point()};
        require(at < commands.size());
        std::uint32_t command = commands[at++];
        require((command & 7) == line_to && (command >> 3) >= 2);
        for (std::uint32_t i = 0; i < (command >> 3); ++i) {
            Point before = cursor;
            require(!(next_point() == before));  // no zero-length segment
            ring.push_back(cursor);
        }
        require(at < commands.size() && commands[at++] == close_path_one);
        require(!(ring.back() == ring.front()));
        std::vector<Point> distinct;
        for (const Point& p : ring)
            if (std::find(distinct.begin(), distinct.end(), p) == distinct.end())
                distinct.push_back(p);
        require(distinct.size() >= 3);
        std::int64_t area = twice_area(ring);
        require(area != 0);
        require(!first || area > 0);
        first = false;
    }
}

// The tile as the specification reads it; false when it holds no feature.
bool check_tile(const std::string& tile, const lantern::core::MvtOptions& options)
{
    if (tile.empty())
        return false;
    protozero::pbf_reader tile_message(tile);
    int layers = 0;
    while (tile_message.next()) {
        require(tile_message.tag() == 3 && ++layers == 1);
        protozero::pbf_reader layer = tile_message.get_message();
        int features = 0;
        bool version = false, extent = false;
        while (layer.next()) {
            switch (layer.tag()) {
            case 15: require(layer.get_uint32() == 2); version = true; break;
            case 5: require(layer.get_uint32() == options.extent); extent = true; break;
            case 2: {
                require(++features == 1);
                protozero::pbf_reader feature = layer.get_message();
                bool polygon = false, geometry = false;
                while (feature.next()) {
                    if (feature.tag() == 3) {
                        require(feature.get_enum() == 3);
                        polygon = true;
                    } else if (feature.tag() == 4) {
                        auto packed = feature.get_packed_uint32();
                        std::vector<std::uint32_t> commands(packed.begin(), packed.end());
                        std::int64_t buffer = options.buffer;
                        check_geometry(commands, -buffer, std::int64_t{options.extent} + buffer);
                        geometry = true;
                    } else {
                        feature.skip();
                    }
                }
                require(polygon && geometry);
                break;
            }
            default: layer.skip();
            }
        }
        require(version && extent && features == 1);
    }
    return layers == 1;
}

}  // namespace

// GEOS 3.11's buffer, which make-valid runs on a ring it cannot fix
// otherwise, leaks its graph when a robustness failure throws inside it, on
// quite ordinary self-crossing rings: GEOS's leak, not the encoder's. Only
// what the buffer's own and the old overlay graph's code allocated is let
// go (GEOS has no frame pointers, so a leak's stack holds that one frame);
// a geometry the encoder forgets is allocated elsewhere and still fails.
extern "C" const char* __lsan_default_suppressions()
{
    return "leak:geos::operation::buffer::\n"
           "leak:geos::operation::overlay::\n"
           "leak:geos::geomgraph::\n";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Bytes in(data, size);
    auto header = in.take<std::uint8_t>();
    lantern::core::MvtOptions options;
    static constexpr std::uint32_t extents[] = {256, 512, 1024, 4096};
    options.extent = extents[header & 3];
    static constexpr std::uint32_t buffers[] = {0, 8, 64, 256};
    options.buffer = buffers[(header >> 2) & 3];
    static constexpr double tolerances[] = {0, 0, 0.5, 3};
    options.simplify_tolerance = tolerances[(header >> 4) & 3];
    int mode = header >> 6;

    lantern::core::TileGeometry geometry;
    geometry.type = lantern::core::TileGeometryType::polygon;
    int polygons = 1 + in.take<std::uint8_t>() % 4;
    for (int p = 0; p < polygons && !in.empty(); ++p) {
        auto& rings = geometry.polygons.emplace_back();
        int count = 1 + in.take<std::uint8_t>() % 4;
        for (int r = 0; r < count && !in.empty(); ++r) {
            auto& ring = rings.emplace_back();
            int points = in.take<std::uint8_t>();
            for (int k = 0; k < points && !in.empty(); ++k) {
                double x = coordinate(in, mode);
                ring.push_back(TilePoint{x, coordinate(in, mode)});
            }
        }
    }

    lantern::core::MvtLayerEncoder layer("shapes", options);
    bool added = layer.add(1, geometry, {});
    std::string tile;
    layer.append_to(tile);
    require(check_tile(tile, options) == added);
    if (added)
        require(lantern::core::check_mvt(tile).ok());
    return 0;
}
