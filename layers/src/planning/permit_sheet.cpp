// A permit pre-check on one printed page (permit_check.hpp): the site map
// and every rule.

#include <lantern/layers/permit_check.hpp>

#include <lantern/core/base/numbers.hpp>

#include "compliance_map.hpp"
#include "permit_data.hpp"

namespace lantern::layers {

namespace {

std::string value_text(const nlohmann::json& v)
{
    if (v.is_null())
        return "-";
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number_integer())
        return std::to_string(v.get<std::int64_t>());
    if (v.is_number())
        return core::general_text(v.get<double>());
    std::string out;
    if (v.is_array()) {
        for (const auto& item : v)
            out += (out.empty() ? "" : ", ") + value_text(item);
        return out;
    }
    for (const auto& [key, item] : v.items())
        out += (out.empty() ? "" : ", ") + key + " " + value_text(item);
    return out;
}

// "FAIL max_floors, zone Z-A: 4, limit 3 (QH-A, zone Z-A)": the source and
// note only where a rule fails or was not checked, for the page's room.
std::string rule_line(const nlohmann::json& r)
{
    bool passed = r["pass"] == true;
    std::string mark = r["pass"].is_null() ? "NOT CHECKED" : (passed ? "pass" : "FAIL");
    std::string where;
    if (r.contains("zone"))
        where = ", zone " + r["zone"].get<std::string>();
    else if (r.contains("heritage_zone"))
        where = ", " + r["heritage_zone"].get<std::string>();
    std::string line = mark + " " + r["rule"].get<std::string>() + where + ": " + value_text(r["proposed"]) +
                       ", limit " + value_text(r["limit"]);
    if (!passed)
        line += " (" + r["source"].get<std::string>() +
                (r.contains("note") ? "; " + r["note"].get<std::string>() : "") + ")";
    return line;
}

}  // namespace

nlohmann::json PermitChecker::check_on_sheet(const core::Storage& storage, const PermitProposal& proposal,
                                             const std::string& path) const
{
    core::Wkb footprint;
    auto check = evaluate(proposal, &footprint);
    auto box = planning::grown(planning::box_of(footprint), 60);
    ComplianceMapOptions options;
    options.path = path;
    options.layout = "a4-portrait";
    options.bounds = core::Bounds{box.min_corner().x(), box.min_corner().y(), box.max_corner().x(),
                                  box.max_corner().y()};
    std::vector<std::string> lines = {
        "Verdict: " + std::string(check["verdict"] == "pass" ? "PASS" : "FAIL"),
        std::to_string(proposal.floors) + " floors, " + core::general_text(proposal.height_m) + " m, land use " +
            proposal.land_use + (proposal.repair ? ", a repair" : ""),
        "footprint " + value_text(check["site"]["footprint_area_m2"]) + " m² (" +
            check["site"]["footprint"].get<std::string>() + ")"};
    std::vector<std::string> notes;
    for (const auto& r : check["rules"])
        notes.push_back(rule_line(r));
    planning::MarkedKind proposed{"the proposed building", {215, 25, 28, 220}, {footprint}};
    std::vector<core::Wkb> nearby;
    for (auto b : m_data->plan.buildings.touching(box))
        nearby.push_back(m_data->plan.buildings.wkb[b]);
    planning::draw_compliance_map(storage, "building permit pre-check", lines,
                                  {planning::building_marks(nearby), proposed}, options, notes);
    return check;
}

}  // namespace lantern::layers
