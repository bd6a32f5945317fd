#pragma once
// A locale unlike C for the tests that numbers are read and written the same
// in any locale: German writes 1.5 as "1,5" and 1234 as "1.234".

#include <locale>

namespace lantern::test {

inline constexpr const char* german_locale = "de_DE.UTF-8";

// Whether the German locale is installed (.ci/install-deps generates it).
// When it is not, a test under CI (the environment's CI=true) fails, and
// elsewhere it warns, so the caller can skip.
bool german_locale_installed();

// Makes a locale the process's C and C++ global locale for the scope, as a
// program that calls setlocale(LC_ALL, "") in that locale would run.
class GlobalLocale {
public:
    explicit GlobalLocale(const char* name);
    ~GlobalLocale();
    GlobalLocale(const GlobalLocale&) = delete;
    GlobalLocale& operator=(const GlobalLocale&) = delete;

private:
    std::locale m_previous;
};

}  // namespace lantern::test
