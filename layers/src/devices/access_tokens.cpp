#include <lantern/layers/access_tokens.hpp>

#include <algorithm>
#include <array>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <lantern/core/base/error.hpp>
#include <lantern/layers/device_status.hpp>

namespace lantern::layers {

namespace {

constexpr std::size_t token_bytes = 32;

std::string base64url(const unsigned char* data, std::size_t size)
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t bits = 0;
    int held = 0;
    for (std::size_t i = 0; i < size; ++i) {
        bits = (bits << 8) | data[i];
        held += 8;
        while (held >= 6) {
            held -= 6;
            out += alphabet[(bits >> held) & 0x3f];
        }
    }
    if (held > 0)
        out += alphabet[(bits << (6 - held)) & 0x3f];
    return out;
}

bool good_name(const std::string& name)
{
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
               c == '.' || c == '-';
    });
}

}  // namespace

std::vector<std::string> token_scopes(const core::Storage& storage)
{
    std::vector<std::string> scopes = {"devices"};
    for (const auto& device_class : device_classes(city_classes(storage)))
        scopes.push_back("devices:" + device_class.name);
    return scopes;
}

bool scope_allows(const std::string& scope, const std::string& device_class)
{
    return scope == "devices" || scope == "devices:" + device_class;
}

std::string token_hash(std::string_view token)
{
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_Digest(token.data(), token.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1)
        throw core::Error("SHA-256 is not available from OpenSSL");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

std::string add_access_token(core::Storage& storage, const std::string& name, const std::string& scope)
{
    auto scopes = token_scopes(storage);
    if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) {
        std::string known;
        for (const auto& s : scopes)
            known += (known.empty() ? "" : ", ") + s;
        throw core::UsageError("unknown scope '" + scope + "': the scopes are " + known);
    }
    if (!good_name(name))
        throw core::UsageError("'" + name + "' is not a token name: 1 to 64 letters, digits, '_', '.' or '-'");
    core::Transaction transaction(storage);
    auto tokens = storage.access_tokens();
    if (std::any_of(tokens.begin(), tokens.end(), [&](const core::AccessToken& t) { return t.name == name; }))
        throw core::UsageError(storage.location() + ": a token named '" + name +
                               "' exists already (lantern tokens list)");
    std::array<unsigned char, token_bytes> random{};
    if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1)
        throw core::Error("OpenSSL could not make random bytes for a token");
    std::string token = "lt_" + base64url(random.data(), random.size());
    storage.put_access_token({name, scope, token_hash(token), core::utc_now(), ""});
    transaction.commit();
    return token;
}

void revoke_access_token(core::Storage& storage, const std::string& name)
{
    core::Transaction transaction(storage);
    auto tokens = storage.access_tokens();
    auto it = std::find_if(tokens.begin(), tokens.end(), [&](const core::AccessToken& t) { return t.name == name; });
    if (it == tokens.end())
        throw core::UsageError(storage.location() + ": no token is named '" + name + "' (lantern tokens list)");
    if (!it->revoked_at.empty())
        throw core::UsageError(storage.location() + ": token '" + name + "' was revoked at " + it->revoked_at);
    it->revoked_at = core::utc_now();
    storage.put_access_token(*it);
    transaction.commit();
}

TokenRegister::TokenRegister(const std::vector<core::AccessToken>& tokens)
{
    for (const auto& token : tokens)
        if (token.revoked_at.empty())
            m_by_hash.emplace(token.hash, token);
}

const core::AccessToken* TokenRegister::find(std::string_view bearer) const
{
    if (m_by_hash.empty() || bearer.empty())
        return nullptr;
    auto it = m_by_hash.find(token_hash(bearer));
    return it == m_by_hash.end() ? nullptr : &it->second;
}

}  // namespace lantern::layers
