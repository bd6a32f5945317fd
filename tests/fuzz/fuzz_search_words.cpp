// Search words folded from any text (utf8.hpp): valid UTF-8 in, words of
// ASCII letters and digits out; invalid UTF-8 must not crash the folding.

#include <cstdint>
#include <string_view>

#include <lantern/core/base/ascii_fold.hpp>
#include <lantern/core/base/utf8.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& word : lantern::core::search_words(text)) {
        if (word.empty())
            __builtin_trap();
        for (unsigned char c : word)
            if (c >= 0x80)
                __builtin_trap();  // folded: no byte outside ASCII
    }
    lantern::core::printable(text);
    return 0;
}
