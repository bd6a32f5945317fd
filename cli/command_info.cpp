#include <cstdio>
#include <iostream>

#include <lantern/core/storage/storage.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

class InfoCommand : public Command {
public:
    std::string name() const override { return "info"; }
    std::string summary() const override
    {
        return "Show a city database: classes, counts, extents, sources, the DEM, the number of results";
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
        auto city = storage->city();
        auto crs = core::Crs::from_user(city.crs);
        core::Transform to_wgs84(crs, core::Crs::wgs84());
        auto wgs84 = [&](const std::optional<core::Bounds>& b) {
            return b ? std::optional<core::Bounds>(to_wgs84.apply(*b)) : std::nullopt;
        };

        nlohmann::json classes = nlohmann::json::array();
        for (const auto& r : storage->class_records())
            classes.push_back({{"name", r.name},
                               {"feature_count", r.feature_count},
                               {"extent", bounds_json(r.extent)},
                               {"extent_wgs84", bounds_json(wgs84(r.extent))},
                               {"source", r.source},
                               {"imported_at", r.imported_at},
                               {"checksum", r.checksum}});
        nlohmann::json rasters = nlohmann::json::array();
        for (const auto& r : storage->raster_records())
            rasters.push_back({{"name", r.name},
                               {"path", r.path},
                               {"width", r.width},
                               {"height", r.height},
                               {"pixel_size", {r.pixel_width, r.pixel_height}},
                               {"extent", bounds_json(r.extent)},
                               {"extent_wgs84", bounds_json(wgs84(r.extent))},
                               {"source", r.source},
                               {"imported_at", r.imported_at},
                               {"checksum", r.checksum}});
        nlohmann::json j = {{"city", storage->location()},
                            {"name", city.name},
                            {"crs", city.crs},
                            {"crs_name", crs.name()},
                            {"created_at", city.created_at},
                            {"bounds", bounds_json(city.bounds)},
                            {"bounds_wgs84", bounds_json(wgs84(city.bounds))},
                            {"classes", classes},
                            {"rasters", rasters},
                            {"results", storage->result_records().size()}};
        if (m_global->json)
            print_json(j);
        else
            print_text(j);
        return 0;
    }

private:
    static std::string extent_text(const nlohmann::json& extent, int decimals)
    {
        if (extent.is_null())
            return "-";
        return bounds_text({extent[0], extent[1], extent[2], extent[3]}, decimals);
    }

    static void print_text(const nlohmann::json& j)
    {
        std::cout << j["name"].get<std::string>() << " (" << j["city"].get<std::string>() << ")\n"
                  << "  CRS     " << j["crs"].get<std::string>() << " ("
                  << j["crs_name"].get<std::string>() << ")\n"
                  << "  bounds  " << extent_text(j["bounds"], 0) << "  (lon/lat "
                  << extent_text(j["bounds_wgs84"], 5) << ")\n";
        if (j["classes"].empty())
            std::cout << "  no feature classes imported yet\n";
        else
            std::printf("\n  %-16s %10s  %-40s %s\n", "class", "features", "extent (m)", "source");
        std::fflush(stdout);
        for (const auto& c : j["classes"]) {
            std::printf("  %-16s %10lld  %-40s %s\n", c["name"].get<std::string>().c_str(),
                        c["feature_count"].get<long long>(), extent_text(c["extent"], 0).c_str(),
                        c["source"].get<std::string>().c_str());
        }
        for (const auto& r : j["rasters"]) {
            std::printf("\n  %s: %s, %d x %d cells of %.2f x %.2f m, extent %s\n",
                        r["name"].get<std::string>().c_str(), r["path"].get<std::string>().c_str(),
                        r["width"].get<int>(), r["height"].get<int>(),
                        r["pixel_size"][0].get<double>(), r["pixel_size"][1].get<double>(),
                        extent_text(r["extent"], 0).c_str());
        }
        if (auto results = j["results"].get<std::size_t>(); results > 0)
            std::printf("\n  %zu analysis result%s (lantern results %s lists them)\n", results,
                        results == 1 ? "" : "s", j["city"].get<std::string>().c_str());
        std::fflush(stdout);
    }

    GlobalOptions* m_global = nullptr;
    std::string m_city;
};

}  // namespace

std::unique_ptr<Command> make_info_command()
{
    return std::make_unique<InfoCommand>();
}

}  // namespace lantern::cli
