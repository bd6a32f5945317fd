#include <lantern/core/coverage/max_coverage.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <string>

#include <lantern/core/base/error.hpp>
#include <lantern/core/base/numbers.hpp>

namespace lantern::core {

namespace {

void validate(const CoverageProblem& problem)
{
    const std::size_t element_count = problem.element_weights.size();
    for (std::size_t i = 0; i < element_count; ++i) {
        double weight = problem.element_weights[i];
        if (!std::isfinite(weight) || weight < 0)
            throw UsageError("coverage: element " + std::to_string(i) + " has weight " +
                             fixed_text(weight, 6) + "; weights must be finite and non-negative");
    }
    if (!problem.already_covered.empty() && problem.already_covered.size() != element_count)
        throw UsageError("coverage: " + std::to_string(problem.already_covered.size()) +
                         " already-covered flags for " + std::to_string(element_count) +
                         " elements");
    for (std::size_t c = 0; c < problem.candidates.size(); ++c)
        for (std::uint32_t element : problem.candidates[c])
            if (element >= element_count)
                throw UsageError("coverage: candidate " + std::to_string(c) + " covers element " +
                                 std::to_string(element) + " of " + std::to_string(element_count));
}

// Each candidate's elements once each, ascending: the order every gain is
// summed in, so equal sets give bit-identical gains whichever way they are
// found.
std::vector<std::vector<std::uint32_t>> unique_elements(const CoverageProblem& problem)
{
    std::vector<std::vector<std::uint32_t>> sets = problem.candidates;
    for (auto& set : sets) {
        std::sort(set.begin(), set.end());
        set.erase(std::unique(set.begin(), set.end()), set.end());
    }
    return sets;
}

std::vector<bool> initially_covered(const CoverageProblem& problem)
{
    if (problem.already_covered.empty())
        return std::vector<bool>(problem.element_weights.size(), false);
    return problem.already_covered;
}

struct HeapEntry {
    double bound;       // the gain when last evaluated, >= the gain now
    std::size_t index;  // candidate
    std::size_t round;  // number of candidates chosen when evaluated
};

// Priority: the larger bound, then the lower index, matching plain greedy's
// tie-break.
struct LowerPriority {
    bool operator()(const HeapEntry& a, const HeapEntry& b) const
    {
        if (a.bound != b.bound)
            return a.bound < b.bound;
        return a.index > b.index;
    }
};

// The depth-first walk over subsets in lexicographic order; covered_count
// counts the chosen candidates (and the existing coverage) over each element.
struct ExhaustiveSearch {
    const std::vector<double>& weights;
    const std::vector<std::vector<std::uint32_t>>& sets;
    std::size_t k;
    std::vector<std::uint32_t> covered_count;
    std::vector<std::size_t> path;
    std::vector<double> path_gains;
    CoverageChoice best;

    void visit(std::size_t first, double total)
    {
        ++best.evaluations;
        if (total > best.total_gain ||
            (total == best.total_gain && path.size() < best.chosen.size())) {
            best.total_gain = total;
            best.chosen = path;
            best.gains = path_gains;
        }
        if (path.size() == k)
            return;
        for (std::size_t c = first; c < sets.size(); ++c) {
            double gain = 0;
            for (std::uint32_t element : sets[c])
                if (covered_count[element]++ == 0)
                    gain += weights[element];
            path.push_back(c);
            path_gains.push_back(gain);
            visit(c + 1, total + gain);
            path.pop_back();
            path_gains.pop_back();
            for (std::uint32_t element : sets[c])
                --covered_count[element];
        }
    }
};

// Subsets of at most k of n candidates, or SIZE_MAX once past the limit.
std::size_t subset_count(std::size_t n, std::size_t k, std::size_t limit)
{
    const std::size_t over = std::numeric_limits<std::size_t>::max();
    std::size_t total = 1;
    std::size_t binomial = 1;  // C(n, j)
    for (std::size_t j = 1; j <= std::min(n, k); ++j) {
        std::size_t factor = n - j + 1;
        if (binomial > over / factor)
            return over;
        binomial = binomial * factor / j;
        total += binomial;
        if (total > limit)
            return over;
    }
    return total;
}

}  // namespace

CoverageChoice greedy_max_coverage(const CoverageProblem& problem, std::size_t k)
{
    validate(problem);
    CoverageChoice result;
    if (k == 0)
        return result;
    std::vector<std::vector<std::uint32_t>> sets = unique_elements(problem);
    std::vector<bool> covered = initially_covered(problem);
    const std::vector<double>& weights = problem.element_weights;

    // The weight a candidate would add now. Covered elements are dropped from
    // its list as they are met: they add nothing now or later, and adding
    // nothing leaves the sum bit for bit as it was.
    auto evaluate = [&](std::size_t c) {
        ++result.evaluations;
        std::vector<std::uint32_t>& set = sets[c];
        double gain = 0;
        std::size_t kept = 0;
        for (std::uint32_t element : set) {
            if (!covered[element]) {
                gain += weights[element];
                set[kept++] = element;
            }
        }
        set.resize(kept);
        return gain;
    };

    std::priority_queue<HeapEntry, std::vector<HeapEntry>, LowerPriority> heap;
    for (std::size_t c = 0; c < sets.size(); ++c) {
        double gain = evaluate(c);
        if (gain > 0)
            heap.push({gain, c, 0});
    }
    // A candidate whose gain drops to zero leaves the heap for good, so an
    // empty heap means nothing more can be added.
    while (result.chosen.size() < k && !heap.empty()) {
        HeapEntry top = heap.top();
        heap.pop();
        if (top.round == result.chosen.size()) {
            result.chosen.push_back(top.index);
            result.gains.push_back(top.bound);
            result.total_gain += top.bound;
            for (std::uint32_t element : sets[top.index])
                covered[element] = true;
            continue;
        }
        double gain = evaluate(top.index);
        if (gain > 0)
            heap.push({gain, top.index, result.chosen.size()});
    }
    return result;
}

CoverageChoice exhaustive_max_coverage(const CoverageProblem& problem, std::size_t k)
{
    validate(problem);
    std::size_t subsets = subset_count(problem.candidates.size(), k, max_exhaustive_subsets);
    if (subsets > max_exhaustive_subsets)
        throw UsageError("coverage: more than " + std::to_string(max_exhaustive_subsets) +
                         " subsets of at most " + std::to_string(k) + " of " +
                         std::to_string(problem.candidates.size()) + " candidates");
    std::vector<std::vector<std::uint32_t>> sets = unique_elements(problem);
    std::vector<bool> covered = initially_covered(problem);
    ExhaustiveSearch search{problem.element_weights, sets, k, {}, {}, {}, {}};
    search.covered_count.resize(covered.size());
    for (std::size_t i = 0; i < covered.size(); ++i)
        search.covered_count[i] = covered[i] ? 1 : 0;
    search.visit(0, 0);
    return search.best;
}

}  // namespace lantern::core
