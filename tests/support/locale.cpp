#include "support/locale.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace lantern::test {

bool german_locale_installed()
{
    try {
        std::locale installed(german_locale);
        return true;
    } catch (const std::runtime_error&) {
    }
    const char* ci = std::getenv("CI");
    if (ci && std::string(ci) == "true")
        FAIL("the " << german_locale << " locale is not installed (bash .ci/install-deps generates it)");
    WARN("the " << german_locale << " locale is not installed (bash .ci/install-deps): test skipped");
    return false;
}

// A named C++ locale made global sets the C locale too (std::setlocale).
GlobalLocale::GlobalLocale(const char* name) : m_previous(std::locale::global(std::locale(name))) {}

GlobalLocale::~GlobalLocale()
{
    std::locale::global(m_previous);
}

}  // namespace lantern::test
