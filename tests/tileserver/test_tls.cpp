// `lantern serve --tls-cert FILE --tls-key FILE`: HTTPS only on its port,
// with a certificate made here for the test and a Beast client that trusts
// that certificate alone; the same answers as the plain server, the same
// limits and deadlines, and the certificate and key checked at start.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <lantern/core/base/error.hpp>
#include <lantern/tileserver/server.hpp>

#include "support/support.hpp"
#include "tileserver/http_client.hpp"
#include "tileserver/mvt_layers.hpp"
#include "tileserver/server_checks.hpp"
#include "tileserver/server_process.hpp"

using namespace lantern;
using namespace lantern::test;
using nlohmann::json;

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// A guard against a test hanging, not a measured time.
constexpr std::chrono::seconds io_wait{60};

struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertificateFree {
    void operator()(X509* certificate) const { X509_free(certificate); }
};
struct BioFree {
    void operator()(BIO* bio) const { BIO_free(bio); }
};

// A self-signed certificate for localhost and 127.0.0.1 (P-256, valid for
// a day) in `name`.pem and its key in `name`.key, made with OpenSSL's API.
struct CertificateFiles {
    std::string certificate;
    std::string key;
};

CertificateFiles make_certificate(const TempDir& dir, const std::string& name)
{
    std::unique_ptr<EVP_PKEY, KeyFree> key(
        EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", const_cast<char*>("P-256")));
    REQUIRE(key);
    std::unique_ptr<X509, CertificateFree> certificate(X509_new());
    REQUIRE(certificate);
    auto* x = certificate.get();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
    REQUIRE(X509_set_pubkey(x, key.get()) == 1);
    auto* subject = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"),
                               -1, -1, 0);
    X509_set_issuer_name(x, subject);
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, x, x, nullptr, nullptr, 0);
    auto* names = X509V3_EXT_conf_nid(nullptr, &context, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
    REQUIRE(names);
    X509_add_ext(x, names, -1);
    X509_EXTENSION_free(names);
    REQUIRE(X509_sign(x, key.get(), EVP_sha256()) > 0);

    CertificateFiles files{dir.file(name + ".pem"), dir.file(name + ".key")};
    std::unique_ptr<BIO, BioFree> out(BIO_new_file(files.certificate.c_str(), "w"));
    REQUIRE((out && PEM_write_bio_X509(out.get(), x) == 1));
    out.reset(BIO_new_file(files.key.c_str(), "w"));
    REQUIRE((out && PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1));
    return files;
}

// An HTTPS connection to 127.0.0.1:port that trusts only the certificate
// in `trusted` and checks that it is for localhost. Every wait is bounded.
class TlsClient {
public:
    TlsClient(unsigned short port, const std::string& trusted)
    {
        m_context.load_verify_file(trusted);
        m_stream.set_verify_mode(net::ssl::verify_peer);
        m_stream.set_verify_callback(net::ssl::host_name_verification("localhost"));
        auto& socket = beast::get_lowest_layer(m_stream);
        m_error = run([&](auto handler) {
            socket.async_connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port), handler);
        });
        if (!m_error)
            m_error = run([&](auto handler) { m_stream.async_handshake(net::ssl::stream_base::client, handler); });
    }

    // Why connecting or the handshake failed; none when the connection is up.
    beast::error_code error() const { return m_error; }

    // Sends a GET and reads its answer; none when either fails (error() says why).
    std::optional<HttpResponse> get(const std::string& target, const Headers& headers = {})
    {
        http::request<http::empty_body> request{http::verb::get, target, 11};
        request.set(http::field::host, "localhost");
        for (const auto& [name, value] : headers)
            request.set(name, value);
        m_error = run([&](auto handler) { http::async_write(m_stream, request, handler); });
        if (m_error)
            return std::nullopt;
        return read();
    }

    // The next answer on the connection; none when it ends first.
    std::optional<HttpResponse> read()
    {
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        m_error = run([&](auto handler) { http::async_read(m_stream, m_buffer, parser, handler); });
        if (m_error)
            return std::nullopt;
        HttpResponse response;
        auto message = parser.release();
        response.status = static_cast<int>(message.result_int());
        for (const auto& field : message) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            response.headers[name] = std::string(field.value());
        }
        response.body = std::move(message.body());
        return response;
    }

private:
    // Runs one asynchronous operation to its end, bounded by io_wait.
    template <class Start>
    beast::error_code run(Start start)
    {
        beast::error_code result = net::error::timed_out;
        beast::get_lowest_layer(m_stream).expires_after(io_wait);
        start([&result](beast::error_code ec, auto&&...) { result = ec; });
        m_io.restart();
        m_io.run();
        return result;
    }

    net::io_context m_io;
    net::ssl::context m_context{net::ssl::context::tls_client};
    // Asio's TLS stream, as the server's (session.hpp says why not Beast's).
    net::ssl::stream<beast::tcp_stream> m_stream{m_io, m_context};
    beast::flat_buffer m_buffer;
    beast::error_code m_error;
};

std::vector<std::string> tls_arguments(const CertificateFiles& files)
{
    return {"--tls-cert", files.certificate, "--tls-key", files.key};
}

}  // namespace

TEST_CASE("with a certificate and key the server answers over HTTPS as it does over HTTP")
{
    TempDir dir;
    auto files = make_certificate(dir, "localhost");
    ServerProcess plain(sample_city());
    ServerProcess secure(sample_city(), tls_arguments(files));
    CHECK_THAT(secure.start_line(),
               Catch::Contains("https://127.0.0.1:" + std::to_string(secure.port()) + "/"));

    auto tilejson = get_json(plain.port(), "/tiles/parcels,buildings,roads.json");
    auto tile = tile_path("parcels,buildings,roads",
                          tile_at(ancient_town_lon, ancient_town_lat, zoom_for(tilejson)));
    const std::string lookup = "/api/lookup?lon=108.3255&lat=15.8755";

    // One keep-alive connection for every request.
    TlsClient client(secure.port(), files.certificate);
    REQUIRE_FALSE(client.error());
    for (const auto& target : {std::string("/health"), tile, lookup}) {
        INFO(target);
        auto expected = fetch(plain.port(), target);
        REQUIRE(expected.status == 200);
        auto answer = client.get(target);
        REQUIRE(answer);
        CHECK(answer->status == 200);
        CHECK(answer->header("content-type") == expected.header("content-type"));
        CHECK(answer->body == expected.body);
    }
    auto answer = client.get(tile);
    REQUIRE(answer);
    CHECK(mvt_layer_counts(answer->body).size() == 3);
    answer = client.get(lookup);
    REQUIRE(answer);
    CHECK(json::parse(answer->body)["ward"]["ward_code"].is_string());

    // Absolute URLs name the scheme the server speaks.
    answer = client.get("/tiles/parcels.json");
    REQUIRE(answer);
    auto tiles = json::parse(answer->body)["tiles"];
    REQUIRE(tiles.size() == 1);
    CHECK_THAT(tiles[0].get<std::string>(), Catch::StartsWith("https://"));

    // Connection: close ends with TLS's close_notify, not a cut connection.
    answer = client.get("/health", {{"Connection", "close"}});
    REQUIRE(answer);
    CHECK(answer->status == 200);
    CHECK_FALSE(client.read());
    CHECK(client.error() == http::error::end_of_stream);
}

TEST_CASE("plain HTTP to the TLS port gets no HTTP answer and the server goes on")
{
    TempDir dir;
    auto files = make_certificate(dir, "localhost");
    ServerProcess server(sample_city(), tls_arguments(files));
    for (int i = 0; i < 3; ++i) {
        Connection plain(server.port());
        plain.send(request_text("GET", "/health"));
        // A TLS alert at most, then the end of the connection.
        auto first = plain.read_some(5);
        CHECK(first.rfind("HTTP", 0) == std::string::npos);
        CHECK((first.empty() || plain.wait_closed()));
    }
    // A client that does not trust the certificate fails its own handshake.
    auto other = make_certificate(dir, "other");
    CHECK(TlsClient(server.port(), other.certificate).error());

    TlsClient client(server.port(), files.certificate);
    REQUIRE_FALSE(client.error());
    auto health = client.get("/health");
    REQUIRE(health);
    CHECK(health->status == 200);
    auto metrics = client.get("/metrics");
    REQUIRE(metrics);
    CHECK(metric(metrics->body, "lantern_http_tls_handshake_failures_total") >= 3);
    CHECK(server.errors().find("handshake") == std::string::npos);
}

TEST_CASE("TLS connections keep the read deadline and the request limits")
{
    TempDir dir;
    auto files = make_certificate(dir, "localhost");
    auto arguments = tls_arguments(files);
    arguments.insert(arguments.end(), {"--read-timeout-ms", "300"});
    ServerProcess server(sample_city(), arguments);

    // Connected, and never a ClientHello.
    Connection silent(server.port());
    CHECK(silent.wait_closed());
    // A handshake, and never a request.
    TlsClient idle(server.port(), files.certificate);
    REQUIRE_FALSE(idle.error());
    CHECK_FALSE(idle.read());

    TlsClient client(server.port(), files.certificate);
    REQUIRE_FALSE(client.error());
    // 1 MiB of header fields (Beast takes at most 64 KiB in one).
    Headers big;
    for (int i = 0; i < 16; ++i)
        big.emplace_back("X-Big-" + std::to_string(i), std::string(64 * 1024 - 100, 'a'));
    auto large = client.get("/health", big);
    REQUIRE(large);
    CHECK(large->status == 431);
    CHECK(large->header("connection") == "close");

    // The stream closes the socket when its timer fires and the handler
    // that counts the timeout runs just after: the count may trail the
    // client's view of the close by a moment.
    double timeouts = 0;
    for (int attempt = 0; attempt < 200 && timeouts < 2; ++attempt) {
        if (attempt > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        TlsClient reader(server.port(), files.certificate);
        REQUIRE_FALSE(reader.error());
        auto metrics = reader.get("/metrics");
        REQUIRE(metrics);
        timeouts = metric(metrics->body, "lantern_http_read_timeouts_total");
    }
    CHECK(timeouts >= 2);
}

TEST_CASE("serve refuses a TLS certificate or key it cannot use, naming the file")
{
    auto help = run_lantern({"serve", "--help"});
    CHECK_THAT(help.out, Catch::Contains("--tls-cert") && Catch::Contains("--tls-key"));

    TempDir dir;
    auto files = make_certificate(dir, "localhost");
    auto other = make_certificate(dir, "other");
    auto serve = [&](const std::vector<std::string>& tls) {
        std::vector<std::string> args = {"serve", sample_city(), "--port", "0"};
        args.insert(args.end(), tls.begin(), tls.end());
        return run_lantern(args);
    };

    auto only_cert = serve({"--tls-cert", files.certificate});
    CHECK(only_cert.exit_code == 2);
    CHECK_THAT(only_cert.err, Catch::Contains("--tls-key"));
    auto only_key = serve({"--tls-key", files.key});
    CHECK(only_key.exit_code == 2);
    CHECK_THAT(only_key.err, Catch::Contains("--tls-cert"));

    auto missing = serve({"--tls-cert", dir.file("missing.pem"), "--tls-key", files.key});
    CHECK(missing.exit_code != 0);
    CHECK_THAT(missing.err, Catch::Contains("missing.pem"));
    auto missing_key = serve({"--tls-cert", files.certificate, "--tls-key", dir.file("missing.key")});
    CHECK(missing_key.exit_code != 0);
    CHECK_THAT(missing_key.err, Catch::Contains("missing.key"));

    auto mismatch = serve({"--tls-cert", files.certificate, "--tls-key", other.key});
    CHECK(mismatch.exit_code != 0);
    CHECK_THAT(mismatch.err, Catch::Contains("other.key") && Catch::Contains("localhost.pem"));

    auto swapped = serve({"--tls-cert", files.key, "--tls-key", files.certificate});
    CHECK(swapped.exit_code != 0);
    CHECK_THAT(swapped.err, Catch::Contains("localhost.key"));
}

TEST_CASE("a server given a certificate without its key, or a key without one, does not start")
{
    tileserver::ServerOptions options;
    options.port = 0;
    options.tls_certificate = "cert.pem";
    CHECK_THROWS_MATCHES(tileserver::Server(sample_city(), options), core::UsageError,
                         Catch::Message("--tls-cert needs --tls-key, the private key of the certificate"));
    options.tls_certificate.clear();
    options.tls_key = "key.pem";
    CHECK_THROWS_MATCHES(tileserver::Server(sample_city(), options), core::UsageError,
                         Catch::Message("--tls-key needs --tls-cert, the certificate of the key"));
}
