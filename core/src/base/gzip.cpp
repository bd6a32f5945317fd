#include <lantern/core/base/gzip.hpp>

#include <zlib.h>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

// 15 window bits, +16 for a gzip header; +32 on inflate accepts gzip or zlib.
constexpr int gzip_window_bits = 15 + 16;
constexpr int auto_window_bits = 15 + 32;

}  // namespace

std::string gzip_compress(std::string_view data, int level)
{
    z_stream stream{};
    if (deflateInit2(&stream, level, Z_DEFLATED, gzip_window_bits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw DataError("gzip: cannot start the compressor");
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())), '\0');
    // zlib's interface is not const-correct; it never writes to next_in.
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    int status = deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    if (status != Z_STREAM_END)
        throw DataError("gzip: compression failed");
    return out;
}

std::string gzip_decompress(std::string_view data, std::size_t max_size)
{
    z_stream stream{};
    if (inflateInit2(&stream, auto_window_bits) != Z_OK)
        throw DataError("gzip: cannot start the decompressor");
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[16384];
    int status = Z_OK;
    while (status != Z_STREAM_END) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        if (status != Z_OK && status != Z_STREAM_END) {
            inflateEnd(&stream);
            throw DataError("gzip: damaged stream");
        }
        out.append(buffer, sizeof buffer - stream.avail_out);
        if (out.size() > max_size) {
            inflateEnd(&stream);
            throw DataError("gzip: data inflates beyond " + std::to_string(max_size) + " bytes");
        }
        if (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) {
            inflateEnd(&stream);
            throw DataError("gzip: truncated stream");
        }
    }
    inflateEnd(&stream);
    return out;
}

bool is_gzip(std::string_view data)
{
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
           static_cast<unsigned char>(data[1]) == 0x8b;
}

}  // namespace lantern::core
