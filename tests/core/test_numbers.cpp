// Numbers read and written without the locale (core/base/numbers.hpp).

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <sstream>
#include <string>

#include <lantern/core/base/numbers.hpp>

#include "support/locale.hpp"

using lantern::core::fixed_text;
using lantern::core::general_text;
using lantern::core::parse_integer;
using lantern::core::parse_number;

TEST_CASE("parse_number reads the whole text as one finite number", "[numbers]")
{
    CHECK(parse_number("1.5") == 1.5);
    CHECK(parse_number("-0.25") == -0.25);
    CHECK(parse_number("+2") == 2.0);
    CHECK(parse_number("1e-3") == 0.001);
    CHECK(parse_number("2.5E2") == 250.0);
    CHECK(parse_number(".5") == 0.5);
    CHECK(parse_number("3.") == 3.0);
    CHECK(parse_number("0") == 0.0);
    CHECK(parse_number("0.1") == 0.1);  // the nearest double, as strtod gives
    CHECK(parse_number("108.3294") == 108.3294);

    for (const char* bad : {"", " ", "-", "+", "+-1", "--1", ".", "e5", "2.0m", "1.5 ", " 1.5", "1,5",
                            "1.234,5", "1 000", "0x10", "inf", "-inf", "nan", "1e999", "1.5\r", "abc"})
        CHECK_FALSE(parse_number(bad).has_value());
}

TEST_CASE("parse_integer reads the whole text as an integer that fits", "[numbers]")
{
    CHECK(parse_integer<int>("32649") == 32649);
    CHECK(parse_integer<int>("-7") == -7);
    CHECK(parse_integer<int>("+7") == 7);
    CHECK(parse_integer<int>("2147483647") == 2147483647);
    CHECK(parse_integer<std::uint64_t>("ffffffffffffffff", 16) == std::numeric_limits<std::uint64_t>::max());
    CHECK(parse_integer<std::uint64_t>("00000000000000a1", 16) == 161);

    for (const char* bad : {"", "+", "+-7", "12a", "1.0", " 12", "12 ", "2147483648", "1e3", "0x10"})
        CHECK_FALSE(parse_integer<int>(bad).has_value());
    CHECK_FALSE(parse_integer<std::uint64_t>("-1").has_value());
    CHECK_FALSE(parse_integer<std::uint64_t>("10000000000000000", 16).has_value());
}

TEST_CASE("fixed_text and general_text write what printf writes in the C locale", "[numbers]")
{
    CHECK(fixed_text(2, 2) == "2.00");
    CHECK(fixed_text(1.5, 2) == "1.50");
    CHECK(fixed_text(108.3294123, 7) == "108.3294123");
    CHECK(general_text(0.5) == "0.5");
    CHECK(general_text(80) == "80");
    CHECK(general_text(1e20) == "1e+20");
    CHECK(general_text(0.1, 17) == "0.10000000000000001");

    // Against printf over values of every size (the process's C locale is
    // "C" here, as in every program that does not call setlocale).
    for (double v : {0.0, -0.0, 0.125, -0.125, 1.005, 2.675, 3.45, 12345.678, -98765.4321, 1e-7,
                     6.02214076e23, 0.1 + 0.2}) {
        for (int digits : {0, 1, 2, 7, 15, 17}) {
            char expected[512];
            std::snprintf(expected, sizeof expected, "%.*f", digits, v);
            CHECK(fixed_text(v, digits) == expected);
            if (digits > 0) {
                std::snprintf(expected, sizeof expected, "%.*g", digits, v);
                CHECK(general_text(v, digits) == expected);
            }
        }
    }
}

TEST_CASE("numbers read and write the same in a German locale", "[numbers][locale]")
{
    if (!lantern::test::german_locale_installed())
        return;
    lantern::test::GlobalLocale german(lantern::test::german_locale);
    // The locale is in force: the C library and streams use its decimal comma.
    CHECK(std::strtod("1.5", nullptr) == 1.0);
    std::ostringstream stream;
    stream << 1234.5;
    CHECK(stream.str() == "1.234,5");

    CHECK(parse_number("1.5") == 1.5);
    CHECK_FALSE(parse_number("1,5").has_value());
    CHECK(parse_integer<int>("1234") == 1234);
    CHECK(fixed_text(1234.5, 2) == "1234.50");
    CHECK(general_text(1234.5) == "1234.5");
}
