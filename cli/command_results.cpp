// lantern results: what the analyses have stored in a city, and whether each
// result still matches the data it was computed from.

#include <algorithm>
#include <cstdio>
#include <iostream>

#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

nlohmann::json result_json(const core::Storage& storage, const core::ResultRecord& r)
{
    auto reasons = core::stale_reasons(storage, r);
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& input : r.inputs)
        inputs.push_back({{"name", input.name}, {"checksum", input.checksum}});
    nlohmann::json j = {{"name", r.name},
                        {"kind", core::to_string(r.kind)},
                        {"analysis", r.analysis},
                        {"description", r.description},
                        {"parameters", r.parameters},
                        {"created_at", r.created_at},
                        {"inputs", inputs},
                        {"stale", !reasons.empty()},
                        {"stale_reasons", reasons},
                        {"checksum", r.checksum},
                        {"extent", bounds_json(r.extent)}};
    if (r.kind == core::ResultKind::raster) {
        j["path"] = r.path;
        j["unit"] = r.unit;
        j["width"] = r.width;
        j["height"] = r.height;
        j["pixel_size"] = {r.pixel_width, r.pixel_height};
        j["no_data"] = r.no_data ? nlohmann::json(*r.no_data) : nlohmann::json(nullptr);
    } else {
        j["table"] = r.schema.name;
        j["geometry"] = core::to_string(r.schema.geometry);
        j["feature_count"] = r.feature_count;
        nlohmann::json fields = nlohmann::json::array();
        for (const auto& f : r.schema.fields)
            fields.push_back(f.name);
        j["fields"] = fields;
    }
    return j;
}

std::string size_text(const nlohmann::json& r)
{
    if (r["kind"] == "raster") {
        std::string text = std::to_string(r["width"].get<int>()) + " x " +
                           std::to_string(r["height"].get<int>()) + " cells";
        if (!r["unit"].get<std::string>().empty())
            text += " (" + r["unit"].get<std::string>() + ")";
        return text;
    }
    return std::to_string(r["feature_count"].get<std::int64_t>()) + " features";
}

class ResultsCommand : public Command {
public:
    std::string name() const override { return "results"; }
    std::string summary() const override
    {
        return "List the analysis results stored in a city database, and which are stale";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        app.add_flag("--json", global.json, "print as JSON");
    }

    int run() override
    {
        auto storage = core::open_city(m_city, core::Access::read_only);
        nlohmann::json results = nlohmann::json::array();
        for (const auto& r : storage->result_records())
            results.push_back(result_json(*storage, r));
        if (m_global->json) {
            print_json({{"city", storage->location()}, {"results", results}});
            return 0;
        }
        if (results.empty()) {
            std::cout << storage->location() << ": no analysis results yet\n";
            return 0;
        }
        // The name column is as wide as the longest name.
        int width = 6;
        for (const auto& r : results)
            width = std::max(width, static_cast<int>(r["name"].get<std::string>().size()));
        std::printf("%-*s %-9s %-10s %-21s %-26s %s\n", width, "result", "kind", "analysis", "made at",
                    "size", "state");
        for (const auto& r : results) {
            std::printf("%-*s %-9s %-10s %-21s %-26s %s\n", width, r["name"].get<std::string>().c_str(),
                        r["kind"].get<std::string>().c_str(), r["analysis"].get<std::string>().c_str(),
                        r["created_at"].get<std::string>().c_str(), size_text(r).c_str(),
                        r["stale"].get<bool>() ? "STALE" : "current");
            for (const auto& reason : r["stale_reasons"])
                std::printf("    stale: %s\n", reason.get<std::string>().c_str());
        }
        std::fflush(stdout);
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city;
};

}  // namespace

std::unique_ptr<Command> make_results_command()
{
    return std::make_unique<ResultsCommand>();
}

}  // namespace lantern::cli
