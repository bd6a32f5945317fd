#include <lantern/layers/map_pages.hpp>

#include <lantern/layers/class_registry.hpp>

namespace lantern::layers {

std::string sources_note(const core::Storage& storage, const core::RenderOptions& options)
{
    std::vector<std::string> names = options.classes;
    if (names.empty())
        for (const auto& schema : city_classes(storage).schemas())
            names.push_back(schema.name);
    std::string note;
    for (const auto& name : names) {
        if (!storage.has_class(name))
            continue;
        auto record = storage.class_record(name);
        if (!record || record->feature_count == 0)
            continue;
        note += (note.empty() ? "Data: " : ", ") + name + (record->source.empty() ? "" : " (" + record->source + ")");
    }
    return note;
}

void print_on(core::RenderOptions& options, const std::string& paper, const core::Storage& storage)
{
    core::PrintLayout layout = core::paper_layout(paper);
    layout.title = storage.city().name;
    if (options.legend) {
        auto& legend = *options.legend;
        if (!legend.title.empty())
            layout.title = legend.title;
        for (const auto& line : legend.lines)
            layout.subtitle += (layout.subtitle.empty() ? "" : " · ") + line;
        legend.title = "Legend";
        legend.lines.clear();
    }
    if (auto note = sources_note(storage, options); !note.empty())
        layout.notes.push_back(note);
    std::string now = core::utc_now();  // 2026-11-27T10:55:01Z
    layout.notes.push_back("Drawn " + now.substr(0, 10) + " " + now.substr(11, 5) + " UTC by Lantern");
    options.layout = layout;
}

}  // namespace lantern::layers
