#pragma once
// Names the data behind tile layers for TileJSON's "attribution": the source
// each class was imported from and the analysis each result came from, as
// the city database records them. Records are read again only when a
// layer's version changes.

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <lantern/layers/tiles.hpp>

namespace lantern::tileserver {

class Attribution {
public:
    explicit Attribution(std::string city_path);

    // "Hội An city data: buildings from buildings.geojson; flood_extent_2_0m
    // from the Lantern flood analysis", HTML-escaped (map clients show it as HTML).
    std::string text(const std::string& city_name, const std::vector<layers::TileLayerInfo>& layers);

    // Each layer's source by name, as the city records it: the file a class
    // was imported from ("buildings.geojson"), "the Lantern flood analysis"
    // for a result; empty when the records cannot be read.
    std::map<std::string, std::string> sources(const std::vector<layers::TileLayerInfo>& layers);

private:
    struct Source {
        std::string version;  // the layer version it was read for
        std::string text;
    };
    // With m_mutex held: the records read again when a layer's version changed.
    void refresh(const std::vector<layers::TileLayerInfo>& layers);
    void reload(const std::vector<layers::TileLayerInfo>& layers);

    std::string m_city_path;
    std::mutex m_mutex;
    std::map<std::string, Source> m_sources;
};

// &, <, >, " and ' as HTML character references.
std::string html_escape(std::string_view text);

}  // namespace lantern::tileserver
