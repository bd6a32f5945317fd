// Search words folded from any text (utf8.hpp): words of valid UTF-8 out,
// each folded already (folding it again gives the word itself); invalid
// UTF-8 must not crash the folding.

#include <cstdint>
#include <string_view>

#include <lantern/core/base/utf8.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto& word : lantern::core::search_words(text)) {
        if (word.empty() || !lantern::core::is_valid_utf8(word))
            __builtin_trap();
        auto again = lantern::core::search_words(word);
        if (again.size() != 1 || again.front() != word)
            __builtin_trap();
    }
    lantern::core::printable(text);
    return 0;
}
