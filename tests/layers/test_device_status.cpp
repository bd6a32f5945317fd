// Device status on a copy of the covered sample city (fixture
// "sample_coverage"): tokens, a status change with its audit, the coverage
// it changes updated in place and compared with a full run of lantern
// coverage on a second copy changed by hand, refusals that change nothing,
// and the summary against counts taken here with SQL-free scans.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include <lantern/core/storage/results.hpp>
#include <lantern/core/storage/storage.hpp>
#include <lantern/layers/access_tokens.hpp>
#include <lantern/layers/catalogue.hpp>
#include <lantern/layers/device_status.hpp>

#include "support/support.hpp"

using namespace lantern;

namespace {

const std::string covered_city = std::string(LANTERN_SAMPLE_COVERAGE_DIR) + "/hoian.sqlite";

std::string text_of(const core::Value& v)
{
    const auto* s = std::get_if<std::string>(&v);
    return s ? *s : std::string();
}

double number_of(const core::Value& v)
{
    if (const auto* d = std::get_if<double>(&v))
        return *d;
    if (const auto* i = std::get_if<std::int64_t>(&v))
        return static_cast<double>(*i);
    return 0;
}

std::size_t field_at(const core::ClassSchema& schema, const std::string& name)
{
    for (std::size_t i = 0; i < schema.fields.size(); ++i)
        if (schema.fields[i].name == name)
            return i;
    FAIL("no field " << name);
    return 0;
}

// A stored result's features as (values by field name), in fid order.
std::vector<std::map<std::string, core::Value>> result_rows(const core::Storage& storage, const std::string& name)
{
    auto record = storage.result_record(name);
    REQUIRE(record);
    std::vector<std::map<std::string, core::Value>> rows;
    storage.scan(record->schema, [&](const core::StoredFeature& f) {
        std::map<std::string, core::Value> row;
        for (std::size_t i = 0; i < record->schema.fields.size(); ++i)
            row[record->schema.fields[i].name] = f.values[i];
        rows.push_back(row);
    });
    return rows;
}

// The ids of devices with a row in a footprint result.
std::set<std::string> devices_in(const core::Storage& storage, const std::string& result, const std::string& field)
{
    std::set<std::string> ids;
    for (const auto& row : result_rows(storage, result))
        ids.insert(text_of(row.at(field)));
    return ids;
}

double total(const core::Storage& storage, const std::string& result, const std::string& field)
{
    double sum = 0;
    for (const auto& row : result_rows(storage, result))
        sum += number_of(row.at(field));
    return sum;
}

// A device of the class whose status is `status`, the n-th in fid order.
std::string device_with(const core::Storage& storage, const std::string& class_name, const std::string& status,
                        std::size_t n = 0)
{
    const auto& schema = layers::feature_class(class_name);
    std::vector<std::string> found;
    storage.scan(schema, [&](const core::StoredFeature& f) {
        if (text_of(f.values[field_at(schema, "status")]) == status)
            found.push_back(text_of(f.values[field_at(schema, schema.id_field)]));
    });
    REQUIRE(found.size() > n);
    return found[n];
}

// Every result of a network as the same run from scratch would leave it:
// the same devices' footprints and, to rounding, the same gaps and ward totals.
void require_same_coverage(const core::Storage& live, const core::Storage& full, const std::string& prefix,
                           const std::string& footprints, const std::string& id_field)
{
    CHECK(devices_in(live, footprints, id_field) == devices_in(full, footprints, id_field));
    CHECK(total(live, footprints, "area_m2") == Approx(total(full, footprints, "area_m2")).epsilon(1e-9));
    auto gaps = prefix + "_gaps";
    CHECK(live.result_record(gaps)->feature_count == full.result_record(gaps)->feature_count);
    CHECK(total(live, gaps, "length_m") == Approx(total(full, gaps, "length_m")).epsilon(1e-9));
    auto wards = prefix + "_coverage_wards";
    auto live_wards = result_rows(live, wards), full_wards = result_rows(full, wards);
    REQUIRE(live_wards.size() == full_wards.size());
    for (std::size_t w = 0; w < live_wards.size(); ++w) {
        INFO("ward " << text_of(live_wards[w].at("ward_code")));
        for (const char* field : {"devices", "road_covered_m", "parcel_covered_m2"})
            CHECK(number_of(live_wards[w].at(field)) ==
                  Approx(number_of(full_wards[w].at(field))).epsilon(1e-9).margin(1e-6));
    }
    for (const auto& name : {footprints, gaps, wards})
        CHECK(core::stale_reasons(live, *live.result_record(name)).empty());
}

}  // namespace

TEST_CASE("a token's hash is its SHA-256, and only the hash is kept", "[devices]")
{
    // FIPS 180-2, appendix B.1.
    CHECK(layers::token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

    test::TempDir dir;
    auto city = test::copy_city(covered_city, dir);
    auto storage = core::open_city(city, core::Access::read_write);
    auto token = layers::add_access_token(*storage, "operations-centre", "devices");
    CHECK(token.rfind("lt_", 0) == 0);
    CHECK(token.size() == 3 + 43);
    auto lamps_only = layers::add_access_token(*storage, "lighting-contractor", "devices:lamps");
    CHECK(lamps_only != token);

    auto tokens = storage->access_tokens();
    REQUIRE(tokens.size() == 2);
    for (const auto& t : tokens) {
        CHECK(t.hash != token);
        CHECK(t.hash.size() == 64);
    }
    CHECK(test::read_file(city).find(token) == std::string::npos);

    layers::TokenRegister valid(tokens);
    REQUIRE(valid.find(token));
    CHECK(valid.find(token)->name == "operations-centre");
    CHECK_FALSE(valid.find(token + "x"));
    CHECK_FALSE(valid.find(""));
    CHECK(layers::scope_allows("devices:lamps", "lamps"));
    CHECK_FALSE(layers::scope_allows("devices:lamps", "cameras"));
    CHECK(layers::scope_allows("devices", "hydrants"));

    CHECK_THROWS_WITH(layers::add_access_token(*storage, "operations-centre", "devices"),
                      Catch::Contains("exists already"));
    CHECK_THROWS_WITH(layers::add_access_token(*storage, "x", "imports"), Catch::Contains("devices:cameras"));
    CHECK_THROWS_WITH(layers::add_access_token(*storage, "no spaces", "devices"), Catch::Contains("token name"));

    layers::revoke_access_token(*storage, "operations-centre");
    CHECK_FALSE(layers::TokenRegister(storage->access_tokens()).find(token));
    CHECK(layers::TokenRegister(storage->access_tokens()).find(lamps_only));
    CHECK_THROWS_WITH(layers::revoke_access_token(*storage, "operations-centre"), Catch::Contains("was revoked"));
    CHECK_THROWS_WITH(layers::revoke_access_token(*storage, "nobody"), Catch::Contains("no token"));
}

TEST_CASE("a device's status change updates its network's coverage as a full run would", "[devices]")
{
    test::TempDir dir, full_dir;
    auto city = test::copy_city(covered_city, dir);
    auto reference = test::copy_city(covered_city, full_dir);
    std::string camera, lamp;
    {
        auto storage = core::open_city(city, core::Access::read_only);
        camera = device_with(*storage, "cameras", "online", 3);
        lamp = device_with(*storage, "lamps", "on", 5);
        REQUIRE(devices_in(*storage, "camera_coverage", "camera_id").count(camera));
    }

    layers::DeviceStatusWriter writer(city);
    writer.prepare();
    auto off = writer.set_status("cameras", camera, "offline", "operations-centre");
    CHECK(off.coverage_updated);
    CHECK(off.change.old_status == "online");
    CHECK(off.change.new_status == "offline");
    auto dark = writer.set_status("lamps", lamp, "faulty", "operations-centre");
    CHECK(dark.coverage_updated);
    // Offline to faulty: still out of service; the results stay and stay current.
    auto faulty = writer.set_status("cameras", camera, "faulty", "operations-centre");
    CHECK(faulty.change.old_status == "offline");

    // The same changes by hand on the second copy, then lantern coverage as users run it.
    for (const auto& [table, field, id, status] :
         std::vector<std::array<std::string, 4>>{{"cameras", "camera_id", camera, "faulty"},
                                                 {"lamps", "lamp_id", lamp, "faulty"}}) {
        auto storage = core::open_city(reference, core::Access::read_write);
        const auto& schema = layers::feature_class(table);
        auto found = storage->find(schema, field, core::Value(id));
        REQUIRE(found.size() == 1);
        core::Transaction t(*storage);
        storage->set_value(schema, found.front().fid, "status", core::Value(status));
        auto record = *storage->class_record(table);
        auto now = core::summarize(*storage, schema);
        record.checksum = now.checksum;
        storage->put_class_record(record);
        t.commit();
    }
    REQUIRE(test::run_lantern({"coverage", reference, "cameras", "-q"}).exit_code == 0);
    REQUIRE(test::run_lantern({"coverage", reference, "lighting", "-q"}).exit_code == 0);

    auto live = core::open_city(city, core::Access::read_only);
    auto full = core::open_city(reference, core::Access::read_only);
    CHECK_FALSE(devices_in(*live, "camera_coverage", "camera_id").count(camera));
    CHECK_FALSE(devices_in(*live, "lighting_coverage", "lamp_id").count(lamp));
    require_same_coverage(*live, *full, "camera", "camera_coverage", "camera_id");
    require_same_coverage(*live, *full, "lighting", "lighting_coverage", "lamp_id");
    CHECK(total(*live, "camera_blind_spots", "area_m2") ==
          Approx(total(*full, "camera_blind_spots", "area_m2")).epsilon(1e-9));
    CHECK(live->class_record("cameras")->checksum == full->class_record("cameras")->checksum);

    auto audit = live->status_changes();
    REQUIRE(audit.size() == 3);
    CHECK(audit[0].device == camera);
    CHECK(audit[0].old_status == "online");
    CHECK(audit[2].new_status == "faulty");
    CHECK(audit[1].class_name == "lamps");
    CHECK(audit[1].token == "operations-centre");
    CHECK(audit[0].time < audit[2].time);

    SECTION("and back in service, its footprint returns")
    {
        live.reset();
        writer.set_status("cameras", camera, "online", "operations-centre");
        auto again = core::open_city(city, core::Access::read_only);
        auto original = core::open_city(covered_city, core::Access::read_only);
        require_same_coverage(*again, *original, "camera", "camera_coverage", "camera_id");
    }
}

TEST_CASE("a refused status change changes nothing", "[devices]")
{
    test::TempDir dir;
    auto city = test::copy_city(covered_city, dir);
    std::string camera;
    core::ClassRecord cameras_before;
    {
        auto storage = core::open_city(city, core::Access::read_only);
        camera = device_with(*storage, "cameras", "online");
        cameras_before = *storage->class_record("cameras");
    }
    layers::DeviceStatusWriter writer(city);
    using Kind = layers::DeviceStatusError::Kind;
    auto refused = [&](const std::string& cls, const std::string& id, const std::string& status, Kind kind,
                       const std::string& message) {
        try {
            writer.set_status(cls, id, status, "ops");
            FAIL("accepted " << cls << " " << id << " " << status);
        } catch (const layers::DeviceStatusError& e) {
            CHECK(e.kind() == kind);
            CHECK_THAT(e.what(), Catch::Contains(message));
        }
    };
    refused("cameras", camera, "on", Kind::bad_status, "online, offline or faulty");
    refused("lamps", "L-1", "online", Kind::bad_status, "on, off, faulty or maintenance");
    refused("cameras", "C-no-such", "offline", Kind::not_found, "no device 'C-no-such'");
    refused("parcels", "P-1", "offline", Kind::not_found, "no device class 'parcels'");
    refused("trees", "T-1", "offline", Kind::not_found, "the device classes are");

    auto storage = core::open_city(city, core::Access::read_only);
    CHECK(storage->status_changes().empty());
    CHECK(storage->class_record("cameras")->checksum == cameras_before.checksum);
}

TEST_CASE("the device summary adds up the statuses and the streets dark and unwatched", "[devices]")
{
    auto storage = core::open_city(covered_city, core::Access::read_only);
    auto summary = layers::device_summary(*storage);

    for (const auto& [name, online_status] :
         std::vector<std::pair<std::string, std::string>>{{"cameras", "online"}, {"lamps", "on"}}) {
        INFO(name);
        const auto& schema = layers::feature_class(name);
        std::map<std::string, std::size_t> counted;
        std::size_t devices = 0;
        storage->scan(schema, [&](const core::StoredFeature& f) {
            auto status = text_of(f.values[field_at(schema, "status")]);
            ++counted[status.empty() ? "unset" : status];
            ++devices;
        });
        const auto& c = summary["classes"][name];
        CHECK(c["devices"] == devices);
        for (const auto& [status, n] : counted)
            CHECK(c["by_status"][status] == n);
        double online = static_cast<double>(counted[online_status] + counted["unset"]) / static_cast<double>(devices);
        CHECK(c["online_share"].get<double>() == Approx(online));
        double broken = static_cast<double>(counted["faulty"] + counted["maintenance"]);
        CHECK(c["working_share"].get<double>() == Approx(1 - broken / static_cast<double>(devices)));
        std::size_t in_wards = 0;
        for (const auto& ward : c["wards"]) {
            in_wards += ward["devices"].get<std::size_t>();
            CHECK(ward["online_share"].get<double>() >= 0);
            CHECK(ward["online_share"].get<double>() <= 1);
        }
        CHECK(in_wards <= devices);
        CHECK(in_wards >= devices * 9 / 10);  // the devices lie in the city's wards
    }

    const auto& streets = summary["streets"];
    REQUIRE(streets["available"] == true);
    CHECK(streets["current"] == true);
    double both = streets["dark_and_unwatched_m"];
    CHECK(both > 0);
    CHECK(both <= std::min(streets["dark_m"].get<double>(), streets["unwatched_m"].get<double>()) + 1e-6);
    CHECK(streets["dark_m"].get<double>() == Approx(total(*storage, "lighting_gaps", "length_m")));
    CHECK(streets["unwatched_m"].get<double>() == Approx(total(*storage, "camera_gaps", "length_m")));
    double listed = 0, previous = 1e300;
    for (const auto& street : streets["streets"]) {
        double length = street["length_m"];
        CHECK(length > 0);
        CHECK(length <= previous);  // longest first
        previous = length;
        listed += length;
    }
    CHECK(listed <= both + 1e-6);
    if (streets["streets"].size() == streets["streets_dark_and_unwatched"].get<std::size_t>())
        CHECK(listed == Approx(both));
}
