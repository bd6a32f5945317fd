// The lantern command. The only place that turns errors into messages and
// exit codes (docs/cli.md):
//   0 ok, 1 data error, 2 usage error, 3 file error, 4 city database error,
//   5 internal error.

#include <iostream>
#include <optional>

#include <lantern/core/base/error.hpp>
#include <lantern/core/io/vector_import.hpp>

#include "command.hpp"
#include "output.hpp"
#include "remedies.hpp"

namespace {

enum ExitCode { ok = 0, data_error = 1, usage_error = 2, file_error = 3, storage_error = 4,
                internal_error = 5 };

// Prints an error with what the command line adds to it: the option or
// command that changes what it is about (remedies.hpp).
int report_error(const lantern::core::Error& error, int code, const lantern::cli::GlobalOptions& global,
                 const lantern::core::Report* report = nullptr)
{
    std::string message = lantern::cli::message_with_remedy(error);
    if (global.json) {
        nlohmann::json j = {{"ok", false}, {"error", message}, {"exit_code", code}};
        if (report)
            j["report"] = report->to_json();
        lantern::cli::print_json(j);
    }
    if (report && report->issues().size() > 1) {
        lantern::cli::print_issues(*report);
        if (auto how = lantern::cli::remedy(error.about()); !how.empty())
            std::cerr << "lantern: " << how << '\n';
    } else {
        std::cerr << "lantern: error: " << message << '\n';
    }
    return code;
}

int report_internal_error(const std::string& message, const lantern::cli::GlobalOptions& global)
{
    if (global.json)
        lantern::cli::print_json({{"ok", false}, {"error", message}, {"exit_code", internal_error}});
    std::cerr << "lantern: error: " << message << '\n';
    return internal_error;
}

// The first word that is not an option names the command; nothing when
// it is one of the commands.
std::optional<std::string> unknown_command(int argc, char** argv,
                                           const std::vector<std::unique_ptr<lantern::cli::Command>>& commands)
{
    for (int i = 1; i < argc; ++i) {
        std::string word = argv[i];
        if (word.empty() || word.front() == '-')
            continue;
        for (const auto& command : commands)
            if (command->name() == word)
                return std::nullopt;
        return word;
    }
    return std::nullopt;
}

std::string command_list(const std::vector<std::unique_ptr<lantern::cli::Command>>& commands)
{
    std::string list;
    for (const auto& command : commands)
        list += (list.empty() ? "" : ", ") + command->name();
    return list;
}

}  // namespace

int main(int argc, char** argv)
{
    using namespace lantern;
    CLI::App app{"Lantern: a GIS engine for urban infrastructure and planning.\n"
                 "Builds and checks a city database, runs flood and coverage analyses, serves tiles."};
    app.require_subcommand(1);
    app.set_version_flag("--version", "lantern " LANTERN_VERSION);
    cli::GlobalOptions global;
    auto commands = cli::make_commands();
    cli::Command* chosen = nullptr;
    for (auto& command : commands) {
        auto* sub = app.add_subcommand(command->name(), command->summary());
        command->setup(*sub, global);
        sub->callback([&chosen, c = command.get()] { chosen = c; });
    }

    if (auto word = unknown_command(argc, argv, commands)) {
        std::cerr << "lantern: error: unknown command '" << *word << "'\n"
                  << "commands: " << command_list(commands) << " (see lantern --help)\n";
        return usage_error;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion&) {
        std::cout << "lantern " LANTERN_VERSION "\n";
        return ok;
    } catch (const CLI::RequiredError& e) {
        if (!chosen && app.get_subcommands().empty()) {
            std::cerr << "lantern: error: a command is required\n"
                      << "commands: " << command_list(commands) << " (see lantern --help)\n";
            return usage_error;
        }
        std::cerr << "lantern: error: " << e.what() << " (see lantern --help)\n";
        return usage_error;
    } catch (const CLI::ParseError& e) {
        std::cerr << "lantern: error: " << e.what() << " (see lantern --help)\n";
        return usage_error;
    }

    try {
        return chosen ? chosen->run() : usage_error;
    } catch (const core::ImportRejected& e) {
        return report_error(e, data_error, global, &e.report());
    } catch (const core::DataError& e) {
        return report_error(e, data_error, global);
    } catch (const core::UsageError& e) {
        return report_error(e, usage_error, global);
    } catch (const core::FileError& e) {
        return report_error(e, file_error, global);
    } catch (const core::StorageError& e) {
        return report_error(e, storage_error, global);
    } catch (const std::exception& e) {
        return report_internal_error(std::string("internal error: ") + e.what(), global);
    }
}
