#include <lantern/core/base/parallel.hpp>

#include "command.hpp"

namespace lantern::cli {

CLI::Option* add_threads_option(CLI::App& app, unsigned& threads, const std::string& description)
{
    return app
        .add_option_function<unsigned>(
            "--threads",
            [&threads](const unsigned& n) {
                threads = n;
                core::set_default_threads(n);
            },
            description + " (default: one per core)")
        ->check(CLI::Range(1u, 256u));
}

}  // namespace lantern::cli
