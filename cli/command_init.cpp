#include <iostream>

#include <lantern/core/base/error.hpp>
#include <lantern/core/io/vector_source.hpp>
#include <lantern/core/storage/storage.hpp>

#include "command.hpp"
#include "output.hpp"

namespace lantern::cli {

namespace {

// The extent of a boundary file, in the city CRS.
core::Bounds bounds_of_file(const std::string& path, const core::Crs& city_crs)
{
    core::VectorSource source({path, "", {}});
    OGREnvelope envelope;
    if (source.layer().GetExtent(&envelope, TRUE) != OGRERR_NONE)
        throw core::DataError(path + ": cannot compute the extent");
    auto crs = source.crs();
    if (!crs)
        throw core::DataError(path + ": the boundary file has no CRS");
    core::Transform to_city(*crs, city_crs);
    return to_city.apply(core::Bounds{envelope.MinX, envelope.MinY, envelope.MaxX, envelope.MaxY});
}

class InitCommand : public Command {
public:
    std::string name() const override { return "init"; }
    std::string summary() const override { return "Create a new, empty city database"; }

    void setup(CLI::App& app, GlobalOptions& global) override
    {
        m_global = &global;
        app.add_option("CITY", m_path, "path of the new city database (.sqlite)")->required();
        app.add_option("--name", m_name, "name of the city, e.g. 'Hoi An'")->required();
        app.add_option("--crs", m_crs,
                       "projected CRS in metres for all city data: EPSG:32649 (UTM 49N), "
                       "VN2000:TM3:107.75 (VN-2000, Quang Nam zone), ...")
            ->required();
        auto* bounds = app.add_option("--bounds", m_bounds,
                                      "city bounds as WEST,SOUTH,EAST,NORTH in WGS 84 degrees; "
                                      "imported features must intersect them");
        app.add_option("--bounds-from", m_bounds_file,
                       "take the city bounds from the extent of a boundary file")
            ->excludes(bounds);
        app.add_flag("--json", global.json, "print the result as JSON");
    }

    int run() override
    {
        auto crs = core::Crs::from_user(m_crs);
        std::optional<core::Bounds> bounds;
        if (!m_bounds.empty())
            bounds = core::Transform(core::Crs::wgs84(), crs).apply(parse_lonlat_bounds(m_bounds));
        else if (!m_bounds_file.empty())
            bounds = bounds_of_file(m_bounds_file, crs);
        auto storage = core::create_city(m_path, m_name, crs, bounds);
        if (m_global->json)
            print_json({{"ok", true}, {"city", storage->location()}, {"name", m_name}, {"crs", m_crs},
                        {"bounds", bounds_json(bounds)}});
        else
            std::cout << "created " << storage->location() << ": " << m_name << ", " << crs.name() << '\n';
        return 0;
    }

private:
    GlobalOptions* m_global = nullptr;
    std::string m_path, m_name, m_crs, m_bounds, m_bounds_file;
};

}  // namespace

std::unique_ptr<Command> make_init_command()
{
    return std::make_unique<InitCommand>();
}

}  // namespace lantern::cli
