#pragma once
// gzip (RFC 1952) through zlib, for HTTP responses and tile archives.

#include <string>
#include <string_view>

namespace lantern::core {

// The data gzip-compressed at the given zlib level (1 fastest .. 9 smallest).
std::string gzip_compress(std::string_view data, int level = 6);

// The data a gzip (or zlib) stream holds. Throws DataError when the stream is
// damaged or would inflate beyond max_size bytes.
std::string gzip_decompress(std::string_view data, std::size_t max_size = 64 * 1024 * 1024);

// True when the bytes start with the gzip magic number.
bool is_gzip(std::string_view data);

}  // namespace lantern::core
