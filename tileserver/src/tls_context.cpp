#include "tls_context.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <lantern/core/base/error.hpp>

namespace lantern::tileserver::detail {

namespace net = boost::asio;

namespace {

std::string read_pem(const std::string& path, const std::string& what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw core::FileError(path + ": cannot read the TLS " + what + " (" + std::strerror(errno) + ")");
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace

net::ssl::context make_tls_context(const std::string& certificate_file, const std::string& key_file)
{
    auto certificate = read_pem(certificate_file, "certificate");
    auto key = read_pem(key_file, "private key");

    net::ssl::context context(net::ssl::context::tls_server);
    context.set_options(net::ssl::context::default_workarounds | net::ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    // A client cannot make the server do the costly handshake again on a
    // connection it has.
    SSL_CTX_set_options(context.native_handle(), SSL_OP_NO_RENEGOTIATION);
    // An encrypted key fails to load rather than OpenSSL asking for its
    // passphrase on a terminal a server has no one at.
    context.set_password_callback(
        [](std::size_t, net::ssl::context::password_purpose) { return std::string(); });

    boost::system::error_code ec;
    context.use_certificate_chain(net::buffer(certificate), ec);
    if (ec)
        throw core::DataError(certificate_file + ": holds no TLS certificate in PEM format (" +
                              ec.message() + ")");
    // OpenSSL checks the key against the certificate as it loads it.
    auto mismatch = core::DataError(key_file + ": the private key is not the key of the certificate in " +
                                    certificate_file);
    context.use_private_key(net::buffer(key), net::ssl::context::pem, ec);
    if (ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH)
        throw mismatch;
    if (ec)
        throw core::DataError(key_file + ": holds no unencrypted private key in PEM format (" +
                              ec.message() + ")");
    if (SSL_CTX_check_private_key(context.native_handle()) != 1)
        throw mismatch;
    return context;
}

}  // namespace lantern::tileserver::detail
