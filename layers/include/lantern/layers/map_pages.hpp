#pragma once
// Maps as printed pages (docs/maps.md): a map's legend becomes the page's
// title, subtitle and swatches, and the page says where its data came from.

#include <string>

#include <lantern/core/render/render.hpp>
#include <lantern/core/storage/storage.hpp>

namespace lantern::layers {

// Sets options.layout to the named paper (a4-portrait, a4-landscape,
// a3-portrait, a3-landscape): the legend's title is the page's title, its
// lines the subtitle, the swatches stay in the legend; the notes name the
// drawn classes' sources and when the page was drawn. Throws UsageError for
// another paper.
void print_on(core::RenderOptions& options, const std::string& paper, const core::Storage& storage);

// "Data: wards (wards.geojson), roads (roads.geojson), ..." for the classes
// the options draw that the city holds.
std::string sources_note(const core::Storage& storage, const core::RenderOptions& options);

}  // namespace lantern::layers
