#include <lantern/layers/result_availability.hpp>

namespace lantern::layers {

std::string recompute_command(const core::Storage& storage, const core::ResultRecord& record)
{
    auto command = "lantern " + record.analysis + " " + storage.location();
    if (record.analysis == "coverage" && record.parameters.contains("network") && record.parameters["network"].is_string())
        command += " " + record.parameters["network"].get<std::string>();
    return command;
}

UnavailableResult unavailable(const core::Storage& storage, const core::ResultRecord& record, std::string problem)
{
    return {record.name, std::move(problem), recompute_command(storage, record)};
}

std::vector<UnavailableResult> unavailable_results(const core::Storage& storage)
{
    std::vector<UnavailableResult> out;
    for (const auto& record : storage.result_records()) {
        if (record.kind != core::ResultKind::raster)
            continue;
        try {
            storage.open_raster(record.name);
        } catch (const std::exception& e) {
            out.push_back(unavailable(storage, record, e.what()));
        }
    }
    return out;
}

nlohmann::json to_json(const std::vector<UnavailableResult>& list)
{
    auto out = nlohmann::json::array();
    for (const auto& u : list)
        out.push_back({{"result", u.result}, {"problem", u.problem}, {"recompute", u.recompute}});
    return out;
}

}  // namespace lantern::layers
