// lantern tokens: the tokens that may write device status through
// `lantern serve --writable` (docs/api.md, "Device status").

#include <iostream>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/access_tokens.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class TokensCommand : public Command {
public:
    std::string name() const override { return "tokens"; }
    std::string summary() const override
    {
        return "Add, list and revoke the tokens that may change device status through lantern serve --writable";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.require_subcommand(1);
        app.footer("Examples:\n"
                   "  lantern tokens add hoian.sqlite operations-centre --scope devices\n"
                   "  lantern tokens list hoian.sqlite\n"
                   "  lantern tokens revoke hoian.sqlite operations-centre\n"
                   "The token is printed once, when it is added; the city keeps only its SHA-256.\n"
                   "Clients send it as 'Authorization: Bearer TOKEN' (docs/api.md).");
        m_add = app.add_subcommand("add", "Add a token and print it (once)");
        m_add->add_option("CITY", m_city, "city database")->required();
        m_add->add_option("NAME", m_name, "who holds it, e.g. operations-centre")->required();
        m_add->add_option("--scope", m_scope,
                          "what it may write: devices (every device class's status) or devices:CLASS "
                          "(one class's, e.g. devices:lamps)")
            ->required();
        m_add->add_flag("--json", global.json, "print the token as JSON");
        m_list = app.add_subcommand("list", "List the tokens (names, scopes, dates; never the tokens)");
        m_list->add_option("CITY", m_city, "city database")->required();
        m_list->add_flag("--json", global.json, "print the list as JSON");
        m_revoke = app.add_subcommand("revoke", "Revoke a token: a running server refuses it within a second");
        m_revoke->add_option("CITY", m_city, "city database")->required();
        m_revoke->add_option("NAME", m_name, "the token's name")->required();
        m_revoke->add_flag("--json", global.json, "print the result as JSON");
    }

    int run() override
    {
        if (m_add->parsed()) {
            auto storage = core::open_city(m_city, core::Access::read_write);
            auto token = layers::add_access_token(*storage, m_name, m_scope);
            if (m_global->json)
                print_json({{"name", m_name}, {"scope", m_scope}, {"token", token}});
            else
                std::cout << token << "\n"
                          << "Token '" << m_name << "' (scope " << m_scope
                          << ") added. Keep it now: it is not shown again.\n";
            return 0;
        }
        if (m_revoke->parsed()) {
            auto storage = core::open_city(m_city, core::Access::read_write);
            layers::revoke_access_token(*storage, m_name);
            if (m_global->json)
                print_json({{"ok", true}, {"revoked", m_name}});
            else
                std::cout << "revoked token '" << m_name << "'\n";
            return 0;
        }
        auto storage = core::open_city(m_city, core::Access::read_only);
        auto tokens = storage->access_tokens();
        if (m_global->json) {
            auto list = nlohmann::json::array();
            for (const auto& t : tokens)
                list.push_back({{"name", t.name},
                                {"scope", t.scope},
                                {"created_at", t.created_at},
                                {"revoked_at", t.revoked_at.empty() ? nlohmann::json() : nlohmann::json(t.revoked_at)}});
            print_json(list);
            return 0;
        }
        if (tokens.empty())
            std::cout << "no tokens (lantern tokens add " << storage->location() << " NAME --scope devices)\n";
        for (const auto& t : tokens)
            std::cout << t.name << "  " << t.scope << "  added " << t.created_at
                      << (t.revoked_at.empty() ? std::string() : "  revoked " + t.revoked_at) << '\n';
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    CLI::App* m_add = nullptr;
    CLI::App* m_list = nullptr;
    CLI::App* m_revoke = nullptr;
    std::string m_city, m_name, m_scope;
};

}  // namespace

std::unique_ptr<Command> make_tokens_command()
{
    return std::make_unique<TokensCommand>();
}

}  // namespace lantern::cli
