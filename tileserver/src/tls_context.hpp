#pragma once
// The TLS settings of `lantern serve --tls-cert FILE --tls-key FILE`: one
// OpenSSL context that every connection shares, made before the server
// listens, so that a certificate or key it cannot use stops it at once.

#include <string>

#include <boost/asio/ssl/context.hpp>

namespace lantern::tileserver::detail {

// TLS 1.2 and later with OpenSSL's default ciphers, the certificate chain
// (the server's certificate first) and its private key from PEM files.
// FileError naming the file when one cannot be read; DataError naming it
// when it holds no certificate or no unencrypted key, or when the key is
// not the certificate's.
boost::asio::ssl::context make_tls_context(const std::string& certificate_file,
                                           const std::string& key_file);

}  // namespace lantern::tileserver::detail
