#pragma once
// Maximum coverage: choose up to k candidate sets (what each candidate camera
// site would see) so that the elements they newly cover (1 m pieces of road,
// lattice cells of a heritage area) weigh the most.
//
// The greedy choice keeps taking the candidate that adds the most weight. It
// is guaranteed total_gain >= (1 - 1/e) x optimum, about 0.632 x optimum
// (Nemhauser, Wolsey and Fisher 1978, "An analysis of approximations for
// maximizing submodular set functions"), and no polynomial algorithm does
// better in general unless P = NP (Feige 1998).
//
// Lazy evaluation (Minoux's accelerated greedy, known as CELF): a max-heap
// holds an upper bound on each candidate's marginal gain, its gain when last
// evaluated. Gains only shrink as more is covered (coverage is submodular),
// so a candidate whose freshly evaluated gain is still at the top of the heap
// beats every other candidate's true gain and is the greedy choice. Most
// candidates are never evaluated again after the first round.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lantern::core {

struct CoverageProblem {
    // Element i weighs element_weights[i] (finite, >= 0).
    std::vector<double> element_weights;
    // The element indices each candidate covers; a repeated index counts once.
    std::vector<std::vector<std::uint32_t>> candidates;
    // Elements covered before any choice (by the existing cameras); empty
    // means none, otherwise one flag per element.
    std::vector<bool> already_covered;
};

struct CoverageChoice {
    std::vector<std::size_t> chosen;  // candidate indices in the order picked
    std::vector<double> gains;        // weight each newly covered when picked
    double total_gain = 0;            // sum of gains, in that order
    std::size_t evaluations = 0;      // marginal gains (or subsets) evaluated
};

// The greedy choice of up to k candidates, with lazy evaluation. Ties go to
// the lower candidate index, so the result is exactly plain greedy's: the
// same candidates in the same order with the same gains (each gain sums its
// new elements' weights in ascending element order). Stops early once no
// candidate adds positive weight, so a candidate covering only covered or
// weightless elements is never chosen. Evaluations are at most
// candidates x k. Throws UsageError for an element index out of range, a
// negative or non-finite weight, or an already_covered of the wrong size.
CoverageChoice greedy_max_coverage(const CoverageProblem& problem, std::size_t k);

// Subsets of candidates exhaustive_max_coverage will examine at most.
inline constexpr std::size_t max_exhaustive_subsets = 5'000'000;

// The optimum over every subset of at most k candidates, for tests and tiny
// instances: of the optimal subsets with the fewest candidates, the first in
// lexicographic order of ascending candidate indices, chosen in that order
// with its marginal gains; evaluations counts the subsets examined. Throws
// UsageError as greedy_max_coverage does, and when there are more than
// max_exhaustive_subsets subsets.
CoverageChoice exhaustive_max_coverage(const CoverageProblem& problem, std::size_t k);

}  // namespace lantern::core
