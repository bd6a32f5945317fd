#include <lantern/tileserver/request_target.hpp>

#include <algorithm>

#include <lantern/core/base/utf8.hpp>

namespace lantern::tileserver {

namespace {

bool has_control_character(std::string_view text)
{
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f)
            return true;
    }
    return false;
}

// Splits on a separator; "a//b" gives an empty middle part.
std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        auto end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos)
            return parts;
        start = end + 1;
    }
}

}  // namespace

std::optional<std::string> RequestTarget::query_value(std::string_view key) const
{
    for (const auto& [k, v] : query)
        if (k == key)
            return v;
    return std::nullopt;
}

std::string utf8_problem(const RequestTarget& target)
{
    if (!std::all_of(target.segments.begin(), target.segments.end(), core::is_valid_utf8))
        return "the path is not valid UTF-8";
    for (const auto& [key, value] : target.query) {
        if (!core::is_valid_utf8(key))
            return "a query parameter's name is not valid UTF-8";
        if (!core::is_valid_utf8(value))
            return core::printable(key) + ": not valid UTF-8";
    }
    return {};
}

std::optional<RequestTarget> parse_request_target(std::string_view target)
{
    if (target.empty() || target.front() != '/')
        return std::nullopt;
    auto question = target.find('?');
    std::string_view path = target.substr(0, question);
    std::string_view query =
        question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
    if (auto hash = query.find('#'); hash != std::string_view::npos)
        query = query.substr(0, hash);

    RequestTarget result;
    for (auto raw : split(path.substr(1), '/')) {
        auto segment = percent_decode(raw);
        if (!segment || has_control_character(*segment))
            return std::nullopt;
        result.segments.push_back(std::move(*segment));
    }
    if (!query.empty()) {
        for (auto pair : split(query, '&')) {
            if (pair.empty())
                continue;
            auto equals = pair.find('=');
            auto key = percent_decode(pair.substr(0, equals));
            auto value = percent_decode(equals == std::string_view::npos ? std::string_view{}
                                                                         : pair.substr(equals + 1));
            if (!key || !value || has_control_character(*key) || has_control_character(*value))
                return std::nullopt;
            result.query.emplace_back(std::move(*key), std::move(*value));
        }
    }
    return result;
}

}  // namespace lantern::tileserver
