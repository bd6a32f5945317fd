#include <lantern/tileserver/attribution.hpp>

#include <lantern/core/storage/storage.hpp>

namespace lantern::tileserver {

Attribution::Attribution(std::string city_path) : m_city_path(std::move(city_path)) {}

void Attribution::reload(const std::vector<layers::TileLayerInfo>& layers)
{
    std::map<std::string, std::string> found;
    try {
        auto storage = core::open_city(m_city_path, core::Access::read_only);
        for (const auto& record : storage->class_records())
            found[record.name] = record.source;
        for (const auto& record : storage->result_records())
            found[record.name] = "the Lantern " + record.analysis + " analysis";
    } catch (const std::exception&) {
        // The layers keep their names without sources until the next change.
    }
    for (const auto& layer : layers)
        m_sources[layer.name] = Source{layer.version, found[layer.name]};
}

void Attribution::refresh(const std::vector<layers::TileLayerInfo>& layers)
{
    for (const auto& layer : layers) {
        auto known = m_sources.find(layer.name);
        if (known == m_sources.end() || known->second.version != layer.version) {
            reload(layers);
            return;
        }
    }
}

std::string Attribution::text(const std::string& city_name,
                              const std::vector<layers::TileLayerInfo>& layers)
{
    std::lock_guard lock(m_mutex);
    refresh(layers);
    std::string text = city_name + " city data";
    std::string separator = ": ";
    for (const auto& layer : layers) {
        text += separator + layer.name;
        if (const auto& source = m_sources[layer.name].text; !source.empty())
            text += " from " + source;
        separator = "; ";
    }
    return html_escape(text + " (served by Lantern)");
}

std::map<std::string, std::string> Attribution::sources(const std::vector<layers::TileLayerInfo>& layers)
{
    std::lock_guard lock(m_mutex);
    refresh(layers);
    std::map<std::string, std::string> out;
    for (const auto& layer : layers)
        out[layer.name] = m_sources[layer.name].text;
    return out;
}

std::string html_escape(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

}  // namespace lantern::tileserver
