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

TEST_CASE("search words fold every Vietnamese letter, đ with them, and keep other scripts")
{
    CHECK(search_words("Hội An Đông") == search_words("hoi an dong"));
    CHECK(search_words("Nguyễn Thái Học") == Words{"nguyen", "thai", "hoc"});
    CHECK(search_words("Phường Hội An Tây, xã Tân Hiệp") == Words{"phuong", "hoi", "an", "tay", "xa", "tan", "hiep"});
    // Every vowel with each of the five tone marks, both cases, and the
    // breve, circumflex and horn letters fold to their base letters.
    CHECK(search_words("ạảãàáâầấậẩẫăằắặẳẵ èéẹẻẽêềếệểễ ìíịỉĩ òóọỏõôồốộổỗơờớợởỡ ùúụủũưừứựửữ ỳýỵỷỹ đ") ==
          Words{"aaaaaaaaaaaaaaaaa", "eeeeeeeeeee", "iiiii", "ooooooooooooooooo", "uuuuuuuuuuu", "yyyyy", "d"});
    CHECK(search_words("ẠẢÃÀÁÂẦẤẬẨẪĂẰẮẶẲẴ ÈÉẸẺẼÊỀẾỆỂỄ ÌÍỊỈĨ ÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠ ÙÚỤỦŨƯỪỨỰỬỮ ỲÝỴỶỸ Đ") ==
          Words{"aaaaaaaaaaaaaaaaa", "eeeeeeeeeee", "iiiii", "ooooooooooooooooo", "uuuuuuuuuuu", "yyyyy", "d"});
    // Hội An's assembly halls carry Chinese names: those letters are words too.
    CHECK(search_words("Hội quán Phúc Kiến 福建會館") == Words{"hoi", "quan", "phuc", "kien", "福建會館"});
    // Symbols are no letters.
    CHECK(search_words("2 € / 3 m²") == Words{"2", "3", "m2"});
}
