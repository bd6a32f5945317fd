// Greedy maximum coverage with lazy evaluation: known answers, the (1 - 1/e)
// guarantee against exhaustive search, and agreement with plain greedy.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include <lantern/core/base/error.hpp>
#include <lantern/core/coverage/max_coverage.hpp>

using namespace lantern::core;

namespace {

const double greedy_ratio = 1 - 1 / std::exp(1.0);

// Greedy without laziness: every candidate re-evaluated every round, gains
// summed in ascending element order, ties to the lower index.
CoverageChoice plain_greedy(const CoverageProblem& problem, std::size_t k)
{
    std::vector<bool> covered = problem.already_covered;
    covered.resize(problem.element_weights.size(), false);
    std::vector<std::set<std::uint32_t>> sets;
    for (const auto& candidate : problem.candidates)
        sets.emplace_back(candidate.begin(), candidate.end());
    CoverageChoice result;
    while (result.chosen.size() < k) {
        double best_gain = 0;
        std::size_t best = sets.size();
        for (std::size_t c = 0; c < sets.size(); ++c) {
            ++result.evaluations;
            double gain = 0;
            for (std::uint32_t element : sets[c])
                if (!covered[element])
                    gain += problem.element_weights[element];
            if (gain > best_gain) {
                best_gain = gain;
                best = c;
            }
        }
        if (best == sets.size())
            break;
        for (std::uint32_t element : sets[best])
            covered[element] = true;
        result.chosen.push_back(best);
        result.gains.push_back(best_gain);
        result.total_gain += best_gain;
    }
    return result;
}

CoverageProblem random_problem(std::mt19937& random)
{
    std::uniform_int_distribution<std::size_t> element_count_of(10, 30);
    std::uniform_int_distribution<std::size_t> candidate_count_of(8, 12);
    std::uniform_int_distribution<std::size_t> set_size_of(0, 8);
    std::bernoulli_distribution coin(0.5);
    std::bernoulli_distribution rarely(0.2);
    CoverageProblem problem;
    std::size_t element_count = element_count_of(random);
    // Small integer weights make ties (and zero weights) common; real ones
    // make them rare.
    bool integer_weights = coin(random);
    std::uniform_int_distribution<int> integer_weight(0, 5);
    std::uniform_real_distribution<double> real_weight(0, 10);
    for (std::size_t i = 0; i < element_count; ++i)
        problem.element_weights.push_back(integer_weights ? integer_weight(random)
                                                          : real_weight(random));
    std::uniform_int_distribution<std::uint32_t> element_of(
        0, static_cast<std::uint32_t>(element_count - 1));
    std::size_t candidate_count = candidate_count_of(random);
    for (std::size_t c = 0; c < candidate_count; ++c) {
        std::vector<std::uint32_t> candidate;
        std::size_t size = set_size_of(random);
        for (std::size_t j = 0; j < size; ++j)
            candidate.push_back(element_of(random));  // repeats happen
        problem.candidates.push_back(candidate);
    }
    if (coin(random))
        for (std::size_t i = 0; i < element_count; ++i)
            problem.already_covered.push_back(rarely(random));
    return problem;
}

}  // namespace

TEST_CASE("Greedy coverage picks the known optimal sequence with ties to the lower index",
          "[max-coverage]")
{
    CoverageProblem problem;
    problem.element_weights = {5, 1, 2, 4, 3, 2};  // 17 in all
    problem.candidates = {{0, 1}, {1, 2, 3}, {3, 4}, {4, 5}, {0, 5}};
    // Round 1: candidates 1, 2 and 4 all add 7; 1 wins. Round 2: 4 adds 7.
    // Round 3: 2 and 3 both add 3 (elements 4 and 5 are left); 2 wins.
    CoverageChoice greedy = greedy_max_coverage(problem, 3);
    CHECK(greedy.chosen == std::vector<std::size_t>{1, 4, 2});
    CHECK(greedy.gains == std::vector<double>{7, 7, 3});
    CHECK(greedy.total_gain == 17);
    CHECK(greedy.evaluations <= 5 * 3);
    CHECK(exhaustive_max_coverage(problem, 3).total_gain == 17);

    CoverageChoice one = greedy_max_coverage(problem, 1);
    CHECK(one.chosen == std::vector<std::size_t>{1});
    CHECK(one.evaluations == 5);
    CHECK(greedy_max_coverage(problem, 0).chosen.empty());
    CHECK(greedy_max_coverage(problem, 0).evaluations == 0);
}

TEST_CASE("Greedy coverage falls short of the optimum on the classic instance",
          "[max-coverage]")
{
    // Six unit elements: two disjoint halves and a larger set across the
    // middle. Greedy takes the middle (4), then a half adds only 1.
    CoverageProblem problem;
    problem.element_weights = std::vector<double>(6, 1.0);
    problem.candidates = {{0, 1, 2}, {1, 2, 3, 4}, {3, 4, 5}};
    CoverageChoice greedy = greedy_max_coverage(problem, 2);
    CHECK(greedy.chosen == std::vector<std::size_t>{1, 0});
    CHECK(greedy.gains == std::vector<double>{4, 1});
    CHECK(greedy.total_gain == 5);
    CoverageChoice optimum = exhaustive_max_coverage(problem, 2);
    CHECK(optimum.chosen == std::vector<std::size_t>{0, 2});
    CHECK(optimum.gains == std::vector<double>{3, 3});
    CHECK(optimum.total_gain == 6);
    CHECK(optimum.evaluations == 1 + 3 + 3);  // subsets of size 0, 1 and 2
    CHECK(greedy.total_gain >= greedy_ratio * optimum.total_gain);
}

TEST_CASE("Lazy greedy coverage equals plain greedy and keeps the guarantee on random instances",
          "[max-coverage]")
{
    std::mt19937 random(1978);
    std::uniform_int_distribution<std::size_t> k_of(1, 4);
    int greedy_optimal = 0;
    int saved_evaluations = 0;
    for (int instance = 0; instance < 200; ++instance) {
        CoverageProblem problem = random_problem(random);
        std::size_t k = k_of(random);
        INFO("instance " << instance << ", k " << k);
        CoverageChoice lazy = greedy_max_coverage(problem, k);
        CoverageChoice plain = plain_greedy(problem, k);
        CoverageChoice optimum = exhaustive_max_coverage(problem, k);
        CHECK(lazy.chosen == plain.chosen);
        CHECK(lazy.gains == plain.gains);
        CHECK(lazy.total_gain == plain.total_gain);
        CHECK(lazy.evaluations <= problem.candidates.size() * k);
        CHECK(lazy.total_gain >= greedy_ratio * optimum.total_gain * (1 - 1e-12));
        CHECK(lazy.total_gain <= optimum.total_gain * (1 + 1e-12));
        if (plain.total_gain == optimum.total_gain) {
            ++greedy_optimal;
            CHECK(lazy.total_gain == optimum.total_gain);
        }
        if (lazy.evaluations < plain.evaluations)
            ++saved_evaluations;
    }
    // Both branches of the comparison are exercised.
    CHECK(greedy_optimal > 0);
    CHECK(greedy_optimal < 200);
    CHECK(saved_evaluations > 0);
}

TEST_CASE("Already covered elements add nothing and greedy coverage stops early",
          "[max-coverage]")
{
    CoverageProblem problem;
    problem.element_weights = {1, 2, 3, 4};
    problem.candidates = {{0, 2}, {1, 1, 1}, {2, 3}, {}};
    problem.already_covered = {true, false, true, false};
    // Candidate 0 covers only covered elements; candidate 1's repeats count
    // once; candidate 2 adds only element 3; candidate 3 is empty.
    CoverageChoice greedy = greedy_max_coverage(problem, 10);
    CHECK(greedy.chosen == std::vector<std::size_t>{2, 1});
    CHECK(greedy.gains == std::vector<double>{4, 2});
    CHECK(greedy.total_gain == 6);
    CHECK(greedy.evaluations <= 4 * 2);
    CoverageChoice optimum = exhaustive_max_coverage(problem, 10);
    CHECK(optimum.chosen == std::vector<std::size_t>{1, 2});
    CHECK(optimum.total_gain == 6);

    // Everything already covered: nothing is worth picking.
    problem.already_covered = {true, true, true, true};
    CoverageChoice none = greedy_max_coverage(problem, 3);
    CHECK(none.chosen.empty());
    CHECK(none.total_gain == 0);

    // Weightless elements add nothing either.
    problem.already_covered.clear();
    problem.element_weights = {0, 0, 5, 0};
    CoverageChoice weightless = greedy_max_coverage(problem, 3);
    CHECK(weightless.chosen == std::vector<std::size_t>{0});
    CHECK(weightless.gains == std::vector<double>{5});
}

TEST_CASE("Lazy evaluation saves most marginal gain evaluations on a larger instance",
          "[max-coverage]")
{
    std::mt19937 random(1977);
    std::uniform_int_distribution<std::uint32_t> element_of(0, 4999);
    std::uniform_real_distribution<double> weight_of(0, 1);
    CoverageProblem problem;
    for (int i = 0; i < 5000; ++i)
        problem.element_weights.push_back(weight_of(random));
    for (int c = 0; c < 500; ++c) {
        std::vector<std::uint32_t> candidate;
        for (int j = 0; j < 40; ++j)
            candidate.push_back(element_of(random));
        problem.candidates.push_back(candidate);
    }
    const std::size_t k = 20;
    CoverageChoice lazy = greedy_max_coverage(problem, k);
    CoverageChoice plain = plain_greedy(problem, k);
    CHECK(lazy.chosen == plain.chosen);
    CHECK(lazy.total_gain == plain.total_gain);
    CHECK(plain.evaluations == 500 * k);
    CHECK(lazy.evaluations < plain.evaluations / 4);
}

TEST_CASE("Coverage rejects bad input and too large exhaustive searches", "[max-coverage]")
{
    CoverageProblem problem;
    problem.element_weights = {1, 2};
    problem.candidates = {{0, 2}};
    CHECK_THROWS_AS(greedy_max_coverage(problem, 1), UsageError);
    CHECK_THROWS_AS(exhaustive_max_coverage(problem, 1), UsageError);
    problem.candidates = {{0, 1}};
    problem.element_weights = {1, -2};
    CHECK_THROWS_AS(greedy_max_coverage(problem, 1), UsageError);
    problem.element_weights = {1, std::nan("")};
    CHECK_THROWS_AS(greedy_max_coverage(problem, 1), UsageError);
    problem.element_weights = {1, 2};
    problem.already_covered = {true};
    CHECK_THROWS_AS(greedy_max_coverage(problem, 1), UsageError);

    CoverageProblem large;
    large.element_weights = {1};
    large.candidates = std::vector<std::vector<std::uint32_t>>(1000, {0});
    CHECK_THROWS_AS(exhaustive_max_coverage(large, 5), UsageError);
    CHECK_THROWS_AS(exhaustive_max_coverage(large, 600), UsageError);
    CHECK(exhaustive_max_coverage(large, 2).total_gain == 1);  // 500 501 subsets
    CHECK(greedy_max_coverage(large, 600).chosen == std::vector<std::size_t>{0});
}
