#pragma once
// Numbers in text, read and written the same whatever the process locale:
// a '.' for the decimal point and no thousands separators. std::stod,
// strtod, sscanf, printf and streams follow the C or C++ locale, so a
// program or library that adopts de_DE would read "1.5" as 1 and write
// "1,5"; std::from_chars and std::to_chars never look at the locale.

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace lantern::core {

// The finite number the whole text spells, in decimal or exponent form
// ("1.5", "-0.25", "+2", "1e-3"), or none: no spaces, no hexadecimal, no
// "inf" or "nan", no trailing units ("2.0m").
std::optional<double> parse_number(std::string_view text);

// The integer the whole text spells in the given base, or none when it has
// anything else or does not fit in Integer. A leading '+' is allowed, as
// std::stoi allows it.
template <class Integer>
std::optional<Integer> parse_integer(std::string_view text, int base = 10)
{
    if (text.size() > 1 && text.front() == '+' && text[1] != '-')
        text.remove_prefix(1);
    Integer value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
    if (text.empty() || error != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// As printf's "%.*f" in the C locale: fixed_text(2, 2) is "2.00".
std::string fixed_text(double value, int decimals);

// As printf's "%.*g" in the C locale (and a default stream's `<<` at that
// precision): general_text(0.5, 6) is "0.5", general_text(1e20, 6) "1e+20".
std::string general_text(double value, int significant_digits = 6);

// A measure to so many decimals, as the nearest double to the decimal (so
// that JSON shows 65.57, not 65.57000000000001).
inline double rounded(double value, int decimals)
{
    double scale = std::pow(10.0, decimals);
    return std::round(value * scale) / scale;
}

}  // namespace lantern::core
