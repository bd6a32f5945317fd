// JSON text written piece by piece, read back by nlohmann::json.

#include <cmath>
#include <limits>
#include <random>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <lantern/core/base/json_text.hpp>

using namespace lantern::core;

namespace {

std::string number_text(double value)
{
    std::string out;
    append_json_number(out, value);
    return out;
}

}  // namespace

TEST_CASE("numbers read back as the same double")
{
    std::mt19937_64 random(3);
    std::uniform_real_distribution<double> exponent(-300, 300), mantissa(-1, 1);
    for (int i = 0; i < 20000; ++i) {
        double value = mantissa(random) * std::pow(10.0, exponent(random));
        auto read = nlohmann::json::parse(number_text(value));
        REQUIRE(read.is_number_float());
        REQUIRE(read.get<double>() == value);
    }
    for (double whole : {0.0, -0.0, 2.0, -17.0, 1e5, 1e21})
        CHECK(nlohmann::json::parse(number_text(whole)).is_number_float());
    CHECK(number_text(std::numeric_limits<double>::quiet_NaN()) == "null");
    CHECK(number_text(std::numeric_limits<double>::infinity()) == "null");
}

TEST_CASE("rounded values are written as nlohmann::json writes them or shorter")
{
    // The answers' depths, distances and degrees: a few decimals, below 10^4.
    // nlohmann::json now and then writes 17 digits where fewer read back
    // the same ("0.062207899999999997" for 0.0622079).
    std::mt19937_64 random(5);
    std::uniform_real_distribution<double> value(-10000, 10000), exponent(-6, 4);
    std::size_t same = 0, all = 0;
    for (int i = 0; i < 20000; ++i) {
        double v = i % 2 ? value(random) : std::pow(10.0, exponent(random));
        for (double scale : {1.0, 10.0, 100.0, 1e7}) {
            double rounded = std::round(v * scale) / scale;
            auto ours = number_text(rounded), theirs = nlohmann::json(rounded).dump();
            REQUIRE(nlohmann::json::parse(ours).get<double>() == rounded);
            REQUIRE(ours.size() <= theirs.size());
            same += ours == theirs;
            ++all;
        }
    }
    CHECK(same > all * 99 / 100);
    CHECK(number_text(108.3261) == "108.3261");
    CHECK(number_text(2) == "2.0");
    CHECK(number_text(1e5) == "100000.0");
    CHECK(number_text(0.0001) == "0.0001");
    CHECK(number_text(0.00001) == "1e-05");
}

TEST_CASE("a member is added before an object's closing brace")
{
    std::string out;
    append_json_with_member(out, R"({"a":1})", "b", "2.5");
    CHECK(out == R"({"a":1,"b":2.5})");
    out.clear();
    append_json_with_member(out, "{}", "b", "true");
    CHECK(out == R"({"b":true})");
    CHECK(nlohmann::json::parse(out) == nlohmann::json{{"b", true}});
    out.clear();
    append_json_bool(out, false);
    CHECK(out == "false");
}
