#include <iostream>

#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/flood.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class HydrologyCommand : public Command {
public:
    std::string name() const override { return "hydrology"; }
    std::string summary() const override
    {
        return "Derive the terrain's drainage from the DEM: filled DEM, flow directions and "
               "accumulation, streams, HAND, watersheds";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_option("--stream-threshold", m_options.stream_threshold,
                       "cells draining through a cell for it to count as a stream")
            ->capture_default_str()
            ->check(CLI::Range(1u, 4000000000u));
        add_threads_option(app, m_threads, "threads for the passes over the grid");
        app.add_flag("--json", global.json, "print the summary as JSON");
        app.add_flag("-q,--quiet", global.quiet, "no log lines on stderr");
    }

    int run() override
    {
        auto storage = core::open_city(m_city, core::Access::read_write);
        m_options.log = !m_global->quiet;
        auto summary = layers::run_hydrology(*storage, m_options);
        if (m_global->json) {
            summary["ok"] = true;
            print_json(summary);
            return 0;
        }
        std::cout << "filled " << summary["cells_raised"].get<std::uint64_t>() << " cells in depressions ("
                  << static_cast<long long>(summary["depression_volume_m3"].get<double>()) << " m³); "
                  << summary["stream_cells"].get<std::uint64_t>() << " stream cells, "
                  << summary["watersheds"].get<int>() << " watersheds\n"
                  << "results: dem_filled, flow_dir, flow_acc, streams, hand, watersheds "
                     "(lantern results " << storage->location() << ")\n";
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city;
    layers::HydrologyOptions m_options;
    unsigned m_threads = 0;
};

}  // namespace

std::unique_ptr<Command> make_hydrology_command()
{
    return std::make_unique<HydrologyCommand>();
}

}  // namespace lantern::cli
