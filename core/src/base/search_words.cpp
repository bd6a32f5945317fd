#include <lantern/core/base/utf8.hpp>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace lantern::core {

namespace {

// đ and Đ are letters of their own, not d with a mark: no decomposition
// takes them to d, yet a Vietnamese reader types d for them.
UChar32 without_stroke(UChar32 c)
{
    return c == 0x0110 || c == 0x0111 ? UChar32{'d'} : c;
}

void append_utf8(std::string& out, UChar32 c)
{
    char buffer[U8_MAX_LENGTH];
    std::int32_t length = 0;
    UBool error = false;
    U8_APPEND(buffer, length, U8_MAX_LENGTH, c, error);
    if (!error)
        out.append(buffer, static_cast<std::size_t>(length));
}

}  // namespace

std::vector<std::string> search_words(std::string_view utf8)
{
    // Compatibility decomposition (ICU's NFKD) puts every mark after its
    // base letter, so that dropping the marks leaves the letters (Hội as
    // Hoi, precomposed or not), and writes look-alikes plainly (m² as m2,
    // full-width letters as letters). Invalid bytes become U+FFFD, which
    // splits words.
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
    icu::UnicodeString text = icu::UnicodeString::fromUTF8(
        icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
    icu::UnicodeString decomposed = U_SUCCESS(status) ? nfkd->normalize(text, status) : text;
    if (U_FAILURE(status))
        decomposed = text;

    std::vector<std::string> words(1);
    for (std::int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1)) {
        UChar32 c = decomposed.char32At(i);
        if (u_charType(c) == U_NON_SPACING_MARK)
            continue;
        c = without_stroke(u_foldCase(c, U_FOLD_CASE_DEFAULT));
        if (u_isalnum(c))
            append_utf8(words.back(), c);
        else if (!words.back().empty())
            words.emplace_back();
    }
    if (words.back().empty())
        words.pop_back();
    return words;
}

}  // namespace lantern::core
