// The SpatiaLite blob layout (SpatiaLite's "BLOB-Geometry" format, not
// compressed, XY): 0x00, endianness (0x01 little), SRID (int32), the MBR as
// min x, min y, max x, max y (doubles), 0x7C, the class type (int32, the
// WKB type), the body, 0xFE. The body is the WKB's after its type, except
// that each part of a multi geometry starts with 0x69 and its type instead
// of WKB's byte order and type.

#include "spatialite_blob.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace lantern::core::detail {

namespace {

static_assert(std::endian::native == std::endian::little);

constexpr unsigned char blob_start = 0x00;
constexpr unsigned char little_endian = 0x01;
constexpr unsigned char mbr_end = 0x7C;
constexpr unsigned char part_start = 0x69;
constexpr unsigned char blob_end = 0xFE;
constexpr std::size_t header_size = 43;  // up to and including the class type

class BlobWriter {
public:
    BlobWriter(std::span<const unsigned char> wkb, std::vector<unsigned char>& out) : m_wkb(wkb), m_out(out) {}

    bool geometry(std::uint32_t type)
    {
        switch (type) {
        case 1: return points(1);
        case 2: return line();
        case 3: return polygon();
        case 4:
        case 5:
        case 6: {
            std::uint32_t parts = 0;
            if (!copy_number(parts) || parts == 0)
                return false;
            for (std::uint32_t i = 0; i < parts; ++i) {
                std::uint32_t part_type = 0;
                if (!byte_order() || !number(part_type) || part_type != type - 3)
                    return false;
                m_out.push_back(part_start);
                put(&part_type, 4);
                if (!geometry(part_type))
                    return false;
            }
            return true;
        }
        default: return false;
        }
    }

    bool header(std::uint32_t& type) { return byte_order() && number(type); }
    bool at_end() const { return m_at == m_wkb.size(); }
    double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
    double max_x = -std::numeric_limits<double>::infinity(), max_y = max_x;

private:
    bool byte_order() { return m_at < m_wkb.size() && m_wkb[m_at++] == little_endian; }

    bool number(std::uint32_t& value)
    {
        if (m_wkb.size() - m_at < 4)
            return false;
        std::memcpy(&value, &m_wkb[m_at], 4);
        m_at += 4;
        return true;
    }

    bool copy_number(std::uint32_t& value)
    {
        if (!number(value))
            return false;
        put(&value, 4);
        return true;
    }

    void put(const void* bytes, std::size_t size)
    {
        const auto* b = static_cast<const unsigned char*>(bytes);
        m_out.insert(m_out.end(), b, b + size);
    }

    // count points, copied and, when measured, taken into the MBR.
    bool points(std::uint32_t count, bool measured = true)
    {
        if ((m_wkb.size() - m_at) / 16 < count)
            return false;
        for (std::uint32_t k = 0; k < count; ++k) {
            double x = 0, y = 0;
            std::memcpy(&x, &m_wkb[m_at + 16 * std::size_t{k}], 8);
            std::memcpy(&y, &m_wkb[m_at + 16 * std::size_t{k} + 8], 8);
            // NaN is an empty point, SpatiaLite's to refuse; its MBR starts
            // from the largest finite double, not from infinity, and an
            // infinite coordinate would not move it there.
            if (!std::isfinite(x) || !std::isfinite(y))
                return false;
            if (!measured)
                continue;
            min_x = std::min(min_x, x);
            min_y = std::min(min_y, y);
            max_x = std::max(max_x, x);
            max_y = std::max(max_y, y);
        }
        put(&m_wkb[m_at], 16 * std::size_t{count});
        m_at += 16 * std::size_t{count};
        return true;
    }

    bool line()
    {
        std::uint32_t count = 0;
        return copy_number(count) && count >= 2 && points(count);
    }

    bool polygon()
    {
        std::uint32_t rings = 0;
        if (!copy_number(rings) || rings == 0)
            return false;
        for (std::uint32_t r = 0; r < rings; ++r) {
            std::uint32_t count = 0;
            // SpatiaLite's MBR of a polygon is its exterior's, even where a
            // hole (of an invalid polygon) reaches beyond it.
            if (!copy_number(count) || count < 4 || !points(count, r == 0))
                return false;
        }
        return true;
    }

    std::span<const unsigned char> m_wkb;
    std::size_t m_at = 0;
    std::vector<unsigned char>& m_out;
};

}  // namespace

bool spatialite_blob_from_wkb(std::span<const unsigned char> wkb, int srid, std::vector<unsigned char>& out)
{
    out.clear();
    out.reserve(wkb.size() + header_size + 1);
    out.resize(header_size);
    BlobWriter writer(wkb, out);
    std::uint32_t type = 0;
    if (!writer.header(type) || !writer.geometry(type) || !writer.at_end())
        return false;
    out.push_back(blob_end);
    auto* h = out.data();
    h[0] = blob_start;
    h[1] = little_endian;
    auto srid32 = static_cast<std::int32_t>(srid);
    std::memcpy(h + 2, &srid32, 4);
    const double mbr[4] = {writer.min_x, writer.min_y, writer.max_x, writer.max_y};
    std::memcpy(h + 6, mbr, 32);
    h[38] = mbr_end;
    std::memcpy(h + 39, &type, 4);
    return true;
}

}  // namespace lantern::core::detail
