#include <lantern/core/glyphs/font_catalog.hpp>

#include <algorithm>
#include <memory>

#include <fontconfig/fontconfig.h>

#include <lantern/core/base/error.hpp>

namespace lantern::core {

namespace {

struct PatternDeleter {
    void operator()(FcPattern* pattern) const { FcPatternDestroy(pattern); }
};
struct ObjectSetDeleter {
    void operator()(FcObjectSet* set) const { FcObjectSetDestroy(set); }
};
struct FontSetDeleter {
    void operator()(FcFontSet* set) const { FcFontSetDestroy(set); }
};
struct ConfigDeleter {
    void operator()(FcConfig* config) const { FcConfigDestroy(config); }
};

std::string text(FcPattern* pattern, const char* object)
{
    FcChar8* value = nullptr;
    if (FcPatternGetString(pattern, object, 0, &value) != FcResultMatch || !value)
        return {};
    return reinterpret_cast<const char*>(value);
}

}  // namespace

FontCatalog::FontCatalog(std::vector<FontFace> faces) : m_faces(std::move(faces))
{
    std::stable_sort(m_faces.begin(), m_faces.end(), [](const FontFace& a, const FontFace& b) {
        return a.name != b.name ? a.name < b.name : a.path != b.path ? a.path < b.path : a.index < b.index;
    });
    m_faces.erase(std::unique(m_faces.begin(), m_faces.end(),
                              [](const FontFace& a, const FontFace& b) { return a.name == b.name; }),
                  m_faces.end());
}

FontCatalog FontCatalog::from_fontconfig()
{
    // A configuration of its own, so that nothing here changes or depends
    // on the process's current one (Pango's, for maps).
    std::unique_ptr<FcConfig, ConfigDeleter> config(FcInitLoadConfigAndFonts());
    if (!config)
        return FontCatalog({});
    std::unique_ptr<FcPattern, PatternDeleter> pattern(FcPatternBuild(
        nullptr, FC_SCALABLE, FcTypeBool, FcTrue, FC_VARIABLE, FcTypeBool, FcFalse, static_cast<char*>(nullptr)));
    std::unique_ptr<FcObjectSet, ObjectSetDeleter> objects(
        FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FILE, FC_INDEX, static_cast<char*>(nullptr)));
    if (!pattern || !objects)
        return FontCatalog({});
    std::unique_ptr<FcFontSet, FontSetDeleter> found(FcFontList(config.get(), pattern.get(), objects.get()));
    std::vector<FontFace> faces;
    for (int i = 0; found && i < found->nfont; ++i) {
        FcPattern* font = found->fonts[i];
        int index = 0;
        FcPatternGetInteger(font, FC_INDEX, 0, &index);
        auto family = text(font, FC_FAMILY), style = text(font, FC_STYLE), file = text(font, FC_FILE);
        if (family.empty() || file.empty())
            continue;
        faces.push_back({style.empty() ? family : family + " " + style, file, index});
    }
    return FontCatalog(std::move(faces));
}

const FontFace* FontCatalog::find(std::string_view name) const
{
    auto it = std::lower_bound(m_faces.begin(), m_faces.end(), name,
                               [](const FontFace& face, std::string_view n) { return face.name < n; });
    return it != m_faces.end() && it->name == name ? &*it : nullptr;
}

std::vector<FontFace> FontCatalog::stack(const std::vector<std::string>& names) const
{
    std::vector<FontFace> faces;
    for (const auto& name : names) {
        const auto* face = find(name);
        if (!face)
            throw UsageError("no font named \"" + name + "\" is installed");
        faces.push_back(*face);
    }
    return faces;
}

}  // namespace lantern::core
