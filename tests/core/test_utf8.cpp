// Text helpers: the words of a text for accent-insensitive search.

#include <catch2/catch.hpp>

#include <lantern/core/base/utf8.hpp>

using lantern::core::search_words;
using Words = std::vector<std::string>;

TEST_CASE("search words drop accents and case and split at everything but letters and digits")
{
    CHECK(search_words("Chùa Cầu, P-12") == Words{"chua", "cau", "p", "12"});
    CHECK(search_words("ĐƯỜNG Trần Phú") == Words{"duong", "tran", "phu"});
    CHECK(search_words("Phường Cẩm Phô") == Words{"phuong", "cam", "pho"});
    // Decomposed text (base letter and combining marks) gives the same words.
    CHECK(search_words("Ca\xcc\x82\xcc\x80u") == Words{"cau"});
    CHECK(search_words("  ...  ").empty());
    CHECK(search_words("").empty());
    // Bytes that are not UTF-8 split words like punctuation.
    CHECK(search_words("ab\xff" "cd") == Words{"ab", "cd"});
}
