// The lookup's sentence on a building's fire access (docs/api.md), in
// English and Vietnamese: a table of fire_access rows and what they say.

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "lookup/fire_sentence.hpp"

using lantern::layers::detail::fire_sentences;
using lantern::layers::detail::FireFacts;

namespace {

struct Case {
    const char* what;
    FireFacts facts;
    const char* en;
    const char* vi;
};

FireFacts facts(std::optional<double> time_s, std::optional<double> hydrant_m, bool no_hydrant = false)
{
    FireFacts f;
    f.time_s = time_s;
    f.hydrant_m = hydrant_m;
    f.unreachable = !time_s;
    f.no_hydrant = no_hydrant || !hydrant_m;
    return f;
}

FireFacts hose(FireFacts f, double hose_m)
{
    f.hose_m = hose_m;
    f.beyond_hose = true;
    return f;
}

FireFacts staged(FireFacts f, double stage_m, std::optional<double> dry_time_s)
{
    f.stage_m = stage_m;
    f.dry_time_s = dry_time_s;
    return f;
}

FireFacts reach(FireFacts f, double hydrant_reach_m)
{
    f.hydrant_reach_m = hydrant_reach_m;
    return f;
}

}  // namespace

TEST_CASE("the fire sentence rounds to whole minutes and 10 m and says what is missing, in both languages")
{
    const std::vector<Case> cases = {
        {"the issue's example", facts(361.3, 78.2),
         "fire station 6 min by road, nearest working hydrant 80 m along the street",
         "đội PCCC 6 phút theo đường bộ, trụ nước chữa cháy hoạt động gần nhất cách 80 m theo đường phố"},
        {"half a minute rounds up, 85 m to 90 m", facts(90, 85),
         "fire station 2 min by road, nearest working hydrant 90 m along the street",
         "đội PCCC 2 phút theo đường bộ, trụ nước chữa cháy hoạt động gần nhất cách 90 m theo đường phố"},
        {"under half a minute, under 5 m", facts(29, 4.9),
         "fire station less than 1 min by road, nearest working hydrant less than 10 m along the street",
         "đội PCCC dưới 1 phút theo đường bộ, trụ nước chữa cháy hoạt động gần nhất cách dưới 10 m theo đường phố"},
        {"a hydrant beyond reach", facts(600, 155, true),
         "fire station 10 min by road, no working hydrant within 150 m",
         "đội PCCC 10 phút theo đường bộ, không có trụ nước chữa cháy hoạt động trong vòng 150 m"},
        {"no hydrant on its streets, the run's reach", reach(facts(600, std::nullopt), 120),
         "fire station 10 min by road, no working hydrant within 120 m",
         "đội PCCC 10 phút theo đường bộ, không có trụ nước chữa cháy hoạt động trong vòng 120 m"},
        {"a reach in decimals", reach(facts(600, std::nullopt), 87.5),
         "fire station 10 min by road, no working hydrant within 87.5 m",
         "đội PCCC 10 phút theo đường bộ, không có trụ nước chữa cháy hoạt động trong vòng 87,5 m"},
        {"unreachable", facts(std::nullopt, 40),
         "no fire engine can reach it, nearest working hydrant 40 m along the street",
         "không xe chữa cháy nào tiếp cận được, trụ nước chữa cháy hoạt động gần nhất cách 40 m theo đường phố"},
        {"a hose just beyond its reach, to the metre", hose(facts(300, 80), 102.6),
         "fire station 5 min by road, but the hose must run 103 m, nearest working hydrant 80 m along the street",
         "đội PCCC 5 phút theo đường bộ, nhưng vòi chữa cháy phải kéo 103 m, trụ nước chữa cháy hoạt động gần nhất "
         "cách 80 m theo đường phố"},
        {"no route: the hose is not said", hose(facts(std::nullopt, std::nullopt), 1400),
         "no fire engine can reach it, no working hydrant within 150 m",
         "không xe chữa cháy nào tiếp cận được, không có trụ nước chữa cháy hoạt động trong vòng 150 m"},
        {"a stage that moves the engine away", hose(staged(facts(507, 80), 2, 726), 1450.7),
         "fire station 8 min by road with the river at 2.0 m (12 min in the dry season), but the hose must run "
         "1451 m, nearest working hydrant 80 m along the street",
         "đội PCCC 8 phút theo đường bộ khi nước sông ở mức 2,0 m (12 phút vào mùa khô), nhưng vòi chữa cháy phải "
         "kéo 1451 m, trụ nước chữa cháy hoạt động gần nhất cách 80 m theo đường phố"},
        {"a stage that changes the minutes", staged(facts(480, 80), 2, 360),
         "fire station 8 min by road with the river at 2.0 m (6 min in the dry season), nearest working hydrant "
         "80 m along the street",
         "đội PCCC 8 phút theo đường bộ khi nước sông ở mức 2,0 m (6 phút vào mùa khô), trụ nước chữa cháy hoạt "
         "động gần nhất cách 80 m theo đường phố"},
        {"a stage that leaves the minutes", staged(facts(370, 80), 2, 361),
         "fire station 6 min by road with the river at 2.0 m, nearest working hydrant 80 m along the street",
         "đội PCCC 6 phút theo đường bộ khi nước sông ở mức 2,0 m, trụ nước chữa cháy hoạt động gần nhất cách 80 m "
         "theo đường phố"},
        {"access lost at the stage", staged(facts(std::nullopt, 80), 3.4, 361),
         "no fire engine can reach it with the river at 3.4 m (6 min by road in the dry season), nearest working "
         "hydrant 80 m along the street",
         "không xe chữa cháy nào tiếp cận được khi nước sông ở mức 3,4 m (6 phút theo đường bộ vào mùa khô), trụ "
         "nước chữa cháy hoạt động gần nhất cách 80 m theo đường phố"},
        {"unreachable dry and wet", staged(facts(std::nullopt, std::nullopt), 2, std::nullopt),
         "no fire engine can reach it with the river at 2.0 m, no working hydrant within 150 m",
         "không xe chữa cháy nào tiếp cận được khi nước sông ở mức 2,0 m, không có trụ nước chữa cháy hoạt động "
         "trong vòng 150 m"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        auto s = fire_sentences(c.facts);
        CHECK(s.en == c.en);
        CHECK(s.vi == c.vi);
    }
}
