#include <iostream>

#include <lantern/layers/flood.hpp>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/permit_check.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

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
        return core::fixed_text(v.get<double>(), 2);
    if (v.is_array()) {
        std::string out;
        for (const auto& item : v)
            out += (out.empty() ? "" : ",") + value_text(item);
        return out;
    }
    std::string out;
    for (const auto& [key, item] : v.items())
        out += (out.empty() ? "" : ", ") + key + " " + value_text(item);
    return out;
}

void print_check(const nlohmann::json& check)
{
    const auto& site = check["site"];
    std::cout << (check["verdict"] == "pass" ? "PASS" : "FAIL") << ": footprint " << value_text(site["footprint_area_m2"])
              << " m2 (" << site["footprint"].get<std::string>() << ")";
    if (site.contains("parcels") && !site["parcels"].empty())
        std::cout << " on " << value_text(site["parcels"]);
    if (site.contains("ward") && !site["ward"].is_null())
        std::cout << ", " << site["ward"]["name"].get<std::string>();
    std::cout << "\n";
    for (const auto& r : check["rules"]) {
        std::string mark = r["pass"].is_null() ? " ?  " : (r["pass"].get<bool>() ? " ok " : "FAIL");
        std::string where;
        if (r.contains("zone"))
            where = " [zone " + r["zone"].get<std::string>() + "]";
        if (r.contains("heritage_zone"))
            where = " [heritage " + r["heritage_zone"].get<std::string>() + "]";
        std::cout << "  " << mark << " " << r["rule"].get<std::string>() << where << ": " << value_text(r["proposed"])
                  << " (limit " << value_text(r["limit"]) << ")\n      " << r["source"].get<std::string>() << "\n";
        if (r.contains("note"))
            std::cout << "      " << r["note"].get<std::string>() << "\n";
    }
}

class PermitCommand : public Command {
public:
    std::string name() const override { return "permit"; }
    std::string summary() const override
    {
        return "Pre-check a proposed building against the plan, heritage and flood rules where it stands";
    }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_city, "city database")->required();
        auto* footprint = app.add_option("--footprint", m_footprint, "the building's outline: a vector file with one polygon")
                              ->check(CLI::ExistingFile);
        auto* parcel = app.add_option("--parcel", m_parcel,
                                      "a parcel id: rebuild on its buildings' footprint (empty parcel: the largest "
                                      "footprint its zone allows)");
        footprint->excludes(parcel);
        app.add_option("--floors", m_proposal.floors, "floors above ground")->required()->check(CLI::Range(0, 1000));
        app.add_option("--height", m_proposal.height_m, "height above ground, metres")
            ->required()
            ->check(CLI::Range(0.0, 1000.0));
        app.add_option("--use", m_proposal.land_use, "land-use code (ODT urban residential, TMD commerce, ...)")
            ->required();
        app.add_option("--floor-level", m_floor_level,
                       "ground floor level, metres above the datum (default: the highest ground under the footprint)");
        app.add_option("--design-stage", m_design_stage,
                       "river stage the floor must stand above, metres or a preset (default: record-1964)");
        app.add_flag("--repair", m_proposal.repair,
                     "a repair of the building(s) on the footprint, not a new building (heritage zone I)");
        app.add_option("--pdf,--sheet", m_sheet,
                       "write the check on a one-page sheet with the site map (.pdf, .png or .svg)");
        app.add_flag("--json", global.json, "print the verdict and every rule as JSON");
    }

    int run() override
    {
        if (m_footprint.empty() == m_parcel.empty())
            throw core::UsageError("give the building's place: --footprint FILE or --parcel ID");
        auto storage = core::open_city(m_city, core::Access::read_only);
        layers::PermitChecker checker(*storage);
        if (!m_footprint.empty())
            m_proposal.footprint = checker.footprint_from_file(m_footprint);
        else
            m_proposal.parcel_id = m_parcel;
        if (m_floor_level)
            m_proposal.floor_level_m = *m_floor_level;
        if (!m_design_stage.empty())
            m_proposal.design_stage_m = layers::parse_stage(m_design_stage).level;
        nlohmann::json check;
        try {
            check = m_sheet.empty() ? checker.check(m_proposal) : checker.check_on_sheet(*storage, m_proposal, m_sheet);
        } catch (const layers::PermitInputError& e) {
            throw core::UsageError(e.what());
        }
        if (m_global->json) {
            check["ok"] = true;
            print_json(check);
        } else {
            print_check(check);
            if (!m_sheet.empty())
                std::cout << "sheet: " << m_sheet << "\n";
        }
        return check["verdict"] == "pass" ? 0 : 1;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_city, m_footprint, m_parcel, m_design_stage, m_sheet;
    std::optional<double> m_floor_level;
    layers::PermitProposal m_proposal;
};

}  // namespace

std::unique_ptr<Command> make_permit_command()
{
    return std::make_unique<PermitCommand>();
}

}  // namespace lantern::cli
