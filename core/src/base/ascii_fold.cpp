#include <lantern/core/base/ascii_fold.hpp>

#include <lantern/core/base/utf8.hpp>

namespace lantern::core {

namespace {

// Base letters of U+00C0-U+00FF (À to ÿ); '?' where there is none.
constexpr std::string_view latin1_letters = "AAAAAA?CEEEEIIIIDNOOOOOxOUUUUY??"
                                            "aaaaaa?ceeeeiiiidnooooo?ouuuuy?y";

// U+1EA0-U+1EF9, the Vietnamese letters with a tone mark: runs of capital and
// small letter pairs (Ạ ạ Ả ả ... Ỹ ỹ), one run per base vowel.
struct Run {
    char32_t first;
    char32_t end;
    char capital;
};
constexpr Run vietnamese_runs[] = {
    {0x1EA0, 0x1EB8, 'A'}, {0x1EB8, 0x1EC8, 'E'}, {0x1EC8, 0x1ECC, 'I'},
    {0x1ECC, 0x1EE4, 'O'}, {0x1EE4, 0x1EF2, 'U'}, {0x1EF2, 0x1EFA, 'Y'},
};

char lower(char c)
{
    return static_cast<char>(c - 'A' + 'a');
}

// The number of bytes of the UTF-8 sequence a lead byte starts; 0 when the
// byte cannot start one.
std::size_t sequence_length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if ((lead & 0xE0) == 0xC0)
        return 2;
    if ((lead & 0xF0) == 0xE0)
        return 3;
    if ((lead & 0xF8) == 0xF0)
        return 4;
    return 0;
}

// Calls f with each code point of text; a byte that does not start a valid
// sequence gives U+FFFD.
template <typename F>
void for_each_code_point(std::string_view text, F f)
{
    for (std::size_t i = 0; i < text.size();) {
        auto lead = static_cast<unsigned char>(text[i]);
        std::size_t n = sequence_length(lead);
        if (n == 0 || i + n > text.size() || !is_valid_utf8(text.substr(i, n))) {
            f(char32_t{0xFFFD});
            ++i;
            continue;
        }
        char32_t cp = n == 1 ? lead : lead & (0x7Fu >> n);
        for (std::size_t k = 1; k < n; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
        f(cp);
        i += n;
    }
}

}  // namespace

char ascii_fold(char32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return static_cast<char>(cp);
    if (cp == '\t' || cp == 0xA0)  // tab, no-break space
        return ' ';
    if (cp >= 0x300 && cp < 0x370)  // combining diacritical marks
        return '\0';
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1_letters[cp - 0xC0];
    switch (cp) {
    case 0x102: return 'A';  // Ă
    case 0x103: return 'a';  // ă
    case 0x110: return 'D';  // Đ
    case 0x111: return 'd';  // đ
    case 0x128: return 'I';  // Ĩ
    case 0x129: return 'i';  // ĩ
    case 0x168: return 'U';  // Ũ
    case 0x169: return 'u';  // ũ
    case 0x1A0: return 'O';  // Ơ
    case 0x1A1: return 'o';  // ơ
    case 0x1AF: return 'U';  // Ư
    case 0x1B0: return 'u';  // ư
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
        return '-';  // hyphens, dashes, minus
    case 0x2018: case 0x2019: return '\'';
    case 0x201C: case 0x201D: return '"';
    case 0xB7: case 0x2022: return '.';  // middle dot, bullet
    default: break;
    }
    for (const auto& run : vietnamese_runs)
        if (cp >= run.first && cp < run.end)
            return (cp - run.first) % 2 == 0 ? run.capital : lower(run.capital);
    return '?';
}

std::string ascii_folded(std::string_view utf8)
{
    std::string out;
    for_each_code_point(utf8, [&](char32_t cp) {
        if (char c = ascii_fold(cp))
            out += c;
    });
    return out;
}

}  // namespace lantern::core
