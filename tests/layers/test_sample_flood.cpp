// Flood risk on the sample city, built once by the CTest fixture
// "sample_flood" with the commands users run (tests/CMakeLists.txt). The
// tests assert relations that any regeneration of the sample keeps: alarm III
// reaches the Ancient Town's riverside and the 1964 level floods most of it,
// a higher stage floods a superset, the hydrograph's crest equals its stage,
// arrival times agree with the gauge, HAND is zero on streams.

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <fstream>
#include <map>
#include <set>

#include <ogrsf_frmts.h>

#include <lantern/core/crs/gdal.hpp>
#include <lantern/core/raster_io/grid_io.hpp>
#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/catalogue.hpp>

#include "support/city_files.hpp"
#include "support/support.hpp"

using namespace lantern;

namespace {

const std::string city_path = std::string(LANTERN_SAMPLE_CITY_DIR) + "/hoian.sqlite";

std::unique_ptr<core::Storage> city()
{
    core::ensure_gdal();
    return core::open_city(city_path, core::Access::read_only);
}

core::ResultRecord result(const core::Storage& storage, const std::string& name)
{
    auto r = storage.result_record(name);
    INFO(name);
    REQUIRE(r);
    REQUIRE(core::stale_reasons(storage, *r).empty());
    return *r;
}

std::unique_ptr<OGRGeometry> parse(const std::vector<unsigned char>& wkb)
{
    OGRGeometry* g = nullptr;
    REQUIRE(OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) == OGRERR_NONE);
    return std::unique_ptr<OGRGeometry>(g);
}

// The union of the polygons of a class or result, optionally filtered.
std::unique_ptr<OGRGeometry> union_of(const core::Storage& storage, const core::ClassSchema& schema,
                                      const std::function<bool(const core::StoredFeature&)>& keep)
{
    OGRMultiPolygon all;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        if (!keep(f))
            return;
        auto g = parse(f.wkb);
        if (wkbFlatten(g->getGeometryType()) == wkbPolygon)
            all.addGeometry(g.get());
        else if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon)
            for (const auto* part : *g->toMultiPolygon())
                all.addGeometry(part);
    });
    return std::unique_ptr<OGRGeometry>(all.UnionCascaded());
}

// A stored value as text and as a number (tests/support).
constexpr auto text = &lantern::test::value_text;
constexpr auto real = &lantern::test::value_real;

std::size_t field(const core::ClassSchema& s, const std::string& name)
{
    for (std::size_t i = 0; i < s.fields.size(); ++i)
        if (s.fields[i].name == name)
            return i;
    FAIL("no field " << name << " in " << s.name);
    return 0;
}

// The land of heritage zone I (the Ancient Town's core), without its river.
std::unique_ptr<OGRGeometry> ancient_town_land(const core::Storage& storage)
{
    const auto& zones = layers::feature_class("heritage_zones");
    auto protection = field(zones, "protection");
    auto zone_i = union_of(storage, zones, [&](const auto& f) { return text(f.values[protection]) == "I"; });
    const auto& water = layers::feature_class("water");
    auto wet = union_of(storage, water, [](const auto&) { return true; });
    return std::unique_ptr<OGRGeometry>(zone_i->Difference(wet.get()));
}

double flooded_share(const core::Storage& storage, const OGRGeometry& area, const std::string& extent)
{
    auto flooded = union_of(storage, result(storage, extent).schema, [](const auto&) { return true; });
    std::unique_ptr<OGRGeometry> wet(area.Intersection(flooded.get()));
    return OGR_G_Area(OGRGeometry::ToHandle(wet.get())) / OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&area)));
}

std::map<std::string, std::vector<core::Value>> by_id(const core::Storage& storage, const std::string& name,
                                                      const std::string& id_field)
{
    auto schema = result(storage, name).schema;
    auto id = field(schema, id_field);
    std::map<std::string, std::vector<core::Value>> out;
    storage.scan(schema, [&](const core::StoredFeature& f) { out[text(f.values[id])] = f.values; });
    return out;
}

}  // namespace

TEST_CASE("alarm III reaches the Ancient Town's riverside and the 1964 level floods most of it")
{
    auto storage = city();
    auto town = ancient_town_land(*storage);
    double at_alarm_3 = flooded_share(*storage, *town, "flood_extent_2.0m");
    double at_1964 = flooded_share(*storage, *town, "flood_extent_3.4m");
    INFO("zone I land flooded: " << at_alarm_3 << " at 2.0 m, " << at_1964 << " at 3.4 m");
    CHECK(at_alarm_3 > 0.05);
    CHECK(at_alarm_3 < 0.5);
    CHECK(at_1964 > 0.75);

    // The riverside streets go under at alarm III, Phan Chu Trinh (three
    // blocks inland) does not.
    auto roads = result(*storage, "flood_roads_2.0m").schema;
    auto name = field(roads, "name");
    std::set<std::string> flooded;
    storage->scan(roads, [&](const core::StoredFeature& f) { flooded.insert(text(f.values[name])); });
    CHECK(flooded.count("Bạch Đằng") == 1);
    CHECK(flooded.count("Nguyễn Thái Học") == 1);
    CHECK(flooded.count("Phan Chu Trinh") == 0);
}

TEST_CASE("a higher stage floods every building a lower one does, deeper")
{
    auto storage = city();
    auto low = by_id(*storage, "flood_buildings_2.0m", "building_id");
    auto high = by_id(*storage, "flood_buildings_3.4m", "building_id");
    REQUIRE(!low.empty());
    CHECK(high.size() > low.size());
    auto schema = result(*storage, "flood_buildings_2.0m").schema;
    auto share = field(schema, "flooded_share"), depth = field(schema, "max_depth_m");
    for (const auto& [id, values] : low) {
        INFO(id);
        REQUIRE(high.count(id) == 1);
        CHECK(real(high[id][share]) >= real(values[share]) - 1e-9);
        CHECK(real(high[id][depth]) >= real(values[depth]) + 1.4 - 1e-4);
    }
}

TEST_CASE("the shipped hydrograph's crest floods what its stage floods, and water arrives before the gauge passes each stage")
{
    auto storage = city();
    auto crest = by_id(*storage, "flood_buildings_hydrograph_synthetic_3day", "building_id");
    auto stage = by_id(*storage, "flood_buildings_3.4m", "building_id");
    CHECK(crest.size() == stage.size());

    // The first hour the gauge is above 2.0 m, read from the file.
    std::ifstream csv(test::hoian_data("hydrograph_synthetic_3day.csv"));
    std::string line;
    double hour = -1, first_above_2 = -1, previous_level = 0;
    while (std::getline(csv, line)) {
        if (line.empty() || line[0] == '#' || line.rfind("time", 0) == 0)
            continue;
        double level = std::stod(line.substr(line.find(',') + 1));
        ++hour;
        if (first_above_2 < 0 && level > 2.0)
            first_above_2 = hour - 1 + (2.0 - previous_level) / (level - previous_level);
        previous_level = level;
    }
    REQUIRE(first_above_2 > 0);
    auto schema = result(*storage, "flood_buildings_hydrograph_synthetic_3day").schema;
    auto arrival = field(schema, "first_flooded_h");
    auto at_alarm_3 = by_id(*storage, "flood_buildings_2.0m", "building_id");
    REQUIRE(!at_alarm_3.empty());
    for (const auto& [id, values] : at_alarm_3) {
        INFO(id);
        REQUIRE(crest.count(id) == 1);
        CHECK(real(crest[id][arrival]) <= first_above_2 + 1e-6);
    }
}

TEST_CASE("sample hydrology: HAND is zero on streams and positive or zero elsewhere")
{
    auto storage = city();
    auto hand = storage->open_raster(result(*storage, "hand").name).read_float_grid();
    auto streams = storage->open_raster(result(*storage, "streams").name).read_float_grid();
    auto filled = storage->open_raster(result(*storage, "dem_filled").name).read_float_grid();
    auto dem = storage->open_raster(storage->raster_records().front().name).read_float_grid();
    REQUIRE(hand.frame.same_cells(streams.frame));
    std::size_t stream_cells = 0, below = 0;
    for (std::size_t i = 0; i < hand.cells(); ++i) {
        if (streams[i] == 1) {
            ++stream_cells;
            CHECK(hand[i] == 0.0f);
        }
        if (!core::is_no_data(hand[i]) && hand[i] < 0)
            ++below;
        if (!core::is_no_data(dem[i]) && filled[i] < dem[i])
            ++below;
    }
    CHECK(stream_cells > 0);
    CHECK(below == 0);
}

TEST_CASE("sample rain screening: loads, surcharges and ponding agree with each other")
{
    auto storage = city();
    auto pipes = result(*storage, "rain_pipes_80mmh_60min").schema;
    auto load = field(pipes, "load_ratio"), surcharged = field(pipes, "surcharged");
    auto flow = field(pipes, "flow_m3s"), capacity = field(pipes, "capacity_m3s");
    std::size_t over = 0, total = 0;
    storage->scan(pipes, [&](const core::StoredFeature& f) {
        ++total;
        CHECK(real(f.values[load]) == Approx(real(f.values[flow]) / real(f.values[capacity])));
        CHECK((real(f.values[surcharged]) == 1) == (real(f.values[load]) > 1));
        over += real(f.values[load]) > 1;
    });
    CHECK(over > 0);
    CHECK(over < total);
    auto catchments = result(*storage, "rain_catchments_80mmh_60min").schema;
    auto c = field(catchments, "runoff_c"), area = field(catchments, "area_m2"), peak = field(catchments, "peak_m3s");
    auto excess = field(catchments, "excess_m3"), storage_m3 = field(catchments, "storage_m3");
    auto status = field(catchments, "status");
    storage->scan(catchments, [&](const core::StoredFeature& f) {
        CHECK(real(f.values[peak]) == Approx(real(f.values[c]) * 80 * real(f.values[area]) / 3.6e6));
        std::string expected = real(f.values[excess]) <= 0
                                   ? "drains"
                                   : (real(f.values[excess]) <= real(f.values[storage_m3]) ? "ponds" : "overflows");
        CHECK(text(f.values[status]) == expected);
    });
}

TEST_CASE("sample rain screening: every pipe carries the catchments of the inlets upstream, as a walk of the network finds them")
{
    auto storage = city();
    // The network as drawn: a pipe from the node at its first point to the
    // node at its last (the sample puts both ends on the nodes).
    auto place = [](double x, double y) { return std::make_pair(std::llround(x * 100), std::llround(y * 100)); };
    const auto& node_schema = layers::feature_class("drainage_nodes");
    auto node_id = field(node_schema, "node_id"), kind = field(node_schema, "kind");
    std::map<std::pair<long long, long long>, std::string> node_at;
    std::vector<std::string> inlets;
    storage->scan(node_schema, [&](const core::StoredFeature& f) {
        auto g = parse(f.wkb);
        node_at[place(g->toPoint()->getX(), g->toPoint()->getY())] = text(f.values[node_id]);
        if (text(f.values[kind]) == "inlet")
            inlets.push_back(text(f.values[node_id]));
    });
    const auto& pipe_schema = layers::feature_class("drainage_pipes");
    auto pipe_id = field(pipe_schema, "pipe_id");
    std::map<std::string, std::vector<std::string>> pipes_out;  // node -> pipes leaving it
    std::map<std::string, std::string> down_node;               // pipe -> node it ends at
    storage->scan(pipe_schema, [&](const core::StoredFeature& f) {
        auto g = parse(f.wkb);
        const auto* line = g->toMultiLineString()->getGeometryRef(0);
        auto id = text(f.values[pipe_id]);
        int last = line->getNumPoints() - 1;
        REQUIRE(node_at.count(place(line->getX(0), line->getY(0))));
        REQUIRE(node_at.count(place(line->getX(last), line->getY(last))));
        pipes_out[node_at[place(line->getX(0), line->getY(0))]].push_back(id);
        down_node[id] = node_at[place(line->getX(last), line->getY(last))];
    });

    // Each inlet's catchment (none when its cells all went to a neighbour's)
    // walked down the pipes, split evenly where a node has several pipes out.
    auto catchments = by_id(*storage, "rain_catchments_80mmh_60min", "inlet_id");
    auto area = field(result(*storage, "rain_catchments_80mmh_60min").schema, "area_m2");
    std::map<std::string, double> carried_m2;
    std::map<std::string, std::set<std::string>> inlets_upstream;
    std::function<void(const std::string&, const std::string&, double, std::size_t)> walk =
        [&](const std::string& node, const std::string& inlet, double m2, std::size_t steps) {
            REQUIRE(steps <= down_node.size());  // no loop
            const auto& out = pipes_out[node];
            for (const auto& pipe : out) {
                carried_m2[pipe] += m2 / static_cast<double>(out.size());
                inlets_upstream[pipe].insert(inlet);
                walk(down_node[pipe], inlet, m2 / static_cast<double>(out.size()), steps + 1);
            }
        };
    for (const auto& inlet : inlets)
        walk(inlet, inlet, catchments.count(inlet) ? real(catchments[inlet][area]) : 0.0, 0);

    auto routed = by_id(*storage, "rain_pipes_80mmh_60min", "pipe_id");
    auto routed_schema = result(*storage, "rain_pipes_80mmh_60min").schema;
    auto upstream_ha = field(routed_schema, "upstream_ha"), upstream_inlets = field(routed_schema, "upstream_inlets");
    REQUIRE(routed.size() == down_node.size());
    std::size_t carrying = 0;
    for (const auto& [pipe, values] : routed) {
        INFO(pipe);
        CHECK(real(values[upstream_ha]) == Approx(carried_m2[pipe] / 1e4).epsilon(1e-9).margin(1e-9));
        CHECK(real(values[upstream_inlets]) == static_cast<double>(inlets_upstream[pipe].size()));
        carrying += carried_m2[pipe] > 0;
    }
    CHECK(carrying > routed.size() / 2);
}
