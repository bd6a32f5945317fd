#pragma once
// Grids that an algorithm reads together must cover the same cells; a
// mismatch is the caller's mistake, reported before any work is done.

#include <string>

#include <lantern/core/base/error.hpp>
#include <lantern/core/raster/grid.hpp>

namespace lantern::core {

template <typename A, typename B>
void require_same_cells(const Grid<A>& a, const Grid<B>& b, const char* what)
{
    if (!a.frame.same_cells(b.frame) || a.values.size() != a.frame.cells() || b.values.size() != b.frame.cells())
        throw UsageError(std::string(what) + ": the grids do not cover the same cells");
}

template <typename T>
void require_whole(const Grid<T>& grid, const char* what)
{
    if (grid.frame.width < 0 || grid.frame.height < 0 || grid.values.size() != grid.frame.cells())
        throw UsageError(std::string(what) + ": the grid's values do not match its frame");
}

}  // namespace lantern::core
