#include <lantern/core/base/numbers.hpp>

#include <cmath>
#include <stdexcept>

namespace lantern::core {

std::optional<double> parse_number(std::string_view text)
{
    // std::from_chars takes no '+'; strtod did, so keep taking it.
    if (text.size() > 1 && text.front() == '+' && text[1] != '-')
        text.remove_prefix(1);
    double value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value,
                                        std::chars_format::general);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

namespace {

std::string chars_text(double value, std::chars_format format, int precision)
{
    char text[400];  // room for any double in fixed form with the few decimals asked for
    auto [end, error] = std::to_chars(text, text + sizeof text, value, format, precision);
    if (error != std::errc())
        throw std::length_error("a number's text with " + std::to_string(precision) + " digits");
    return std::string(text, end);
}

}  // namespace

std::string fixed_text(double value, int decimals)
{
    return chars_text(value, std::chars_format::fixed, decimals);
}

std::string general_text(double value, int significant_digits)
{
    return chars_text(value, std::chars_format::general, significant_digits);
}

}  // namespace lantern::core
