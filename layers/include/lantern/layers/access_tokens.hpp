#pragma once
// Who may write through `lantern serve --writable` (docs/api.md, "Device
// status"): named bearer tokens, each with a scope. A token is shown once,
// when it is added; the city keeps only its SHA-256, so a copy of the
// database gives no one the right to write.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

// The scopes a token may have in this city: "devices" (the status of every
// device class) and "devices:CLASS" for each device class (only that one,
// e.g. devices:lamps for the lighting contractor).
std::vector<std::string> token_scopes(const core::Storage& storage);

// Whether a token of this scope may change the status of devices of this class.
bool scope_allows(const std::string& scope, const std::string& device_class);

// Adds a token named `name` with `scope` in one transaction and returns the
// token itself ("lt_" and 43 characters of base64url, 256 random bits).
// Throws UsageError for an unknown scope, a name that is not
// [A-Za-z0-9_.-]{1,64}, or a name the city has already (revoked or not).
std::string add_access_token(core::Storage& storage, const std::string& name, const std::string& scope);

// Revokes the token named `name` (UsageError when there is none, or it is
// revoked already).
void revoke_access_token(core::Storage& storage, const std::string& name);

// SHA-256 of a token, in hex: what the city keeps.
std::string token_hash(std::string_view token);

// The valid tokens by their hash, to check a request's bearer token.
class TokenRegister {
public:
    TokenRegister() = default;
    explicit TokenRegister(const std::vector<core::AccessToken>& tokens);

    // The valid token this bearer text is, or nothing.
    const core::AccessToken* find(std::string_view bearer) const;

private:
    std::map<std::string, core::AccessToken> m_by_hash;
};

}  // namespace lantern::layers
