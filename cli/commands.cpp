#include "command.hpp"

namespace lantern::cli {

std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_validate_command();
std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_results_command();
std::unique_ptr<Command> make_classes_command();
std::unique_ptr<Command> make_render_command();
std::unique_ptr<Command> make_sample_city_command();
std::unique_ptr<Command> make_hydrology_command();
std::unique_ptr<Command> make_flood_command();
std::unique_ptr<Command> make_coverage_command();
std::unique_ptr<Command> make_serve_command();
std::unique_ptr<Command> make_tokens_command();
std::unique_ptr<Command> make_tiles_command();
std::unique_ptr<Command> make_copy_command();
std::unique_ptr<Command> make_permit_command();
std::unique_ptr<Command> make_audit_command();
std::unique_ptr<Command> make_land_command();
std::unique_ptr<Command> make_fire_command();

std::vector<std::unique_ptr<Command>> make_commands()
{
    std::vector<std::unique_ptr<Command>> commands;
    commands.push_back(make_init_command());
    commands.push_back(make_import_command());
    commands.push_back(make_validate_command());
    commands.push_back(make_info_command());
    commands.push_back(make_export_command());
    commands.push_back(make_results_command());
    commands.push_back(make_classes_command());
    commands.push_back(make_render_command());
    commands.push_back(make_sample_city_command());
    commands.push_back(make_hydrology_command());
    commands.push_back(make_flood_command());
    commands.push_back(make_coverage_command());
    commands.push_back(make_serve_command());
    commands.push_back(make_tokens_command());
    commands.push_back(make_tiles_command());
    commands.push_back(make_copy_command());
    commands.push_back(make_permit_command());
    commands.push_back(make_audit_command());
    commands.push_back(make_land_command());
    commands.push_back(make_fire_command());
    return commands;
}

}  // namespace lantern::cli
